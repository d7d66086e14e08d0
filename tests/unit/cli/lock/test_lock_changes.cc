// Tests for cli/lock/lock_changes.h: how resolved targets change a lock file
// (added, updated, unchanged keeping its resolvedAt) and how `lock` reports
// it as text and JSON.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/lock/lock_changes.h"

namespace regdigest {
namespace {

Digest D(char c) { return Digest::Parse("sha256:" + std::string(64, c)).value(); }
const std::string kIndex = "application/vnd.oci.image.index.v1+json";
const std::string kOld = "2026-01-01T00:00:00Z";
const std::string kNow = "2026-11-30T12:00:00Z";

LockTarget Resolved(const std::string& reference, char digest,
                    std::map<std::string, Digest> platforms = {}) {
  LockTarget target{"", Reference::Parse(reference).value(), {}, Status::Ok(), {}};
  target.head = ManifestDescriptor{D(digest), kIndex, 100, std::nullopt};
  target.platform_digests = std::move(platforms);
  return target;
}

LockFile Existing() {
  LockFile lock;
  lock.entries.push_back(
      LockEntry{Reference::Parse("reg.example/a:1").value(), D('a'), kIndex, {}, kOld, 0});
  lock.entries.push_back(LockEntry{Reference::Parse("reg.example/b:1").value(),
                                   D('b'),
                                   kIndex,
                                   {{"linux/arm64", D('c')}},
                                   kOld,
                                   0});
  return lock;
}

TEST_CASE("ApplyLockTargets: added, updated, unchanged") {
  struct Case {
    const char* name;
    LockTarget target;
    LockChange want;
    std::string resolved_at;
  };
  const Case cases[] = {
      {"a new reference", Resolved("reg.example/new:1", 'e'), LockChange::kAdded, kNow},
      {"same digest", Resolved("reg.example/a:1", 'a'), LockChange::kUnchanged, kOld},
      {"another digest", Resolved("reg.example/a:1", 'f'), LockChange::kUpdated, kNow},
      {"same digest and platforms", Resolved("reg.example/b:1", 'b', {{"linux/arm64", D('c')}}),
       LockChange::kUnchanged, kOld},
      {"same digest, platforms changed", Resolved("reg.example/b:1", 'b'), LockChange::kUpdated,
       kNow},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      LockFile lock = Existing();
      const std::vector<LockChange> changes = ApplyLockTargets(lock, {c.target}, kNow);
      REQUIRE(changes.size() == 1);
      CHECK(changes[0] == c.want);
      const LockEntry* entry = lock.Find(c.target.reference);
      REQUIRE(entry != nullptr);
      CHECK(entry->resolved_at == c.resolved_at);
      CHECK(entry->digest == c.target.head->digest);
      CHECK(entry->platforms == c.target.platform_digests);
      CHECK(lock.entries.size() == (c.want == LockChange::kAdded ? 3u : 2u));
    }
  }
}

TEST_CASE("LockResultsText and LockResultsJson") {
  LockFile lock = Existing();
  const std::vector<LockTarget> targets = {
      Resolved("reg.example/a:1", 'a'),
      Resolved("reg.example/b:1", 'f', {{"linux/amd64", D('1')}, {"linux/arm64", D('2')}})};
  const std::vector<LockChange> changes = ApplyLockTargets(lock, targets, kNow);
  CHECK(LockResultsText(lock, targets, changes) ==
        "unchanged reg.example/a:1 " + D('a').String() + "\n" + "updated reg.example/b:1 " +
            D('f').String() + "\n" + "  linux/amd64 " + D('1').String() + "\n" + "  linux/arm64 " +
            D('2').String() + "\n");

  const nlohmann::ordered_json json = LockResultsJson(lock, targets, changes, "x.lock", true);
  CHECK(json["file"] == "x.lock");
  CHECK(json["written"] == true);
  REQUIRE(json["entries"].size() == 2);
  CHECK(json["entries"][0].dump() == nlohmann::ordered_json({{"reference", "reg.example/a:1"},
                                                             {"digest", D('a').String()},
                                                             {"mediaType", kIndex},
                                                             {"resolvedAt", kOld},
                                                             {"change", "unchanged"}})
                                         .dump());
  CHECK(json["entries"][1]["platforms"]["linux/arm64"] == D('2').String());
  CHECK(json["entries"][1]["change"] == "updated");
  CHECK(json["entries"][1]["resolvedAt"] == kNow);
  CHECK(LockChangeName(LockChange::kAdded) == std::string("added"));
}

TEST_CASE(
    "ApplyLockTargets: lock --key records the signature; without --key it is kept or dropped") {
  const LockSignature sig{D('e'), "SHA256:key"};
  LockFile lock = Existing();
  LockTarget signed_target = Resolved("reg.example/a:1", 'a');
  signed_target.signature = sig;
  // Same digest, now signed: the entry changes (it gains the signature).
  CHECK(ApplyLockTargets(lock, {signed_target}, kNow)[0] == LockChange::kUpdated);
  CHECK(lock.Find(signed_target.reference)->signature == sig);
  // Re-locked without --key, same digest: the signature is kept, nothing changes.
  CHECK(ApplyLockTargets(lock, {Resolved("reg.example/a:1", 'a')}, "later")[0] ==
        LockChange::kUnchanged);
  CHECK(lock.Find(signed_target.reference)->signature == sig);
  CHECK(lock.Find(signed_target.reference)->resolved_at == kNow);
  // Without --key, the digest moved: the old signature no longer applies.
  CHECK(ApplyLockTargets(lock, {Resolved("reg.example/a:1", 'f')}, kNow)[0] ==
        LockChange::kUpdated);
  CHECK_FALSE(lock.Find(signed_target.reference)->signature.has_value());
  // Text and JSON show it.
  LockFile fresh;
  const std::vector<LockChange> changes = ApplyLockTargets(fresh, {signed_target}, kNow);
  CHECK(LockResultsText(fresh, {signed_target}, changes).find("signed by SHA256:key") !=
        std::string::npos);
  CHECK(LockResultsJson(fresh, {signed_target}, changes, "f",
                        true)["entries"][0]["signature"]["key"] == "SHA256:key");
}

}  // namespace
}  // namespace regdigest
