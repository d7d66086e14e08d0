#include "common/registry/concurrency.h"

#include <algorithm>
#include <map>

namespace regdigest {

int RegistryConcurrency(int override_limit, const ToolConfig& config, std::string_view domain) {
  const int limit = override_limit > 0 ? override_limit : config.ConcurrencyFor(domain);
  return std::clamp(limit, 1, kMaxConcurrency);
}

std::vector<RegistryWork> GroupByRegistry(const std::vector<const Reference*>& references,
                                          int override_limit, const ToolConfig& config) {
  std::vector<RegistryWork> groups;
  std::map<std::string, std::size_t, std::less<>> group_of;
  for (std::size_t i = 0; i < references.size(); ++i) {
    if (references[i] == nullptr) continue;
    const std::string& domain = references[i]->domain();
    auto [it, added] = group_of.emplace(domain, groups.size());
    if (added) {
      groups.push_back(
          RegistryWork{domain, RegistryConcurrency(override_limit, config, domain), {}});
    }
    groups[it->second].indexes.push_back(i);
  }
  return groups;
}

}  // namespace regdigest
