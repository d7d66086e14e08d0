#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "common/auth/challenge.h"

namespace regdigest {
namespace {

using Params = std::map<std::string, std::string>;

struct Expected {
  Expected(std::string s, Params p, std::string t = "")
      : scheme(std::move(s)), params(std::move(p)), token68(std::move(t)) {}
  std::string scheme;
  Params params;
  std::string token68;
};

TEST_CASE("ParseChallenges parses legal headers") {
  struct Case {
    std::string name;
    std::vector<std::string> headers;
    std::vector<Expected> want;
  };
  const Case cases[] = {
      {"docker hub",
       {R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull")"},
       {{"bearer",
         {{"realm", "https://auth.docker.io/token"},
          {"service", "registry.docker.io"},
          {"scope", "repository:library/ubuntu:pull"}}}}},
      {"ghcr",
       {R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull")"},
       {{"bearer",
         {{"realm", "https://ghcr.io/token"},
          {"service", "ghcr.io"},
          {"scope", "repository:user/image:pull"}}}}},
      {"quay",
       {R"(Bearer realm="https://quay.io/v2/auth",service="quay.io")"},
       {{"bearer", {{"realm", "https://quay.io/v2/auth"}, {"service", "quay.io"}}}}},
      {"insufficient scope",
       {R"(Bearer realm="https://r.example/token",service="r.example",scope="repository:a:pull,push",error="insufficient_scope")"},
       {{"bearer",
         {{"realm", "https://r.example/token"},
          {"service", "r.example"},
          {"scope", "repository:a:pull,push"},
          {"error", "insufficient_scope"}}}}},
      {"several scopes",
       {R"(Bearer realm="https://r/t",scope="repository:a:pull repository:b:pull")"},
       {{"bearer", {{"realm", "https://r/t"}, {"scope", "repository:a:pull repository:b:pull"}}}}},
      {"missing service",
       {R"(Bearer realm="http://127.0.0.1:5001/token")"},
       {{"bearer", {{"realm", "http://127.0.0.1:5001/token"}}}}},
      {"basic", {R"(Basic realm="Registry Realm")"}, {{"basic", {{"realm", "Registry Realm"}}}}},
      {"two challenges in one header",
       {R"(Basic realm="x", Bearer realm="y",service="z")"},
       {{"basic", {{"realm", "x"}}}, {"bearer", {{"realm", "y"}, {"service", "z"}}}}},
      {"two headers",
       {R"(Basic realm="x")", R"(Bearer realm="y")"},
       {{"basic", {{"realm", "x"}}}, {"bearer", {{"realm", "y"}}}}},
      {"rfc 7235 example",
       {R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")"},
       {{"newauth", {{"realm", "apps"}, {"type", "1"}, {"title", "Login to \"apps\""}}},
        {"basic", {{"realm", "simple"}}}}},
      {"escapes and commas in quotes",
       {R"(Bearer realm="a\\b,c\d", service="x, y")"},
       {{"bearer", {{"realm", "a\\b,cd"}, {"service", "x, y"}}}}},
      {"case-insensitive scheme and keys",
       {R"(BEARER Realm="R",SERVICE="S")"},
       {{"bearer", {{"realm", "R"}, {"service", "S"}}}}},
      {"unquoted values (lenient)",
       {"Bearer realm=https://auth.example.com/token,service=example.com"},
       {{"bearer", {{"realm", "https://auth.example.com/token"}, {"service", "example.com"}}}}},
      {"extra whitespace",
       {"  Bearer   realm = \"r\" ,\t service =\"s\"  ,  "},
       {{"bearer", {{"realm", "r"}, {"service", "s"}}}}},
      {"empty list elements",
       {R"(, Basic realm="x",, ,Bearer realm="y",,service="z")"},
       {{"basic", {{"realm", "x"}}}, {"bearer", {{"realm", "y"}, {"service", "z"}}}}},
      {"empty quoted value", {R"(Bearer realm="")"}, {{"bearer", {{"realm", ""}}}}},
      {"duplicate param: first wins",
       {R"(Bearer realm="a", realm="b")"},
       {{"bearer", {{"realm", "a"}}}}},
      {"scheme only", {"Negotiate"}, {{"negotiate", {}}}},
      {"schemes only", {"Negotiate, NTLM"}, {{"negotiate", {}}, {"ntlm", {}}}},
      {"token68",
       {"Negotiate YIIGhgYGKwYBBQUCoII=="},
       {{"negotiate", {}, "YIIGhgYGKwYBBQUCoII=="}}},
      {"token68 then another challenge",
       {R"(Negotiate abc/+.~_-, Basic realm="x")"},
       {{"negotiate", {}, "abc/+.~_-"}, {"basic", {{"realm", "x"}}}}},
      {"bare word after scheme is token68", {"Bearer realm"}, {{"bearer", {}, "realm"}}},
      {"no headers", {}, {}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      Result<std::vector<Challenge>> got = ParseChallenges(c.headers);
      REQUIRE_MESSAGE(got.ok(), got.status().ToString());
      REQUIRE(got->size() == c.want.size());
      for (size_t i = 0; i < c.want.size(); ++i) {
        CAPTURE(i);
        CHECK((*got)[i].scheme == c.want[i].scheme);
        CHECK((*got)[i].params == c.want[i].params);
        CHECK((*got)[i].token68 == c.want[i].token68);
      }
    }
  }
}

TEST_CASE("ParseChallenges rejects malformed headers") {
  struct Case {
    std::string header;
    std::string message_part;
  };
  const Case cases[] = {
      {"", "empty header"},
      {" , ,", "empty header"},
      {R"(Bearer realm="unterminated)", "unterminated quoted string"},
      {R"(Bearer realm="trailing\)", "trailing backslash"},
      {R"(realm="x")", "missing auth scheme"},
      {R"(Bearer realm="x" service="y")", "expected ','"},
      {R"(Bearer realm="x", service=)", "missing parameter value"},
      {R"(Bearer realm=, service="y")", "expected a parameter value"},
      {R"("Bearer" realm="x")", "expected an auth scheme"},
      {R"(Bearer realm="x"; service="y")", "expected ','"},
      {R"(Bearer @realm="x")", "expected a parameter name"},
      {"Bearer realm=\"x\"\x01", "expected ','"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    Result<std::vector<Challenge>> got = ParseChallenges({c.header});
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find(c.message_part) != std::string::npos);
    CHECK(got.status().message().find("WWW-Authenticate") != std::string::npos);
  }
}

TEST_CASE("ParseChallenges fails when any header is malformed") {
  Result<std::vector<Challenge>> got =
      ParseChallenges({R"(Bearer realm="ok")", R"(Basic realm="broken)"});
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("Challenge::Param and FindChallenge are case-insensitive") {
  Result<std::vector<Challenge>> got =
      ParseChallenges({R"(Basic realm="b", Bearer realm="r",Service="s")"});
  REQUIRE(got.ok());
  struct Case {
    std::string scheme, key, want;
    bool found;
  };
  const Case cases[] = {
      {"bearer", "realm", "r", true},   {"Bearer", "REALM", "r", true},
      {"BEARER", "service", "s", true}, {"bearer", "scope", "", true},
      {"basic", "Realm", "b", true},    {"digest", "realm", "", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.scheme);
    CAPTURE(c.key);
    const Challenge* ch = FindChallenge(*got, c.scheme);
    REQUIRE((ch != nullptr) == c.found);
    if (ch) CHECK(ch->Param(c.key) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
