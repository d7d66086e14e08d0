#include "cli/output/terminal_stream.h"

#include <cstdint>
#include <string_view>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

// Where the last complete UTF-8 sequence of `data` ends: a lead byte in the
// last 3 bytes whose sequence runs past the end starts a cut sequence.
std::size_t CompletePrefix(std::string_view data) {
  const std::size_t size = data.size();
  for (std::size_t back = 1; back <= 3 && back <= size; ++back) {
    const auto b = static_cast<std::uint8_t>(data[size - back]);
    if ((b & 0xC0) == 0x80) continue;  // continuation: look further back
    std::size_t length = 1;
    if (b >= 0xC2 && b <= 0xDF) length = 2;
    if (b >= 0xE0 && b <= 0xEF) length = 3;
    if (b >= 0xF0 && b <= 0xF4) length = 4;
    return length > back ? size - back : size;
  }
  return size;
}

// EscapeForTerminal, except that tab and newline stay: they are the layout
// of the text our own writers produce.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\t') {
      out += EscapeForTerminal(text.substr(begin, i - begin));
      if (i < text.size()) out += text[i];
      begin = i + 1;
    }
  }
  return out;
}

}  // namespace

TerminalSafeBuffer::TerminalSafeBuffer(std::streambuf* target) : target_(target) {
  setp(buffer_, buffer_ + sizeof(buffer_));
}

bool TerminalSafeBuffer::Drain() {
  std::string text = std::move(pending_);
  pending_.clear();
  text.append(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(buffer_, buffer_ + sizeof(buffer_));
  const std::size_t complete = CompletePrefix(text);
  pending_ = text.substr(complete);
  const std::string safe = Escape(std::string_view(text).substr(0, complete));
  return target_->sputn(safe.data(), static_cast<std::streamsize>(safe.size())) ==
         static_cast<std::streamsize>(safe.size());
}

TerminalSafeBuffer::int_type TerminalSafeBuffer::overflow(int_type c) {
  if (!Drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int TerminalSafeBuffer::sync() {
  const bool drained = Drain();
  if (!pending_.empty()) {
    const std::string safe = EscapeForTerminal(pending_);
    pending_.clear();
    target_->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
  }
  return drained && target_->pubsync() == 0 ? 0 : -1;
}

void MakeTerminalSafe(std::ostream& stream) {
  // Deliberately leaked: std::cout and std::cerr are flushed after main returns.
  auto* buffer = new TerminalSafeBuffer(stream.rdbuf());
  stream.rdbuf(buffer);
}

}  // namespace regdigest
