#include "common/drift/repository_snapshot.h"

#include <algorithm>

namespace regdigest {

void SortSnapshotTags(std::vector<SnapshotTag>& tags) {
  std::stable_sort(tags.begin(), tags.end(),
                   [](const SnapshotTag& a, const SnapshotTag& b) { return a.tag < b.tag; });
  tags.erase(std::unique(tags.begin(), tags.end(),
                         [](const SnapshotTag& a, const SnapshotTag& b) { return a.tag == b.tag; }),
             tags.end());
}

const char* TagChangeKindName(TagChangeKind kind) {
  switch (kind) {
    case TagChangeKind::kAdded:
      return "added";
    case TagChangeKind::kMoved:
      return "moved";
    case TagChangeKind::kDeleted:
      return "deleted";
  }
  return "changed";
}

std::vector<TagChange> DiffSnapshots(const RepositorySnapshot& older,
                                     const RepositorySnapshot& newer) {
  std::vector<TagChange> changes;
  auto old_it = older.tags.begin();
  auto new_it = newer.tags.begin();
  while (old_it != older.tags.end() || new_it != newer.tags.end()) {
    if (new_it == newer.tags.end() || (old_it != older.tags.end() && old_it->tag < new_it->tag)) {
      changes.push_back({old_it->tag, TagChangeKind::kDeleted, old_it->digest, std::nullopt});
      ++old_it;
    } else if (old_it == older.tags.end() || new_it->tag < old_it->tag) {
      changes.push_back({new_it->tag, TagChangeKind::kAdded, std::nullopt, new_it->digest});
      ++new_it;
    } else {
      if (old_it->digest && new_it->digest && *old_it->digest != *new_it->digest) {
        changes.push_back({new_it->tag, TagChangeKind::kMoved, old_it->digest, new_it->digest});
      }
      ++old_it;
      ++new_it;
    }
  }
  return changes;
}

std::vector<TagChange> SnapshotChangesSince(const std::vector<RepositorySnapshot>& snapshots,
                                            std::int64_t since) {
  if (snapshots.size() < 2) return {};
  std::size_t base = 0;
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    if (snapshots[i].observed_at < since) base = i;
  }
  const RepositorySnapshot& newest = snapshots.back();
  if (&snapshots[base] == &newest || newest.observed_at < since) return {};
  return DiffSnapshots(snapshots[base], newest);
}

std::vector<DatedTagChange> SnapshotHistory(const std::vector<RepositorySnapshot>& snapshots) {
  std::vector<DatedTagChange> history;
  for (std::size_t i = 1; i < snapshots.size(); ++i) {
    for (TagChange& change : DiffSnapshots(snapshots[i - 1], snapshots[i])) {
      history.push_back({snapshots[i].observed_at, std::move(change)});
    }
  }
  return history;
}

}  // namespace regdigest
