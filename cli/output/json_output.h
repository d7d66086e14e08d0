// JSON as the commands print it: JsonText() for one document, and
// JsonArrayWriter for an array printed one element at a time, so a command
// with 10,000 results never holds them all as JSON. Both indent by 2, and both
// replace invalid UTF-8 (a Latin-1 line in a --file) with U+FFFD instead of
// throwing. The array's bytes are those of JsonText() of the whole array.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace regdigest {

inline std::string JsonText(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

class JsonArrayWriter {
 public:
  explicit JsonArrayWriter(std::ostream& out) : out_(out) {}

  void Add(const nlohmann::ordered_json& element) {
    out_ << (count_ == 0 ? "[\n  " : ",\n  ");
    const std::string text = JsonText(element);
    for (const char c : text) {
      out_ << c;
      if (c == '\n') out_ << "  ";
    }
    ++count_;
  }

  // Closes the array; call once.
  void Finish() { out_ << (count_ == 0 ? "[]\n" : "\n]\n"); }

 private:
  std::ostream& out_;
  std::size_t count_ = 0;
};

}  // namespace regdigest
