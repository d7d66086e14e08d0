// The one concurrency rule: how many requests regdigest may have in flight at
// once to one registry, in every phase (the bulk HEADs and the GETs after
// them). --concurrency, when given, wins; else the registry's own
// "concurrency" in the config file; else the top-level one (8 by default).
// Pure functions; no I/O, no threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/image/reference.h"
#include "common/registry/tool_config.h"

namespace regdigest {

// The limit for `domain`: `override_limit` (--concurrency) when > 0, else
// config.ConcurrencyFor(domain); always clamped to 1..kMaxConcurrency.
int RegistryConcurrency(int override_limit, const ToolConfig& config, std::string_view domain);

// Work for one registry: the indexes (into the caller's list) of the
// references it serves, in input order, and how many may be in flight at once.
struct RegistryWork {
  std::string domain;
  int limit = 1;
  std::vector<std::size_t> indexes;
};

// Groups `references` by registry domain, registries in order of first
// appearance, each with its RegistryConcurrency. Null entries (nothing to do
// for that index) are left out.
std::vector<RegistryWork> GroupByRegistry(const std::vector<const Reference*>& references,
                                          int override_limit, const ToolConfig& config);

}  // namespace regdigest
