// What a `lock` run changes in the lock file and how it reports it: resolved
// targets folded into the file (an unchanged entry keeps its resolvedAt, so
// re-locking leaves the file byte-identical), and the per-entry result lines
// ("added|updated|unchanged REFERENCE DIGEST") or JSON. Pure; no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/lock/lock_targets.h"
#include "common/drift/lock_file.h"

namespace regdigest {

enum class LockChange { kAdded, kUpdated, kUnchanged };

// "added", "updated", "unchanged".
const char* LockChangeName(LockChange change);

// Upserts every target into `lock` (each target's head must be ok), stamped
// `now` unless its digest, media type, platforms and signature did not
// change. A target without a signature (no --key) keeps the entry's recorded
// signature while the digest is the same, and drops it when the digest moved.
// One change per target, in order.
std::vector<LockChange> ApplyLockTargets(LockFile& lock, const std::vector<LockTarget>& targets,
                                         const std::string& now);

// One line per target, "CHANGE REFERENCE DIGEST", its platforms indented below.
std::string LockResultsText(const LockFile& lock, const std::vector<LockTarget>& targets,
                            const std::vector<LockChange>& changes);

// {"file", "written", "entries": [{"reference", "digest", "mediaType",
// ["platforms",] ["signature",] "resolvedAt", "change"}...]}.
nlohmann::ordered_json LockResultsJson(const LockFile& lock, const std::vector<LockTarget>& targets,
                                       const std::vector<LockChange>& changes,
                                       const std::string& file, bool written);

}  // namespace regdigest
