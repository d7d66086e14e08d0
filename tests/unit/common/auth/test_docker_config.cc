#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/auth/docker_config.h"
#include "common/base/base64.h"

namespace regdigest {
namespace {

// base64("user:pa:ss") and base64("bob:secret").
constexpr const char* kUserPaSs = "dXNlcjpwYTpzcw==";
constexpr const char* kBobSecret = "Ym9iOnNlY3JldA==";

DockerConfig MustParse(const std::string& text) {
  Result<DockerConfig> got = ParseDockerConfig(text);
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  return std::move(got).value();
}

TEST_CASE("ParseDockerConfig reads auths, credsStore and credHelpers") {
  DockerConfig c = MustParse(std::string(R"({
	"auths": {
		"https://index.docker.io/v1/": {"auth": ")") +
                             kUserPaSs + R"("},
		"ghcr.io": {"username": "octo", "password": "pw"},
		"quay.io": {"auth": ")" +
                             kBobSecret + R"(", "username": "ignored", "email": "x@y"},
		"myreg:5000": {"identitytoken": "refresh-me"},
		"empty.example": {},
		"null.example": null
	},
	"credsStore": "desktop",
	"credHelpers": {"gcr.io": "gcloud", "123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"},
	"psFormat": "table {{.ID}}",
	"HttpHeaders": {"User-Agent": "x"}
})");
  struct Case {
    std::string key, username, password, identity_token;
  };
  const Case cases[] = {
      {"https://index.docker.io/v1/", "user", "pa:ss", ""},
      {"ghcr.io", "octo", "pw", ""},
      {"quay.io", "bob", "secret", ""},  // "auth" wins over explicit fields
      {"myreg:5000", "", "", "refresh-me"},
      {"empty.example", "", "", ""},
      {"null.example", "", "", ""},
  };
  CHECK(c.auths.size() == std::size(cases));
  for (const Case& k : cases) {
    CAPTURE(k.key);
    REQUIRE(c.auths.count(k.key) == 1);
    const AuthEntry& e = c.auths.at(k.key);
    CHECK(e.username == k.username);
    CHECK(e.password == k.password);
    CHECK(e.identity_token == k.identity_token);
    CHECK(e.empty() == (k.username.empty() && k.password.empty() && k.identity_token.empty()));
  }
  CHECK(c.creds_store == "desktop");
  CHECK(c.cred_helpers.size() == 2);
  CHECK(c.cred_helpers.at("gcr.io") == "gcloud");
}

TEST_CASE("ParseDockerConfig accepts empty documents") {
  for (const char* text : {"", "  \n", "{}", R"({"auths":{}})", R"({"auths":null})"}) {
    CAPTURE(text);
    DockerConfig c = MustParse(text);
    CHECK(c.auths.empty());
    CHECK(c.creds_store.empty());
    CHECK(c.cred_helpers.empty());
  }
}

TEST_CASE("ParseDockerConfig rejects malformed configs without echoing secrets") {
  struct Case {
    std::string text, message_part;
  };
  const Case cases[] = {
      {R"({"auths": {"r": {"auth": "s3cr3t-value"}}})", "auths.\"r\".auth: not valid base64"},
      {R"({"auths": {"r": {"auth": "bm9jb2xvbg=="}}})", "auths.\"r\".auth: expected base64"},
      {R"({"auths": {"r": {"auth": "OnB3"}}})", "auths.\"r\".auth: expected base64"},
      {R"({"auths": {"r": {"auth": 12}}})", "auths.\"r\".auth: expected a string"},
      {R"({"auths": {"r": {"password": ["s3cr3t-value"]}}})", "auths.\"r\".password"},
      {R"({"auths": {"r": "s3cr3t-value"}})", "auths.\"r\": expected an object"},
      {R"({"auths": []})", "auths: expected an object"},
      {R"({"credsStore": 1})", "credsStore: expected a string"},
      {R"({"credHelpers": {"gcr.io": 1}})", "credHelpers.\"gcr.io\": expected a string"},
      {R"({"credHelpers": "gcloud"})", "credHelpers: expected an object"},
      {R"(["s3cr3t-value"])", "expected a JSON object"},
      {R"({"auths": {"r": {"auth": "s3cr3t-value)", "invalid JSON"},
      {R"({"auths": {"r": {"auth": "s3cr3t-value"}}, "credsStore": 1e400})",
       "invalid JSON (a number is out of range)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<DockerConfig> got = ParseDockerConfig(c.text);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find(c.message_part) != std::string::npos);
    CHECK(got.status().message().find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("DockerConfigKey and ConfigKeyHostname") {
  struct Case {
    std::string in, key;
  };
  const Case keys[] = {
      {"docker.io", "https://index.docker.io/v1/"},
      {"index.docker.io", "https://index.docker.io/v1/"},
      {"registry-1.docker.io", "https://index.docker.io/v1/"},
      {"ghcr.io", "ghcr.io"},
      {"localhost:5000", "localhost:5000"},
  };
  for (const Case& c : keys) {
    CAPTURE(c.in);
    CHECK(DockerConfigKey(c.in) == c.key);
  }
  const Case hosts[] = {
      {"https://index.docker.io/v1/", "index.docker.io"},
      {"http://myreg:5000", "myreg:5000"},
      {"HTTPS://myreg:5000/v2/", "myreg:5000"},
      {"myreg:5000/v1/", "myreg:5000"},
      {"ghcr.io", "ghcr.io"},
  };
  for (const Case& c : hosts) {
    CAPTURE(c.in);
    CHECK(ConfigKeyHostname(c.in) == c.key);
  }
}

TEST_CASE("FindAuth matches keys the way docker does") {
  struct Case {
    std::string name;
    std::string auths_json;  // the "auths" object
    std::string domain;
    std::optional<std::string> username;  // nullopt: no credentials
  };
  const Case cases[] = {
      {"hub canonical key", R"({"https://index.docker.io/v1/":{"username":"a","password":"p"}})",
       "docker.io", "a"},
      {"hub bare index key", R"({"index.docker.io":{"username":"a","password":"p"}})", "docker.io",
       "a"},
      {"hub docker.io key", R"({"docker.io":{"username":"a","password":"p"}})", "docker.io", "a"},
      {"hub registry-1 key", R"({"https://registry-1.docker.io":{"username":"a","password":"p"}})",
       "docker.io", "a"},
      {"hub alias domain", R"({"https://index.docker.io/v1/":{"username":"a","password":"p"}})",
       "index.docker.io", "a"},
      {"canonical key preferred",
       R"({"docker.io":{"username":"b","password":"p"},"https://index.docker.io/v1/":{"username":"a","password":"p"}})",
       "docker.io", "a"},
      {"scheme and path stripped", R"({"https://myreg:5000/v1/":{"username":"a","password":"p"}})",
       "myreg:5000", "a"},
      {"http scheme stripped", R"({"http://myreg:5000":{"username":"a","password":"p"}})",
       "myreg:5000", "a"},
      {"exact domain preferred",
       R"({"https://myreg:5000":{"username":"b","password":"p"},"myreg:5000":{"username":"a","password":"p"}})",
       "myreg:5000", "a"},
      {"case-insensitive host", R"({"MyReg.Example":{"username":"a","password":"p"}})",
       "myreg.example", "a"},
      {"port must match", R"({"myreg:5000":{"username":"a","password":"p"}})", "myreg",
       std::nullopt},
      {"other registry", R"({"ghcr.io":{"username":"a","password":"p"}})", "docker.io",
       std::nullopt},
      {"hub key not for others", R"({"https://index.docker.io/v1/":{"username":"a"}})", "ghcr.io",
       std::nullopt},
      {"empty entry skipped", R"({"ghcr.io":{}})", "ghcr.io", std::nullopt},
      {"empty entry skipped for a later match",
       R"({"ghcr.io":{},"https://ghcr.io":{"username":"a","password":"p"}})", "ghcr.io", "a"},
      {"identity token only", R"({"ghcr.io":{"identitytoken":"t"}})", "ghcr.io", ""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      DockerConfig config = MustParse(R"({"auths":)" + c.auths_json + "}");
      std::optional<AuthEntry> got = FindAuth(config, c.domain);
      REQUIRE(got.has_value() == c.username.has_value());
      if (got) CHECK(got->username == *c.username);
    }
  }
}

TEST_CASE("MatchingAuthKeys lists every matching key, best first") {
  DockerConfig config = MustParse(
      R"({"auths":{"docker.io":{},"https://index.docker.io/v1/":{},"index.docker.io":{},"ghcr.io":{}}})");
  CHECK(MatchingAuthKeys(config, "docker.io") ==
        std::vector<std::string>{"https://index.docker.io/v1/", "docker.io", "index.docker.io"});
  CHECK(MatchingAuthKeys(config, "ghcr.io") == std::vector<std::string>{"ghcr.io"});
  CHECK(MatchingAuthKeys(config, "quay.io").empty());
}

TEST_CASE("CredentialHelperFor") {
  struct Case {
    std::string config, domain, want;
  };
  const Case cases[] = {
      {R"({"credsStore":"desktop"})", "ghcr.io", "desktop"},
      {R"({"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}})", "gcr.io", "gcloud"},
      {R"({"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}})", "ghcr.io", "desktop"},
      {R"({"credHelpers":{"https://index.docker.io/v1/":"pass"}})", "docker.io", "pass"},
      {R"({"credHelpers":{"docker.io":"pass"}})", "docker.io", "pass"},
      {R"({"credHelpers":{"index.docker.io":"pass"}})", "docker.io", "pass"},
      {R"({"credHelpers":{"https://myreg:5000":"secretservice"}})", "myreg:5000", "secretservice"},
      {R"({"credHelpers":{"gcr.io":"gcloud"}})", "ghcr.io", ""},
      {"{}", "docker.io", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.config);
    CAPTURE(c.domain);
    CHECK(CredentialHelperFor(MustParse(c.config), c.domain) == c.want);
  }
}

TEST_CASE("ConfigWithAuth sets one entry and keeps the rest") {
  struct Case {
    std::string name, input, domain, want;
  };
  const Case cases[] = {
      {"new file", "", "localhost:5000",
       "{\n\t\"auths\": {\n\t\t\"localhost:5000\": {\n\t\t\t\"auth\": \"Ym9iOnNlY3JldA==\"\n\t\t}\n"
       "\t}\n}"},
      {"docker hub key", "{}", "docker.io",
       "{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": "
       "\"Ym9iOnNlY3JldA==\"\n\t\t}\n\t}\n}"},
      {"keeps other fields in order",
       R"({"psFormat":"x","auths":{"ghcr.io":{"auth":"b2xkOm9sZA=="}},"credsStore":"desktop"})",
       "localhost:5000",
       "{\n\t\"psFormat\": \"x\",\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"auth\": "
       "\"b2xkOm9sZA==\"\n\t\t},\n\t\t\"localhost:5000\": {\n\t\t\t\"auth\": "
       "\"Ym9iOnNlY3JldA==\"\n\t\t}\n\t},\n\t\"credsStore\": \"desktop\"\n}"},
      {"replaces credentials, drops identitytoken, keeps email",
       R"({"auths":{"ghcr.io":{"identitytoken":"t","username":"u","password":"p","email":"e"}}})",
       "ghcr.io",
       "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"email\": \"e\",\n\t\t\t\"auth\": "
       "\"Ym9iOnNlY3JldA==\"\n\t\t}\n\t}\n}"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      Result<std::string> got = ConfigWithAuth(c.input, c.domain, "bob", "secret");
      REQUIRE_MESSAGE(got.ok(), got.status().ToString());
      CHECK(*got == c.want);
      std::optional<AuthEntry> entry = FindAuth(MustParse(*got), c.domain);
      REQUIRE(entry.has_value());
      CHECK(entry->username == "bob");
      CHECK(entry->password == "secret");
      CHECK(entry->identity_token.empty());
    }
  }
}

TEST_CASE("ConfigWithAuth round-trips passwords with colons and unicode") {
  Result<std::string> got = ConfigWithAuth("", "r.example", "user", "p:ä:ss");
  REQUIRE(got.ok());
  std::optional<AuthEntry> entry = FindAuth(MustParse(*got), "r.example");
  REQUIRE(entry.has_value());
  CHECK(entry->password == "p:ä:ss");
}

TEST_CASE("ConfigWithAuth and ConfigWithoutAuth reject bad input") {
  struct Case {
    std::string input, username, password, message_part;
  };
  const Case cases[] = {
      {"", "", "pw", "username must not be empty"},
      {"", "a:b", "pw", "must not contain ':'"},
      {"", "u", "", "password must not be empty"},
      {"[]", "u", "pw", "expected a JSON object"},
      {R"({"auths":[]})", "u", "pw", "auths: expected an object"},
      {R"({"auths":)", "u", "pw", "invalid JSON"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<std::string> got = ConfigWithAuth(c.input, "r.example", c.username, c.password);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find(c.message_part) != std::string::npos);
  }
  for (const char* input : {"[]", R"({"auths":"x"})", "{"}) {
    CAPTURE(input);
    Result<std::string> got = ConfigWithoutAuth(input, "r.example");
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("ConfigWithoutAuth removes every matching key") {
  struct Case {
    std::string name, input, domain;
    std::vector<std::string> remaining_auths;
  };
  const Case cases[] = {
      {"hub aliases",
       R"({"auths":{"https://index.docker.io/v1/":{},"docker.io":{},"ghcr.io":{}}})",
       "docker.io",
       {"ghcr.io"}},
      {"scheme forms",
       R"({"auths":{"myreg:5000":{},"http://myreg:5000":{},"https://myreg:5000/v1/":{},"myreg:5001":{}}})",
       "myreg:5000",
       {"myreg:5001"}},
      {"nothing to remove", R"({"auths":{"ghcr.io":{}}})", "quay.io", {"ghcr.io"}},
      {"new file", "", "quay.io", {}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      Result<std::string> got = ConfigWithoutAuth(c.input, c.domain);
      REQUIRE_MESSAGE(got.ok(), got.status().ToString());
      nlohmann::ordered_json doc = nlohmann::ordered_json::parse(*got);
      std::vector<std::string> keys;
      for (const auto& [key, value] : doc["auths"].items()) keys.push_back(key);
      CHECK(keys == c.remaining_auths);
    }
  }
}

TEST_CASE("ConfigWithoutAuth keeps other fields") {
  Result<std::string> got = ConfigWithoutAuth(
      R"({"credsStore":"desktop","auths":{"ghcr.io":{"auth":"Ym9iOnNlY3JldA=="}},"x":[1,{"y":null}]})",
      "ghcr.io");
  REQUIRE(got.ok());
  CHECK(*got ==
        "{\n\t\"credsStore\": \"desktop\",\n\t\"auths\": {},\n\t\"x\": [\n\t\t1,\n\t\t{\n"
        "\t\t\t\"y\": null\n\t\t}\n\t]\n}");
}

TEST_CASE("ParseCredentialHelperOutput") {
  struct Case {
    std::string text, username, password, identity_token;
  };
  const Case cases[] = {
      {R"({"ServerURL":"ghcr.io","Username":"octo","Secret":"pw"})", "octo", "pw", ""},
      {R"({"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"rt"})", "", "",
       "rt"},
      {R"({"Username":"u","Secret":"p:w","Extra":1})", "u", "p:w", ""},
      {R"({"ServerURL":"x"})", "", "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<AuthEntry> got = ParseCredentialHelperOutput(c.text);
    REQUIRE_MESSAGE(got.ok(), got.status().ToString());
    CHECK(got->username == c.username);
    CHECK(got->password == c.password);
    CHECK(got->identity_token == c.identity_token);
  }
  for (const char* bad : {"", "credentials not found in native keychain", "[]",
                          R"({"Username":"u","Secret":5})", R"({"Username":null,"Secret":{}})"}) {
    CAPTURE(bad);
    Result<AuthEntry> got = ParseCredentialHelperOutput(bad);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kProtocol);
    CHECK(got.status().message().find("credential helper") != std::string::npos);
  }
}

}  // namespace
}  // namespace regdigest
