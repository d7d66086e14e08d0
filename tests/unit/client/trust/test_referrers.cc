// ReferrersClient over an in-memory registry: the referrers API with Link
// pagination and artifactType filtering (by the registry or by us), the
// fallback tag sha256-<hex> on 404/400/406 or a non-index answer, and the
// caps and refusals for hostile answers.
#include <doctest/doctest.h>

#include <memory>

#include "client/trust/referrers.h"
#include "common/image/media_types.h"
#include "tests/unit/fakes/fake_oci_registry.h"

using namespace regdigest;
using regdigest::testing::DescriptorJson;
using regdigest::testing::FakeOciRegistry;
using regdigest::testing::OciIndexJson;

namespace {

const Digest kSubject = Digest::Sha256Of("the image");
const std::string kApi = FakeOciRegistry::kBase + "app/referrers/" + kSubject.String();

std::string Entry(const std::string& body, const std::string& artifact_type) {
  return DescriptorJson("application/vnd.oci.image.manifest.v1+json", Digest::Sha256Of(body), 10,
                        R"(,"artifactType":")" + artifact_type + "\"");
}

FakeOciRegistry::Answer IndexAnswer(const std::vector<std::string>& entries,
                                    const std::string& link = "", bool filtered = false) {
  FakeOciRegistry::Answer answer;
  answer.headers.Add("Content-Type", "application/vnd.oci.image.index.v1+json");
  if (!link.empty()) answer.headers.Add("Link", link);
  if (filtered) answer.headers.Add("OCI-Filters-Applied", "artifactType");
  answer.body = OciIndexJson(entries);
  return answer;
}

Reference Repo() { return Reference::Parse("localhost:5000/app").value(); }

}  // namespace

TEST_CASE("NextLinkTarget finds rel=next among link values") {
  struct Case {
    std::vector<std::string> values;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {{R"(</v2/a/referrers/x?last=1>; rel="next")"}, "/v2/a/referrers/x?last=1"},
      {{R"(<p1>; rel="prev", <p2>; rel="next")"}, "p2"},
      {{"<n>; rel=next"}, "n"},
      {{R"(<n>; REL="Next")"}, "n"},
      {{R"(<n>; rel="prev next")"}, "n"},
      {{R"(<p>; rel="prev")"}, std::nullopt},
      {{"garbage", "<unterminated; rel=next"}, std::nullopt},
      {{R"(<a>; rel="prev")", R"(<b>; rel="next")"}, "b"},
      {{}, std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.values.size());
    CHECK(NextLinkTarget(c.values) == c.want);
  }
}

TEST_CASE("ParseReferrersIndex keeps artifactType and refuses what is no index") {
  Result<std::vector<Referrer>> parsed =
      ParseReferrersIndex(OciIndexJson({Entry("a", "application/x-a"), Entry("b", "")}));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].artifact_type == "application/x-a");
  CHECK((*parsed)[0].descriptor.digest == Digest::Sha256Of("a"));
  CHECK((*parsed)[1].artifact_type.empty());
  CHECK_FALSE(ParseReferrersIndex("<html>").ok());
  CHECK_FALSE(ParseReferrersIndex(R"({"manifests":[{"mediaType":"x","digest":"sha256:)" +
                                  kSubject.hex() + R"(","size":1,"artifactType":7}]})")
                  .ok());
}

TEST_CASE("IsSigstoreBundleArtifactType accepts the spellings tools push") {
  CHECK(IsSigstoreBundleArtifactType("application/vnd.dev.sigstore.bundle.v0.3+json"));
  CHECK(IsSigstoreBundleArtifactType("application/vnd.dev.sigstore.bundle+json;version=0.3"));
  CHECK(IsSigstoreBundleArtifactType("application/vnd.dev.sigstore.bundle+json; version=0.3.1"));
  CHECK_FALSE(IsSigstoreBundleArtifactType("application/vnd.in-toto+json"));
  CHECK_FALSE(IsSigstoreBundleArtifactType(""));
}

TEST_CASE("DigestTag names cosign's tags") {
  CHECK(DigestTag(kSubject) == "sha256-" + kSubject.hex());
  CHECK(DigestTag(kSubject, "sig") == "sha256-" + kSubject.hex() + ".sig");
}

TEST_CASE("Referrers API: pages followed by Link, filtered by us without OCI-Filters-Applied") {
  auto registry = std::make_shared<FakeOciRegistry>();
  registry->AddRaw(kApi + "?artifactType=application%2Fx-a",
                   IndexAnswer({Entry("1", "application/x-a"), Entry("2", "application/x-b")},
                               "</v2/app/referrers/" + kSubject.String() +
                                   "?artifactType=application%2Fx-a&last=2>; rel=\"next\""));
  registry->AddRaw(kApi + "?artifactType=application%2Fx-a&last=2",
                   IndexAnswer({Entry("3", "application/x-a")}));
  RegistryClient client(registry, ToolConfig{});
  Result<ReferrerList> list = ReferrersClient(client).List(Repo(), kSubject, "application/x-a");
  REQUIRE(list.ok());
  CHECK(list->source == ReferrersSource::kApi);
  CHECK(list->pages == 2);
  REQUIRE(list->referrers.size() == 2);
  CHECK(list->referrers[0].descriptor.digest == Digest::Sha256Of("1"));
  CHECK(list->referrers[1].descriptor.digest == Digest::Sha256Of("3"));
  CHECK(registry->requests.size() == 2);
}

TEST_CASE("Referrers API: OCI-Filters-Applied means the registry filtered") {
  auto registry = std::make_shared<FakeOciRegistry>();
  // What the registry says it filtered is taken as it is.
  registry->AddRaw(kApi + "?artifactType=application%2Fx-a",
                   IndexAnswer({Entry("1", "application/x-other")}, "", true));
  RegistryClient client(registry, ToolConfig{});
  Result<ReferrerList> list = ReferrersClient(client).List(Repo(), kSubject, "application/x-a");
  REQUIRE(list.ok());
  CHECK(list->referrers.size() == 1);
}

TEST_CASE("Referrers API: a next link to another host or repository is refused") {
  for (const std::string& link :
       {std::string("<http://evil.test/v2/app/referrers/") + kSubject.String() + ">; rel=next",
        std::string("</v2/other/referrers/") + kSubject.String() + ">; rel=next"}) {
    CAPTURE(link);
    auto registry = std::make_shared<FakeOciRegistry>();
    registry->AddRaw(kApi, IndexAnswer({Entry("1", "t")}, link));
    RegistryClient client(registry, ToolConfig{});
    Result<ReferrerList> list = ReferrersClient(client).List(Repo(), kSubject);
    REQUIRE_FALSE(list.ok());
    CHECK(list.status().code() == StatusCode::kProtocol);
    CHECK(registry->requests.size() == 1);
  }
}

TEST_CASE("Referrers API: at most kMaxReferrerPages pages are read") {
  auto registry = std::make_shared<FakeOciRegistry>();
  // Every page links to itself: a loop the page cap ends.
  registry->AddRaw(kApi, IndexAnswer({Entry("1", "t")},
                                     "</v2/app/referrers/" + kSubject.String() + ">; rel=next"));
  RegistryClient client(registry, ToolConfig{});
  Result<ReferrerList> list = ReferrersClient(client).List(Repo(), kSubject);
  REQUIRE(list.ok());
  CHECK(list->truncated);
  CHECK(list->pages == kMaxReferrerPages);
  CHECK(registry->requests.size() == static_cast<std::size_t>(kMaxReferrerPages));
}

TEST_CASE("Referrers fall back to the sha256-<hex> tag on 404, 400, 406 and non-index answers") {
  struct Case {
    int status;
    std::string content_type;
  };
  const Case cases[] = {{404, "text/plain"},
                        {400, "application/json"},
                        {406, "application/json"},
                        {200, "text/html"}};
  for (const Case& c : cases) {
    CAPTURE(c.status);
    auto registry = std::make_shared<FakeOciRegistry>();
    FakeOciRegistry::Answer api;
    api.status = c.status;
    api.headers.Add("Content-Type", c.content_type);
    api.body = "<html>no</html>";
    registry->AddRaw(kApi, api);
    registry->AddManifest("app", "application/vnd.oci.image.index.v1+json",
                          OciIndexJson({Entry("1", "application/x-a"), Entry("2", "b")}),
                          DigestTag(kSubject));
    RegistryClient client(registry, ToolConfig{});
    Result<ReferrerList> list = ReferrersClient(client).List(Repo(), kSubject, "application/x-a");
    REQUIRE(list.ok());
    CHECK(list->source == ReferrersSource::kFallbackTag);
    REQUIRE(list->referrers.size() == 1);
    CHECK(list->referrers[0].descriptor.digest == Digest::Sha256Of("1"));
    CHECK(registry->Count("/manifests/" + DigestTag(kSubject)) == 1);
  }
}

TEST_CASE("Referrers: no API and no fallback tag is an empty list; a 500 is an error") {
  auto registry = std::make_shared<FakeOciRegistry>();
  RegistryClient client(registry, ToolConfig{});
  Result<ReferrerList> none = ReferrersClient(client).List(Repo(), kSubject);
  REQUIRE(none.ok());
  CHECK(none->referrers.empty());
  CHECK(none->source == ReferrersSource::kFallbackTag);

  FakeOciRegistry::Answer broken;
  broken.status = 500;
  registry->AddRaw(kApi, broken);
  Result<ReferrerList> failed = ReferrersClient(client).List(Repo(), kSubject);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().http_status() == 500);
}
