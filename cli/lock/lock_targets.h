// Which references a `lock` run resolves, and for which platforms: the REF
// arguments, the images written in --from files (Dockerfiles, compose files,
// Kubernetes manifests), or, for `--update` alone, every entry of the lock
// file. Lock entries are tags: a digest after the tag is dropped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/registry/registry_client.h"
#include "common/base/status.h"
#include "common/drift/lock_file.h"
#include "common/image/platform.h"
#include "common/image/reference.h"

namespace regdigest {

struct LockTarget {
  // Where it is written, for error lines: "Dockerfile:3" for --from; "" for
  // a REF argument or a lock entry (errors name the reference themselves).
  std::string location;
  Reference reference;              // canonical, with its tag, no digest
  std::vector<Platform> platforms;  // whose manifest digests to record
  Result<ManifestDescriptor> head = Status(StatusCode::kUsage, "not resolved");
  std::map<std::string, Digest> platform_digests;  // platform.String() -> digest
  // lock --key: the signature that verified head->digest (set once verified).
  std::optional<LockSignature> signature = std::nullopt;
  bool unverified = false;  // lock --key: head is then the "unverified ..." failure
};

struct LockTargets {
  std::vector<LockTarget> targets;  // each reference once, first mention's order
  // Invalid references and unreadable --from files; each message is a whole
  // line with its place ("Dockerfile:3: invalid reference: ...").
  std::vector<Status> errors;
  std::vector<std::string> skipped;  // --from images that cannot be locked, and why
};

// The reference to lock for `reference`: its tag (default "latest") without
// any digest; kInvalidReference for a digest-only reference.
Result<Reference> LockableReference(const Reference& reference);

// Targets for `inputs` (REF arguments) and the files `from`; when both are
// empty, every entry of `lock`. Each target records `platforms` when given,
// else the platforms its lock entry already records.
LockTargets GatherLockTargets(const LockFile& lock, const std::vector<std::string>& inputs,
                              const std::vector<std::string>& from,
                              const std::vector<Platform>& platforms);

}  // namespace regdigest
