// FindTags and ListTags over an in-memory registry: which tags point at an
// index, a platform manifest, a config or an image ID prefix; where the
// lookup stops; one GET per distinct document; ambiguous prefixes.
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cli/tags/tag_lookup.h"
#include "common/image/media_types.h"

using namespace regdigest;

namespace {

// A registry for http://127.0.0.1:5000/v2/app: tags/list, and manifests by tag
// or digest (HEAD with Docker-Content-Digest, GET with the body).
class FakeTagRegistry : public Transport {
 public:
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    log.push_back(request.method + " " + request.url.substr(kBase.size()));
    HttpResponse r;
    r.url = request.url;
    const std::string path = request.url.substr(kBase.size());
    if (path.starts_with("tags/list")) {
      r.status = 200;
      r.body = R"({"name":"app","tags":[)";
      for (std::size_t i = 0; i < tags_.size(); ++i) r.body += (i ? ",\"" : "\"") + tags_[i] + "\"";
      r.body += "]}";
      return r;
    }
    auto it = manifests_.find(path.substr(std::string("manifests/").size()));
    if (!path.starts_with("manifests/") || it == manifests_.end()) {
      r.status = 404;
      r.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})";
      return r;
    }
    r.status = 200;
    r.headers.Add("Content-Type", it->second.first);
    r.headers.Add("Docker-Content-Digest", Digest::Sha256Of(it->second.second).String());
    if (request.method == "GET") r.body = it->second.second;
    return r;
  }

  Digest Add(std::string_view type, const std::string& body, const std::vector<std::string>& tags) {
    const Digest digest = Digest::Sha256Of(body);
    manifests_[digest.String()] = {std::string(type), body};
    for (const std::string& tag : tags) {
      manifests_[tag] = {std::string(type), body};
      tags_.push_back(tag);
    }
    return digest;
  }
  int Count(const std::string& line) const {
    int n = 0;
    for (const std::string& l : log) n += l == line ? 1 : 0;
    return n;
  }
  int CountGets() const {
    int n = 0;
    for (const std::string& l : log) n += l.starts_with("GET manifests/") ? 1 : 0;
    return n;
  }

  static inline const std::string kBase = "https://127.0.0.1:5000/v2/app/";
  std::vector<std::string> log;

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> manifests_;
  std::vector<std::string> tags_;
};

std::string Manifest(const std::string& config_hex) {
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
         R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":10,)"
         R"("digest":"sha256:)" +
         config_hex + R"("},"layers":[]})";
}

std::string Entry(const Digest& d, const std::string& os, const std::string& arch,
                  const std::string& extra = "") {
  return R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","size":100,"digest":")" +
         d.String() + R"(","platform":{"os":")" + os + R"(","architecture":")" + arch + "\"}" +
         extra + "}";
}

// v1, v1.0 -> index of amd64 (config c1) + arm64 (config c2) + an attestation;
// single -> a manifest (config c3); amd -> the amd64 manifest itself;
// twin -> a manifest whose config shares c3's first 12 digits; a .sig tag.
struct World {
  std::shared_ptr<FakeTagRegistry> registry = std::make_shared<FakeTagRegistry>();
  std::string c1 = std::string(64, '1'), c2 = std::string(64, '2'),
              c3 = "abcdef123456" + std::string(52, '3'),
              c4 = "abcdef123456" + std::string(52, '4');
  Digest m1 = Digest::Sha256Of(""), m2 = m1, att = m1, index = m1, m3 = m1, m4 = m1;
  std::unique_ptr<RegistrySession> session;
  Reference repo = Reference::Parse("127.0.0.1:5000/app").value();

  World() {
    m1 = registry->Add(kOciImageManifest, Manifest(c1), {"amd"});
    m2 = registry->Add(kOciImageManifest, Manifest(c2), {});
    att = registry->Add(kOciImageManifest, Manifest(std::string(64, '9')), {});
    index =
        registry->Add(kOciImageIndex,
                      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
                      R"("manifests":[)" +
                          Entry(m1, "linux", "amd64") + "," + Entry(m2, "linux", "arm64") + "," +
                          Entry(att, "unknown", "unknown") + "]}",
                      {"v1", "v1.0"});
    m3 = registry->Add(kOciImageManifest, Manifest(c3),
                       {"single", "sha256-" + std::string(64, 'e') + ".sig"});
    m4 = registry->Add(kOciImageManifest, Manifest(c4), {"twin"});
    RegistryContext context{ToolConfig{}, nullptr, nullptr, registry};
    session = std::make_unique<RegistrySession>(std::move(context), 4);
  }

  TagLookup Find(const std::string& query) {
    std::vector<std::string> tags = ListTags(*session, repo, false).value();
    registry->log.clear();
    return FindTags(*session, repo, tags, DigestQuery::Parse(query).value());
  }
};

std::vector<std::string> Lines(const TagLookup& lookup) {
  std::vector<std::string> lines;
  for (const TagMatch& m : lookup.matches) lines.push_back(m.tag + " " + DescribeMatch(m));
  return lines;
}

}  // namespace

TEST_CASE("ListTags: lexical order, digest-named tags hidden unless all") {
  World w;
  CHECK(ListTags(*w.session, w.repo, false).value() ==
        std::vector<std::string>{"amd", "single", "twin", "v1", "v1.0"});
  CHECK(ListTags(*w.session, w.repo, true).value().size() == 6);
}

TEST_CASE("FindTags: an index or manifest digest is answered by the HEADs alone") {
  World w;
  TagLookup lookup = w.Find(w.index.String());
  CHECK(Lines(lookup) == std::vector<std::string>{"v1 index", "v1.0 index"});
  CHECK(lookup.heads == 5);
  CHECK(lookup.manifest_gets == 0);
  CHECK(w.registry->CountGets() == 0);
  CHECK(Lines(w.Find(w.m1.String())) == std::vector<std::string>{"amd manifest"});
}

TEST_CASE("FindTags: a platform manifest digest names the tags whose index holds it") {
  World w;
  TagLookup lookup = w.Find(w.m2.String());
  CHECK(Lines(lookup) == std::vector<std::string>{"v1 platform linux/arm64 manifest",
                                                  "v1.0 platform linux/arm64 manifest"});
  // The four distinct documents the tags point at (index, amd, single, twin), once
  // each; no platform manifest GET.
  CHECK(w.registry->CountGets() == 4);
  CHECK(w.registry->Count("GET manifests/" + w.index.String()) == 1);
  CHECK(lookup.manifest_gets == 4);
}

TEST_CASE("FindTags: a config digest or image ID, one GET per distinct manifest") {
  World w;
  SUBCASE("an image ID prefix of a platform's config") {
    TagLookup lookup = w.Find(w.c2.substr(0, 12));
    CHECK(Lines(lookup) == std::vector<std::string>{"v1 platform linux/arm64 config = image ID",
                                                    "v1.0 platform linux/arm64 config = image ID"});
    // 4 documents (index, amd, single, twin) + arm64; amd64 is a tag's own document
    // and the attestation is never fetched.
    CHECK(w.registry->CountGets() == 5);
    CHECK(w.registry->Count("GET manifests/" + w.att.String()) == 0);
    CHECK(w.registry->Count("GET manifests/" + w.m1.String()) == 1);
    CHECK(lookup.matched == std::vector<Digest>{Digest::Parse("sha256:" + w.c2).value()});
    CHECK_FALSE(lookup.ambiguous());
  }
  SUBCASE("a full config digest reached directly and through an index") {
    TagLookup lookup = w.Find("sha256:" + w.c1);
    CHECK(Lines(lookup) == std::vector<std::string>{"amd config = image ID",
                                                    "v1 platform linux/amd64 config = image ID",
                                                    "v1.0 platform linux/amd64 config = image ID"});
    REQUIRE(lookup.matches.size() == 3);
    CHECK(lookup.matches[1].platform_digest == w.m1);
    CHECK(lookup.matches[1].digest == w.index);
  }
  SUBCASE("nothing points at it") {
    TagLookup lookup = w.Find(std::string(64, '7'));
    CHECK(lookup.matches.empty());
    CHECK(lookup.failures.empty());
  }
  SUBCASE("a short prefix of two configs is ambiguous") {
    TagLookup lookup = w.Find("sha256:abcdef123456");
    CHECK(lookup.ambiguous());
    CHECK(lookup.matched.size() == 2);
    CHECK(Lines(lookup) ==
          std::vector<std::string>{"single config = image ID", "twin config = image ID"});
  }
}

TEST_CASE("DigestQuery: full digests, image IDs with or without sha256:, refusals") {
  struct Case {
    std::string input;
    bool ok;
    bool full = false;
  };
  const std::vector<Case> cases = {
      {"sha256:" + std::string(64, 'a'), true, true},
      {std::string(64, 'A'), true, true},
      {"bac2f5fed373", true, false},
      {"sha256:bac2f5fed373", true, false},
      {"bac2f5fed37", false},
      {"sha512:" + std::string(64, 'a'), false},
      {"bac2f5fed37z", false},
      {std::string(65, 'a'), false},
      {"", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<DigestQuery> q = DigestQuery::Parse(c.input);
    REQUIRE(q.ok() == c.ok);
    if (!c.ok) {
      CHECK(q.status().code() == StatusCode::kUsage);
      continue;
    }
    CHECK(q->full() == c.full);
  }
  CHECK(DigestQuery::Parse("BAC2F5FED373")
            .value()
            .Matches(Digest::Parse("sha256:bac2f5fed373" + std::string(52, '0')).value()));
}

TEST_CASE("AllTagReferences: every listed tag of each repository once, digest tags skipped") {
  World w;
  const Reference tagged = Reference::Parse("127.0.0.1:5000/app:ignored").value();
  Result<std::vector<Reference>> refs = AllTagReferences(*w.session, {w.repo, tagged});
  REQUIRE(refs.ok());
  std::vector<std::string> got;
  for (const Reference& r : *refs) got.push_back(r.String());
  CHECK(got == std::vector<std::string>{"127.0.0.1:5000/app:amd", "127.0.0.1:5000/app:single",
                                        "127.0.0.1:5000/app:twin", "127.0.0.1:5000/app:v1",
                                        "127.0.0.1:5000/app:v1.0"});
  CHECK(w.registry->Count("GET tags/list?n=1000") == 1);
}
