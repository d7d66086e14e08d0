#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/drift/lock_file.h"

namespace regdigest {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');
const std::string kC = "sha256:" + std::string(64, 'c');
const std::string kIndex = "application/vnd.oci.image.index.v1+json";
const std::string kManifest = "application/vnd.docker.distribution.manifest.v2+json";

// What SerializeLockFile writes for two entries, byte for byte.
const std::string kWritten = R"({
  "version": 1,
  "entries": [
    {
      "reference": "docker.io/library/alpine:3.19",
      "digest": ")" + kA + R"(",
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "platforms": {
        "linux/amd64": ")" + kB +
                             R"(",
        "linux/arm64": ")" + kC +
                             R"("
      },
      "resolvedAt": "2026-11-28T21:06:11Z"
    },
    {
      "reference": "localhost:5000/team/app:v1",
      "digest": ")" + kB + R"(",
      "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
      "resolvedAt": "2026-11-28T21:07:00Z"
    }
  ]
}
)";

LockFile MustParse(const std::string& text) {
  Result<LockFile> got = ParseLockFile(text);
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  return std::move(got).value();
}

LockEntry Entry(const std::string& reference, const std::string& digest,
                const std::string& media_type, const std::string& resolved_at) {
  return LockEntry{
      *Reference::Parse(reference), *Digest::Parse(digest), media_type, {}, resolved_at};
}

// One entry whose fields are given as raw JSON member text.
std::string OneEntry(const std::string& members) {
  return R"({"version": 1, "entries": [{)" + members + "}]}";
}
const std::string kRef = R"("reference": "alpine:3.19")";
const std::string kDigest = R"("digest": ")" + kA + R"(")";
const std::string kMedia = R"("mediaType": "application/vnd.oci.image.index.v1+json")";
const std::string kTime = R"("resolvedAt": "2026-11-28T21:06:11Z")";

TEST_CASE("ParseLockFile reads every field and SerializeLockFile writes the same bytes") {
  LockFile lock = MustParse(kWritten);
  CHECK(lock.version == 1);
  REQUIRE(lock.entries.size() == 2);
  const LockEntry& alpine = lock.entries[0];
  CHECK(alpine.reference.String() == "docker.io/library/alpine:3.19");
  CHECK(alpine.digest.String() == kA);
  CHECK(alpine.media_type == kIndex);
  REQUIRE(alpine.platforms.size() == 2);
  CHECK(alpine.platforms.at("linux/amd64").String() == kB);
  CHECK(alpine.platforms.at("linux/arm64").String() == kC);
  CHECK(alpine.resolved_at == "2026-11-28T21:06:11Z");
  CHECK(alpine.line == 5);
  const LockEntry& app = lock.entries[1];
  CHECK(app.reference.String() == "localhost:5000/team/app:v1");
  CHECK(app.platforms.empty());
  CHECK(app.line == 15);
  CHECK(SerializeLockFile(lock) == kWritten);
  CHECK(SerializeLockFile(MustParse(SerializeLockFile(lock))) == kWritten);
}

TEST_CASE("SerializeLockFile sorts entries by reference and is stable") {
  const std::vector<std::vector<std::string>> orders = {
      {"b.example/x:1", "a.example/y:2", "alpine:3.19"},
      {"alpine:3.19", "b.example/x:1", "a.example/y:2"},
      {"a.example/y:2", "alpine:3.19", "b.example/x:1"},
  };
  std::string first;
  for (const auto& order : orders) {
    LockFile lock;
    for (const std::string& reference : order) {
      lock.entries.push_back(Entry(reference, kA, kManifest, "2026-01-01T00:00:00Z"));
    }
    const std::string text = SerializeLockFile(lock);
    CHECK(text.back() == '\n');
    CHECK(text.rfind("{\n  \"version\": 1,\n  \"entries\": [\n", 0) == 0);
    LockFile parsed = MustParse(text);
    REQUIRE(parsed.entries.size() == 3);
    CHECK(parsed.entries[0].reference.String() == "a.example/y:2");
    CHECK(parsed.entries[1].reference.String() == "b.example/x:1");
    CHECK(parsed.entries[2].reference.String() == "docker.io/library/alpine:3.19");
    if (first.empty()) first = text;
    CHECK(text == first);
  }
  CHECK(SerializeLockFile(LockFile{}) == "{\n  \"version\": 1,\n  \"entries\": []\n}\n");
  CHECK(MustParse(SerializeLockFile(LockFile{})).entries.empty());
}

TEST_CASE("ParseLockFile normalises hand-written references") {
  struct Case {
    std::string written;
    std::string canonical;
  };
  const std::vector<Case> cases = {
      {"alpine:3.19", "docker.io/library/alpine:3.19"},
      {"alpine", "docker.io/library/alpine:latest"},
      {"index.docker.io/jenkins/jenkins:centos7", "docker.io/jenkins/jenkins:centos7"},
      {"localhost:5000/app:v1", "localhost:5000/app:v1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.written);
    LockFile lock = MustParse(OneEntry(R"("reference": ")" + c.written + "\", " + kDigest + ", " +
                                       kMedia + ", " + kTime));
    REQUIRE(lock.entries.size() == 1);
    CHECK(lock.entries[0].reference.String() == c.canonical);
    CHECK(lock.entries[0].line == 1);
  }
}

TEST_CASE("ParseLockFile refuses every corrupt shape with what and where") {
  struct Case {
    std::string name;
    std::string text;
    std::string message;  // a substring of the error
  };
  const std::string good = kRef + ", " + kDigest + ", " + kMedia + ", " + kTime;
  const std::string second = R"({"reference": "docker.io/library/alpine:3.19", )" + kDigest + ", " +
                             kMedia + ", " + kTime + "}";
  const std::vector<Case> cases = {
      {"empty", "", "lock file is empty"},
      {"blank", " \n\t\n", "lock file is empty"},
      {"not JSON", "alpine:3.19\n", "not valid JSON: parse error at line 1"},
      {"truncated", "{\n  \"version\": 1,\n  \"entries\": [\n", "not valid JSON"},
      {"number out of range", "{\"version\": 1e400, \"entries\": []}",
       "not valid JSON: a number is out of range"},
      {"array root", "[]", "must be a JSON object"},
      {"git merge conflict",
       "{\n  \"version\": 1,\n<<<<<<< HEAD\n  \"entries\": []\n=======\n  \"entries\": "
       "[{}]\n>>>>>>> feature\n}\n",
       "unresolved merge conflict (line 3); resolve it"},
      {"git merge conflict, CRLF, marker alone", "<<<<<<<\r\n{}\r\n", "merge conflict (line 1)"},
      {"string root", "\"x\"", "must be a JSON object"},
      {"no version", R"({"entries": []})", "missing \"version\""},
      {"string version", R"({"version": "1", "entries": []})", "\"version\" must be an integer"},
      {"float version", R"({"version": 1.5, "entries": []})", "\"version\" must be an integer"},
      {"version 0", R"({"version": 0, "entries": []})", "lock file version 0 is not valid"},
      {"newer version", R"({"version": 99, "entries": {"whatever": true}})",
       "lock file version 99 is newer than this regdigest supports (1); upgrade regdigest"},
      {"no entries", R"({"version": 1})", "missing \"entries\""},
      {"entries object", R"({"version": 1, "entries": {}})", "\"entries\" must be an array"},
      {"unknown top field", R"({"version": 1, "entries": [], "extra": 1})",
       "unknown field \"extra\""},
      {"duplicate key", "{\"version\": 1,\n\"version\": 1, \"entries\": []}",
       "line 2: duplicate key \"version\""},
      {"entry not object", R"({"version": 1, "entries": [
        "alpine:3.19"]})",
       "entry 1 (line 2): must be a JSON object"},
      {"missing reference", OneEntry(kDigest + ", " + kMedia + ", " + kTime),
       "entry 1 (line 1): missing \"reference\""},
      {"missing digest", OneEntry(kRef + ", " + kMedia + ", " + kTime), "missing \"digest\""},
      {"missing mediaType", OneEntry(kRef + ", " + kDigest + ", " + kTime),
       "missing \"mediaType\""},
      {"missing resolvedAt", OneEntry(kRef + ", " + kDigest + ", " + kMedia),
       "missing \"resolvedAt\""},
      {"reference number", OneEntry(R"("reference": 5, )" + kDigest + ", " + kMedia + ", " + kTime),
       "\"reference\" must be a string"},
      {"bad reference",
       OneEntry(R"("reference": "Alpine:3.19", )" + kDigest + ", " + kMedia + ", " + kTime),
       "entry 1 (line 1): reference: invalid reference: "},
      {"reference with digest",
       OneEntry(R"("reference": "alpine:3.19@)" + kA + "\", " + kDigest + ", " + kMedia + ", " +
                kTime),
       "must not include a digest"},
      {"bad digest", OneEntry(kRef + R"(, "digest": "sha256:1234", )" + kMedia + ", " + kTime),
       "entry 1 (line 1): digest: "},
      {"digest array", OneEntry(kRef + R"(, "digest": [], )" + kMedia + ", " + kTime),
       "\"digest\" must be a string"},
      {"empty mediaType", OneEntry(kRef + ", " + kDigest + R"(, "mediaType": "", )" + kTime),
       "\"mediaType\" must not be empty"},
      {"mediaType of a web server",
       OneEntry(kRef + ", " + kDigest + R"(, "mediaType": "application/octet-stream", )" + kTime),
       "entry 1 (line 1): \"mediaType\" \"application/octet-stream\" is not a manifest media type"},
      {"mediaType with parameters",
       OneEntry(kRef + ", " + kDigest +
                R"(, "mediaType": "application/vnd.oci.image.index.v1+json; charset=utf-8", )" +
                kTime),
       "is not a manifest media type"},
      {"schema 1 mediaType",
       OneEntry(kRef + ", " + kDigest +
                R"(, "mediaType": "application/vnd.docker.distribution.manifest.v1+prettyjws", )" +
                kTime),
       "is not a manifest media type"},
      {"junk mediaType is escaped",
       OneEntry(kRef + ", " + kDigest + R"(, "mediaType": "text/html\u001b[2J", )" + kTime),
       "\"text/html\\x1b[2J\" is not a manifest media type"},
      {"bad resolvedAt",
       OneEntry(kRef + ", " + kDigest + ", " + kMedia + R"(, "resolvedAt": "yesterday")"),
       "resolvedAt: "},
      {"platforms array", OneEntry(good + R"(, "platforms": [])"),
       "\"platforms\" must be an object"},
      {"bad platform", OneEntry(good + R"(, "platforms": {"linux": ")" + kB + "\"}"),
       "platforms[\"linux\"]"},
      {"bad platform digest", OneEntry(good + R"(, "platforms": {"linux/amd64": "sha256:x"})"),
       "platforms[\"linux/amd64\"]: "},
      {"platform digest number", OneEntry(good + R"(, "platforms": {"linux/amd64": 1})"),
       "must be a digest string"},
      {"unknown entry field", OneEntry(good + R"(, "comment": "x")"), "unknown field \"comment\""},
      {"duplicate entry key", OneEntry(good + ",\n" + kRef), "line 2: duplicate key \"reference\""},
      {"duplicate reference",
       "{\"version\": 1, \"entries\": [\n{" + good + "},\n" + second + "\n]}",
       "entry 2 (line 3): duplicate reference docker.io/library/alpine:3.19 (already entry 1 "
       "(line 2))"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CAPTURE(c.text);
    Result<LockFile> got = ParseLockFile(c.text);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(got.status().message().find(c.message) != std::string::npos,
                  got.status().message());
  }
}

TEST_CASE("ParseLockFile refuses a file over 64 MiB before parsing") {
  std::string huge(kMaxLockFileBytes + 1, ' ');
  Result<LockFile> got = ParseLockFile(huge);
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().message().find("over the 64 MiB limit") != std::string::npos);
}

TEST_CASE("LockFile Find and Upsert compare references canonically") {
  LockFile lock;
  lock.Upsert(Entry("alpine:3.19", kA, kManifest, "2026-01-01T00:00:00Z"));
  lock.Upsert(Entry("busybox:1", kB, kManifest, "2026-01-01T00:00:00Z"));
  lock.Upsert(Entry("docker.io/library/alpine:3.19", kC, kIndex, "2026-01-02T00:00:00Z"));
  REQUIRE(lock.entries.size() == 2);
  const LockEntry* alpine = lock.Find(*Reference::Parse("index.docker.io/library/alpine:3.19"));
  REQUIRE(alpine != nullptr);
  CHECK(alpine->digest.String() == kC);
  CHECK(alpine->media_type == kIndex);
  CHECK(lock.Find(*Reference::Parse("alpine:3.20")) == nullptr);
}

TEST_CASE("LooksLikeLockFile tells a lock file from a list of references") {
  struct Case {
    std::string text;
    bool lock;
  };
  const std::vector<Case> cases = {
      {kWritten, true},
      {"\xEF\xBB\xBF  {\"version\": 1, \"entries\": []}", true},
      {"{\"version\": 1, \"entries\": [", true},  // corrupt, but meant as a lock file
      {"\n\n{ \"entries\": [], \"version\": 2 }", true},
      {"alpine:3.19\nubuntu\n", false},
      {"# \"version\" \"entries\"\nalpine\n", false},
      {"{\"version\": 1}", false},
      {"<<<<<<< HEAD\n{\"version\": 1, \"entries\": []}\n=======\n{\"version\": 1, \"entries\": "
       "[]}\n>>>>>>> b\n",
       true},  // a lock file git left conflicted
      {"<<<<<<< HEAD\nalpine\n=======\nubuntu\n>>>>>>> b\n", false},
      {"[]", false},
      {"", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(LooksLikeLockFile(c.text) == c.lock);
  }
}

TEST_CASE("Lock entry signature: written after platforms, read back, old files unchanged") {
  LockFile lock;
  LockEntry entry = Entry("localhost:5000/app:v1", kA, kIndex, "2026-11-28T21:06:11Z");
  entry.signature = LockSignature{*Digest::Parse(kB), "SHA256:abcDEF012+/xyz"};
  lock.entries.push_back(entry);
  const std::string text = SerializeLockFile(lock);
  CHECK(text.find("\"signature\": {\n        \"digest\": \"" + kB +
                  "\",\n        \"key\": \"SHA256:abcDEF012+/xyz\"\n      },\n      "
                  "\"resolvedAt\"") != std::string::npos);
  LockFile back = MustParse(text);
  REQUIRE(back.entries[0].signature.has_value());
  CHECK(*back.entries[0].signature == *entry.signature);
  CHECK(SerializeLockFile(back) == text);
  // A file written before signatures existed parses without one and is rewritten byte-identical.
  LockFile old = MustParse(kWritten);
  CHECK_FALSE(old.entries[0].signature.has_value());
  CHECK(SerializeLockFile(old) == kWritten);
}

TEST_CASE("Lock entry signature: corrupt shapes are refused with what is wrong") {
  struct Case {
    std::string signature;
    std::string message;
  };
  const Case cases[] = {
      {R"("signature": 7)", "signature: must be a JSON object"},
      {R"("signature": {"key": "SHA256:x"})", "signature: missing \"digest\""},
      {R"("signature": {"digest": "sha256:zz", "key": "SHA256:x"})", "signature: digest"},
      {R"("signature": {"digest": ")" + kB + R"("})", "signature: missing \"key\""},
      {R"("signature": {"digest": ")" + kB + R"(", "key": "md5:x"})", "fingerprint"},
      {R"("signature": {"digest": ")" + kB + R"(", "key": "SHA256:x", "extra": 1})",
       "unknown field \"extra\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.signature);
    Result<LockFile> got = ParseLockFile(
        OneEntry(kRef + "," + kDigest + "," + kMedia + "," + kTime + "," + c.signature));
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().message().find(c.message) != std::string::npos);
  }
}
}  // namespace
}  // namespace regdigest
