// Hand-written scanner for the distribution/reference grammar:
//
//   reference   := name [ ":" tag ] [ "@" digest ]
//   name        := [ domain "/" ] path
//   domain      := host [ ":" port ]
//   host        := domain-name | "[" ipv6-chars "]"
//   domain-name := component ( "." component )*
//   component   := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path        := path-component ( "/" path-component )*
//   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*
//   separator   := "." | "_" | "__" | "-"+
//   tag         := [\w][\w.-]{0,127}
//
// with Docker's normalisation (splitDockerDomain in normalize.go) applied.
#include "common/image/reference.h"

#include <optional>
#include <string>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxTagLength = 128;
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";

Status Bad(std::string message) {
  return Status(StatusCode::kInvalidReference, std::move(message));
}

// "text" in double quotes, escaped and shortened when very long so messages
// stay readable and safe to print.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 80;
  return Quoted(text, kMaxShown);
}

std::string QuoteChar(char c) {
  if (c == ' ') return "' ' (space)";
  if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto u = static_cast<unsigned char>(c);
    return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0x0f];
  }
  return std::string("'") + c + "'";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAlnum(char c) { return IsLower(c) || IsDigit(c); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || IsUpper(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool HasUpper(std::string_view s) {
  for (char c : s) {
    if (IsUpper(c)) return true;
  }
  return false;
}

// A bare 64-character lowercase hex string: an image ID, not a name.
bool IsHexIdentifier(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool IsDomainComponent(std::string_view c) {
  if (c.empty() || !IsAlnum(c.front()) || !IsAlnum(c.back())) return false;
  for (char ch : c) {
    if (!IsAlnum(ch) && ch != '-') return false;
  }
  return true;
}

Status ValidatePort(std::string_view port, std::string_view domain) {
  if (port.empty()) return Bad("registry domain " + Quote(domain) + " has ':' but no port");
  for (char c : port) {
    if (!IsDigit(c)) {
      return Bad("invalid port " + Quote(port) + " in registry domain " + Quote(domain) +
                 " (must be digits)");
    }
  }
  // 1..65535, as a port must be; leading zeros are allowed ("05000").
  const std::size_t first = std::min(port.find_first_not_of('0'), port.size());
  if (first == port.size() || port.size() - first > 5 ||
      std::stoi(std::string(port.substr(first))) > 65535) {
    return Bad("invalid port " + Quote(port) + " in registry domain " + Quote(domain) +
               " (must be 1 to 65535)");
  }
  return Status::Ok();
}

Status ValidateDomain(std::string_view domain) {
  if (domain.empty()) return Bad("registry domain is empty (reference starts with '/')");
  if (domain.front() == '[') {
    const size_t close = domain.find(']');
    if (close == std::string_view::npos) {
      return Bad("registry domain " + Quote(domain) + " has '[' without a closing ']'");
    }
    const std::string_view address = domain.substr(1, close - 1);
    if (address.empty()) return Bad("registry domain " + Quote(domain) + " has empty brackets");
    for (char c : address) {
      if (!IsHex(c) && c != ':') {
        return Bad("invalid IPv6 address " + Quote(domain.substr(0, close + 1)) +
                   " in registry domain: only hex digits and ':' are allowed, found " +
                   QuoteChar(c));
      }
    }
    const std::string_view rest = domain.substr(close + 1);
    if (rest.empty()) return Status::Ok();
    if (rest.front() != ':') {
      return Bad("unexpected " + Quote(rest) + " after IPv6 address in registry domain " +
                 Quote(domain));
    }
    return ValidatePort(rest.substr(1), domain);
  }
  const size_t colon = domain.find(':');
  const std::string_view host = domain.substr(0, colon);
  size_t start = 0;
  while (true) {
    const size_t dot = host.find('.', start);
    const std::string_view component = host.substr(start, dot - start);
    if (!IsDomainComponent(component)) {
      std::string why = component.empty() ? "has an empty component"
                                          : "has an invalid component " + Quote(component) +
                                                " (letters, digits and inner '-' only)";
      return Bad("invalid registry domain " + Quote(domain) + ": " + why);
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (colon == std::string_view::npos) return Status::Ok();
  return ValidatePort(domain.substr(colon + 1), domain);
}

Status ValidatePathComponent(std::string_view component, std::string_view path) {
  for (char c : component) {
    if (!IsLowerAlnum(c) && c != '.' && c != '_' && c != '-') {
      return Bad("repository name " + Quote(path) + " contains invalid character " + QuoteChar(c));
    }
  }
  if (!IsLowerAlnum(component.front())) {
    return Bad("path component " + Quote(component) + " of " + Quote(path) +
               " must start with a lowercase letter or digit");
  }
  if (!IsLowerAlnum(component.back())) {
    return Bad("path component " + Quote(component) + " of " + Quote(path) +
               " must end with a lowercase letter or digit");
  }
  size_t i = 0;
  while (i < component.size()) {
    if (IsLowerAlnum(component[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < component.size() && !IsLowerAlnum(component[j])) ++j;
    const std::string_view sep = component.substr(i, j - i);
    const bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (sep != "." && sep != "_" && sep != "__" && !dashes) {
      return Bad("path component " + Quote(component) + " has an invalid separator " + Quote(sep) +
                 " (allowed: '.', '_', '__' or dashes)");
    }
    i = j;
  }
  return Status::Ok();
}

Status ValidatePath(std::string_view path) {
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    const std::string_view component = path.substr(start, slash - start);
    if (component.empty()) {
      if (start == 0) return Bad("repository name " + Quote(path) + " must not start with '/'");
      if (slash == std::string_view::npos) {
        return Bad("repository name " + Quote(path) + " must not end with '/'");
      }
      return Bad("repository name " + Quote(path) + " has an empty path component ('//')");
    }
    if (Status s = ValidatePathComponent(component, path); !s.ok()) return s;
    if (slash == std::string_view::npos) return Status::Ok();
    start = slash + 1;
  }
}

Status ValidateTag(std::string_view tag) {
  if (tag.size() > kMaxTagLength) {
    return Bad("tag " + Quote(tag) + " is " + std::to_string(tag.size()) +
               " characters long; the limit is " + std::to_string(kMaxTagLength));
  }
  if (!IsWordChar(tag.front())) {
    return Bad("invalid tag " + Quote(tag) + ": must start with a letter, digit or '_'");
  }
  for (char c : tag) {
    if (!IsWordChar(c) && c != '.' && c != '-') {
      return Bad("invalid tag " + Quote(tag) + ": contains invalid character " + QuoteChar(c));
    }
  }
  return Status::Ok();
}

// Docker's rule for whether the first component of "a/b" names a registry.
bool LooksLikeDomain(std::string_view first) {
  return first == "localhost" || first.find_first_of(".:") != std::string_view::npos ||
         HasUpper(first);
}

}  // namespace

Result<Reference> Reference::Parse(std::string_view input) {
  if (input.empty()) return Bad("reference is empty");
  if (IsHexIdentifier(input)) {
    return Bad("invalid repository name " + Quote(input) +
               ": cannot specify 64-byte hexadecimal strings (it looks like an image ID or "
               "digest without a repository name)");
  }
  if (input.find("://") != std::string_view::npos) {
    return Bad("reference " + Quote(input) +
               " must not include a URL scheme; write registry/repository[:tag]");
  }

  // Split into pieces first, then check them left to right so that the first
  // problem in the input is the one reported.
  std::string_view rest = input;  // name[:tag]
  std::optional<std::string_view> digest_text;
  if (const size_t at = input.find('@'); at != std::string_view::npos) {
    digest_text = input.substr(at + 1);
    rest = input.substr(0, at);
    if (digest_text->empty()) {
      return Bad("reference " + Quote(input) + " ends with '@' but has no digest");
    }
    if (rest.empty()) {
      return Bad("reference " + Quote(input) + " has a digest but no repository name");
    }
  }

  Reference ref;
  ref.domain_ = std::string(kDefaultDomain);
  std::string_view remainder = rest;  // path[:tag]
  bool explicit_domain = false;
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view first = rest.substr(0, slash);
    if (first.empty()) return Bad("reference " + Quote(input) + " must not start with '/'");
    if (LooksLikeDomain(first)) {
      explicit_domain = true;
      if (first != kLegacyDefaultDomain) ref.domain_ = std::string(first);
      remainder = rest.substr(slash + 1);
    }
  }

  const size_t colon = remainder.find(':');
  const std::string_view path = remainder.substr(0, colon);
  std::optional<std::string_view> tag;
  if (colon != std::string_view::npos) tag = remainder.substr(colon + 1);

  if (path.empty()) {
    return Bad("reference " + Quote(input) + " has no repository name" +
               (explicit_domain ? " after the registry domain" : ""));
  }
  if (explicit_domain) {
    if (Status s = ValidateDomain(ref.domain_); !s.ok()) return s;
  }
  if (HasUpper(path)) return Bad("repository name " + Quote(path) + " must be lowercase");
  if (Status s = ValidatePath(path); !s.ok()) return s;

  ref.path_ = std::string(path);
  if (ref.domain_ == kDefaultDomain && path.find('/') == std::string_view::npos) {
    ref.path_.insert(0, kOfficialRepoPrefix);
  }
  const size_t name_length = ref.domain_.size() + 1 + ref.path_.size();
  if (name_length > kMaxNameLength) {
    return Bad("repository name " + Quote(ref.Name()) + " is " + std::to_string(name_length) +
               " characters long; the limit is " + std::to_string(kMaxNameLength));
  }

  if (tag) {
    if (tag->empty()) return Bad("reference " + Quote(input) + " has ':' but no tag after it");
    if (Status s = ValidateTag(*tag); !s.ok()) return s;
    ref.tag_ = std::string(*tag);
  }
  if (digest_text) {
    Result<Digest> digest = Digest::Parse(*digest_text);
    if (!digest.ok()) {
      return Bad("invalid digest " + Quote(*digest_text) +
                 " in reference: " + digest.status().message());
    }
    ref.digest_ = std::move(digest).value();
  }
  return ref;
}

std::string Reference::FamiliarName() const {
  if (domain_ != kDefaultDomain) return Name();
  std::string_view familiar = path_;
  if (path_.starts_with(kOfficialRepoPrefix)) {
    const std::string_view rest = std::string_view(path_).substr(kOfficialRepoPrefix.size());
    if (rest.find('/') == std::string_view::npos) familiar = rest;
  }
  // Never print a familiar name that would parse as something else: a bare
  // 64-hex name reads as an image ID, and a first component that looks like a
  // registry ("localhost/app", "foo.bar/baz") would name another registry.
  if (IsHexIdentifier(familiar)) return path_;
  if (const size_t slash = familiar.find('/');
      slash != std::string_view::npos && LooksLikeDomain(familiar.substr(0, slash))) {
    return Name();
  }
  return std::string(familiar);
}

std::string Reference::String() const {
  std::string out = Name();
  if (tag_) out += ":" + *tag_;
  if (digest_) out += "@" + digest_->String();
  return out;
}

std::string Reference::FamiliarString() const {
  std::string out = FamiliarName();
  if (tag_) out += ":" + *tag_;
  if (digest_) out += "@" + digest_->String();
  return out;
}

Reference Reference::WithDefaultTag() const {
  Reference copy = *this;
  if (!copy.tag_ && !copy.digest_) copy.tag_ = std::string(kDefaultTag);
  return copy;
}

std::string Reference::Identifier() const {
  if (digest_) return digest_->String();
  if (tag_) return *tag_;
  return std::string(kDefaultTag);
}

}  // namespace regdigest
