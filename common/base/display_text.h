// Untrusted text made safe to show on a terminal, in a log line or in a
// GitHub workflow command: references, file contents, option values and
// registry or engine answers. Control characters (C0 including tab and
// newline, DEL, C1), Unicode bidirectional overrides and bytes that are not
// valid UTF-8 become visible `\xNN` escapes (one per byte); everything else,
// valid multi-byte UTF-8 included, is kept. A literal backslash is kept, so
// the escaping is for display, not reversible: JSON output keeps the exact
// text through nlohmann::json instead. Pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regdigest {

// How much of an untrusted value is echoed by DisplayText: enough for any
// real reference or file line, not a 30 MB binary.
inline constexpr std::size_t kDisplayCap = 200;

// `text` with every unsafe byte as `\xNN` (see above). Never shortens.
std::string EscapeForTerminal(std::string_view text);

// At most `cap` bytes of `text` (cut at a UTF-8 character boundary), escaped
// with EscapeForTerminal; a cut value ends with "… (N bytes)", N being the
// whole value's size. Use it wherever input is echoed.
std::string DisplayText(std::string_view text, std::size_t cap = kDisplayCap);

}  // namespace regdigest
