// Whole-repository snapshots: the set of tags `record --all-tags` listed in a
// repository at one time, each with the digest it resolved to, and the pure
// comparison of two snapshots (tags added, moved to another digest, deleted)
// that `drift REPO` and `history REPO` report. Values only, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regdigest {

// More tags than this in one repository are not stored as a snapshot (the
// store refuses it with a message rather than keeping a partial set).
inline constexpr std::size_t kMaxSnapshotTags = 100000;

struct SnapshotTag {
  std::string tag;
  std::optional<std::string> digest;  // null when the tag's HEAD failed
  friend bool operator==(const SnapshotTag&, const SnapshotTag&) = default;
};

struct RepositorySnapshot {
  std::string run_id;      // the `record` run (HistoryRun::run_id) that listed it
  std::string repository;  // canonical, without tag: docker.io/library/nginx
  std::int64_t observed_at = 0;
  std::vector<SnapshotTag> tags;  // sorted by tag, unique (SortSnapshotTags)
  friend bool operator==(const RepositorySnapshot&, const RepositorySnapshot&) = default;
};

// Sorts bytewise by tag and keeps the first of duplicate tags.
void SortSnapshotTags(std::vector<SnapshotTag>& tags);

enum class TagChangeKind { kAdded, kMoved, kDeleted };

// "added", "moved", "deleted".
const char* TagChangeKindName(TagChangeKind kind);

struct TagChange {
  std::string tag;
  TagChangeKind kind = TagChangeKind::kAdded;
  std::optional<std::string> old_digest;  // kMoved, kDeleted
  std::optional<std::string> new_digest;  // kAdded, kMoved
  friend bool operator==(const TagChange&, const TagChange&) = default;
};

// What changed from `older` to `newer` (both sorted), in tag order. A tag is
// moved only when both digests are known and differ: a failed HEAD (null
// digest) is no evidence of a move.
std::vector<TagChange> DiffSnapshots(const RepositorySnapshot& older,
                                     const RepositorySnapshot& newer);

// The changes over a window: between the last snapshot before `since` (or the
// first one in the window when there is none before) and the newest one.
// `snapshots` are of one repository, oldest first. Empty when fewer than two.
std::vector<TagChange> SnapshotChangesSince(const std::vector<RepositorySnapshot>& snapshots,
                                            std::int64_t since);

// `history REPO`: the changes between each snapshot and the next (oldest
// first), each dated with the newer snapshot's time.
struct DatedTagChange {
  std::int64_t at = 0;
  TagChange change;
  friend bool operator==(const DatedTagChange&, const DatedTagChange&) = default;
};
std::vector<DatedTagChange> SnapshotHistory(const std::vector<RepositorySnapshot>& snapshots);

}  // namespace regdigest
