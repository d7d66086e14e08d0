#include "common/pin/text_edits.h"

#include <algorithm>

namespace regdigest {

Result<std::string> ApplyTextEdits(std::string_view content, std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.offset < b.offset; });
  std::string result;
  result.reserve(content.size());
  std::size_t copied = 0;  // content before this offset is in `result`
  for (const TextEdit& edit : edits) {
    if (edit.offset > content.size() || edit.length > content.size() - edit.offset)
      return Status(StatusCode::kInvalidArgument, "edit at byte " + std::to_string(edit.offset) +
                                                      " (" + std::to_string(edit.length) +
                                                      " bytes) reaches past the end (" +
                                                      std::to_string(content.size()) + " bytes)");
    if (edit.offset < copied)
      return Status(StatusCode::kInvalidArgument,
                    "edits overlap at byte " + std::to_string(edit.offset));
    result.append(content.substr(copied, edit.offset - copied));
    result.append(edit.replacement);
    copied = edit.offset + edit.length;
  }
  result.append(content.substr(copied));
  return result;
}

}  // namespace regdigest
