#include "common/drift/history_timeline.h"

#include <algorithm>

namespace regdigest {

Timeline BuildTimeline(const std::string& reference, const std::vector<Observation>& observations) {
  Timeline timeline;
  timeline.reference = reference;
  std::vector<TimelinePeriod> oldest_first;
  for (const Observation& observation : observations) {
    if (!observation.digest) {
      ++timeline.failed_observations;
      timeline.last_failure = observation;
      continue;
    }
    if (oldest_first.empty() || oldest_first.back().digest != *observation.digest) {
      TimelinePeriod period;
      period.digest = *observation.digest;
      period.first_seen = observation.observed_at;
      oldest_first.push_back(std::move(period));
    }
    TimelinePeriod& period = oldest_first.back();
    period.last_seen = observation.observed_at;
    period.media_type = observation.media_type;
    ++period.observations;
  }
  timeline.periods.assign(oldest_first.rbegin(), oldest_first.rend());
  return timeline;
}

std::vector<DigestChange> FindChanges(const std::vector<Observation>& observations,
                                      std::int64_t since) {
  std::vector<DigestChange> changes;
  const Observation* previous = nullptr;  // the last successful one of the same reference
  for (const Observation& observation : observations) {
    if (!observation.digest) continue;
    if (previous != nullptr && previous->reference != observation.reference) previous = nullptr;
    if (previous != nullptr && *previous->digest != *observation.digest &&
        observation.observed_at >= since) {
      changes.push_back(DigestChange{observation.reference, *previous->digest, *observation.digest,
                                     observation.observed_at});
    }
    previous = &observation;
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const DigestChange& a, const DigestChange& b) {
                     if (a.changed_at != b.changed_at) return a.changed_at < b.changed_at;
                     return a.reference < b.reference;
                   });
  return changes;
}

}  // namespace regdigest
