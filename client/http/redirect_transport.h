// RedirectTransport: a decorator that follows HTTP redirects for GET and HEAD
// (registries redirect blob and some manifest requests to storage/CDNs).
// It never downgrades https to http and drops Authorization when a redirect
// leaves the original request's origin.
#pragma once

#include <memory>

#include "client/http/http.h"
#include "common/base/status.h"

namespace regdigest {

class RedirectTransport : public Transport {
 public:
  explicit RedirectTransport(std::shared_ptr<Transport> inner, int max_redirects = 5);

  // Follows 301/302/303/307/308 responses that carry a Location header, for
  // GET and HEAD requests only (other methods get the redirect response back).
  // The Location is resolved against the URL that answered. 303 turns the
  // request into a GET (a HEAD stays a HEAD). Errors (kTransport): more than
  // max_redirects hops, an https→http redirect ("refusing redirect from https
  // to http: <url>"), an unusable Location; plus any error of the inner
  // Transport. The returned response's url is the one that finally answered.
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

 private:
  std::shared_ptr<Transport> inner_;
  int max_redirects_;
};

}  // namespace regdigest
