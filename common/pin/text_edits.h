// Replacing byte ranges of a text: how `pin` changes only the reference
// text of a file and leaves every other byte as it was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

struct TextEdit {
  std::size_t offset = 0;  // byte offset of the range to replace
  std::size_t length = 0;  // bytes replaced
  std::string replacement;
};

// The content with every edit applied (edits may come in any order; offsets
// refer to the original content). kInvalidArgument when an edit reaches past
// the end or two edits overlap.
Result<std::string> ApplyTextEdits(std::string_view content, std::vector<TextEdit> edits);

}  // namespace regdigest
