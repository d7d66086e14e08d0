#include <doctest/doctest.h>

#include <string>

#include "common/registry/registry_error.h"

namespace regdigest {
namespace {

TEST_CASE("RegistryErrorStatus maps status and codes") {
  struct Case {
    std::string name;
    int http_status;
    std::string body;
    StatusCode code;
    std::string message;  // exact
  };
  const std::string what = "127.0.0.1:5000/app:v9";
  const Case cases[] = {
      {"manifest unknown", 404,
       R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v9"}}]})",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: manifest unknown (MANIFEST_UNKNOWN)"},
      {"name unknown", 404,
       R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"app"}}]})",
       StatusCode::kNotFound,
       "127.0.0.1:5000/app:v9: repository name not known to registry (NAME_UNKNOWN)"},
      {"blob unknown", 404,
       R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]})",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: blob unknown to registry (BLOB_UNKNOWN)"},
      {"404 HEAD (empty body)", 404, "", StatusCode::kNotFound,
       "127.0.0.1:5000/app:v9: HTTP 404 Not Found"},
      {"404 plain text", 404, "404 page not found\n", StatusCode::kNotFound,
       "127.0.0.1:5000/app:v9: HTTP 404 Not Found: 404 page not found"},
      {"unauthorized", 401,
       R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Name":"app","Action":"pull"}]}]})",
       StatusCode::kUnauthorized, "127.0.0.1:5000/app:v9: authentication required (UNAUTHORIZED)"},
      {"401 HEAD", 401, "", StatusCode::kUnauthorized,
       "127.0.0.1:5000/app:v9: HTTP 401 Unauthorized"},
      {"denied", 403,
       R"({"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]})",
       StatusCode::kUnauthorized,
       "127.0.0.1:5000/app:v9: denied: requested access to the resource is denied (DENIED)"},
      {"403 HEAD", 403, "", StatusCode::kUnauthorized,
       "127.0.0.1:5000/app:v9: denied: HTTP 403 Forbidden"},
      {"hub: 401 for a missing repository", 401,
       R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
       StatusCode::kUnauthorized, "127.0.0.1:5000/app:v9: authentication required (UNAUTHORIZED)"},
      {"code wins over status", 400,
       R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: manifest unknown (MANIFEST_UNKNOWN)"},
      {"rate limited", 429,
       R"({"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]})",
       StatusCode::kRateLimited,
       "127.0.0.1:5000/app:v9: You have reached your pull rate limit. (TOOMANYREQUESTS)"},
      {"429 HEAD", 429, "", StatusCode::kRateLimited,
       "127.0.0.1:5000/app:v9: HTTP 429 Too Many Requests"},
      {"TOOMANYREQUESTS code with another status", 403,
       R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})", StatusCode::kRateLimited,
       "127.0.0.1:5000/app:v9: slow down (TOOMANYREQUESTS)"},
      {"429 wins over other codes", 429, R"({"errors":[{"code":"DENIED","message":"no"}]})",
       StatusCode::kRateLimited, "127.0.0.1:5000/app:v9: no (DENIED)"},
      {"500 HTML", 500, "<html><body>oops</body></html>", StatusCode::kTransport,
       "127.0.0.1:5000/app:v9: HTTP 500 Internal Server Error"},
      {"502 empty", 502, "", StatusCode::kTransport, "127.0.0.1:5000/app:v9: HTTP 502 Bad Gateway"},
      {"unknown status", 599, "", StatusCode::kTransport, "127.0.0.1:5000/app:v9: HTTP 599"},
      {"other registry code", 400,
       R"({"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid","detail":"bad layer"}]})",
       StatusCode::kTransport,
       "127.0.0.1:5000/app:v9: manifest invalid: bad layer (MANIFEST_INVALID) [HTTP 400 Bad "
       "Request]"},
      {"several errors", 404,
       R"({"errors":[{"code":"NAME_UNKNOWN","message":"a"},{"code":"MANIFEST_UNKNOWN","message":"b"}]})",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: a (NAME_UNKNOWN); b (MANIFEST_UNKNOWN)"},
      {"code without message", 404, R"({"errors":[{"code":"MANIFEST_UNKNOWN"}]})",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: MANIFEST_UNKNOWN"},
      {"message without code", 404, R"({"errors":[{"message":"gone"}]})", StatusCode::kNotFound,
       "127.0.0.1:5000/app:v9: gone"},
      {"JSON without errors", 404, R"({"error":"x"})", StatusCode::kNotFound,
       "127.0.0.1:5000/app:v9: HTTP 404 Not Found"},
      {"malformed errors array", 500, R"({"errors":"boom"})", StatusCode::kTransport,
       "127.0.0.1:5000/app:v9: HTTP 500 Internal Server Error"},
      {"control characters stripped", 404,
       "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"bad\\u001b[31m\\nthing\"}]}",
       StatusCode::kNotFound, "127.0.0.1:5000/app:v9: bad [31m thing (MANIFEST_UNKNOWN)"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      Status st = RegistryErrorStatus(c.http_status, c.body, what);
      CHECK(st.code() == c.code);
      CHECK(st.message() == c.message);
    }
  }
}

TEST_CASE("RegistryErrorStatus sets the detail: HTTP status, first registry code, retryable") {
  struct Case {
    const char* name;
    int http_status;
    std::string body;
    std::string registry_code;
    bool retryable;
    std::string messages;  // RegistryErrorMessages(body)
  };
  const Case cases[] = {
      {"MANIFEST_UNKNOWN", 404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"gone"}]})",
       "MANIFEST_UNKNOWN", false, "gone (MANIFEST_UNKNOWN)"},
      {"first of two codes", 404,
       R"({"errors":[{"code":"NAME_UNKNOWN","message":"a"},{"code":"MANIFEST_UNKNOWN"}]})",
       "NAME_UNKNOWN", false, "a (NAME_UNKNOWN); MANIFEST_UNKNOWN"},
      {"first error has no code", 403, R"({"errors":[{"message":"no"},{"code":"DENIED"}]})",
       "DENIED", false, "no; DENIED"},
      {"DENIED", 403, R"({"errors":[{"code":"DENIED","message":"no"}]})", "DENIED", false,
       "no (DENIED)"},
      {"UNAUTHORIZED", 401, R"({"errors":[{"code":"UNAUTHORIZED","message":"auth"}]})",
       "UNAUTHORIZED", false, "auth (UNAUTHORIZED)"},
      {"TOOMANYREQUESTS on 429", 429, R"({"errors":[{"code":"TOOMANYREQUESTS"}]})",
       "TOOMANYREQUESTS", true, "TOOMANYREQUESTS"},
      {"HEAD 429, no body", 429, "", "", true, ""},
      {"502", 502, "", "", true, ""},
      {"503 with a plain-text body", 503, "upstream down\n", "", true, ""},
      {"504 HTML", 504, "<html>x</html>", "", true, ""},
      {"500 is not retryable", 500, R"({"errors":[{"code":"UNKNOWN"}]})", "UNKNOWN", false,
       "UNKNOWN"},
      {"400 is not retryable", 400, R"({"errors":[{"code":"MANIFEST_INVALID","message":"bad"}]})",
       "MANIFEST_INVALID", false, "bad (MANIFEST_INVALID)"},
      {"code that is not a string", 404, R"({"errors":[{"code":7,"message":"odd"}]})", "", false,
       "odd"},
      {"not JSON", 404, "{", "", false, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Status st = RegistryErrorStatus(c.http_status, c.body, "r/app:v1");
    CHECK(st.http_status() == c.http_status);
    CHECK(st.registry_code() == c.registry_code);
    CHECK(st.retryable() == c.retryable);
    CHECK(st.WithContext("more").registry_code() == c.registry_code);  // kept with context
    CHECK(RegistryErrorMessages(c.body) == c.messages);
  }
}

TEST_CASE("RegistryErrorStatus truncates long registry text") {
  std::string body =
      R"({"errors":[{"code":"DENIED","message":")" + std::string(5000, 'x') + "\"}]}";
  Status st = RegistryErrorStatus(403, body, "r/app:v1");
  CHECK(st.code() == StatusCode::kUnauthorized);
  CHECK(st.message().size() < 400);
  CHECK(st.message().rfind("r/app:v1: denied: xxx", 0) == 0);
}

TEST_CASE("RegistryErrorStatus escapes C1 controls and bidi overrides in registry text") {
  // U+0085 (NEL, C1) and U+202E (right-to-left override), both as UTF-8.
  std::string body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\u0085pe\u202e\"}]}";
  Status st = RegistryErrorStatus(403, body, "r/app:v1");
  CHECK(st.message().find("\xc2\x85") == std::string::npos);
  CHECK(st.message().find("\xe2\x80\xae") == std::string::npos);
  CHECK(st.message().find("no\\xc2\\x85pe") != std::string::npos);
  CHECK(st.message().find("\\xe2\\x80\\xae") != std::string::npos);
}

TEST_CASE("RegistryErrorStatus caps the number of joined registry errors") {
  std::string body = R"({"errors":[)";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) body += ",";
    body += R"({"code":"DENIED","message":"err)" + std::to_string(i) + "\"}";
  }
  body += "]}";
  Status st = RegistryErrorStatus(403, body, "r/app:v1");
  CHECK(st.message().find("err4 (DENIED)") != std::string::npos);
  CHECK(st.message().find("err5") == std::string::npos);
  CHECK(st.message().find("and 995 more") != std::string::npos);
  CHECK(st.message().size() < 400);
}

TEST_CASE("HttpReasonPhrase") {
  struct Case {
    int status;
    std::string phrase;
  };
  const Case cases[] = {
      {404, "Not Found"}, {500, "Internal Server Error"}, {429, "Too Many Requests"}, {418, ""}};
  for (const Case& c : cases) {
    CAPTURE(c.status);
    CHECK(HttpReasonPhrase(c.status) == c.phrase);
  }
}

}  // namespace
}  // namespace regdigest
