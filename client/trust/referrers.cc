#include "client/trust/referrers.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "common/base/ascii.h"
#include "common/base/display_text.h"
#include "common/base/url.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

using json = nlohmann::json;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether `params` (the part of one link-value after '>') holds rel="next".
bool IsNextRel(std::string_view params) {
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = AsciiLower(Trim(param.substr(0, eq)));
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (name != "rel") continue;
    // rel may list several space-separated relation types.
    for (std::size_t s = 0; s < value.size();) {
      std::size_t e = value.find(' ', s);
      if (e == std::string_view::npos) e = value.size();
      if (AsciiLower(value.substr(s, e - s)) == "next") return true;
      s = e + 1;
    }
  }
  return false;
}

bool IsFallbackAnswer(const Status& status) {
  const int http = status.http_status();
  return http == 404 || http == 400 || http == 406;
}

bool RegistryFiltered(const HttpResponse& response) {
  for (const std::string& value : response.headers.GetAll("OCI-Filters-Applied")) {
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      if (Trim(rest.substr(0, comma)) == "artifactType") return true;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return false;
}

void Append(std::vector<Referrer>& into, std::vector<Referrer> page, const std::string& type,
            ReferrerList& list) {
  for (Referrer& referrer : page) {
    if (!type.empty() && referrer.artifact_type != type) continue;
    if (into.size() >= kMaxReferrers) {
      list.truncated = true;
      return;
    }
    into.push_back(std::move(referrer));
  }
}

}  // namespace

bool IsSigstoreBundleArtifactType(std::string_view artifact_type) {
  const std::string type = AsciiLower(artifact_type);
  if (type == kSigstoreBundleArtifactType) return true;
  // "application/vnd.dev.sigstore.bundle+json;version=0.3" (and 0.2, 0.3.x).
  const std::string base = BaseMediaType(type);
  return base == "application/vnd.dev.sigstore.bundle+json" ||
         base == "application/vnd.dev.sigstore.bundle.v0.3+json";
}

Result<std::vector<Referrer>> ParseReferrersIndex(std::string_view body) {
  Result<ImageIndex> index = ParseImageIndex(body);
  if (!index.ok()) return index.status();
  // ParseImageIndex accepted it, so it is a JSON object with a "manifests" array.
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.contains("manifests") || !doc["manifests"].is_array() ||
      doc["manifests"].size() != index->manifests.size()) {
    return Status(StatusCode::kProtocol, "referrers index: not an image index");
  }
  std::vector<Referrer> referrers;
  for (std::size_t i = 0; i < index->manifests.size(); ++i) {
    Referrer referrer{std::move(index->manifests[i]), ""};
    const json& entry = doc["manifests"][i];
    if (auto it = entry.find("artifactType"); it != entry.end() && !it->is_null()) {
      if (!it->is_string()) {
        return Status(StatusCode::kProtocol, "referrers index: manifests[" + std::to_string(i) +
                                                 "]: \"artifactType\" is not a string");
      }
      referrer.artifact_type = it->get<std::string>();
    }
    referrers.push_back(std::move(referrer));
  }
  return referrers;
}

std::optional<std::string> NextLinkTarget(const std::vector<std::string>& link_values) {
  for (const std::string& value : link_values) {
    std::string_view rest = value;
    while (true) {
      const std::size_t open = rest.find('<');
      if (open == std::string_view::npos) break;
      const std::size_t close = rest.find('>', open);
      if (close == std::string_view::npos) break;
      const std::string_view target = rest.substr(open + 1, close - open - 1);
      rest = rest.substr(close + 1);
      const std::size_t next_open = rest.find('<');
      if (IsNextRel(rest.substr(0, next_open))) return std::string(target);
    }
  }
  return std::nullopt;
}

std::string DigestTag(const Digest& subject, std::string_view suffix) {
  std::string tag = subject.algorithm() + "-" + subject.hex();
  if (!suffix.empty()) tag += "." + std::string(suffix);
  return tag;
}

Result<Reference> WithTag(const Reference& repository, const std::string& tag) {
  return Reference::Parse(repository.Name() + ":" + tag);
}

Result<Reference> WithDigest(const Reference& repository, const Digest& digest) {
  return Reference::Parse(repository.Name() + "@" + digest.String());
}

Result<ReferrerList> ReferrersClient::List(const Reference& repository, const Digest& subject,
                                           const std::string& artifact_type) {
  const std::string prefix = "/v2/" + repository.path() + "/";
  const std::string first = "referrers/" + subject.String();
  std::string suffix = first;
  if (!artifact_type.empty()) suffix += "?artifactType=" + PercentEncode(artifact_type);
  ReferrerList list;
  while (true) {
    Result<HttpResponse> response = client_.Get(repository, suffix, std::string(kOciImageIndex));
    if (!response.ok()) {
      if (list.pages == 0 && IsFallbackAnswer(response.status())) {
        spdlog::debug("{}: no referrers API ({}); reading the tag {}", repository.Name(),
                      response.status().http_status(), DigestTag(subject));
        return FromFallbackTag(repository, subject, artifact_type);
      }
      return response.status();
    }
    const bool is_index =
        BaseMediaType(response->headers.Get("Content-Type").value_or("")) == kOciImageIndex;
    Result<std::vector<Referrer>> page =
        is_index ? ParseReferrersIndex(response->body)
                 : Result<std::vector<Referrer>>(
                       Status(StatusCode::kProtocol, "the referrers answer is not an index"));
    if (!page.ok()) {
      if (list.pages == 0) {
        spdlog::debug("{}: referrers API answered no index ({}); reading the tag {}",
                      repository.Name(), page.status().message(), DigestTag(subject));
        return FromFallbackTag(repository, subject, artifact_type);
      }
      return page.status().WithContext(repository.Name() + ": referrers page " +
                                       std::to_string(list.pages + 1));
    }
    ++list.pages;
    Append(list.referrers, std::move(page).value(),
           RegistryFiltered(*response) ? std::string() : artifact_type, list);
    std::optional<std::string> next = NextLinkTarget(response->headers.GetAll("Link"));
    if (!next || list.truncated) break;
    if (list.pages >= kMaxReferrerPages) {
      spdlog::warn("{}: more than {} pages of referrers; reading no more", repository.Name(),
                   kMaxReferrerPages);
      list.truncated = true;
      break;
    }
    Result<Url> base = Url::Parse(response->url);
    Result<Url> target = base.ok() ? ResolveLocation(*base, *next) : base;
    if (!target.ok() || !SameOrigin(*base, *target) ||
        !target->path_and_query.starts_with(prefix + first)) {
      return Status(StatusCode::kProtocol,
                    repository.Name() + ": refusing the referrers \"next\" link " +
                        DisplayText(*next) + " (another host or repository)");
    }
    suffix = target->path_and_query.substr(prefix.size());
  }
  list.source = ReferrersSource::kApi;
  return list;
}

Result<ReferrerList> ReferrersClient::FromFallbackTag(const Reference& repository,
                                                      const Digest& subject,
                                                      const std::string& artifact_type) {
  ReferrerList list;
  list.source = ReferrersSource::kFallbackTag;
  Result<Reference> tagged = WithTag(repository, DigestTag(subject));
  if (!tagged.ok()) return tagged.status();
  Result<FetchedManifest> fetched = client_.Fetch(*tagged);
  if (!fetched.ok()) {
    if (fetched.status().code() == StatusCode::kNotFound) return list;
    return fetched.status();
  }
  Result<std::vector<Referrer>> entries = ParseReferrersIndex(fetched->body);
  if (!entries.ok()) return entries.status().WithContext(tagged->String());
  Append(list.referrers, std::move(entries).value(), artifact_type, list);
  return list;
}

}  // namespace regdigest
