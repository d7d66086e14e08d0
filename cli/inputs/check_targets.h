// What `regdigest check` compares: for each entry, a reference to HEAD and
// the digest it should still point to. Entries come from a lock file or from
// pinned references (arguments, or `--file` lines written `REF@DIGEST` or
// `REF DIGEST`, the text `resolve` prints). An entry that cannot be checked
// (an invalid line) carries its error and is reported, not sent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/inputs/reference_inputs.h"
#include "common/drift/lock_file.h"
#include "common/image/digest.h"
#include "common/image/reference.h"

namespace regdigest {

struct CheckTarget {
  std::string shown;  // the reference as the report names it (without the digest)
  std::string file;   // where the entry was written ("" for an argument)
  std::size_t line = 0;
  // What to HEAD: the tag; or, when no tag is written, the digest itself
  // (then the entry only checks that the digest still exists).
  std::optional<Reference> head;
  std::optional<Digest> expected;
  std::string error;  // why the entry cannot be checked; "" when it can
};

// One target per lock entry, named by `file`.
std::vector<CheckTarget> CheckTargetsFromLock(const LockFile& lock, const std::string& file);

// One target per pinned reference: "REF@DIGEST" or "REF DIGEST" (both may
// be given if they agree). Anything else gives a target with `error` set.
CheckTarget CheckTargetFromInput(const ReferenceInput& input);

}  // namespace regdigest
