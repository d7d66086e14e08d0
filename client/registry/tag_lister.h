// TagLister: every tag of a repository through GET /v2/<name>/tags/list,
// page after page (common/registry/tag_list.h: Link rel="next" on the same
// origin, a repeated page ends the list, a page cap stops an endless chain).
// The requests go through the regdigest transport stack with the pull scope
// of the repository, so the token is the one the manifest HEADs use.
// Thread safety: List may be called from several threads when the
// transport may (the regdigest stack may).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "client/http/http.h"
#include "client/registry/endpoint_schemes.h"
#include "common/base/status.h"
#include "common/image/reference.h"
#include "common/registry/tag_list.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct TagList {
  std::vector<std::string> tags;  // every distinct tag, lexical order
  std::size_t pages = 0;          // pages fetched
  std::size_t invalid = 0;        // entries dropped as not valid tags
};

struct TagListerOptions {
  int page_size = kTagPageSize;
  std::size_t max_pages = kMaxTagPages;
};

class TagLister {
 public:
  // `schemes`: the run's memory of which scheme each loopback or insecure
  // registry speaks (RegistryClient::schemes()), so the list and the HEADs
  // agree; a fresh one when not given.
  TagLister(std::shared_ptr<Transport> transport, ToolConfig config, TagListerOptions options = {},
            std::shared_ptr<EndpointSchemes> schemes = nullptr);

  // The tags of `repository` (its domain and path; a tag or digest is
  // ignored), from the registry itself (mirrors are for pulls and are not
  // asked). The walk follows rel="next" links; without one, a page of at
  // least page_size tags is followed by one ?last= request (fewer tags than
  // asked never ends the walk by itself: only a missing link does).
  Result<TagList> List(const Reference& repository);

 private:
  std::shared_ptr<Transport> transport_;
  ToolConfig config_;
  TagListerOptions options_;
  std::shared_ptr<EndpointSchemes> schemes_;
};

}  // namespace regdigest
