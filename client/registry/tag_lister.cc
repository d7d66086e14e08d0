#include "client/registry/tag_lister.h"

#include <spdlog/spdlog.h>

#include "client/auth/token_cache.h"
#include "common/base/display_text.h"
#include "common/registry/endpoint.h"
#include "common/registry/registry_error.h"

namespace regdigest {

TagLister::TagLister(std::shared_ptr<Transport> transport, ToolConfig config,
                     TagListerOptions options, std::shared_ptr<EndpointSchemes> schemes)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      options_(options),
      schemes_(schemes ? std::move(schemes) : std::make_shared<EndpointSchemes>()) {}

Result<TagList> TagLister::List(const Reference& repository) {
  Result<std::vector<Endpoint>> endpoints = EndpointsFor(repository.domain(), config_);
  if (!endpoints.ok()) return endpoints.status();
  const Endpoint& endpoint = endpoints->back();  // the registry itself, never a mirror
  const std::string what = repository.Name() + " tags/list";
  TagCollector collector(options_.max_pages);
  TagList list;
  std::string url;
  bool first = true;
  bool after_last = false;  // the page was asked for with ?last= (no link named it)
  while (true) {
    HttpRequest request;
    request.method = "GET";
    request.headers.Set("Accept", "application/json");
    request.auth.registry = repository.domain();
    request.auth.scope = PullScope(repository.path());
    Result<HttpResponse> response = Status(StatusCode::kInternal, "tags/list: no request sent");
    if (first) {
      // The first page finds (or reuses) the scheme a loopback or insecure
      // registry speaks; later pages follow links or ?last= on that base.
      first = false;
      response = schemes_->RoundTrip(endpoint, [&](const std::string& base_url, bool probe) {
        url = FirstTagPageUrl(base_url, repository.path(), options_.page_size);
        request.url = url;
        request.max_attempts = probe ? 1 : 0;
        return transport_->RoundTrip(request);
      });
    } else {
      request.url = url;
      response = transport_->RoundTrip(request);
    }
    if (!response.ok()) return response.status().WithContext(what);
    if (response->status != 200) {
      return RegistryErrorStatus(response->status, response->body, what);
    }
    Result<TagListPage> page = ParseTagListPage(response->body);
    if (!page.ok()) return page.status().WithContext(repository.Name());
    list.invalid += page->invalid;
    Result<TagCollector::Next> next = collector.Add(url, *page);
    if (!next.ok()) return next.status().WithContext(repository.Name());
    spdlog::debug("{}: page {} with {} tags", DisplayText(what), collector.pages(),
                  page->tags.size());
    if (*next == TagCollector::Next::kRepeated) {
      if (!after_last) {
        spdlog::warn("{}: the registry repeated a page; the list ends there",
                     DisplayText(repository.Name()));
      }
      break;
    }
    Result<Url> page_url = Url::Parse(url);
    if (!page_url.ok()) return page_url.status();
    Result<std::optional<Url>> link = NextTagPage(*page_url, response->headers.GetAll("Link"));
    if (!link.ok()) return link.status().WithContext(repository.Name());
    if (link->has_value()) {
      url = (*link)->String();
      after_last = false;
      if (collector.Seen(url)) {
        spdlog::warn(
            "{}: the next-page link points back to a page already read; the list "
            "ends there",
            DisplayText(repository.Name()));
        break;
      }
      continue;
    }
    // No link. A full page from a registry that paginates without links
    // (or ignores n) is followed by a ?last= request; an empty or repeated
    // answer ends the walk.
    if (page->tags.size() < static_cast<std::size_t>(options_.page_size) ||
        collector.last_tag().empty()) {
      break;
    }
    after_last = true;
    url = TagPageAfter(schemes_->BaseUrl(endpoint), repository.path(), options_.page_size,
                       collector.last_tag());
  }
  list.pages = collector.pages();
  list.tags = collector.Sorted();
  return list;
}

}  // namespace regdigest
