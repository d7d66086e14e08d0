// Logging on stderr for -v/-vv. Nothing secret is passed to the logger
// anywhere in regdigest; this only decides what is shown and how.
#pragma once

namespace regdigest {

// 0: warnings only; 1: debug; 2 or more: trace.
void SetupLogging(int verbosity);

}  // namespace regdigest
