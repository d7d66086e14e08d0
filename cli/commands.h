// The regdigest subcommands. Each Add*Command registers one CLI11 subcommand;
// when the user picks it, `run` is set to the function that carries it out
// and returns the process exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/context.h"

namespace regdigest {

using CommandRunner = std::function<int()>;

void AddRefCommand(CLI::App& app, CommandRunner& run);
void AddResolveCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddLoginCommands(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddVersionCommand(CLI::App& app, CommandRunner& run);

// --output text|json, shared by commands that print results.
enum class OutputFormat { kText, kJson };
void AddOutputOption(CLI::App& command, OutputFormat& format);

}  // namespace regdigest
