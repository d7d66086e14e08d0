// BulkResolver: many references resolved in one run with as few requests as
// the protocol allows and several in flight at once. Per registry: the first
// reference alone (its 401 teaches the auth layer the registry's challenge),
// then one token request covering every other repository
// (TokenBroker::PrefetchTokens), then the rest through a pool of workers
// with at most `concurrency` requests in flight. Registries proceed in
// parallel. N tags of one repository on a token registry cost N + 2 requests.
//
// Thread safety: ResolveAll starts its own workers (client/sys/parallel_for.h),
// which share the RegistryClient and the TokenBroker; one ResolveAll call at a
// time per BulkResolver.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "client/auth/token_broker.h"
#include "client/registry/registry_client.h"
#include "common/base/status.h"
#include "common/image/reference.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct BulkResolverOptions {
  // Requests in flight at once per registry; 0: the config's ConcurrencyFor(domain).
  int concurrency = 0;
  // Called after each reference is resolved, never concurrently with itself:
  // references done so far, their total, and how many of the done failed.
  std::function<void(std::size_t done, std::size_t total, std::size_t failed)> progress;
};

class BulkResolver {
 public:
  // `client` must be safe to call from several threads (RegistryClient over the
  // regdigest transport stack is). `tokens` is the stack's TokenBroker, used to
  // prefetch tokens; null skips the prefetch. `config` is the one `client` uses.
  BulkResolver(RegistryClient& client, const ToolConfig& config,
               std::shared_ptr<TokenBroker> tokens, BulkResolverOptions options = {});

  // One result per reference, in input order. Identical references are
  // resolved once.
  std::vector<Result<ManifestDescriptor>> ResolveAll(const std::vector<Reference>& references);

 private:
  struct Run;
  // Resolves the references of one registry (`indexes` into the unique list).
  void ResolveRegistry(Run& run, const std::vector<std::size_t>& indexes);
  void ResolveOne(Run& run, std::size_t index);
  // One token request for the scopes of every repository in `indexes` but
  // the first's.
  void PrefetchTokens(const Run& run, const std::vector<std::size_t>& indexes);

  RegistryClient& client_;
  const ToolConfig& config_;
  std::shared_ptr<TokenBroker> tokens_;
  BulkResolverOptions options_;
};

}  // namespace regdigest
