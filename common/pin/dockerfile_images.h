// The image references of a Dockerfile (or Containerfile) as BuildKit reads
// them: `FROM [--platform=...] image [AS stage]` and `COPY --from=image`,
// over logical lines (line continuations with `\` or the `# escape=`
// directive's character, comment and blank lines inside them), skipping
// heredoc bodies. Positions are byte offsets in the original text.
#pragma once

#include <string_view>
#include <vector>

#include "common/pin/image_references.h"

namespace regdigest {

// In file order. `line` is left 0 (FindImageReferences fills it in). Skipped,
// with the reason: `scratch`, names of earlier build stages (compared without
// case, as BuildKit does) and images using build arguments (`$ARG`,
// `${ARG}`). `COPY --from=` naming an earlier stage or a stage index is not an
// image reference and is not listed.
std::vector<ImageOccurrence> FindDockerfileImages(std::string_view content);

// True when the first instruction (after parser directives, comments and
// blank lines) is FROM or ARG, as in every Dockerfile that builds an image.
bool LooksLikeDockerfile(std::string_view content);

}  // namespace regdigest
