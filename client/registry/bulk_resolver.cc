#include "client/registry/bulk_resolver.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "client/auth/token_cache.h"
#include "client/sys/parallel_for.h"
#include "common/registry/concurrency.h"
#include "common/registry/endpoint.h"

namespace regdigest {
namespace {

// Registries resolved at the same time; each has its own pool of workers.
constexpr std::size_t kMaxParallelRegistries = 16;

}  // namespace

struct BulkResolver::Run {
  std::vector<const Reference*> unique;                            // distinct references
  std::vector<std::size_t> copies;                                 // inputs naming each of them
  std::vector<std::optional<Result<ManifestDescriptor>>> results;  // per unique reference
  std::size_t total = 0;
  std::mutex progress_mu;
  std::size_t done = 0;
  std::size_t failed = 0;
};

BulkResolver::BulkResolver(RegistryClient& client, const ToolConfig& config,
                           std::shared_ptr<TokenBroker> tokens, BulkResolverOptions options)
    : client_(client), config_(config), tokens_(std::move(tokens)), options_(std::move(options)) {}

std::vector<Result<ManifestDescriptor>> BulkResolver::ResolveAll(
    const std::vector<Reference>& references) {
  Run run;
  run.total = references.size();
  std::vector<std::size_t> unique_of(references.size());
  std::unordered_map<std::string, std::size_t> index_by_string;
  // Registries in order of first appearance; each with its references in input order.
  std::vector<std::vector<std::size_t>> registries;
  std::map<std::string, std::size_t> registry_index;
  for (std::size_t i = 0; i < references.size(); ++i) {
    auto [it, added] = index_by_string.emplace(references[i].String(), run.unique.size());
    unique_of[i] = it->second;
    if (!added) {
      ++run.copies[it->second];
      continue;
    }
    run.unique.push_back(&references[i]);
    run.copies.push_back(1);
    auto [reg, new_registry] = registry_index.emplace(references[i].domain(), registries.size());
    if (new_registry) registries.emplace_back();
    registries[reg->second].push_back(it->second);
  }
  index_by_string.clear();
  run.results.resize(run.unique.size());

  ParallelFor(0, registries.size(), kMaxParallelRegistries,
              [&](std::size_t r) { ResolveRegistry(run, registries[r]); });

  std::vector<Result<ManifestDescriptor>> results;
  results.reserve(references.size());
  for (std::size_t i = 0; i < references.size(); ++i) results.push_back(*run.results[unique_of[i]]);
  return results;
}

void BulkResolver::ResolveRegistry(Run& run, const std::vector<std::size_t>& indexes) {
  // The first alone: its 401 and token request teach the auth layer the challenge.
  ResolveOne(run, indexes.front());
  if (indexes.size() == 1) return;
  PrefetchTokens(run, indexes);
  const std::string& domain = run.unique[indexes.front()]->domain();
  const int concurrency = RegistryConcurrency(options_.concurrency, config_, domain);
  ParallelFor(1, indexes.size(), static_cast<std::size_t>(concurrency),
              [&](std::size_t i) { ResolveOne(run, indexes[i]); });
}

void BulkResolver::ResolveOne(Run& run, std::size_t index) {
  Result<ManifestDescriptor> result = client_.Resolve(*run.unique[index]);
  const bool failed = !result.ok();
  run.results[index] = std::move(result);
  std::lock_guard lock(run.progress_mu);
  run.done += run.copies[index];
  if (failed) run.failed += run.copies[index];
  if (options_.progress) options_.progress(run.done, run.total, run.failed);
}

void BulkResolver::PrefetchTokens(const Run& run, const std::vector<std::size_t>& indexes) {
  if (!tokens_) return;
  const Reference& first = *run.unique[indexes.front()];
  const std::string first_scope = PullScope(first.path());
  std::set<std::string> seen{first_scope};
  std::vector<std::string> scopes;
  for (std::size_t index : indexes) {
    std::string scope = PullScope(run.unique[index]->path());
    if (seen.insert(scope).second) scopes.push_back(std::move(scope));
  }
  if (scopes.empty()) return;  // one repository: its token is already cached
  // Mirrors get their own credentials and challenges: leave them to the
  // per-request path. The last endpoint is the registry itself.
  Result<std::vector<Endpoint>> endpoints = EndpointsFor(first.domain(), config_);
  if (!endpoints.ok() || endpoints->size() != 1 || endpoints->back().mirror) return;
  Status status =
      tokens_->PrefetchTokens(client_.BaseUrl(endpoints->back()), first.domain(), scopes);
  if (!status.ok()) {
    // Not fatal: each request still fetches the token it needs.
    spdlog::debug("token prefetch for {} ({} repositories) failed: {}", first.domain(),
                  scopes.size(), status.ToString());
  }
}

}  // namespace regdigest
