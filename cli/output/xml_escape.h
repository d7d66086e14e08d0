// XML 1.0 text for the JUnit report, whatever the input: well-formed and
// safe on a terminal. Pure function, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace regdigest {

// Escapes &, <, >, " and ' for XML text and attributes; tab, LF and CR become
// character references (so attribute values keep them); DEL, C1 controls and
// bidi overrides become character references; invalid UTF-8, the other
// controls below 0x20 and U+FFFE/U+FFFF (which XML 1.0 forbids) become U+FFFD.
std::string XmlEscape(std::string_view text);

}  // namespace regdigest
