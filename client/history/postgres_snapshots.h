// The PostgreSQL backend's whole-repository snapshot rows (schema version 3):
// written inside the run's transaction, read in one read-only transaction.
// Bound parameters only. Thread safety: as the PgConnection passed in.
#pragma once

#include <string>
#include <vector>

#include "client/history/postgres_connection.h"
#include "common/base/status.h"
#include "common/drift/repository_snapshot.h"

namespace regdigest {

// Inserts each snapshot (run_id from `default_run_id` when empty) with its
// tags; a snapshot already stored (same run and repository) is left as it is.
// kInvalidArgument for more than kMaxSnapshotTags tags or no run id.
Status PgInsertSnapshots(PgConnection& db, const std::vector<RepositorySnapshot>& snapshots,
                         const std::string& default_run_id);

// Every snapshot of `repository`, oldest first, tags sorted; replaces `out`.
Status PgReadSnapshots(PgConnection& db, const std::string& repository,
                       std::vector<RepositorySnapshot>& out);

}  // namespace regdigest
