// The regdigest command line: the global options (-v, --version, --config,
// --ca-file, --host, --retries, --timeout), every subcommand in the order the
// help lists them, and how parse errors map to exit statuses. cli/main.cc is this plus running the
// chosen command; tests parse argument lists through it without running anything.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>

#include "cli/app/context.h"
#include "cli/commands/commands.h"

namespace regdigest {

// Adds the global options (into `globals`) and every subcommand to `app`.
// Picking a subcommand sets `run`. `app`, `globals` and `run` must outlive
// the parse and the run.
void BuildCommandLine(CLI::App& app, GlobalOptions& globals, CommandRunner& run);

// Parses argv (argv[0] is the program name). nullopt when a command was
// chosen (`run` is then set); else the process exit status: 0 after --help
// or --version (printed on stdout), kExitUsage after a usage error, explained
// on `err` in one line ("regdigest: unknown command 'reslove'; did you mean
// 'resolve'?", "regdigest: --concurrency: 'abc' is not a number (1..64)")
// with a pointer to the help of the command concerned.
std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    std::ostream& err);

}  // namespace regdigest
