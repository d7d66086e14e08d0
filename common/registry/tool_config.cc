#include "common/registry/tool_config.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/base/ascii.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

using nlohmann::json;

constexpr double kMaxTimeoutSeconds = 86400;

std::string NormalizeDomain(std::string_view domain) {
  std::string d = AsciiLower(domain);
  if (d == "index.docker.io" || d == "registry-1.docker.io") return "docker.io";
  return d;
}

Status Invalid(const std::string& path, std::string_view what) {
  return Status(StatusCode::kInvalidArgument, path + ": " + std::string(what));
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string QuotedKey(std::string_view key) { return Quoted(key); }

// A registry as --insecure-registry takes it: host[:port].
bool IsDomainKey(std::string_view domain) {
  return !domain.empty() && domain.find_first_of(" \t\r\n/@?#") == std::string_view::npos &&
         domain.find("://") == std::string_view::npos;
}

Status CheckKeys(const json& obj, const std::string& path,
                 std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || key == k;
    if (!ok) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Invalid(Join(path, key), "unknown key (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

// A value that names a host, URL or file: a non-empty string without spaces
// or control characters.
Status ReadWord(const json& value, const std::string& path, std::string& out) {
  if (!value.is_string()) return Invalid(path, "expected a string");
  const std::string& s = value.get_ref<const std::string&>();
  if (s.empty()) return Invalid(path, "must not be empty");
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Invalid(path, "must not contain spaces or control characters");
    }
  }
  out = s;
  return Status::Ok();
}

Status ReadTimeout(const json& value, const std::string& path, std::chrono::milliseconds& out) {
  if (!value.is_number()) return Invalid(path, "expected a number of seconds");
  double secs = value.get<double>();
  if (!(secs > 0)) return Invalid(path, "must be greater than 0");
  if (secs > kMaxTimeoutSeconds) return Invalid(path, "must be at most 86400 seconds");
  out = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(secs * 1000)));
  return Status::Ok();
}

Status ReadConcurrency(const json& value, const std::string& path, int& out) {
  if (!value.is_number_integer()) return Invalid(path, "expected an integer");
  const int64_t n = value.get<int64_t>();
  if (n < 1 || n > kMaxConcurrency) {
    return Invalid(path, "must be from 1 to " + std::to_string(kMaxConcurrency));
  }
  out = static_cast<int>(n);
  return Status::Ok();
}

Status ReadRetries(const json& value, const std::string& path, int& out) {
  if (!value.is_number_integer()) return Invalid(path, "expected an integer");
  const int64_t n = value.get<int64_t>();
  if (n < 0 || n > kMaxRetries) {
    return Invalid(path, "must be from 0 to " + std::to_string(kMaxRetries));
  }
  out = static_cast<int>(n);
  return Status::Ok();
}

Status ReadRegistry(const json& value, const std::string& path, RegistrySettings& out) {
  if (!value.is_object()) return Invalid(path, "expected an object");
  if (Status st = CheckKeys(
          value, path, {"endpoint", "mirrors", "insecure", "caFile", "concurrency", "retries"});
      !st.ok()) {
    return st;
  }
  if (auto it = value.find("concurrency"); it != value.end()) {
    if (Status st = ReadConcurrency(*it, Join(path, "concurrency"), out.concurrency); !st.ok()) {
      return st;
    }
  }
  if (auto it = value.find("retries"); it != value.end()) {
    if (Status st = ReadRetries(*it, Join(path, "retries"), out.retries); !st.ok()) return st;
  }
  if (auto it = value.find("endpoint"); it != value.end()) {
    if (Status st = ReadWord(*it, Join(path, "endpoint"), out.endpoint); !st.ok()) return st;
  }
  if (auto it = value.find("mirrors"); it != value.end()) {
    std::string mpath = Join(path, "mirrors");
    if (!it->is_array()) return Invalid(mpath, "expected an array of strings");
    for (size_t i = 0; i < it->size(); ++i) {
      std::string mirror;
      std::string ipath = mpath + "[" + std::to_string(i) + "]";
      if (Status st = ReadWord((*it)[i], ipath, mirror); !st.ok()) return st;
      out.mirrors.push_back(std::move(mirror));
    }
  }
  if (auto it = value.find("insecure"); it != value.end()) {
    if (!it->is_boolean()) return Invalid(Join(path, "insecure"), "expected a boolean");
    out.insecure = it->get<bool>();
  }
  if (auto it = value.find("caFile"); it != value.end()) {
    if (Status st = ReadWord(*it, Join(path, "caFile"), out.ca_file); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace

const RegistrySettings* ToolConfig::Find(std::string_view domain) const {
  auto it = registries.find(NormalizeDomain(domain));
  return it == registries.end() ? nullptr : &it->second;
}

int ToolConfig::ConcurrencyFor(std::string_view domain) const {
  const RegistrySettings* settings = Find(domain);
  return settings != nullptr && settings->concurrency > 0 ? settings->concurrency : concurrency;
}

int ToolConfig::RetriesFor(std::string_view domain) const {
  const RegistrySettings* settings = Find(domain);
  return settings != nullptr && settings->retries >= 0 ? settings->retries : retries;
}

RetryPolicy ToolConfig::DefaultRetryPolicy() const {
  RetryPolicy policy;
  policy.max_attempts = retries + 1;
  policy.max_wait = retry_max_wait;
  policy.max_total = retry_total_time;
  return policy;
}

Result<ToolConfig> ParseToolConfig(std::string_view json_text) {
  ToolConfig config;
  if (json_text.find_first_not_of(" \t\r\n") == std::string_view::npos) return config;
  json doc;
  try {
    doc = json::parse(json_text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    if (size_t p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
    return Status(StatusCode::kInvalidArgument, "invalid JSON: " + what);
  } catch (const json::exception&) {
    // A number out of range ("1e400") throws out_of_range while parsing.
    return Status(StatusCode::kInvalidArgument, "invalid JSON: a number is out of range");
  }
  if (!doc.is_object()) {
    return Status(StatusCode::kInvalidArgument, "expected a JSON object at the top level");
  }
  if (Status st = CheckKeys(doc, "",
                            {"connectTimeout", "timeout", "caFile", "concurrency", "retries",
                             "retryMaxWait", "retryTotalTime", "registries"});
      !st.ok()) {
    return st;
  }
  if (auto it = doc.find("connectTimeout"); it != doc.end()) {
    if (Status st = ReadTimeout(*it, "connectTimeout", config.connect_timeout); !st.ok()) return st;
  }
  if (auto it = doc.find("timeout"); it != doc.end()) {
    if (Status st = ReadTimeout(*it, "timeout", config.timeout); !st.ok()) return st;
  }
  if (auto it = doc.find("retries"); it != doc.end()) {
    if (Status st = ReadRetries(*it, "retries", config.retries); !st.ok()) return st;
  }
  if (auto it = doc.find("retryMaxWait"); it != doc.end()) {
    if (Status st = ReadTimeout(*it, "retryMaxWait", config.retry_max_wait); !st.ok()) return st;
  }
  if (auto it = doc.find("retryTotalTime"); it != doc.end()) {
    if (Status st = ReadTimeout(*it, "retryTotalTime", config.retry_total_time); !st.ok()) {
      return st;
    }
  }
  if (auto it = doc.find("caFile"); it != doc.end()) {
    if (Status st = ReadWord(*it, "caFile", config.ca_file); !st.ok()) return st;
  }
  if (auto it = doc.find("concurrency"); it != doc.end()) {
    if (Status st = ReadConcurrency(*it, "concurrency", config.concurrency); !st.ok()) return st;
  }
  if (auto it = doc.find("registries"); it != doc.end()) {
    if (!it->is_object()) return Invalid("registries", "expected an object");
    for (const auto& [key, value] : it->items()) {
      std::string path = "registries." + QuotedKey(key);
      std::string domain = NormalizeDomain(key);
      if (domain.empty() || domain.find_first_of(" \t/") != std::string::npos) {
        return Invalid(path,
                       "expected a registry domain such as \"docker.io\" or "
                       "\"localhost:5000\"");
      }
      RegistrySettings settings;
      if (Status st = ReadRegistry(value, path, settings); !st.ok()) return st;
      if (!config.registries.emplace(domain, std::move(settings)).second) {
        return Invalid(path, "the registry " + Quoted(domain) + " is configured twice");
      }
    }
  }
  return config;
}

Status ToolConfig::MarkInsecure(std::string_view domain) {
  const std::string key = NormalizeDomain(domain);
  if (!IsDomainKey(key)) {
    return Status(StatusCode::kInvalidArgument,
                  "--insecure-registry \"" + DisplayText(domain, 100) +
                      "\": expected a registry such as \"localhost:5000\" or \"lab.internal\" "
                      "(no scheme, no path)");
  }
  registries[key].insecure = true;
  return Status::Ok();
}

}  // namespace regdigest
