// What `lock` and `check` share: loading the lock file named by --file (with
// the file's name in every error) and HEAD-resolving many tags at once
// through client/bulk_resolver.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/app/context.h"
#include "client/registry/registry_client.h"
#include "common/base/status.h"
#include "common/drift/lock_file.h"
#include "common/image/reference.h"

namespace regdigest {

inline constexpr const char* kDefaultLockFile = "regdigest.lock";

// The parsed lock file at `path`; nullopt when there is no such file. A file
// that cannot be read is kIo, a corrupt or too new one kInvalidArgument; both
// messages start with the path ("regdigest.lock: entry 2 (line 9): ...").
Result<std::optional<LockFile>> LoadLockFile(const std::string& path);

// One HEAD per reference (BulkResolver: token prefetch, registries in
// parallel, `concurrency` requests in flight per registry; 0 = the config's).
// One result per reference, in order.
std::vector<Result<ManifestDescriptor>> HeadReferences(RegistryClient& client,
                                                       const RegistryContext& context,
                                                       const std::vector<Reference>& references,
                                                       int concurrency);

}  // namespace regdigest
