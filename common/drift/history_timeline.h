// What the history database stores about a tag (one Observation per
// `regdigest record`) and what is computed from it, without I/O: the timeline
// of digests a tag pointed to (consecutive equal digests form one period) and
// the changes of digest at or after a time (A -> B -> A is two changes).
// Failed observations (no digest) are counted but never start or end a period.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regdigest {

// The status text of a successful observation.
inline constexpr const char* kObservationOk = "ok";

struct Observation {
  std::string reference;                // canonical, tag defaulted: docker.io/library/nginx:latest
  std::optional<std::string> digest;    // null when the registry answer was an error
  std::string media_type;               // "" when unknown
  std::int64_t observed_at = 0;         // unix seconds, UTC
  std::string status = kObservationOk;  // "ok", or StatusCodeName: "not found", "unauthorized"...
  std::string message;                  // the error detail; "" when ok
  std::string run_id;                   // the `record` run that made it (HistoryRun)
  std::optional<bool> signature_verified;  // null: not checked (`record --key` fills it)
};

// Consecutive observations of one digest.
struct TimelinePeriod {
  std::string digest;
  std::string media_type;  // of the period's newest observation
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  std::size_t observations = 0;
};

struct Timeline {
  std::string reference;
  std::vector<TimelinePeriod> periods;  // newest first
  std::size_t failed_observations = 0;
  std::optional<Observation> last_failure;  // the newest failed observation
  std::size_t Changes() const { return periods.empty() ? 0 : periods.size() - 1; }
};

// `observations` of one reference, oldest first (ties keep their order).
Timeline BuildTimeline(const std::string& reference, const std::vector<Observation>& observations);

struct DigestChange {
  std::string reference;
  std::string old_digest;
  std::string new_digest;
  std::int64_t changed_at = 0;  // when the new digest was first observed
};

// Every change of digest observed at or after `since`. `observations` are
// grouped by reference, oldest first within a reference, and include for each
// reference its last successful observation before `since` (the "old" side of
// a change right at the start of the window). Result: oldest change first,
// then by reference.
std::vector<DigestChange> FindChanges(const std::vector<Observation>& observations,
                                      std::int64_t since);

}  // namespace regdigest
