// Tests for common/compare.h: every rule of the decision, for classic and
// containerd image stores, with the explanation a person reads.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/engine/compare.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

// Registry side: the index the tag points to, its amd64 manifest and config.
const std::string kIndex =
    "sha256:8d28a6b1c4e0f1b7d5c3a2918e7f6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c";
const std::string kPlatform =
    "sha256:5a1f0c2d3e4b5a6978877665544332211000ffeeddccbbaa9988776655443322";
const std::string kConfig =
    "sha256:bac2f5fed373e0a7e3d0c9b8a7f6e5d4c3b2a190817263544536271809fedcba";
// Local side: what an older pull of the tag gave.
const std::string kOld = "sha256:01d0c0ffee01d0c0ffee01d0c0ffee01d0c0ffee01d0c0ffee01d0c0ffee01d0";
const std::string kOldConfig =
    "sha256:c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1c0f1";
// An even older pull of the same repository.
const std::string kOlder =
    "sha256:0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
const std::string kImported =
    "sha256:1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e";

Digest D(const std::string& text) {
  Result<Digest> d = Digest::Parse(text);
  REQUIRE_MESSAGE(d.ok(), d.status().ToString());
  return *d;
}

std::string Short(const std::string& digest) { return digest.substr(7, 12); }

constexpr ImageStore kClassic = ImageStore::kClassic;
constexpr ImageStore kContainerd = ImageStore::kContainerd;
constexpr CompareStatus kMatch = CompareStatus::kMatch;
constexpr CompareStatus kStale = CompareStatus::kStale;
constexpr CompareStatus kAbsent = CompareStatus::kAbsent;
constexpr CompareStatus kUnknown = CompareStatus::kUnknown;

// One row of the decision table, written as a chain of setters.
struct Case {
  std::string name;
  std::string reference = "jenkins/jenkins:centos7";
  std::string platform_digest;  // "" when the registry digest is not an index
  std::string config_digest;    // "" when not fetched
  bool present = true;          // false: the engine has no such image
  ImageStore store = kClassic;
  std::string id;
  std::vector<std::string> repo_digests;
  CompareStatus status = kUnknown;
  MatchRule rule = MatchRule::kNone;
  std::string pulled;                // "" when none
  std::vector<std::string> phrases;  // each must appear in the explanation
  bool needs_config = false;

  explicit Case(std::string n) : name(std::move(n)) {}
  Case& Ref(std::string r) { return reference = std::move(r), *this; }
  Case& Index(std::string platform) { return platform_digest = std::move(platform), *this; }
  Case& Config(std::string config) { return config_digest = std::move(config), *this; }
  Case& Absent() { return present = false, *this; }
  Case& Local(ImageStore s, std::string i, std::vector<std::string> digests = {}) {
    store = s;
    id = std::move(i);
    repo_digests = std::move(digests);
    return *this;
  }
  Case& Expect(CompareStatus s, MatchRule r = MatchRule::kNone, std::string p = "") {
    status = s;
    rule = r;
    pulled = std::move(p);
    return *this;
  }
  Case& Says(std::vector<std::string> p) { return phrases = std::move(p), *this; }
  Case& NeedsConfig() { return needs_config = true, *this; }
};

TEST_CASE("Compare decides match, stale, absent or unknown and says why") {
  const std::string jenkins_index = "jenkins/jenkins@" + kIndex;
  const std::string jenkins_old = "jenkins/jenkins@" + kOld;
  const MatchRule kRepoDigest = MatchRule::kRepoDigest;
  const MatchRule kConfigDigest = MatchRule::kConfigDigest;
  const MatchRule kContainerdId = MatchRule::kContainerdId;
  const Case cases[] = {
      // Rule 1: a RepoDigests entry of the repository is the registry digest.
      Case("classic, pulled by tag: RepoDigests has the registry digest")
          .Index(kPlatform)
          .Local(kClassic, kConfig, {jenkins_index})
          .Expect(kMatch, kRepoDigest, kIndex)
          .Says({"RepoDigests record " + Short(kIndex),
                 "the index digest jenkins/jenkins:centos7 points to now",
                 "image ID " + Short(kConfig), "is the config digest, not a manifest digest"}),
      Case("RepoDigests with the full name")
          .Local(kClassic, kConfig, {"docker.io/jenkins/jenkins@" + kIndex})
          .Expect(kMatch, kRepoDigest, kIndex)
          .Says({"the manifest digest jenkins/jenkins:centos7 points to now"}),
      Case("official image: familiar name in RepoDigests")
          .Ref("ubuntu:22.04")
          .Local(kClassic, kConfig, {"ubuntu@" + kIndex})
          .Expect(kMatch, kRepoDigest, kIndex)
          .Says({"RepoDigests record " + Short(kIndex), "ubuntu:22.04 points to now"}),
      Case("official image: docker.io/library name in RepoDigests")
          .Ref("docker.io/library/ubuntu:22.04")
          .Local(kClassic, kConfig, {"docker.io/library/ubuntu@" + kIndex})
          .Expect(kMatch, kRepoDigest, kIndex),
      Case("several RepoDigests of the repository, one current")
          .Local(kClassic, kConfig, {jenkins_old, "myfork/jenkins@" + kOld, jenkins_index})
          .Expect(kMatch, kRepoDigest, kIndex),
      Case("containerd store: RepoDigests decides first")
          .Index(kPlatform)
          .Local(kContainerd, kIndex, {jenkins_index})
          .Expect(kMatch, kRepoDigest, kIndex)
          .Says({"image ID " + Short(kIndex) + " is that same digest"}),
      // Rule 2: containerd store, the image ID is the index or manifest digest.
      Case("containerd store: ID is the index digest")
          .Index(kPlatform)
          .Local(kContainerd, kIndex)
          .Expect(kMatch, kContainerdId)
          .Says({"image ID " + Short(kIndex) + " is the index digest", "containerd image store"}),
      Case("containerd store: ID is the platform manifest digest")
          .Index(kPlatform)
          .Local(kContainerd, kPlatform)
          .Expect(kMatch, kContainerdId)
          .Says({"image ID " + Short(kPlatform) + " is the platform manifest digest",
                 "of index " + Short(kIndex)}),
      Case("containerd store: ID is the single manifest digest")
          .Local(kContainerd, kIndex)
          .Expect(kMatch, kContainerdId)
          .Says({"is the manifest digest jenkins/jenkins:centos7 points to now"}),
      // Rule 3: classic store, the image ID is the config digest.
      Case("classic: same content through a different manifest")
          .Index(kPlatform)
          .Config(kConfig)
          .Local(kClassic, kConfig, {jenkins_old})
          .Expect(kMatch, kConfigDigest, kOld)
          .Says({"image ID " + Short(kConfig) + " is the config digest",
                 "index digest " + Short(kIndex),
                 "same content reached through a different manifest",
                 "(its RepoDigests record " + Short(kOld) + ")"}),
      Case("classic: loaded image whose ID is the config digest")
          .Config(kConfig)
          .Local(kClassic, kConfig)
          .Expect(kMatch, kConfigDigest)
          .Says({"same content reached through a different manifest"}),
      Case("classic: engine reports the ID without sha256:")
          .Config(kConfig)
          .Local(kClassic, kConfig.substr(7))
          .Expect(kMatch, kConfigDigest)
          .Says({"image ID " + Short(kConfig)}),
      // Rule 4: pulled from the repository, but the tag has moved.
      Case("classic: the tag moved (config known)")
          .Index(kPlatform)
          .Config(kConfig)
          .Local(kClassic, kOldConfig, {jenkins_old})
          .Expect(kStale, MatchRule::kNone, kOld)
          .Says({"The tag jenkins/jenkins:centos7 has moved since you pulled",
                 "you pulled " + Short(kOld), "image ID " + Short(kOldConfig),
                 "the registry now has index digest " + Short(kIndex)}),
      Case("classic: the tag moved (config not fetched)")
          .Local(kClassic, kOldConfig, {"docker.io/jenkins/jenkins@" + kOld})
          .Expect(kStale, MatchRule::kNone, kOld)
          .Says({"has moved since you pulled"})
          .NeedsConfig(),
      Case("classic: the tag moved, two RepoDigests of the repository: the first was pulled")
          .Config(kConfig)
          .Local(kClassic, kOldConfig, {jenkins_old, "jenkins/jenkins@" + kOlder})
          .Expect(kStale, MatchRule::kNone, kOld)
          .Says({"you pulled " + Short(kOld) + " (image ID"}),
      Case("classic: same content, two RepoDigests of the repository: the first is named")
          .Config(kConfig)
          .Local(kClassic, kConfig,
                 {"docker.io/jenkins/jenkins@" + kOld, "jenkins/jenkins@" + kOlder})
          .Expect(kMatch, kConfigDigest, kOld)
          .Says({"(its RepoDigests record " + Short(kOld) + ")"}),
      Case("containerd store: the tag moved")
          .Index(kPlatform)
          .Local(kContainerd, kOld, {jenkins_old})
          .Expect(kStale, MatchRule::kNone, kOld)
          .Says({"you pulled " + Short(kOld), "image ID " + Short(kOld)}),
      // Rule 5: no local image.
      Case("never pulled")
          .Absent()
          .Expect(kAbsent)
          .Says({"no local image jenkins/jenkins:centos7", "manifest digest " + Short(kIndex)}),
      Case("never pulled, index")
          .Index(kPlatform)
          .Absent()
          .Expect(kAbsent)
          .Says({"index digest " + Short(kIndex)}),
      // Rule 6: nothing links the local image to the registry.
      Case("classic: imported, no RepoDigests, config not fetched")
          .Local(kClassic, kImported)
          .Expect(kUnknown)
          .Says({"image ID " + Short(kImported), "no RepoDigests entry for jenkins/jenkins",
                 "built or loaded locally, never pulled from this repository",
                 "nothing links it to the registry's manifest digest " + Short(kIndex)})
          .NeedsConfig(),
      Case("classic: imported, config known and different")
          .Config(kConfig)
          .Local(kClassic, kImported)
          .Expect(kUnknown)
          .Says({"or config digest " + Short(kConfig)}),
      Case("classic: RepoDigests of another repository only, same digest")
          .Local(kClassic, kConfig, {"myfork/jenkins@" + kIndex})
          .Expect(kUnknown)
          .Says({"(only for myfork/jenkins), so it was never pulled from this repository"})
          .NeedsConfig(),
      Case("classic: same path on another registry is another repository")
          .Local(kClassic, kConfig, {"localhost:5000/jenkins/jenkins@" + kIndex})
          .Expect(kUnknown)
          .Says({"(only for localhost:5000/jenkins/jenkins)"})
          .NeedsConfig(),
      Case("classic: unparsable RepoDigests are ignored")
          .Local(kClassic, kImported, {"<none>@<none>", "jenkins/jenkins@sha256:abc"})
          .Expect(kUnknown)
          .NeedsConfig(),
      Case("classic: ID equal to the manifest digest is no rule")
          .Local(kClassic, kIndex)
          .Expect(kUnknown)
          .NeedsConfig(),
      Case("containerd store: imported image")
          .Index(kPlatform)
          .Local(kContainerd, kImported)
          .Expect(kUnknown)
          .Says({"never pulled from this repository"}),
      Case("containerd store: config digest is no rule")
          .Config(kConfig)
          .Local(kContainerd, kConfig)
          .Expect(kUnknown),
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<Reference> ref = Reference::Parse(c.reference);
    REQUIRE(ref.ok());
    RegistryFacts registry{
        *ref, D(kIndex),
        c.platform_digest.empty() ? std::string(kDockerManifestV2) : std::string(kOciImageIndex)};
    if (!c.platform_digest.empty()) registry.platform_digest = D(c.platform_digest);
    if (!c.config_digest.empty()) registry.config_digest = D(c.config_digest);
    std::optional<LocalFacts> local;
    if (c.present) {
      local.emplace();
      local->id = c.id;
      local->repo_digests = c.repo_digests;
      local->store = c.store;
    }

    Comparison got = Compare(registry, local);
    CAPTURE(got.explanation);
    CHECK(CompareStatusName(got.status) == CompareStatusName(c.status));
    CHECK(MatchRuleName(got.rule) == MatchRuleName(c.rule));
    if (c.pulled.empty()) {
      CHECK_FALSE(got.pulled_digest.has_value());
    } else {
      REQUIRE(got.pulled_digest.has_value());
      CHECK(got.pulled_digest->String() == c.pulled);
    }
    for (const std::string& phrase : c.phrases) {
      CAPTURE(phrase);
      CHECK(got.explanation.find(phrase) != std::string::npos);
    }
    // One sentence: starts with a capital, ends with the only full stop.
    REQUIRE_FALSE(got.explanation.empty());
    CHECK(got.explanation.back() == '.');
    CHECK(got.explanation.find(". ") == std::string::npos);
    CHECK(NeedsConfigDigest(registry, local) == c.needs_config);
  }
}

// Podman lists every name of an image with every digest it has, for pulled
// and local images alike; only its `Digest`, confirmed in the registry's
// repository, is evidence of a pull.
TEST_CASE("Compare trusts only Podman's Digest, and only when the repository has it") {
  const std::string repo = "docker.io/jenkins/jenkins@";
  const std::string other = "docker.io/team/other@";
  // Sorts before kOld, as Podman's first RepoDigests entry of a multi-arch pull.
  const std::string kOldPlatform =
      "sha256:00000a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
  struct PodmanCase {
    std::string name;
    std::string id;
    std::vector<std::string> repo_digests;
    std::string engine_digest;          // "" when Podman gave none
    std::optional<bool> in_repository;  // the HEAD's answer, when asked
    std::string to_confirm;             // what PodmanDigestToConfirm asks, "" none
    CompareStatus status;
    MatchRule rule;
    std::string pulled;
    std::string phrase;
  };
  const std::vector<PodmanCase> cases = {
      {"multi-arch pull, tag moved: the index digest Podman pulled, not the first entry",
       kOldConfig,
       {repo + kOldPlatform, repo + kOld},
       kOld,
       true,
       "",
       kStale,
       MatchRule::kNone,
       kOld,
       "you pulled " + Short(kOld)},
      {"before the HEAD: the digest to confirm is Podman's",
       kOldConfig,
       {repo + kOldPlatform, repo + kOld},
       kOld,
       std::nullopt,
       kOld,
       kStale,
       MatchRule::kNone,
       kOld,
       "you pulled " + Short(kOld)},
      {"imported, loaded or built: the repository lacks Podman's digest",
       kOldConfig,
       {repo + kImported},
       kImported,
       false,
       "",
       kUnknown,
       MatchRule::kNone,
       kImported,
       "made locally"},
      {"podman tag of another repository's image",
       kOldConfig,
       {other + kOld, repo + kOld},
       kOld,
       false,
       "",
       kUnknown,
       MatchRule::kNone,
       kOld,
       "has no such manifest"},
      {"an entry that is not Podman's digest is no pull",
       kOldConfig,
       {repo + kOldPlatform},
       kOld,
       std::nullopt,
       "",
       kUnknown,
       MatchRule::kNone,
       "",
       "no RepoDigests entry"},
      {"no Digest from Podman: no pull",
       kOldConfig,
       {repo + kOld},
       "",
       std::nullopt,
       "",
       kUnknown,
       MatchRule::kNone,
       "",
       "no RepoDigests entry"},
      {"an entry equal to the registry digest matches",
       kOldConfig,
       {repo + kOld, repo + kIndex},
       kOld,
       std::nullopt,
       "",
       kMatch,
       MatchRule::kRepoDigest,
       kIndex,
       "RepoDigests record"},
      {"image ID is the config digest",
       kConfig,
       {repo + kImported},
       kImported,
       std::nullopt,
       "",
       kMatch,
       MatchRule::kConfigDigest,
       kImported,
       "config digest"},
  };
  for (const PodmanCase& c : cases) {
    CAPTURE(c.name);
    RegistryFacts registry{*Reference::Parse("jenkins/jenkins:centos7"), D(kIndex),
                           std::string(kOciImageIndex), D(kPlatform), D(kConfig)};
    registry.pulled_digest_in_repository = c.in_repository;
    LocalFacts local;
    local.id = c.id;
    local.repo_digests = c.repo_digests;
    local.store = ImageStore::kContainersStorage;
    local.engine = EngineKind::kPodman;
    if (!c.engine_digest.empty()) local.engine_digest = D(c.engine_digest);
    const Comparison got = Compare(registry, local);
    CAPTURE(got.explanation);
    CHECK(CompareStatusName(got.status) == CompareStatusName(c.status));
    CHECK(MatchRuleName(got.rule) == MatchRuleName(c.rule));
    CHECK((got.pulled_digest ? got.pulled_digest->String() : "") == c.pulled);
    CHECK(got.explanation.find(c.phrase) != std::string::npos);
    const std::optional<Digest> confirm = PodmanDigestToConfirm(registry, local);
    CHECK((confirm ? confirm->String() : "") == c.to_confirm);
  }
}

TEST_CASE("Docker's RepoDigests need no confirmation") {
  RegistryFacts registry{*Reference::Parse("jenkins/jenkins:centos7"), D(kIndex),
                         std::string(kOciImageIndex), D(kPlatform), D(kConfig)};
  registry.pulled_digest_in_repository = false;  // ignored for Docker
  LocalFacts local;
  local.id = kOldConfig;
  local.repo_digests = {"docker.io/jenkins/jenkins@" + kOld};
  CHECK(Compare(registry, local).status == kStale);
  CHECK_FALSE(PodmanDigestToConfirm(registry, local).has_value());
}

TEST_CASE("Compare names") {
  CHECK(ImageStoreName(kClassic) == "classic");
  CHECK(ImageStoreName(kContainerd) == "containerd");
  CHECK(ImageStoreName(ImageStore::kContainersStorage) == "containers-storage");
  CHECK(ImageIdIsConfigDigest(kClassic));
  CHECK(ImageIdIsConfigDigest(ImageStore::kContainersStorage));
  CHECK_FALSE(ImageIdIsConfigDigest(kContainerd));
  CHECK(EngineKindName(EngineKind::kDocker) == "docker");
  CHECK(EngineKindName(EngineKind::kPodman) == "podman");
  const std::pair<CompareStatus, std::string_view> statuses[] = {
      {kMatch, "match"}, {kStale, "stale"}, {kAbsent, "absent"}, {kUnknown, "unknown"}};
  for (const auto& [status, name] : statuses) CHECK(CompareStatusName(status) == name);
  const std::pair<MatchRule, std::string_view> rules[] = {
      {MatchRule::kNone, "none"},
      {MatchRule::kRepoDigest, "repoDigest"},
      {MatchRule::kConfigDigest, "configDigest"},
      {MatchRule::kContainerdId, "containerdId"}};
  for (const auto& [rule, name] : rules) CHECK(MatchRuleName(rule) == name);
}

}  // namespace
}  // namespace regdigest
