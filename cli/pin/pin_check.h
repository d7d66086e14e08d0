// `regdigest pin --check FILE...`: does every tag written in the files still
// point at the digest pinned next to it? One CheckReport row per reference,
// with its file and line, so CI annotations land on the right line.
#pragma once

#include "cli/app/context.h"
#include "cli/pin/pin_files.h"

namespace regdigest {

// Prints the report in options.format. Returns 0 when every reference is ok,
// 1 when any is drifted, missing or unpinned, 3 when an error prevented a
// decision (an unreadable file, an invalid reference, a registry failure).
int RunPinCheck(const GlobalOptions& globals, const PinOptions& options);

}  // namespace regdigest
