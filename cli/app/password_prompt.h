// Reading a password from the terminal as `docker login` does: "Password: "
// on stderr, echo off while typing, the terminal restored afterwards, also
// when SIGINT, SIGTERM, SIGHUP or SIGQUIT arrives meanwhile. Main thread only
// (it installs process-wide signal handlers for the duration of the read).
#pragma once

#include <string>

#include "common/base/status.h"

namespace regdigest {

// Whether standard input is a terminal.
bool StdinIsTerminal();

// Prompts on stderr and reads one line from standard input (a terminal) with
// echo off. kUsage when nothing was entered (end of input); kIo when the
// terminal cannot be configured.
Result<std::string> PromptPassword(const std::string& prompt);

}  // namespace regdigest
