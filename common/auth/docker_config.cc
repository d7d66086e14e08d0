#include "common/auth/docker_config.h"

#include <nlohmann/json.hpp>

#include "common/base/ascii.h"
#include "common/base/base64.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view kHubKey = "https://index.docker.io/v1/";
constexpr std::string_view kTokenUsername = "<token>";

bool IsHubHost(std::string_view host) {
  std::string h = AsciiLower(host);
  return h == "docker.io" || h == "index.docker.io" || h == "registry-1.docker.io";
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status Invalid(std::string what) {
  return Status(StatusCode::kInvalidArgument, "docker config: " + std::move(what));
}

// Parses JSON text without ever echoing its content (it holds credentials).
template <typename Json>
Result<Json> ParseJson(std::string_view text, StatusCode code, std::string_view context) {
  if (IsBlank(text)) return Json::object();
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status(code,
                  std::string(context) + ": invalid JSON near byte " + std::to_string(e.byte));
  } catch (const nlohmann::json::exception&) {
    // A number out of range ("1e400") throws out_of_range while parsing.
    return Status(code, std::string(context) + ": invalid JSON (a number is out of range)");
  }
}

// Reads an optional string member; absent or null leaves `out` unchanged.
template <typename Json>
Status ReadString(const Json& obj, const char* key, const std::string& path, std::string& out,
                  StatusCode code = StatusCode::kInvalidArgument) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) {
    return Status(code, path + (path.empty() ? "" : ".") + key + ": expected a string");
  }
  out = it->template get<std::string>();
  return Status::Ok();
}

Result<AuthEntry> ParseAuthEntry(const json& value, const std::string& path) {
  AuthEntry entry;
  if (value.is_null()) return entry;
  if (!value.is_object()) return Invalid(path + ": expected an object");
  std::string auth;
  for (auto [key, field] : {std::pair{"auth", &auth}, std::pair{"username", &entry.username},
                            std::pair{"password", &entry.password},
                            std::pair{"identitytoken", &entry.identity_token}}) {
    if (Status st = ReadString(value, key, path, *field); !st.ok())
      return st.WithContext("docker config");
  }
  if (!auth.empty()) {
    Result<std::string> decoded = Base64Decode(auth);
    if (!decoded.ok()) return Invalid(path + ".auth: not valid base64");
    size_t colon = decoded->find(':');
    if (colon == std::string::npos || colon == 0) {
      return Invalid(path + ".auth: expected base64 of \"username:password\"");
    }
    entry.username = decoded->substr(0, colon);
    entry.password = decoded->substr(colon + 1);
    while (!entry.password.empty() && entry.password.back() == '\0') entry.password.pop_back();
    while (!entry.password.empty() && entry.password.front() == '\0') entry.password.erase(0, 1);
  }
  return entry;
}

bool KeyMatches(std::string_view key, std::string_view domain) {
  std::string host = ConfigKeyHostname(key);
  if (IsHubHost(domain)) return IsHubHost(host);
  return AsciiEqualsIgnoreCase(host, domain);
}

// Loads a document for editing; "auths" is created when missing.
Result<ordered_json> LoadForEdit(std::string_view json_text) {
  Result<ordered_json> doc =
      ParseJson<ordered_json>(json_text, StatusCode::kInvalidArgument, "docker config");
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return Invalid("expected a JSON object at the top level");
  ordered_json& auths = (*doc)["auths"];
  if (auths.is_null()) auths = ordered_json::object();
  if (!auths.is_object()) return Invalid("auths: expected an object");
  return doc;
}

Result<std::string> Dump(const ordered_json& doc) {
  try {
    return doc.dump(1, '\t');
  } catch (const nlohmann::json::exception&) {
    return Invalid("cannot serialise the configuration (invalid UTF-8)");
  }
}

}  // namespace

Result<DockerConfig> ParseDockerConfig(std::string_view json_text) {
  Result<json> doc = ParseJson<json>(json_text, StatusCode::kInvalidArgument, "docker config");
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return Invalid("expected a JSON object at the top level");
  DockerConfig config;
  if (auto it = doc->find("auths"); it != doc->end() && !it->is_null()) {
    if (!it->is_object()) return Invalid("auths: expected an object");
    for (const auto& [key, value] : it->items()) {
      Result<AuthEntry> entry = ParseAuthEntry(value, "auths." + Quoted(key));
      if (!entry.ok()) return entry.status();
      config.auths.emplace(key, std::move(entry).value());
    }
  }
  if (Status st = ReadString(*doc, "credsStore", "", config.creds_store); !st.ok()) {
    return st.WithContext("docker config");
  }
  if (auto it = doc->find("credHelpers"); it != doc->end() && !it->is_null()) {
    if (!it->is_object()) return Invalid("credHelpers: expected an object");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) return Invalid("credHelpers." + Quoted(key) + ": expected a string");
      config.cred_helpers.emplace(key, value.get<std::string>());
    }
  }
  return config;
}

std::string DockerConfigKey(std::string_view registry_domain) {
  if (IsHubHost(registry_domain)) return std::string(kHubKey);
  return std::string(registry_domain);
}

std::string ConfigKeyHostname(std::string_view key) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (key.size() >= scheme.size() &&
        AsciiEqualsIgnoreCase(key.substr(0, scheme.size()), scheme)) {
      key.remove_prefix(scheme.size());
      break;
    }
  }
  return std::string(key.substr(0, key.find('/')));
}

std::vector<std::string> MatchingAuthKeys(const DockerConfig& config,
                                          std::string_view registry_domain) {
  std::vector<std::string> keys;
  auto add = [&keys](const std::string& key) {
    for (const std::string& k : keys) {
      if (k == key) return;
    }
    keys.push_back(key);
  };
  for (const std::string& exact :
       {DockerConfigKey(registry_domain), std::string(registry_domain)}) {
    if (config.auths.count(exact)) add(exact);
  }
  for (const auto& [key, entry] : config.auths) {
    if (KeyMatches(key, registry_domain)) add(key);
  }
  return keys;
}

std::optional<AuthEntry> FindAuth(const DockerConfig& config, std::string_view registry_domain) {
  for (const std::string& key : MatchingAuthKeys(config, registry_domain)) {
    const AuthEntry& entry = config.auths.at(key);
    if (!entry.empty()) return entry;
  }
  return std::nullopt;
}

std::string CredentialHelperFor(const DockerConfig& config, std::string_view registry_domain) {
  for (const std::string& exact :
       {std::string(registry_domain), DockerConfigKey(registry_domain)}) {
    if (auto it = config.cred_helpers.find(exact); it != config.cred_helpers.end()) {
      return it->second;
    }
  }
  for (const auto& [key, helper] : config.cred_helpers) {
    if (KeyMatches(key, registry_domain)) return helper;
  }
  return config.creds_store;
}

Result<std::string> ConfigWithAuth(std::string_view json_text, std::string_view registry_domain,
                                   std::string_view username, std::string_view password) {
  if (registry_domain.empty()) return Invalid("empty registry name");
  if (username.empty()) return Invalid("username must not be empty");
  if (username.find(':') != std::string_view::npos) {
    return Invalid("username must not contain ':'");
  }
  if (password.empty()) return Invalid("password must not be empty");
  Result<ordered_json> doc = LoadForEdit(json_text);
  if (!doc.ok()) return doc.status();
  ordered_json& entry = (*doc)["auths"][DockerConfigKey(registry_domain)];
  if (!entry.is_object()) entry = ordered_json::object();
  for (const char* key : {"username", "password", "identitytoken"}) entry.erase(key);
  std::string user_pass = std::string(username) + ":" + std::string(password);
  entry["auth"] = Base64Encode(user_pass);
  return Dump(*doc);
}

Result<std::string> ConfigWithoutAuth(std::string_view json_text,
                                      std::string_view registry_domain) {
  if (registry_domain.empty()) return Invalid("empty registry name");
  Result<ordered_json> doc = LoadForEdit(json_text);
  if (!doc.ok()) return doc.status();
  ordered_json& auths = (*doc)["auths"];
  std::vector<std::string> doomed;
  for (const auto& [key, value] : auths.items()) {
    if (KeyMatches(key, registry_domain)) doomed.push_back(key);
  }
  for (const std::string& key : doomed) auths.erase(key);
  return Dump(*doc);
}

Result<AuthEntry> ParseCredentialHelperOutput(std::string_view json_text) {
  constexpr std::string_view kContext = "credential helper output";
  if (IsBlank(json_text)) return Status(StatusCode::kProtocol, std::string(kContext) + ": empty");
  Result<json> doc = ParseJson<json>(json_text, StatusCode::kProtocol, kContext);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) {
    return Status(StatusCode::kProtocol, std::string(kContext) + ": expected a JSON object");
  }
  std::string server_url, username, secret;
  for (auto [key, field] : {std::pair{"ServerURL", &server_url}, std::pair{"Username", &username},
                            std::pair{"Secret", &secret}}) {
    if (Status st = ReadString(*doc, key, "", *field, StatusCode::kProtocol); !st.ok()) {
      return st.WithContext(kContext);
    }
  }
  AuthEntry entry;
  if (username == kTokenUsername) {
    entry.identity_token = std::move(secret);
  } else {
    entry.username = std::move(username);
    entry.password = std::move(secret);
  }
  return entry;
}

}  // namespace regdigest
