// FakeRegistryWorld: an in-process registry (https://registry.test) and
// Docker-style token server (the realm's host) behind one Transport, for
// unit tests of the auth layer. It records every request it sees and behaves
// like docker/distribution: Bearer challenges with service and scope,
// error="invalid_token" for an expired or unknown token and
// error="insufficient_scope" for a token without the needed access.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "client/auth/token_cache.h"
#include "client/http/http.h"
#include "common/base/base64.h"
#include "common/base/url.h"

namespace regdigest::testing {

inline const std::string kRegistry = "https://registry.test";
inline const std::string kRealm = "https://auth.test/token";

struct FakeConfig {
  std::string scheme = "bearer";  // what the registry demands: "bearer", "basic" or "none"
  std::string realm = kRealm;
  std::string challenge;  // non-empty: the raw WWW-Authenticate value of every 401
  std::string user = "alice", password = "s3cret", identity_token = "id-t0ken";
  bool anonymous_pull = true;                // the token server grants pull without credentials
  bool access_token_only = false;            // answer {"access_token": ...}
  std::set<std::string> denied;              // repositories no token ever grants
  bool multi_scope = true;                   // false: 400 to more than one scope parameter
  bool first_scope_only = false;             // grant only the first scope of a request
  std::chrono::seconds token_lifetime{300};  // how long the registry accepts a token
  int expires_in = 300;                      // what the token server tells the client
  int valid_tokens = 1 << 30;                // the registry accepts only the first N tokens
};

// Tokens are "tok1", "tok2"... and grant the scopes asked for (minus denied
// repositories). Paths: /v2/<repo>/... needs pull on <repo>; "?from=<other>"
// also needs pull on <other>; /v2/moved/... answers as if redirected to
// another origin (https://cdn.test) that challenges.
class FakeRegistryWorld : public Transport {
 public:
  using Clock = TokenCache::Clock;

  FakeRegistryWorld(FakeConfig config, const Clock::time_point* now)
      : config_(std::move(config)), now_(now) {}

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    Result<Url> url = Url::Parse(request.url);
    if (!url.ok()) return url.status();
    HttpResponse response;
    response.url = request.url;
    if (url->host == Url::Parse(config_.realm)->host) {
      TokenEndpoint(request, response);
    } else {
      RegistryEndpoint(*url, request, response);
    }
    return response;
  }

  void RevokeTokens() {
    std::lock_guard lock(mu_);
    tokens_.clear();
  }

  // One line per request: "METHOD url authorization [body]", Basic decoded.
  std::vector<std::string> Log() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> lines;
    for (const HttpRequest& r : requests) {
      std::string auth = r.headers.Get("Authorization").value_or("-");
      if (auth.starts_with("Basic ")) auth = "Basic " + Base64Decode(auth.substr(6)).value();
      lines.push_back(r.method + " " + r.url + " " + auth + (r.body.empty() ? "" : " " + r.body));
    }
    return lines;
  }

  std::vector<HttpRequest> requests;

 private:
  struct Grant {
    std::set<std::string> scopes;
    Clock::time_point expires;
  };

  void TokenEndpoint(const HttpRequest& request, HttpResponse& response) {
    std::string query =
        request.method == "POST" ? request.body : Url::Parse(request.url)->path_and_query;
    query = query.substr(query.find('?') + 1);
    bool authenticated = false;
    std::vector<std::string> scopes;
    for (const auto& [name, value] : Params(query)) {
      if (name == "refresh_token") {
        if (value != config_.identity_token) return Fail(response, 401);
        authenticated = true;
      }
      if (name == "scope") {
        if (!scopes.empty() && !config_.multi_scope) return Fail(response, 400);
        for (size_t s = 0, e; s < value.size(); s = e + 1) {
          e = std::min(value.find(' ', s), value.size());
          scopes.push_back(value.substr(s, e - s));
        }
      }
    }
    if (auto auth = request.headers.Get("Authorization")) {
      if (*auth != "Basic " + Base64Encode(config_.user + ":" + config_.password)) {
        return Fail(response, 401);
      }
      authenticated = true;
    }
    if (!authenticated && !config_.anonymous_pull) return Fail(response, 401);
    if (config_.first_scope_only && scopes.size() > 1) scopes.resize(1);
    std::erase_if(scopes, [&](const std::string& s) { return config_.denied.contains(Repo(s)); });
    std::string token = "tok" + std::to_string(++issued_);
    if (issued_ <= config_.valid_tokens) {
      tokens_[token] = Grant{{scopes.begin(), scopes.end()}, *now_ + config_.token_lifetime};
    }
    response.status = 200;
    response.body =
        std::string(config_.access_token_only ? R"({"access_token":")" : R"({"token":")") + token +
        R"(","expires_in":)" + std::to_string(config_.expires_in) + "}";
  }

  void RegistryEndpoint(const Url& url, const HttpRequest& request, HttpResponse& response) {
    if (url.path_and_query.starts_with("/v2/moved/")) {  // as if redirected elsewhere
      response.url = "https://cdn.test/blob";
      response.status = 401;
      response.headers.Add("WWW-Authenticate", R"(Bearer realm="https://cdn.test/token")");
      return;
    }
    std::string path = url.path_and_query.substr(4);
    std::set<std::string> needed = {"repository:" + path.substr(0, path.find('/')) + ":pull"};
    if (size_t from = path.find("?from="); from != std::string::npos) {
      needed.insert("repository:" + path.substr(from + 6) + ":pull");
    }
    std::string auth = request.headers.Get("Authorization").value_or("");
    std::string challenge;
    if (config_.scheme == "none") {
      response.status = 200;
    } else if (config_.scheme == "basic") {
      bool ok = auth == "Basic " + Base64Encode(config_.user + ":" + config_.password);
      response.status = ok ? 200 : 401;
      challenge = R"(Basic realm="fake")";
    } else {
      challenge = "Bearer realm=\"" + config_.realm + "\",service=\"registry.test\",scope=\"" +
                  Join(needed) + "\"";
      auto grant = auth.starts_with("Bearer ") ? tokens_.find(auth.substr(7)) : tokens_.end();
      if (grant == tokens_.end() || *now_ >= grant->second.expires) {
        response.status = 401;
        if (!auth.empty()) challenge += ",error=\"invalid_token\"";
      } else if (!std::includes(grant->second.scopes.begin(), grant->second.scopes.end(),
                                needed.begin(), needed.end())) {
        response.status = 401;
        challenge += ",error=\"insufficient_scope\"";
      } else {
        response.status = 200;
      }
    }
    if (response.status == 401) {
      response.headers.Add("WWW-Authenticate",
                           config_.challenge.empty() ? challenge : config_.challenge);
    }
  }

  static void Fail(HttpResponse& response, int status) { response.status = status; }
  static std::string Repo(const std::string& scope) {
    return scope.substr(scope.find(':') + 1, scope.rfind(':') - scope.find(':') - 1);
  }
  static std::string Join(const std::set<std::string>& scopes) {
    std::string out;
    for (const std::string& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
  }
  static std::vector<std::pair<std::string, std::string>> Params(const std::string& query) {
    std::vector<std::pair<std::string, std::string>> params;
    for (size_t start = 0; start <= query.size();) {
      size_t end = std::min(query.find('&', start), query.size());
      std::string pair = query.substr(start, end - start);
      size_t eq = pair.find('=');
      params.emplace_back(pair.substr(0, eq), Decode(pair.substr(eq + 1)));
      start = end + 1;
    }
    return params;
  }
  static std::string Decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  FakeConfig config_;
  const Clock::time_point* now_;
  mutable std::mutex mu_;
  std::map<std::string, Grant> tokens_;
  int issued_ = 0;
};

// Expected log lines (see FakeRegistryWorld::Log).
inline std::string Line(const std::string& url, const std::string& auth) {
  return "GET " + url + " " + auth;
}
inline std::string Manifest(const std::string& repo, const std::string& tag,
                            const std::string& auth) {
  return Line(kRegistry + "/v2/" + repo + "/manifests/" + tag, auth);
}
inline std::string TokenGet(const std::string& query, const std::string& auth = "-") {
  return Line(kRealm + "?service=registry.test&" + query, auth);
}
inline std::string ScopeParam(const std::string& repo) {
  return "scope=repository%3A" + repo + "%3Apull";
}

}  // namespace regdigest::testing
