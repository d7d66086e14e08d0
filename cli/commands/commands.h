// The regdigest subcommands. Each Add*Command registers one CLI11 subcommand;
// when the user picks it, `run` is set to the function that carries it out
// and returns the process exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>

#include "cli/app/context.h"
#include "cli/output/check_report.h"
#include "common/base/status.h"
#include "common/image/platform.h"

namespace regdigest {

using CommandRunner = std::function<int()>;

void AddRefCommand(CLI::App& app, CommandRunner& run);
void AddResolveCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddLoginCommands(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddVersionCommand(CLI::App& app, CommandRunner& run);
void AddInspectCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddCompareCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddLockCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddCheckCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddPinCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddRecordCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddHistoryCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddDriftCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddRatelimitCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddVerifyCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddReferrersCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
void AddTagsCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run);
// `completion bash|zsh|fish`, generated from the commands and options of `app`.
void AddCompletionCommand(CLI::App& app, CommandRunner& run);

// "regdigest 1.2.3\nlibcurl 8.x\n" for `version` and `--version`.
std::string VersionText();

// --output text|json, shared by commands that print results; with `pinned`,
// also --output pinned (REF@DIGEST lines that `check --file` reads back).
enum class OutputFormat { kText, kJson, kPinned };
void AddOutputOption(CLI::App& command, OutputFormat& format, bool pinned = false);

// A one-reference command's failure: {"input", "error"} as JSON on stdout, or
// the error on stderr; returns the exit status for it.
int PrintFailure(const std::string& input, const Status& status, OutputFormat format);

// --output text|json|junit|github, for the drift-gating commands (check,
// pin --check, history, drift); see common/check_report.h.
void AddReportOutputOption(CLI::App& command, ReportFormat& format);

// Adds `--file F` and `--concurrency N` (1..64; 0 when not given) to a command
// that takes references (defined in cli/command_resolve.cc).
void AddReferenceFileOptions(CLI::App& command, std::string& file, int& concurrency);

// A --platform value: "os/arch[/variant]", or "local" for the Docker engine's
// own platform (asked through --host / $DOCKER_HOST). kUsage for a malformed
// value; the engine's error (kEngineUnavailable...) for "local".
Result<Platform> PlatformFromOption(const std::string& value, const GlobalOptions& globals);
// The same for an optional --platform: "" gives no platform.
Result<std::optional<Platform>> OptionalPlatformFromOption(const std::string& value,
                                                           const GlobalOptions& globals);
inline constexpr const char* kPlatformOptionHelp =
    "Platform os/arch[/variant] (e.g. linux/arm64), or 'local' for the Docker engine's own";
// `--platform PLATFORM` (one value; "" is a usage error) and its repeatable
// form (one value per occurrence, so `--platform P REF` never takes REF).
CLI::Option* AddPlatformOption(CLI::App& command, std::string& platform, const std::string& help);
CLI::Option* AddPlatformOption(CLI::App& command, std::vector<std::string>& platforms,
                               const std::string& help);
// A repeatable `--NAME FILE` option taking one file per occurrence.
CLI::Option* AddFilesOption(CLI::App& command, const std::string& name,
                            std::vector<std::string>& files, const std::string& help);
// `--concurrency N` (1..64; 0 when not given).
CLI::Option* AddConcurrencyOption(CLI::App& command, int& concurrency);

}  // namespace regdigest
