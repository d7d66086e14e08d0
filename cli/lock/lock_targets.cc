#include "cli/lock/lock_targets.h"

#include <set>

#include "cli/inputs/reference_inputs.h"
#include "client/sys/file_io.h"
#include "common/pin/image_references.h"

namespace regdigest {
namespace {

class TargetCollector {
 public:
  TargetCollector(const LockFile& lock, const std::vector<Platform>& platforms)
      : lock_(lock), platforms_(platforms) {}

  // Adds the reference written as `input.text`.
  void Add(const ReferenceInput& input) {
    Result<Reference> parsed = input.Parse();
    if (parsed.ok()) parsed = LockableReference(*parsed);
    if (!parsed.ok()) {
      result_.errors.push_back(Status(parsed.status().code(), input.ErrorText(parsed.status())));
      return;
    }
    AddReference(input.Location(), *parsed);
  }

  void AddReference(const std::string& location, const Reference& reference) {
    if (!seen_.insert(reference.String()).second) return;
    LockTarget target{
        location, reference, platforms_, Status(StatusCode::kUsage, "not resolved"), {}};
    if (platforms_.empty()) {
      if (const LockEntry* entry = lock_.Find(reference)) {
        for (const auto& [name, digest] : entry->platforms) {
          if (Result<Platform> platform = Platform::Parse(name); platform.ok()) {
            target.platforms.push_back(*platform);
          }
        }
      }
    }
    result_.targets.push_back(std::move(target));
  }

  void AddFile(const std::string& path) {
    Result<std::optional<std::string>> content = ReadFileIfExists(path);
    if (!content.ok()) {
      result_.errors.push_back(Status(StatusCode::kUsage, content.status().message()));
      return;
    }
    if (!content->has_value()) {
      result_.errors.push_back(Status(StatusCode::kUsage, "--from " + path + ": no such file"));
      return;
    }
    Result<std::vector<ImageOccurrence>> found = FindImageReferences(path, **content);
    if (!found.ok()) {
      result_.errors.push_back(found.status().WithContext("--from " + path));
      return;
    }
    for (const ImageOccurrence& occurrence : *found) {
      const ReferenceInput input{occurrence.text, path, occurrence.line};
      if (!occurrence.skipped.empty()) {
        result_.skipped.push_back(input.Location() + ": " + occurrence.text + ": " +
                                  occurrence.skipped);
        continue;
      }
      Add(input);
    }
  }

  LockTargets Take() { return std::move(result_); }

 private:
  const LockFile& lock_;
  const std::vector<Platform>& platforms_;
  std::set<std::string> seen_;
  LockTargets result_;
};

}  // namespace

Result<Reference> LockableReference(const Reference& reference) {
  if (reference.tag()) {
    if (!reference.digest()) return reference;
    return Reference::Parse(reference.Name() + ":" + *reference.tag());
  }
  if (reference.digest()) {
    return Status(StatusCode::kInvalidReference,
                  "\"" + reference.String() + "\" has a digest but no tag; lock records tags");
  }
  return reference.WithDefaultTag();
}

LockTargets GatherLockTargets(const LockFile& lock, const std::vector<std::string>& inputs,
                              const std::vector<std::string>& from,
                              const std::vector<Platform>& platforms) {
  TargetCollector collector(lock, platforms);
  for (const std::string& input : inputs) collector.Add(ReferenceInput{input, "", 0});
  for (const std::string& path : from) collector.AddFile(path);
  if (inputs.empty() && from.empty()) {
    for (const LockEntry& entry : lock.entries) {
      collector.AddReference("", entry.reference);
    }
  }
  return collector.Take();
}

}  // namespace regdigest
