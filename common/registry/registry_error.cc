#include "common/registry/registry_error.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "common/base/display_text.h"
#include "common/registry/retry_policy.h"

namespace regdigest {
namespace {

using nlohmann::json;

constexpr size_t kMaxText = 300;

struct RegistryError {
  std::string code;
  std::string message;
  std::string detail;  // only when the detail is a plain string
};

// Printable, single-line, bounded text from a server: C0 controls become
// spaces, then C1 controls, bidi overrides and invalid UTF-8 are escaped and
// the text is capped (DisplayText).
std::string Clean(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  size_t end = out.find_last_not_of(' ');
  out.erase(end == std::string::npos ? 0 : end + 1);
  size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return DisplayText(std::string_view(out).substr(begin), kMaxText);
}

std::vector<RegistryError> ParseErrors(std::string_view body) {
  std::vector<RegistryError> errors;
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return errors;
  auto list = doc.find("errors");
  if (list == doc.end() || !list->is_array()) return errors;
  for (const json& item : *list) {
    if (!item.is_object()) continue;
    RegistryError e;
    if (auto it = item.find("code"); it != item.end() && it->is_string()) {
      e.code = Clean(it->get_ref<const std::string&>());
    }
    if (auto it = item.find("message"); it != item.end() && it->is_string()) {
      e.message = Clean(it->get_ref<const std::string&>());
    }
    if (auto it = item.find("detail"); it != item.end() && it->is_string()) {
      e.detail = Clean(it->get_ref<const std::string&>());
    }
    if (!e.code.empty() || !e.message.empty()) errors.push_back(std::move(e));
  }
  return errors;
}

// First line of a short plain-text (not HTML, not JSON) body, or "".
std::string PlainTextSnippet(std::string_view body) {
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "";
  body.remove_prefix(start);
  if (body.front() == '<' || body.front() == '{' || body.front() == '[') return "";
  std::string_view line = body.substr(0, body.find_first_of("\r\n"));
  for (char c : line) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t') return "";
  }
  return Clean(line);
}

StatusCode CodeFor(int http_status, const std::vector<RegistryError>& errors, bool& denied) {
  denied = false;
  for (const RegistryError& e : errors) {
    if (e.code == "TOOMANYREQUESTS") return StatusCode::kRateLimited;
  }
  if (http_status == 429) return StatusCode::kRateLimited;
  for (const RegistryError& e : errors) {
    if (e.code == "UNAUTHORIZED") return StatusCode::kUnauthorized;
    if (e.code == "DENIED") {
      denied = true;
      return StatusCode::kUnauthorized;
    }
    if (e.code == "MANIFEST_UNKNOWN" || e.code == "NAME_UNKNOWN" || e.code == "BLOB_UNKNOWN") {
      return StatusCode::kNotFound;
    }
  }
  switch (http_status) {
    case 401:
      return StatusCode::kUnauthorized;
    case 403:
      denied = true;
      return StatusCode::kUnauthorized;
    case 404:
      return StatusCode::kNotFound;
    default:
      return StatusCode::kTransport;
  }
}

// How many registry errors are spelled out in one message.
constexpr size_t kMaxJoinedErrors = 5;

// "manifest unknown (MANIFEST_UNKNOWN); ..." or "" for no errors; after
// kMaxJoinedErrors errors, "; and N more".
std::string JoinErrors(const std::vector<RegistryError>& errors) {
  std::string text;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i == kMaxJoinedErrors) {
      text += "; and " + std::to_string(errors.size() - i) + " more";
      break;
    }
    const RegistryError& e = errors[i];
    if (!text.empty()) text += "; ";
    std::string part = e.message.empty() ? e.code : e.message;
    if (!e.detail.empty() && e.detail != e.message) part += ": " + e.detail;
    if (!e.code.empty() && !e.message.empty()) part += " (" + e.code + ")";
    text += part;
  }
  return text;
}

std::string HttpStatusText(int http_status) {
  std::string out = "HTTP " + std::to_string(http_status);
  std::string_view reason = HttpReasonPhrase(http_status);
  if (!reason.empty()) out += " " + std::string(reason);
  return out;
}

}  // namespace

std::string_view HttpReasonPhrase(int http_status) {
  switch (http_status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

Status RegistryErrorStatus(int http_status, std::string_view body, std::string_view what) {
  std::vector<RegistryError> errors = ParseErrors(body);
  bool denied = false;
  StatusCode code = CodeFor(http_status, errors, denied);

  std::string text = JoinErrors(errors);
  if (text.empty()) {
    text = HttpStatusText(http_status);
    if (std::string snippet = PlainTextSnippet(body); !snippet.empty()) text += ": " + snippet;
  } else if (code == StatusCode::kTransport) {
    text += " [" + HttpStatusText(http_status) + "]";
  }
  if (denied) text = "denied: " + text;

  std::string message(what);
  if (!message.empty()) message += ": ";
  message += text;
  std::string registry_code;
  for (const RegistryError& e : errors) {
    if (!e.code.empty()) {
      registry_code = e.code;
      break;
    }
  }
  return Status(code, std::move(message))
      .WithHttpStatus(http_status)
      .WithRegistryCode(std::move(registry_code))
      .WithRetryable(IsRetryableStatus(http_status));
}

std::string RegistryErrorMessages(std::string_view body) { return JoinErrors(ParseErrors(body)); }

}  // namespace regdigest
