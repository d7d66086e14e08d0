// Unified diff of two versions of a text, as `diff -u` / `git diff` print it,
// for `pin --dry-run`: which lines would change, with context around them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regdigest {

// "--- a/PATH\n+++ b/PATH\n" then "@@ -l,n +l,n @@" hunks with `context`
// unchanged lines around each change (Myers' shortest edit script, line by
// line); "\ No newline at end of file" where a last line lacks one. "" when
// the texts are equal. A leading "/" of `path` is dropped after "a/" and "b/".
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        std::size_t context = 3);

}  // namespace regdigest
