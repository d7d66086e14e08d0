// Tests for common/history_timeline.h: timelines and changes of digest.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "common/drift/history_timeline.h"

namespace regdigest {
namespace {

// An observation of `reference` at `time`: digest "sha256:<d>", or a failure
// ("not found") when d is empty.
Observation Obs(const std::string& reference, std::int64_t time, const std::string& d) {
  Observation observation;
  observation.reference = reference;
  observation.observed_at = time;
  if (d.empty()) {
    observation.status = "not found";
    observation.message = "manifest unknown";
  } else {
    observation.digest = "sha256:" + d;
    observation.media_type = "type-" + std::to_string(time);
  }
  return observation;
}

// "digest first..last xN" for each period, newest first.
std::vector<std::string> Describe(const Timeline& timeline) {
  std::vector<std::string> out;
  for (const TimelinePeriod& p : timeline.periods) {
    out.push_back(p.digest + " " + std::to_string(p.first_seen) + ".." +
                  std::to_string(p.last_seen) + " x" + std::to_string(p.observations) + " " +
                  p.media_type);
  }
  return out;
}

std::vector<std::string> Describe(const std::vector<DigestChange>& changes) {
  std::vector<std::string> out;
  for (const DigestChange& c : changes) {
    out.push_back(c.reference + " " + c.old_digest + " -> " + c.new_digest + " at " +
                  std::to_string(c.changed_at));
  }
  return out;
}

// One line per item, so a failed CHECK shows the values.
std::string Lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + "\n";
  return out;
}

TEST_CASE("BuildTimeline groups consecutive digests, newest period first") {
  struct Case {
    std::string name;
    std::vector<Observation> observations;
    std::vector<std::string> want;
    std::size_t changes, failed;
  };
  const std::string r = "docker.io/library/nginx:1.25";
  const Case cases[] = {
      {"no observations", {}, {}, 0, 0},
      {"one observation", {Obs(r, 10, "a")}, {"sha256:a 10..10 x1 type-10"}, 0, 0},
      {"same digest three times",
       {Obs(r, 10, "a"), Obs(r, 20, "a"), Obs(r, 30, "a")},
       {"sha256:a 10..30 x3 type-30"},
       0,
       0},
      {"moved once",
       {Obs(r, 10, "a"), Obs(r, 20, "a"), Obs(r, 30, "b")},
       {"sha256:b 30..30 x1 type-30", "sha256:a 10..20 x2 type-20"},
       1,
       0},
      {"moved and moved back is three periods",
       {Obs(r, 10, "a"), Obs(r, 20, "b"), Obs(r, 30, "b"), Obs(r, 40, "a")},
       {"sha256:a 40..40 x1 type-40", "sha256:b 20..30 x2 type-30", "sha256:a 10..10 x1 type-10"},
       2,
       0},
      {"a failure does not split a period",
       {Obs(r, 10, "a"), Obs(r, 20, ""), Obs(r, 30, "a")},
       {"sha256:a 10..30 x2 type-30"},
       0,
       1},
      {"only failures", {Obs(r, 10, ""), Obs(r, 20, "")}, {}, 0, 2},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      const Timeline timeline = BuildTimeline(r, c.observations);
      CHECK(timeline.reference == r);
      CHECK(Lines(Describe(timeline)) == Lines(c.want));
      CHECK(timeline.Changes() == c.changes);
      CHECK(timeline.failed_observations == c.failed);
      CHECK(timeline.last_failure.has_value() == (c.failed > 0));
    }
  }
}

TEST_CASE("BuildTimeline keeps the newest failure") {
  const std::string r = "localhost:5000/app:v1";
  const Timeline timeline =
      BuildTimeline(r, {Obs(r, 10, ""), Obs(r, 20, "a"), Obs(r, 30, ""), Obs(r, 40, "a")});
  REQUIRE(timeline.last_failure.has_value());
  CHECK(timeline.last_failure->observed_at == 30);
  CHECK(timeline.last_failure->status == "not found");
  CHECK(timeline.last_failure->message == "manifest unknown");
}

TEST_CASE("FindChanges lists every change of digest at or after since") {
  struct Case {
    std::string name;
    std::vector<Observation> observations;  // grouped by reference, oldest first
    std::int64_t since;
    std::vector<std::string> want;
  };
  const std::int64_t kAll = std::numeric_limits<std::int64_t>::min();
  const Case cases[] = {
      {"nothing observed", {}, kAll, {}},
      {"never changed", {Obs("r", 10, "a"), Obs("r", 20, "a")}, kAll, {}},
      {"one change",
       {Obs("r", 10, "a"), Obs("r", 20, "b")},
       kAll,
       {"r sha256:a -> sha256:b at 20"}},
      {"change before the window is left out",
       {Obs("r", 10, "a"), Obs("r", 20, "b"), Obs("r", 30, "b")},
       25,
       {}},
      {"the old side may be before the window",
       {Obs("r", 10, "a"), Obs("r", 30, "b")},
       25,
       {"r sha256:a -> sha256:b at 30"}},
      {"a change exactly at since is in the window",
       {Obs("r", 10, "a"), Obs("r", 25, "b")},
       25,
       {"r sha256:a -> sha256:b at 25"}},
      {"A -> B -> A is two changes",
       {Obs("r", 10, "a"), Obs("r", 20, "b"), Obs("r", 30, "a")},
       kAll,
       {"r sha256:a -> sha256:b at 20", "r sha256:b -> sha256:a at 30"}},
      {"failures in between are skipped",
       {Obs("r", 10, "a"), Obs("r", 20, ""), Obs("r", 30, "b")},
       kAll,
       {"r sha256:a -> sha256:b at 30"}},
      {"a failure then the same digest is no change",
       {Obs("r", 10, "a"), Obs("r", 20, ""), Obs("r", 30, "a")},
       kAll,
       {}},
      {"no change across references", {Obs("p", 10, "a"), Obs("q", 20, "b")}, kAll, {}},
      {"oldest change first, then by reference",
       {Obs("p", 10, "a"), Obs("p", 40, "b"), Obs("q", 10, "c"), Obs("q", 30, "d"),
        Obs("r", 10, "e"), Obs("r", 40, "f")},
       kAll,
       {"q sha256:c -> sha256:d at 30", "p sha256:a -> sha256:b at 40",
        "r sha256:e -> sha256:f at 40"}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      CHECK(Lines(Describe(FindChanges(c.observations, c.since))) == Lines(c.want));
    }
  }
}

}  // namespace
}  // namespace regdigest
