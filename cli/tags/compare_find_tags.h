// `compare --find-tags`: for each comparison that ended `unknown` (a local
// image with no RepoDigests entry for the repository), which tags of that
// repository hold the local image ID (cli/tags/tag_lookup.h: HEADs, then one
// GET per distinct manifest). Each repository's tags are listed once.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "cli/app/registry_session.h"
#include "cli/output/compare_output.h"

namespace regdigest {

// Looks the image IDs up and reports them: one text line per unknown image
// on `out`, or, when `json_results` is given (one entry per job, in order),
// "foundTags": [{"tag", "match", "platform"}] added to each unknown entry
// (null when the lookup failed). Returns the exit status it adds: 3 when a
// lookup failed, else 0.
int ReportFoundTags(const std::vector<CompareJob>& jobs, RegistrySession& session,
                    nlohmann::ordered_json* json_results, std::ostream& out);

}  // namespace regdigest
