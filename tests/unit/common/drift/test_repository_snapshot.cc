// Tests for common/drift/repository_snapshot.h: the pure comparison of
// whole-repository snapshots (added, moved, deleted).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/drift/repository_snapshot.h"

namespace regdigest {
namespace {

RepositorySnapshot Snap(std::int64_t time, std::vector<SnapshotTag> tags) {
  SortSnapshotTags(tags);
  return {"run" + std::to_string(time), "r.test/app", time, std::move(tags)};
}

TEST_CASE("DiffSnapshots reports tags added, moved and deleted in tag order") {
  struct Case {
    const char* name;
    std::vector<SnapshotTag> older, newer;
    std::vector<TagChange> expected;
  };
  const std::string a = "sha256:a", b = "sha256:b";
  const std::vector<Case> cases = {
      {"unchanged", {{"1", a}}, {{"1", a}}, {}},
      {"added", {{"1", a}}, {{"1", a}, {"2", b}}, {{"2", TagChangeKind::kAdded, std::nullopt, b}}},
      {"deleted",
       {{"1", a}, {"2", b}},
       {{"2", b}},
       {{"1", TagChangeKind::kDeleted, a, std::nullopt}}},
      {"moved", {{"1", a}}, {{"1", b}}, {{"1", TagChangeKind::kMoved, a, b}}},
      {"failed HEAD is no move", {{"1", a}}, {{"1", std::nullopt}}, {}},
      {"all three",
       {{"del", a}, {"mv", a}, {"same", b}},
       {{"add", b}, {"mv", b}, {"same", b}},
       {{"add", TagChangeKind::kAdded, std::nullopt, b},
        {"del", TagChangeKind::kDeleted, a, std::nullopt},
        {"mv", TagChangeKind::kMoved, a, b}}},
      {"from empty", {}, {{"1", a}}, {{"1", TagChangeKind::kAdded, std::nullopt, a}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(DiffSnapshots(Snap(1, c.older), Snap(2, c.newer)) == c.expected);
  }
}

TEST_CASE("SnapshotChangesSince compares the last snapshot before the window with the newest") {
  const std::string a = "sha256:a", b = "sha256:b";
  const std::vector<RepositorySnapshot> snapshots = {
      Snap(10, {{"1", a}}), Snap(20, {{"1", a}, {"2", a}}), Snap(30, {{"1", b}, {"2", a}})};
  // Window from 25: base is the snapshot of 20, so only the move of "1".
  CHECK(SnapshotChangesSince(snapshots, 25) ==
        std::vector<TagChange>{{"1", TagChangeKind::kMoved, a, b}});
  // Window from 0: none before, base is the first one in the window.
  CHECK(SnapshotChangesSince(snapshots, 0).size() == 2);
  // Window after the newest: nothing changed in it.
  CHECK(SnapshotChangesSince(snapshots, 31).empty());
  CHECK(SnapshotChangesSince({snapshots[0]}, 0).empty());
  CHECK(std::string(TagChangeKindName(TagChangeKind::kDeleted)) == "deleted");
}

TEST_CASE("SnapshotHistory lists the changes between each snapshot and the next, dated") {
  const std::string a = "sha256:a", b = "sha256:b";
  const std::vector<RepositorySnapshot> snapshots = {
      Snap(10, {{"1", a}}), Snap(20, {{"1", a}, {"2", a}}), Snap(30, {{"1", b}})};
  CHECK(SnapshotHistory(snapshots) ==
        std::vector<DatedTagChange>{{20, {"2", TagChangeKind::kAdded, std::nullopt, a}},
                                    {30, {"1", TagChangeKind::kMoved, a, b}},
                                    {30, {"2", TagChangeKind::kDeleted, a, std::nullopt}}});
  CHECK(SnapshotHistory({snapshots[0]}).empty());
}

}  // namespace
}  // namespace regdigest
