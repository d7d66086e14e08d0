#include "client/http/http.h"

#include "common/base/ascii.h"

namespace regdigest {

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Set(const std::string& name, std::string value) {
  Remove(name);
  Add(name, std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return AsciiEqualsIgnoreCase(f.first, name); });
}

std::optional<std::string> HttpHeaders::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (AsciiEqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_) {
    if (AsciiEqualsIgnoreCase(k, name)) out.push_back(v);
  }
  return out;
}

}  // namespace regdigest
