#include "cli/inputs/check_targets.h"

#include <sstream>

#include "common/base/display_text.h"
#include "common/pin/pinned_reference.h"

namespace regdigest {
namespace {

CheckTarget Invalid(CheckTarget target, const std::string& why) {
  target.error = why;
  return target;
}

}  // namespace

std::vector<CheckTarget> CheckTargetsFromLock(const LockFile& lock, const std::string& file) {
  std::vector<CheckTarget> targets;
  targets.reserve(lock.entries.size());
  for (const LockEntry& entry : lock.entries) {
    CheckTarget target;
    target.shown = entry.reference.String();
    target.file = file;
    target.line = entry.line;
    target.head = entry.reference;
    target.expected = entry.digest;
    targets.push_back(std::move(target));
  }
  return targets;
}

CheckTarget CheckTargetFromInput(const ReferenceInput& input) {
  CheckTarget target;
  target.file = input.file;
  target.line = input.line;
  std::istringstream fields(input.text);
  std::string written;
  std::string digest_text;
  std::string extra;
  fields >> written >> digest_text >> extra;
  target.shown = TagPartOf(written);
  if (!extra.empty()) {
    return Invalid(std::move(target), Quoted(input.text) +
                                          ": expected REF@DIGEST or \"REF DIGEST\", "
                                          "found more than two fields");
  }
  Result<Reference> reference = Reference::Parse(written);
  if (!reference.ok()) {
    return Invalid(std::move(target),
                   "invalid reference: " + Quoted(written) + ": " + reference.status().message());
  }
  std::optional<Digest> expected = reference->digest();
  if (!digest_text.empty()) {
    Result<Digest> digest = Digest::Parse(digest_text);
    if (!digest.ok()) {
      return Invalid(std::move(target),
                     "invalid digest: " + Quoted(digest_text) + ": " + digest.status().message());
    }
    if (expected.has_value() && !(*expected == *digest)) {
      return Invalid(std::move(target), Quoted(input.text) + ": two different digests");
    }
    expected = *digest;
  }
  if (!expected.has_value()) {
    return Invalid(std::move(target), Quoted(written) +
                                          ": no digest to check against (write REF@DIGEST, "
                                          "or \"REF DIGEST\" as `regdigest resolve` prints)");
  }
  target.expected = expected;
  if (reference->tag().has_value()) {
    Result<Reference> tag = Reference::Parse(TagPartOf(written));
    if (!tag.ok()) return Invalid(std::move(target), tag.status().message());
    target.head = *tag;
  } else {
    target.shown = written;    // "nginx@sha256:...": the digest is the point
    target.head = *reference;  // a digest alone: does it still exist?
  }
  return target;
}

}  // namespace regdigest
