// FakeOciRegistry: an in-memory registry at https://localhost:5000 (loopback
// registries are tried over https first) for the signature and referrers tests: manifests by tag
// and digest, blobs, and any raw answer (status, headers, body) for an exact URL (referrers API
// pages). Records every request (method and URL). Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "client/http/http.h"
#include "common/image/digest.h"

namespace regdigest::testing {

class FakeOciRegistry : public Transport {
 public:
  static inline const std::string kBase = "https://localhost:5000/v2/";

  struct Answer {
    int status = 200;
    HttpHeaders headers;
    std::string body;
  };

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request.method + " " + request.url);
    HttpResponse response;
    response.url = request.url;
    auto it = answers.find(request.url);
    if (it == answers.end()) {
      response.status = 404;
      response.headers.Add("Content-Type", "application/json");
      response.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]})";
      return response;
    }
    response.status = it->second.status;
    response.headers = it->second.headers;
    if (request.method != "HEAD") response.body = it->second.body;
    return response;
  }

  // Serves `body` as a manifest of `repo` under its digest and `tag` (if any).
  Digest AddManifest(const std::string& repo, const std::string& content_type,
                     const std::string& body, const std::string& tag = "") {
    const Digest digest = Digest::Sha256Of(body);
    Answer answer;
    answer.headers.Add("Content-Type", content_type);
    answer.headers.Add("Docker-Content-Digest", digest.String());
    answer.body = body;
    answers[kBase + repo + "/manifests/" + digest.String()] = answer;
    if (!tag.empty()) answers[kBase + repo + "/manifests/" + tag] = answer;
    return digest;
  }
  Digest AddBlob(const std::string& repo, const std::string& body) {
    const Digest digest = Digest::Sha256Of(body);
    Answer answer;
    answer.headers.Add("Content-Type", "application/octet-stream");
    answer.body = body;
    answers[kBase + repo + "/blobs/" + digest.String()] = answer;
    return digest;
  }
  void AddRaw(const std::string& url, Answer answer) { answers[url] = std::move(answer); }

  int Count(const std::string& fragment) const {
    int n = 0;
    for (const std::string& r : requests) n += r.find(fragment) != std::string::npos ? 1 : 0;
    return n;
  }

  std::map<std::string, Answer> answers;
  std::vector<std::string> requests;
};

// {"mediaType":…,"digest":…,"size":…<extra>}
inline std::string DescriptorJson(const std::string& media_type, const Digest& digest,
                                  std::size_t size, const std::string& extra = "") {
  return R"({"mediaType":")" + media_type + R"(","digest":")" + digest.String() + R"(","size":)" +
         std::to_string(size) + extra + "}";
}

// An OCI image manifest with the given layer descriptors (JSON texts) and an empty config.
inline std::string OciManifestJson(const std::vector<std::string>& layers,
                                   const std::string& extra = "") {
  std::string list;
  for (const std::string& layer : layers) list += (list.empty() ? "" : ",") + layer;
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
         R"("config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},)"
         R"("layers":[)" +
         list + "]" + extra + "}";
}

inline std::string OciIndexJson(const std::vector<std::string>& manifests) {
  std::string list;
  for (const std::string& m : manifests) list += (list.empty() ? "" : ",") + m;
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
         list + "]}";
}

}  // namespace regdigest::testing
