#include "common/auth/challenge.h"

#include <optional>

#include "common/base/ascii.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken68Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Lenient unquoted value character: visible ASCII except '"', ',' and '\\'.
bool IsValueChar(char c) { return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != '\\'; }

// Parses one header value; appends its challenges to `out`.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : s_(text) {}

  Status Parse(std::vector<Challenge>& out) {
    SkipListSeparators();
    if (AtEnd()) return Error("empty header");
    while (!AtEnd()) {
      Challenge challenge;
      Status st = ParseChallenge(challenge);
      if (!st.ok()) return st;
      out.push_back(std::move(challenge));
      SkipListSeparators();
    }
    return Status::Ok();
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  void SkipListSeparators() {
    while (!AtEnd() && (IsSpace(Peek()) || Peek() == ',')) ++pos_;
  }

  std::string_view Token() {
    size_t start = pos_;
    while (!AtEnd() && IsTchar(Peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  Status Error(std::string what) const {
    return Status(StatusCode::kInvalidArgument, "invalid WWW-Authenticate header " + Quoted(s_) +
                                                    ": " + what + " at offset " +
                                                    std::to_string(pos_));
  }

  Status ParseChallenge(Challenge& challenge) {
    std::string_view scheme = Token();
    if (scheme.empty()) {
      return Error(std::string("expected an auth scheme, found '") + Peek() + "'");
    }
    challenge.scheme = AsciiLower(scheme);
    if (AtEnd() || Peek() == ',') return Status::Ok();
    if (!IsSpace(Peek())) {
      if (Peek() == '=') return Error("missing auth scheme before parameter " + Quoted(scheme));
      return Error(std::string("unexpected character '") + Peek() + "' after auth scheme");
    }
    SkipSpace();
    if (AtEnd() || Peek() == ',') return Status::Ok();
    if (TryToken68(challenge)) return Status::Ok();
    return ParseParams(challenge);
  }

  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=",
  // followed by the end of the challenge.
  bool TryToken68(Challenge& challenge) {
    size_t start = pos_;
    size_t p = pos_;
    while (p < s_.size() && IsToken68Char(s_[p])) ++p;
    if (p == start) return false;
    while (p < s_.size() && s_[p] == '=') ++p;
    size_t end = p;
    while (p < s_.size() && IsSpace(s_[p])) ++p;
    if (p < s_.size() && s_[p] != ',') return false;
    // "realm=, service=x" is a parameter with a missing value, not token68
    // followed by a challenge: a challenge cannot start with "name=".
    if (s_[end - 1] == '=' && LooksLikeParam(p)) return false;
    challenge.token68 = std::string(s_.substr(start, end - start));
    pos_ = p;
    return true;
  }

  // True when, after list separators from `p`, the text reads token BWS "=".
  bool LooksLikeParam(size_t p) const {
    while (p < s_.size() && (IsSpace(s_[p]) || s_[p] == ',')) ++p;
    size_t start = p;
    while (p < s_.size() && IsTchar(s_[p])) ++p;
    if (p == start) return false;
    while (p < s_.size() && IsSpace(s_[p])) ++p;
    return p < s_.size() && s_[p] == '=';
  }

  Status ParseParams(Challenge& challenge) {
    while (true) {
      std::string_view name = Token();
      if (name.empty()) {
        return Error(std::string("expected a parameter name, found '") + Peek() + "'");
      }
      SkipSpace();
      if (AtEnd() || Peek() != '=') {
        return Error("expected '=' after parameter " + Quoted(name));
      }
      ++pos_;
      SkipSpace();
      std::string value;
      Status st = ParseValue(value);
      if (!st.ok()) return st;
      challenge.params.emplace(AsciiLower(name), std::move(value));  // first one wins
      SkipSpace();
      if (AtEnd()) return Status::Ok();
      if (Peek() != ',') {
        return Error(std::string("expected ',' after the value of \"") + std::string(name) +
                     "\", found '" + Peek() + "'");
      }
      SkipListSeparators();
      if (AtEnd()) return Status::Ok();
      // Another parameter of this challenge (token BWS "="), or the next challenge.
      if (!LooksLikeParam(pos_)) return Status::Ok();
    }
  }

  Status ParseValue(std::string& value) {
    if (AtEnd()) return Error("missing parameter value");
    if (Peek() == '"') {
      ++pos_;
      while (true) {
        if (AtEnd()) return Error("unterminated quoted string");
        char c = Peek();
        ++pos_;
        if (c == '"') return Status::Ok();
        if (c == '\\') {
          if (AtEnd()) return Error("unterminated quoted string (trailing backslash)");
          c = Peek();
          ++pos_;
        }
        value += c;
      }
    }
    size_t start = pos_;
    while (!AtEnd() && IsValueChar(Peek())) ++pos_;
    if (pos_ == start) {
      return Error(std::string("expected a parameter value, found '") + Peek() + "'");
    }
    value = std::string(s_.substr(start, pos_ - start));
    return Status::Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string Challenge::Param(std::string_view key) const {
  auto it = params.find(AsciiLower(key));
  return it == params.end() ? std::string() : it->second;
}

Result<std::vector<Challenge>> ParseChallenges(const std::vector<std::string>& header_values) {
  std::vector<Challenge> out;
  for (const std::string& value : header_values) {
    HeaderParser parser(value);
    Status st = parser.Parse(out);
    if (!st.ok()) return st;
  }
  return out;
}

const Challenge* FindChallenge(const std::vector<Challenge>& challenges, std::string_view scheme) {
  std::string wanted = AsciiLower(scheme);
  for (const Challenge& c : challenges) {
    if (c.scheme == wanted) return &c;
  }
  return nullptr;
}

}  // namespace regdigest
