// Tests for client/check_targets.h: what `check` compares for lock entries
// and for pinned references written as REF@DIGEST or "REF DIGEST".
#include <doctest/doctest.h>

#include <string>

#include "cli/inputs/check_targets.h"

namespace regdigest {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');

TEST_CASE("CheckTargetFromInput reads pinned references") {
  struct Case {
    const char* name;
    std::string text;
    std::string shown;
    std::string head;      // canonical; "" when the entry is invalid
    std::string expected;  // digest; "" when none
    std::string error;     // substring of the error; "" when valid
  };
  const Case cases[] = {
      {"tag and digest", "nginx:1.25@" + kA, "nginx:1.25", "docker.io/library/nginx:1.25", kA, ""},
      {"what resolve prints", "reg.example:5000/team/app:v1 " + kA, "reg.example:5000/team/app:v1",
       "reg.example:5000/team/app:v1", kA, ""},
      {"both forms, agreeing", "alpine:3@" + kA + "\t" + kA, "alpine:3",
       "docker.io/library/alpine:3", kA, ""},
      {"a digest alone checks that it exists", "alpine@" + kA, "alpine@" + kA,
       "docker.io/library/alpine@" + kA, kA, ""},
      {"no digest", "nginx:1.25", "nginx:1.25", "", "", "no digest to check against"},
      {"two different digests", "nginx:1.25@" + kA + " " + kB, "nginx:1.25", "", "",
       "two different digests"},
      {"a bad digest", "nginx:1.25 sha256:12", "nginx:1.25", "", "", "invalid digest"},
      {"an invalid reference", "Nginx:1@" + kA, "Nginx:1", "", "", "invalid reference"},
      {"three fields", "nginx:1 " + kA + " extra", "nginx:1", "", "", "more than two fields"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      CheckTarget target = CheckTargetFromInput(ReferenceInput{c.text, "refs.txt", 7});
      CHECK(target.file == "refs.txt");
      CHECK(target.line == 7);
      CHECK(target.shown == c.shown);
      if (c.error.empty()) {
        CHECK_MESSAGE(target.error.empty(), target.error);
        REQUIRE(target.head.has_value());
        CHECK(target.head->String() == c.head);
        REQUIRE(target.expected.has_value());
        CHECK(target.expected->String() == c.expected);
      } else {
        CHECK_MESSAGE(target.error.find(c.error) != std::string::npos, target.error);
        CHECK_FALSE(target.head.has_value());
      }
    }
  }
}

TEST_CASE("CheckTargetsFromLock keeps each entry's reference, digest and line") {
  LockFile lock;
  lock.entries.push_back(LockEntry{
      Reference::Parse("reg.example/app:v1").value(), Digest::Parse(kA).value(), "", {}, "", 4});
  lock.entries.push_back(LockEntry{
      Reference::Parse("reg.example/app:v2").value(), Digest::Parse(kB).value(), "", {}, "", 11});
  std::vector<CheckTarget> targets = CheckTargetsFromLock(lock, "regdigest.lock");
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].shown == "reg.example/app:v1");
  CHECK(targets[0].head->String() == "reg.example/app:v1");
  CHECK(targets[0].expected->String() == kA);
  CHECK(targets[0].line == 4);
  CHECK(targets[1].expected->String() == kB);
  CHECK(targets[1].line == 11);
  CHECK(targets[1].file == "regdigest.lock");
  CHECK(targets[1].error.empty());
}

}  // namespace
}  // namespace regdigest
