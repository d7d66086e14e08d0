// Tests for cli/commands/command_help.h and the help every command prints:
// wrapped text, the global options that apply to each command, an exit
// status footer per command, consistent placeholders, `help [COMMAND]`,
// `completion` and the text wrapping and validators behind them.
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands/command_help.h"
#include "cli/commands/command_line.h"
#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

struct Printed {
  int exit_status = -1;
  std::string out, err;
};

// Parses `args` and runs the chosen command, capturing stdout and stderr.
Printed Run(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"regdigest"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  CLI::App app{"regdigest"};
  GlobalOptions globals;
  CommandRunner run;
  BuildCommandLine(app, globals, run);
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  Printed printed;
  std::optional<int> parsed =
      ParseCommandLine(app, static_cast<int>(argv.size()), argv.data(), err);
  printed.exit_status = parsed ? *parsed : (run ? run() : -1);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  printed.out = out.str();
  printed.err = err.str();
  return printed;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string> kCommands = {
    "resolve", "inspect",   "compare", "lock",   "check", "pin",     "record",     "history",
    "drift",   "ratelimit", "login",   "logout", "ref",   "version", "completion", "help"};

TEST_CASE("help lists the commands in a sensible order") {
  const Printed help = Run({"--help"});
  CHECK(help.exit_status == kExitOk);
  std::size_t previous = 0;
  for (const std::string& command : kCommands) {
    CAPTURE(command);
    const std::size_t at = help.out.find("\n  " + command + " ");
    REQUIRE(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
  }
}

TEST_CASE("each command's help: wrapped, with its exit statuses and no source-tree path") {
  for (const std::string& command : kCommands) {
    CAPTURE(command);
    const Printed help = Run({command, "--help"});
    CHECK(help.exit_status == kExitOk);
    CHECK(help.out.find("Usage: regdigest " + command) != std::string::npos);
    CHECK(help.out.find("Exit status: 0") != std::string::npos);
    CHECK(help.out.find("docs/") == std::string::npos);
    CHECK(help.out.find("... ...") == std::string::npos);
    CHECK(help.out.find("...]...") == std::string::npos);
    CHECK(help.out.find("TEXT") == std::string::npos);  // CLI11's placeholder: ours name the value
    for (const std::string& line : Lines(help.out)) {
      CAPTURE(line);
      // Usage lines and examples may be longer; prose is wrapped at 80.
      if (line.rfind("Usage:", 0) == 0 || line.find("  regdigest ") == 0) continue;
      CHECK(line.size() <= kHelpWidth);
    }
  }
}

TEST_CASE("each command's help shows the global options that apply to it") {
  struct Case {
    std::string command;
    std::vector<std::string> shown;
    std::vector<std::string> hidden;
  };
  const Case cases[] = {
      {"compare", {"--host", "--verbose", "--config", "--timeout"}, {}},
      {"resolve", {"--host", "--ca-file", "--retries"}, {}},
      {"lock", {"--host", "--config"}, {}},
      {"check", {"--config", "--ca-file"}, {"--host"}},
      {"history", {"--verbose"}, {"--host", "--ca-file", "--retries"}},
      {"ref", {"--verbose"}, {"--host", "--config"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.command);
    const Printed help = Run({c.command, "--help"});
    const std::size_t section = help.out.find("Global options");
    REQUIRE(section != std::string::npos);
    const std::string globals = help.out.substr(section);
    for (const std::string& option : c.shown) CHECK(globals.find(option) != std::string::npos);
    for (const std::string& option : c.hidden) CHECK(globals.find(option) == std::string::npos);
  }
}

TEST_CASE("help COMMAND prints that command's help; an unknown one is a usage error") {
  const Printed lock = Run({"help", "lock"});
  CHECK(lock.exit_status == kExitOk);
  CHECK(lock.out.find("Usage: regdigest lock") != std::string::npos);
  const Printed all = Run({"help"});
  CHECK(all.exit_status == kExitOk);
  CHECK(all.out.find("resolve") != std::string::npos);
  CHECK(all.out.find("Usage: regdigest ") != std::string::npos);
  const Printed typo = Run({"help", "reslove"});
  CHECK(typo.exit_status == kExitUsage);
  CHECK(typo.err.find("did you mean 'resolve'?") != std::string::npos);
}

TEST_CASE("completion prints a script for bash, zsh and fish naming every command") {
  for (const std::string shell : {"bash", "zsh", "fish"}) {
    CAPTURE(shell);
    const Printed script = Run({"completion", shell});
    CHECK(script.exit_status == kExitOk);
    for (const std::string& command : kCommands)
      CHECK(script.out.find(command) != std::string::npos);
    CHECK(script.out.find(shell == "fish" ? "-l platform" : "--platform") != std::string::npos);
  }
  CHECK(Run({"completion", "bash"}).out.find("complete -o default -F _regdigest regdigest") !=
        std::string::npos);
  CHECK(Run({"completion", "fish"}).out.find("complete -c regdigest") != std::string::npos);
}

TEST_CASE("WrapText wraps prose at the width and keeps indented examples") {
  struct Case {
    std::string text;
    std::size_t width;
    std::string wrapped;
  };
  const Case cases[] = {
      {"one two three four", 9, "one two\nthree\nfour"},
      {"short", 80, "short"},
      {"a b\n  keep   this   line as it is, however long\nc d", 3,
       "a b\n  keep   this   line as it is, however long\nc d"},
      {"averyveryverylongword x", 5, "averyveryverylongword\nx"},
      {"", 10, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(WrapText(c.text, c.width) == c.wrapped);
  }
}

TEST_CASE("NumberIn and NonEmpty say what is wrong in plain words") {
  struct Case {
    std::string value;
    std::string error;  // "" when valid
  };
  const Case cases[] = {
      {"1", ""},
      {"64", ""},
      {"0", "'0' is not in 1..64"},
      {"65", "'65' is not in 1..64"},
      {"abc", "'abc' is not a number (1..64)"},
      {"", "'' is not a number (1..64)"},
      {"3x", "'3x' is not a number (1..64)"},
      {"nan", "'nan' is not a number (1..64)"},
  };
  const CLI::Validator number = NumberIn(1, 64);
  for (const Case& c : cases) {
    CAPTURE(c.value);
    std::string value = c.value;
    CHECK(number(value) == c.error);
  }
  const CLI::Validator non_empty = NonEmpty("PLATFORM");
  std::string empty;
  std::string platform = "linux/amd64";
  CHECK(non_empty(empty) == "must not be empty: give PLATFORM");
  CHECK(non_empty(platform).empty());
}

}  // namespace
}  // namespace regdigest
