// The last line of defense for text output: a stream buffer that passes
// text through to another one with every control character (C0 except tab
// and newline, DEL, C1), Unicode bidi override and invalid UTF-8 byte
// written as a visible `\xNN` escape. main() installs it on std::cout and
// std::cerr, so no command can put a raw terminal escape on the terminal
// even where a value was not escaped at its print site. JSON (nlohmann
// escapes controls, replaces invalid UTF-8) and JUnit (XmlEscape) pass
// unchanged. Not thread-safe: like the stream it serves, one writer at a
// time (the commands print from the main thread).
#pragma once

#include <cstddef>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace regdigest {

class TerminalSafeBuffer : public std::streambuf {
 public:
  explicit TerminalSafeBuffer(std::streambuf* target);
  TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
  TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

  std::streambuf* target() const { return target_; }

 protected:
  int_type overflow(int_type c) override;
  // Writes what is buffered, escapes a pending incomplete UTF-8 sequence,
  // then syncs the target.
  int sync() override;

 private:
  // Writes the put area, keeping a trailing incomplete UTF-8 sequence in
  // pending_ (it may be completed by the next write).
  bool Drain();

  std::streambuf* target_;
  char buffer_[4096];
  std::string pending_;  // at most 3 bytes of a UTF-8 sequence cut by a write
};

// Puts a TerminalSafeBuffer in front of `stream`'s buffer. The buffer is
// never freed, so output flushed at exit still goes through it.
void MakeTerminalSafe(std::ostream& stream);

}  // namespace regdigest
