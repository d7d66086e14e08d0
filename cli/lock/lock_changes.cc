#include "cli/lock/lock_changes.h"

#include "common/base/display_text.h"

namespace regdigest {

const char* LockChangeName(LockChange change) {
  switch (change) {
    case LockChange::kAdded:
      return "added";
    case LockChange::kUpdated:
      return "updated";
    case LockChange::kUnchanged:
      return "unchanged";
  }
  return "";
}

std::vector<LockChange> ApplyLockTargets(LockFile& lock, const std::vector<LockTarget>& targets,
                                         const std::string& now) {
  std::vector<LockChange> changes;
  for (const LockTarget& target : targets) {
    LockEntry entry{target.reference, target.head->digest, target.head->media_type,
                    target.platform_digests, now};
    entry.signature = target.signature;
    LockChange change = LockChange::kAdded;
    if (const LockEntry* old = lock.Find(target.reference)) {
      change = LockChange::kUpdated;
      if (!entry.signature && old->digest == entry.digest) entry.signature = old->signature;
      if (old->digest == entry.digest && old->media_type == entry.media_type &&
          old->platforms == entry.platforms && old->signature == entry.signature) {
        change = LockChange::kUnchanged;
        entry.resolved_at = old->resolved_at;
      }
    }
    lock.Upsert(std::move(entry));
    changes.push_back(change);
  }
  return changes;
}

std::string LockResultsText(const LockFile& lock, const std::vector<LockTarget>& targets,
                            const std::vector<LockChange>& changes) {
  std::string text;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const LockEntry& entry = *lock.Find(targets[i].reference);
    text += std::string(LockChangeName(changes[i])) + " " + entry.reference.String() + " " +
            entry.digest.String() + "\n";
    for (const auto& [name, digest] : entry.platforms) {
      text += "  " + DisplayText(name) + " " + digest.String() + "\n";
    }
    if (targets[i].signature) {
      text += "  signed by " + targets[i].signature->key + " (" +
              targets[i].signature->digest.String() + ")\n";
    }
  }
  return text;
}

nlohmann::ordered_json LockResultsJson(const LockFile& lock, const std::vector<LockTarget>& targets,
                                       const std::vector<LockChange>& changes,
                                       const std::string& file, bool written) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const LockEntry& entry = *lock.Find(targets[i].reference);
    nlohmann::ordered_json json = {{"reference", entry.reference.String()},
                                   {"digest", entry.digest.String()},
                                   {"mediaType", entry.media_type}};
    if (!entry.platforms.empty()) {
      json["platforms"] = nlohmann::ordered_json::object();
      for (const auto& [name, digest] : entry.platforms) json["platforms"][name] = digest.String();
    }
    if (entry.signature) {
      json["signature"] = {{"digest", entry.signature->digest.String()},
                           {"key", entry.signature->key}};
    }
    json["resolvedAt"] = entry.resolved_at;
    json["change"] = LockChangeName(changes[i]);
    results.push_back(std::move(json));
  }
  return {{"file", file}, {"written", written}, {"entries", std::move(results)}};
}

}  // namespace regdigest
