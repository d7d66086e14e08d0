// Tests for common/unified_diff.h; the expected texts are what GNU
// `diff -u --label a/f --label b/f` prints for the same inputs.
#include <doctest/doctest.h>

#include <string>

#include "common/pin/unified_diff.h"

namespace regdigest {
namespace {

TEST_CASE("UnifiedDiff prints what diff -u prints") {
  struct Case {
    std::string name, before, after, want;
  };
  const std::string header = "--- a/f\n+++ b/f\n";
  const Case cases[] = {
      {"equal", "a\nb\n", "a\nb\n", ""},
      {"both empty", "", "", ""},
      {"one line in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
       "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n10\n",
       header + "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n"},
      {"far apart: two hunks, context clipped at both ends",
       "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
       "ONE\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\nSIXTEEN\n",
       header + "@@ -1,4 +1,4 @@\n-1\n+ONE\n 2\n 3\n 4\n@@ -13,4 +13,4 @@\n 13\n 14\n "
                "15\n-16\n+SIXTEEN\n"},
      {"six lines apart: one hunk", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
       "1\nTWO\n3\n4\n5\n6\n7\n8\nNINE\n10\n",
       header + "@@ -1,10 +1,10 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+NINE\n 10\n"},
      {"no newline at the end", "a\nb", "a\nc",
       header + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
                "\\ No newline at end of file\n"},
      {"newline added at the end", "a\nb", "a\nb\n",
       header + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
      {"from empty", "", "x\ny\n", header + "@@ -0,0 +1,2 @@\n+x\n+y\n"},
      {"to empty", "x\ny\n", "", header + "@@ -1,2 +0,0 @@\n-x\n-y\n"},
      {"lines inserted", "a\nb\nc\n", "a\nx\ny\nc\n",
       header + "@@ -1,3 +1,4 @@\n a\n-b\n+x\n+y\n c\n"},
      {"lines deleted", "a\nb\nc\nd\n", "a\nd\n", header + "@@ -1,4 +1,2 @@\n a\n-b\n-c\n d\n"},
      {"CRLF lines kept as they are", "a\r\nb\r\n", "a\r\nc\r\n",
       header + "@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(UnifiedDiff("f", c.before, c.after) == c.want);
  }
}

TEST_CASE("UnifiedDiff names the file after a/ and b/") {
  CHECK(UnifiedDiff("deploy/k8s.yaml", "a\n", "b\n") ==
        "--- a/deploy/k8s.yaml\n+++ b/deploy/k8s.yaml\n@@ -1 +1 @@\n-a\n+b\n");
  CHECK(UnifiedDiff("/abs/Dockerfile", "a\n", "b\n").starts_with("--- a/abs/Dockerfile\n"));
  CHECK(UnifiedDiff("f", "1\n2\n3\n", "1\nX\n3\n", 0) == "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-2\n+X\n");
}

}  // namespace
}  // namespace regdigest
