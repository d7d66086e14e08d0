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
// The most of one whole message (an error line, a log line) that is shown.
inline constexpr std::size_t kMaxMessage = 4096;

// The length of the valid UTF-8 sequence at text[i] (i < text.size()), or 0
// when there is none (overlong forms, surrogates and values above U+10FFFF
// are invalid).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

// `text` with every unsafe byte as `\xNN` (see above). Never shortens.
std::string EscapeForTerminal(std::string_view text);

// At most `cap` bytes of `text` (cut at a UTF-8 character boundary), escaped
// with EscapeForTerminal; a cut value ends with "… (N bytes)", N being the
// whole value's size. Use it wherever input is echoed.
std::string DisplayText(std::string_view text, std::size_t cap = kDisplayCap);

// At most `cap` bytes of `text`, cut at a UTF-8 character boundary, with
// "… (N bytes)" when cut; not escaped (for writers with their own escaping,
// such as XML).
std::string CapText(std::string_view text, std::size_t cap = kDisplayCap);

// DisplayText in double quotes: how a message quotes a value it was given,
// `invalid reference "..."`.
std::string Quoted(std::string_view text, std::size_t cap = kDisplayCap);

// The widest a table column gets, in characters: one junk value does not pad
// every row.
inline constexpr std::size_t kMaxColumnWidth = 80;

// The number of characters (UTF-8 code points) in already-safe text, what a
// table pads by.
std::size_t DisplayWidth(std::string_view safe_text);

// A table cell: `text` escaped, then cut to at most `width` characters, the
// last being "…" when it was cut.
std::string ColumnText(std::string_view text, std::size_t width = kMaxColumnWidth);

// `safe_text` padded with spaces to `width` characters (never cut).
std::string PadRight(std::string safe_text, std::size_t width);

}  // namespace regdigest
