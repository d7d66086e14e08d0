// RegistrySession: what every registry command sets up, once per run: the
// registry context (config file, credentials, transport stack), a
// RegistryClient over it, bulk HEAD resolution (client/registry/bulk_resolver.h)
// and the per-registry worker pools of the GET phases. Both phases obey the
// one concurrency rule of common/registry/concurrency.h: --concurrency, else
// the registry's "concurrency" in the config file, else the top-level one.
// Thread safety: ResolveAll and ForEachByRegistry may be called from one
// thread at a time; the work they run in parallel may use client().
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "cli/app/context.h"
#include "client/registry/registry_client.h"
#include "common/base/status.h"
#include "common/image/reference.h"
#include "common/registry/tool_config.h"

namespace regdigest {

class RegistrySession {
 public:
  // Loads the config and builds the transport (MakeRegistryContext).
  // `concurrency` is --concurrency; 0 when not given.
  static Result<std::unique_ptr<RegistrySession>> Open(const GlobalOptions& globals,
                                                       int concurrency = 0);

  RegistrySession(RegistryContext context, int concurrency);
  RegistrySession(const RegistrySession&) = delete;
  RegistrySession& operator=(const RegistrySession&) = delete;

  const ToolConfig& config() const { return context_.config; }
  RegistryClient& client() { return client_; }
  // The transport stack under client() (same tokens), for other registry calls (tags/list).
  const std::shared_ptr<Transport>& transport() const { return context_.transport; }

  // One HEAD per reference through BulkResolver (token prefetch, registries
  // in parallel). One result per reference, in order. `progress` as in
  // BulkResolverOptions.
  using Progress = std::function<void(std::size_t done, std::size_t total, std::size_t failed)>;
  std::vector<Result<ManifestDescriptor>> ResolveAll(const std::vector<Reference>& references,
                                                     Progress progress = {});

  // A GET phase: work(i) for every non-null references[i], registries in
  // parallel, at most the registry's limit of calls running at once per
  // registry. `work` must make at most one request at a time.
  void ForEachByRegistry(const std::vector<const Reference*>& references,
                         const std::function<void(std::size_t)>& work);

 private:
  RegistryContext context_;
  RegistryClient client_;
  int concurrency_;
};

}  // namespace regdigest
