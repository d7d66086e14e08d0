// regdigest: make a container image's identity unambiguous.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/app/logging.h"
#include "cli/commands/command_line.h"
#include "cli/output/exit_status.h"
#include "cli/output/terminal_stream.h"
#include "common/base/display_text.h"

int main(int argc, char** argv) {
  using namespace regdigest;
  MakeTerminalSafe(std::cout);  // no raw control byte from any command
  MakeTerminalSafe(std::cerr);
  try {
    CLI::App app{"regdigest: resolve image tags to digests and explain how they relate"};
    GlobalOptions globals;
    CommandRunner run;
    BuildCommandLine(app, globals, run);
    if (std::optional<int> exit_status = ParseCommandLine(app, argc, argv, std::cerr)) {
      return *exit_status;
    }
    SetupLogging(globals.verbosity);
    return run ? run() : kExitUsage;
  } catch (const std::exception& error) {
    // Whatever escapes a command (a worker's exception, std::bad_alloc, a
    // thread that could not start): one line, exit 3, never std::terminate.
    std::cerr << "regdigest: internal error: " << DisplayText(error.what()) << "\n";
  } catch (...) {
    std::cerr << "regdigest: internal error: unknown exception\n";
  }
  return kExitFailure;
}
