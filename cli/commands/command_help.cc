#include "cli/commands/command_help.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/output/exit_status.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr std::size_t kColumnWidth = 26;

std::string WrapParagraph(std::string_view line, std::size_t width) {
  std::string out, current;
  std::size_t start = 0;
  while (start < line.size()) {
    std::size_t end = line.find(' ', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view word = line.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!current.empty() && current.size() + 1 + word.size() > width) {
      out += current + "\n";
      current.clear();
    }
    current += (current.empty() ? "" : " ") + std::string(word);
  }
  return out + current;
}

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of neighbouring letters cost one each.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

std::string WrapText(std::string_view text, std::size_t width) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!out.empty() || start > 0) out += "\n";
    out += line.substr(0, 2) == "  " ? std::string(line) : WrapParagraph(line, width);
    start = end + 1;
  }
  return out;
}

HelpFormatter::HelpFormatter() { column_width(kColumnWidth); }

void HelpFormatter::SetGlobalKinds(const std::string& command, unsigned kinds) {
  kinds_.emplace_back(command, kinds);
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
  const std::string description = CLI::Formatter::make_description(app);
  return description.empty() ? description : WrapText(description, kHelpWidth);
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  // The list of commands shows each one's first sentence; its --help, all.
  std::string summary = sub->get_description();
  if (const std::size_t stop = summary.find(". "); stop != std::string::npos) {
    summary.resize(stop + 1);
  }
  std::stringstream out;
  CLI::detail::format_help(out, sub->get_display_name(true),
                           WrapText(summary, kHelpWidth - kColumnWidth), kColumnWidth);
  return out.str();
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
  return WrapText(CLI::Formatter::make_option_desc(opt), kHelpWidth - kColumnWidth);
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (opt->get_positional()) {
    const bool list = opt->get_expected_max() >= CLI::detail::expected_max_vector_size;
    return std::string(list ? "..." : "") + (opt->get_required() ? " (required)" : "");
  }
  std::string opts = CLI::Formatter::make_option_opts(opt);
  // CLI11 appends each validator's description to the placeholder
  // ("FILE:FILE", "text|json:{text,json}"): keep the placeholder alone.
  if (!opts.empty() && opts.front() == ' ') {
    const std::size_t end = std::min(opts.find_first_of(" =", 1), opts.size());
    const std::size_t colon = opts.find(':', 1);
    if (colon < end) opts.erase(colon, end - colon);
  }
  for (const auto& [from, to] : {std::pair<std::string, std::string>{" TEXT", " VALUE"},
                                 {" INT", " N"},
                                 {" FLOAT", " N"},
                                 {" REQUIRED", " (required)"}}) {
    if (const std::size_t at = opts.find(from); at != std::string::npos) {
      opts.replace(at, from.size(), to);
    }
  }
  return opts;
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
  std::string out = app->get_parent() != nullptr ? GlobalOptionsSection(app) : "";
  if (!app->get_footer().empty()) {
    out += (out.empty() ? "" : "\n") + WrapText(app->get_footer(), kHelpWidth) + "\n";
  }
  return out;
}

std::string HelpFormatter::GlobalOptionsSection(const CLI::App* command) const {
  unsigned kinds = kRegistryGlobals;
  for (const auto& [name, command_kinds] : kinds_) {
    if (name == command->get_name()) kinds = command_kinds;
  }
  const CLI::App* root = command->get_parent();
  std::stringstream out;
  for (const CLI::Option* option : root->get_options()) {
    const std::string name = option->get_name(false, true);
    if (option->get_positional() || name.find("--help") != std::string::npos ||
        name.find("--version") != std::string::npos) {
      continue;
    }
    const bool engine = name == "--host";
    const bool verbose = name.find("--verbose") != std::string::npos;
    if (!verbose && !(engine ? (kinds & kEngineGlobals) : (kinds & kRegistryGlobals))) continue;
    CLI::detail::format_help(out, name + make_option_opts(option), make_option_desc(option),
                             kColumnWidth);
  }
  const std::string options = out.str();
  return options.empty() ? "" : "Global options (before or after the command):\n" + options;
}

CLI::Validator NumberIn(double min, double max) {
  const std::string range = FormatNumber(min) + ".." + FormatNumber(max);
  return CLI::Validator(
      [min, max, range](std::string& value) -> std::string {
        double number = 0;
        const char* end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, number);
        if (value.empty() || error != std::errc() || stop != end || !std::isfinite(number)) {
          return "'" + DisplayText(value) + "' is not a number (" + range + ")";
        }
        if (number < min || number > max) return "'" + DisplayText(value) + "' is not in " + range;
        return "";
      },
      "");
}

CLI::Validator NonEmpty(const std::string& placeholder) {
  return CLI::Validator(
      [placeholder](std::string& value) -> std::string {
        return value.empty() ? "must not be empty: give " + placeholder : "";
      },
      "");
}

std::string SuggestCommand(const CLI::App& app, std::string_view typed) {
  std::string best;
  std::size_t best_distance = 3;
  for (const CLI::App* sub : app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    const std::size_t distance = EditDistance(typed, name);
    if (distance < best_distance && distance < name.size()) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

void AddHelpCommand(CLI::App& app, CommandRunner& run) {
  auto topic = std::make_shared<std::string>();
  CLI::App* command =
      app.add_subcommand("help", "Show the help of regdigest, or of one command: help COMMAND");
  command->add_option("COMMAND", *topic, "A command, e.g. resolve");
  command->footer("Exit status: 0 shown; 2 no such command.");
  command->callback([&app, topic, &run] {
    run = [&app, topic] {
      if (topic->empty()) {
        std::cout << app.get_formatter()->make_help(&app, app.get_name(),
                                                    CLI::AppFormatMode::Normal);
        return kExitOk;
      }
      for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_name() == *topic) {
          std::cout << sub->get_formatter()->make_help(sub, app.get_name() + " " + sub->get_name(),
                                                       CLI::AppFormatMode::Normal);
          return kExitOk;
        }
      }
      std::cerr << "regdigest: unknown command '" << DisplayText(*topic) << "'";
      if (const std::string suggestion = SuggestCommand(app, *topic); !suggestion.empty()) {
        std::cerr << "; did you mean '" << suggestion << "'?";
      }
      std::cerr << "\nRun 'regdigest help' for the list of commands.\n";
      return kExitUsage;
    };
  });
}

}  // namespace regdigest
