// Help for people: a CLI11 formatter that wraps long descriptions and footers
// and shows, in each command's --help, the global options that apply to it;
// number and non-empty validators whose messages name the option and value
// in plain words; "did you mean" suggestions for a mistyped command; and the
// `help [COMMAND]` command. Used only while parsing, on the main thread.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands/commands.h"

namespace regdigest {

// Which kinds of global options a command uses. A command not named in the
// table of command_line.cc gets kRegistryGlobals.
enum GlobalKinds : unsigned {
  kVerboseOnly = 0,      // -v applies to every command
  kRegistryGlobals = 1,  // --config, --ca-file, --retries, --timeout, ...
  kEngineGlobals = 2,    // --host
};

// Formats help at kHelpWidth columns; see the file comment.
class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();
  // Records which global options `command` shows in its --help.
  void SetGlobalKinds(const std::string& command, unsigned kinds);

  std::string make_description(const CLI::App* app) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_option_desc(const CLI::Option* opt) const override;
  // A positional's name is its placeholder (REF, FILE): no type after it.
  // CLI11's generic placeholders become VALUE and N; "..." marks a list.
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_footer(const CLI::App* app) const override;

 private:
  std::string GlobalOptionsSection(const CLI::App* command) const;
  std::vector<std::pair<std::string, unsigned>> kinds_;
};

inline constexpr std::size_t kHelpWidth = 80;

// `text` with its words wrapped at `width` columns; a line that starts with
// two spaces (an example) is kept as it is.
std::string WrapText(std::string_view text, std::size_t width);

// A validator for a number option: "'abc' is not a number (1..64)",
// "'65' is not in 1..64"; CLI11 prefixes the option's name.
CLI::Validator NumberIn(double min, double max);
// A validator refusing an empty value ("must not be empty: give PLATFORM").
CLI::Validator NonEmpty(const std::string& placeholder);

// The subcommand of `app` closest to `typed` (at most two edits, letters
// swapped counting as one), or "" when none is close.
std::string SuggestCommand(const CLI::App& app, std::string_view typed);

// `help [COMMAND]`: the help of regdigest, or of COMMAND.
void AddHelpCommand(CLI::App& app, CommandRunner& run);

}  // namespace regdigest
