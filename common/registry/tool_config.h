// regdigest's own configuration file (JSON with // and /* */ comments):
// per-registry endpoint overrides, mirrors, plain-http permission and CA
// bundles, plus timeouts, retries and request concurrency. Pure parser;
// config/regdigest.example.json shows every key. Where the file lives and how it is read is the
// caller's job.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/registry/retry_policy.h"

namespace regdigest {

struct RegistrySettings {
  std::string endpoint;              // "host[:port]" or "scheme://host[:port]"; empty: the domain
  std::vector<std::string> mirrors;  // tried in order before the endpoint
  bool insecure = false;             // allow plain http / skip nothing else
  std::string ca_file;               // extra CA bundle for this registry
  int concurrency = 0;               // requests in flight at once; 0: ToolConfig::concurrency
  int retries = -1;                  // retries after a first attempt; -1: ToolConfig::retries
};

inline constexpr int kDefaultConcurrency = 8;
inline constexpr int kMaxConcurrency = 64;

struct ToolConfig {
  // Key: registry domain ("docker.io", "localhost:5000"), lowercased; the
  // docker.io aliases index.docker.io and registry-1.docker.io become "docker.io".
  std::map<std::string, RegistrySettings> registries;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{30000};
  std::string ca_file;                                 // CA bundle for every registry
  int concurrency = kDefaultConcurrency;               // per registry, 1..kMaxConcurrency
  int retries = kDefaultRetries;                       // 0..kMaxRetries (common/retry_policy.h)
  std::chrono::milliseconds retry_max_wait{60000};     // cap on one wait (Retry-After too)
  std::chrono::milliseconds retry_total_time{300000};  // bound on attempts + waits
  // nullptr if none; case-insensitive; "index.docker.io" finds "docker.io".
  const RegistrySettings* Find(std::string_view domain) const;
  // The registry's own "concurrency" if set, else the top-level one.
  int ConcurrencyFor(std::string_view domain) const;
  // The registry's own "retries" if set, else the top-level one.
  int RetriesFor(std::string_view domain) const;
  // The top-level retry settings as a policy (max_attempts = retries + 1).
  RetryPolicy DefaultRetryPolicy() const;
  // --insecure-registry HOST: marks `domain` "insecure", as the file's key
  // does (added when the file does not name it). kInvalidArgument when
  // `domain` is not a registry domain ("host[:port]": no scheme, path or space).
  Status MarkInsecure(std::string_view domain);
};

// File format (every key optional):
//   { "connectTimeout": 10, "timeout": 30, "caFile": "/etc/ssl/extra.pem", "concurrency": 8,
//     "retries": 3, "retryMaxWait": 60, "retryTotalTime": 300,
//     "registries": { "docker.io": { "endpoint": "...", "mirrors": ["..."],
//                                    "insecure": false, "caFile": "...",
//                                    "concurrency": 4, "retries": 5 } } }
// Timeouts (connectTimeout, timeout, retryMaxWait, retryTotalTime) are
// seconds (fractions allowed), > 0 and at most 86400. Concurrency is an
// integer from 1 to 64; retries an integer from 0 to 10. Text that
// is empty or only whitespace gives the defaults. Invalid JSON, unknown keys,
// wrong types and bad values are kInvalidArgument naming the key path, e.g.
// `registries."docker.io".insecure: expected a boolean`.
Result<ToolConfig> ParseToolConfig(std::string_view json_text);

}  // namespace regdigest
