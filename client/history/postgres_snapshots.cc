#include "client/history/postgres_snapshots.h"

#include <charconv>

namespace regdigest {

Status PgInsertSnapshots(PgConnection& db, const std::vector<RepositorySnapshot>& snapshots,
                         const std::string& default_run_id) {
  for (const RepositorySnapshot& snapshot : snapshots) {
    const std::string& run_id = snapshot.run_id.empty() ? default_run_id : snapshot.run_id;
    if (run_id.empty()) return Status(StatusCode::kInvalidArgument, "a snapshot has no run id");
    if (snapshot.tags.size() > kMaxSnapshotTags) {
      return Status(StatusCode::kInvalidArgument,
                    "more than " + std::to_string(kMaxSnapshotTags) + " tags in one repository");
    }
    Result<PgResult> head = db.Exec(
        "INSERT INTO repository_snapshots (run_id, repository, observed_at) "
        "VALUES ($1, $2, $3::bigint) ON CONFLICT (run_id, repository) DO NOTHING",
        {run_id, snapshot.repository, std::to_string(snapshot.observed_at)});
    if (!head.ok()) return head.status();
    if (head->CommandRows() == 0) continue;  // stored by an earlier try or import
    std::vector<SnapshotTag> tags = snapshot.tags;
    SortSnapshotTags(tags);
    for (const SnapshotTag& tag : tags) {
      Result<PgResult> row = db.Exec(
          "INSERT INTO snapshot_tags (run_id, repository, tag, digest) VALUES ($1, $2, $3, $4)",
          {run_id, snapshot.repository, tag.tag, tag.digest});
      if (!row.ok()) return row.status();
    }
  }
  return Status::Ok();
}

Status PgReadSnapshots(PgConnection& db, const std::string& repository,
                       std::vector<RepositorySnapshot>& out) {
  out.clear();
  Result<PgResult> rows = db.Exec(
      "SELECT s.run_id, s.observed_at, t.tag, t.digest FROM repository_snapshots s "
      "LEFT JOIN snapshot_tags t ON t.run_id = s.run_id AND t.repository = s.repository "
      "WHERE s.repository = $1 ORDER BY s.observed_at, s.seq, t.tag COLLATE \"C\"",
      {repository});
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->Rows(); ++i) {
    const std::string run_id = rows->Text(i, 0);
    if (out.empty() || out.back().run_id != run_id) {
      const std::string seconds = rows->Text(i, 1);
      std::int64_t observed_at = 0;
      std::from_chars(seconds.data(), seconds.data() + seconds.size(), observed_at);
      out.push_back({run_id, repository, observed_at, {}});
    }
    if (rows->IsNull(i, 2)) continue;
    std::optional<std::string> digest;
    if (!rows->IsNull(i, 3)) digest = rows->Text(i, 3);
    out.back().tags.push_back({rows->Text(i, 2), std::move(digest)});
  }
  return Status::Ok();
}

}  // namespace regdigest
