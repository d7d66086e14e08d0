// What `pin` and `pin --check` share: the files named on the command line
// with the image references found in them, the warnings for references that
// are skipped, and where the tags point now (one bulk run for all files).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "cli/app/context.h"
#include "cli/output/check_report.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/platform.h"
#include "common/image/reference.h"
#include "common/pin/image_references.h"

namespace regdigest {

// The options of `regdigest pin` (cli/command_pin.cc).
struct PinOptions {
  std::vector<std::string> files;
  bool check = false;
  bool dry_run = false;
  bool update = false;
  std::string platform;
  int concurrency = 0;  // 0: the config's
  ReportFormat format = ReportFormat::kText;
  bool format_given = false;
};

struct PinFile {
  std::string path;       // as given on the command line
  std::string real_path;  // symlinks resolved: the file that is rewritten
  std::string content;
  mode_t mode = 0644;
  std::vector<ImageOccurrence> occurrences;
};

// Reads each file (a path named twice, even through a symlink, is read
// once) and finds its image references. The first failure is returned: kIo
// for a missing or unreadable file, kInvalidArgument for one whose kind
// cannot be told or whose YAML is malformed; the message names the file.
Result<std::vector<PinFile>> LoadPinFiles(const std::vector<std::string>& paths);

// "FILE:LINE" of an occurrence.
std::string PlaceOf(const PinFile& file, const ImageOccurrence& occurrence);

// "regdigest: Dockerfile:3: skipped ${BASE}: uses build argument ${BASE}" on
// stderr, one line per skipped reference.
void WarnSkipped(const std::vector<PinFile>& files);

// A written reference parsed; an error's message is the whole line to print:
// "FILE:LINE: invalid reference: \"TEXT\": why".
Result<Reference> ParseWrittenReference(const PinFile& file, const ImageOccurrence& occurrence);

// Where each tag points now: one HEAD each through client/bulk_resolver.h
// (identical references once); with `platform`, that platform's manifest
// digest (ImageDescriber::SelectPlatformManifest). One result per reference,
// in order; the outer error is a failure to set up the registry access.
// A tag that exists without `platform` is kNotFound ("no linux/s390x image
// in ...") as in resolve, and `platform_missing` (when given) marks it, so
// that pin --check can tell it from a missing tag.
Result<std::vector<Result<Digest>>> ResolveCurrentDigests(
    const GlobalOptions& globals, const std::vector<Reference>& references,
    const std::optional<Platform>& platform, int concurrency,
    std::vector<bool>* platform_missing = nullptr);

}  // namespace regdigest
