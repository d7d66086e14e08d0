#include "cli/app/registry_session.h"

#include "client/registry/bulk_resolver.h"
#include "client/sys/parallel_for.h"
#include "common/registry/concurrency.h"

namespace regdigest {
namespace {

// Registries worked on at the same time, as in BulkResolver.
constexpr std::size_t kMaxParallelRegistries = 16;

}  // namespace

Result<std::unique_ptr<RegistrySession>> RegistrySession::Open(const GlobalOptions& globals,
                                                               int concurrency) {
  Result<RegistryContext> context = MakeRegistryContext(globals);
  if (!context.ok()) return context.status();
  return std::make_unique<RegistrySession>(std::move(context).value(), concurrency);
}

RegistrySession::RegistrySession(RegistryContext context, int concurrency)
    : context_(std::move(context)),
      client_(context_.transport, context_.config),
      concurrency_(concurrency) {}

std::vector<Result<ManifestDescriptor>> RegistrySession::ResolveAll(
    const std::vector<Reference>& references, Progress progress) {
  BulkResolverOptions options;
  options.concurrency = concurrency_;
  options.progress = std::move(progress);
  BulkResolver resolver(client_, context_.config, context_.auth, std::move(options));
  return resolver.ResolveAll(references);
}

void RegistrySession::ForEachByRegistry(const std::vector<const Reference*>& references,
                                        const std::function<void(std::size_t)>& work) {
  const std::vector<RegistryWork> groups =
      GroupByRegistry(references, concurrency_, context_.config);
  ParallelFor(0, groups.size(), kMaxParallelRegistries, [&](std::size_t g) {
    const RegistryWork& group = groups[g];
    ParallelFor(0, group.indexes.size(), static_cast<std::size_t>(group.limit),
                [&](std::size_t k) { work(group.indexes[k]); });
  });
}

}  // namespace regdigest
