#include "cli/commands/command_line.h"

#include <iostream>

#include "cli/commands/command_help.h"
#include "cli/output/exit_status.h"
#include "common/base/display_text.h"
#include "common/registry/retry_policy.h"
#include "common/registry/tool_config.h"

namespace regdigest {
namespace {

// Which global options each command's --help shows (see command_help.h);
// a command not listed here gets kRegistryGlobals.
struct CommandGlobals {
  const char* command;
  unsigned kinds;
};
constexpr CommandGlobals kCommandGlobals[] = {
    {"resolve", kRegistryGlobals | kEngineGlobals},  // --platform local asks the engine
    {"inspect", kRegistryGlobals | kEngineGlobals},
    {"compare", kRegistryGlobals | kEngineGlobals},
    {"lock", kRegistryGlobals | kEngineGlobals},
    {"pin", kRegistryGlobals | kEngineGlobals},
    {"history", kVerboseOnly},
    {"drift", kVerboseOnly},
    {"logout", kVerboseOnly},
    {"ref", kVerboseOnly},
    {"version", kVerboseOnly},
    {"completion", kVerboseOnly},
    {"help", kVerboseOnly},
};

// "regdigest lock" for an error inside `lock`, "regdigest" otherwise.
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* sub : app.get_subcommands()) path += " " + sub->get_name();
  return path;
}

// CLI11's messages, in regdigest's words where a person sees them.
std::string UsageMessage(const CLI::ParseError& error) {
  const std::string what = error.what();
  if (what == "A subcommand is required") return "a command is required";
  for (std::string_view extras : {"The following argument was not expected: ",
                                  "The following arguments were not expected: "}) {
    if (what.rfind(extras, 0) == 0) {
      return "unexpected argument: " + DisplayText(std::string_view(what).substr(extras.size()));
    }
  }
  const std::string converted = "Could not convert: ";
  if (what.rfind(converted, 0) == 0)
    return "not a valid value: " + DisplayText(what.substr(converted.size()));
  return DisplayText(what);
}

}  // namespace

CLI::Option* AddPlatformOption(CLI::App& command, std::string& platform, const std::string& help) {
  return command.add_option("--platform", platform, help)
      ->type_name("PLATFORM")
      ->check(NonEmpty("PLATFORM, e.g. linux/amd64"));
}

CLI::Option* AddPlatformOption(CLI::App& command, std::vector<std::string>& platforms,
                               const std::string& help) {
  return command.add_option("--platform", platforms, help)
      ->type_name("PLATFORM")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(NonEmpty("PLATFORM, e.g. linux/amd64"));
}

CLI::Option* AddFilesOption(CLI::App& command, const std::string& name,
                            std::vector<std::string>& files, const std::string& help) {
  return command.add_option(name, files, help + " (repeat the option for each file)")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(NonEmpty("FILE"));
}

CLI::Option* AddConcurrencyOption(CLI::App& command, int& concurrency) {
  return command
      .add_option("--concurrency", concurrency,
                  "Requests in flight at once per registry (1-64; default: the config "
                  "file's \"concurrency\", else 8)")
      ->type_name("N")
      ->check(NumberIn(1, kMaxConcurrency));
}

void BuildCommandLine(CLI::App& app, GlobalOptions& globals, CommandRunner& run) {
  auto formatter = std::make_shared<HelpFormatter>();
  for (const CommandGlobals& entry : kCommandGlobals) {
    formatter->SetGlobalKinds(entry.command, entry.kinds);
  }
  formatter->label("SUBCOMMAND", "COMMAND");
  app.formatter(formatter);  // before the subcommands, which inherit it
  app.name("regdigest");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand too

  app.add_flag("-v,--verbose", globals.verbosity,
               "Debug logs on stderr; -vv also logs each request and response with its headers "
               "(credentials redacted)");
  app.add_flag_callback(
      "--version",
      [] {
        std::cout << VersionText();
        throw CLI::Success();
      },
      "Print the version of regdigest and exit");
  app.add_option("--config", globals.config_path,
                 "regdigest config file (default: $REGDIGEST_CONFIG, else "
                 "~/.config/regdigest/config.json)")
      ->type_name("FILE");
  app.add_option("--ca-file", globals.ca_file, "Extra CA bundle (PEM) trusted for every registry")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--host", globals.engine_host,
                 "Docker Engine API address (default $DOCKER_HOST, else "
                 "unix:///var/run/docker.sock)")
      ->type_name("ADDRESS");
  app.add_option("--retries", globals.retries,
                 "Retries after a failed attempt (429, 502, 503, 504, connection refused or "
                 "reset, timeouts), 0-10; default: \"retries\" from the config file, else 3")
      ->type_name("N")
      ->check(NumberIn(0, kMaxRetries));
  app.add_option("--timeout", globals.timeout_seconds,
                 "Seconds one request may take in all, connecting included (default: "
                 "\"timeout\" from the config file, else 30)")
      ->type_name("SECONDS")
      ->check(NumberIn(0.001, 86400.0));
  app.add_option("--insecure-registry", globals.insecure_registries,
                 "Registry (HOST[:PORT]) that may speak plain http: tried over https first, as "
                 "\"insecure\" in the config file does; repeatable")
      ->type_name("HOST")
      ->allow_extra_args(false)  // one HOST per occurrence: never a following reference
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.footer(
      "Run 'regdigest help COMMAND' (or 'regdigest COMMAND --help') for a command's options "
      "and exit statuses.\n"
      "Exit status: 0 done; 1 drift, stale, missing or not found (as each command says); 2 "
      "usage error or invalid reference; 3 something could not be resolved or done.");

  // The commands, in the order the help lists them: one line each.
  AddResolveCommand(app, globals, run);
  AddInspectCommand(app, globals, run);
  AddTagsCommand(app, globals, run);
  AddCompareCommand(app, globals, run);
  AddLockCommand(app, globals, run);
  AddCheckCommand(app, globals, run);
  AddPinCommand(app, globals, run);
  AddVerifyCommand(app, globals, run);
  AddReferrersCommand(app, globals, run);
  AddRecordCommand(app, globals, run);
  AddHistoryCommand(app, globals, run);
  AddDriftCommand(app, globals, run);
  AddRatelimitCommand(app, globals, run);
  AddLoginCommands(app, globals, run);
  AddRefCommand(app, run);
  AddVersionCommand(app, run);
  AddCompletionCommand(app, run);
  AddHelpCommand(app, run);
  for (CLI::App* command : app.get_subcommands({})) command->group("Commands");
}

std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    std::ostream& err) {
  // CLI11 reads "--platform=" (an empty value) as "--platform" and takes the
  // next argument as its value: pass the empty value explicitly instead.
  std::vector<std::string> args;
  bool options_end = false;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    options_end = options_end || arg == "--";
    if (i > 0 && !options_end && arg.size() > 3 && arg.rfind("--", 0) == 0 &&
        arg.find('=') == arg.size() - 1) {
      args.push_back(arg.substr(0, arg.size() - 1));
      args.emplace_back();
    } else {
      args.push_back(arg);
    }
  }
  std::vector<const char*> pointers;
  for (const std::string& arg : args) pointers.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(pointers.size()), pointers.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success&) {
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::vector<std::string> extra = app.remaining();
    const std::string path = CommandPath(app);
    if (app.get_subcommands().empty() && !extra.empty() && extra.front().rfind("-", 0) != 0) {
      err << "regdigest: unknown command '" << DisplayText(extra.front()) << "'";
      if (const std::string suggestion = SuggestCommand(app, extra.front()); !suggestion.empty()) {
        err << "; did you mean '" << suggestion << "'?";
      }
      err << "\nRun 'regdigest help' for the list of commands.\n";
      return kExitUsage;
    }
    err << "regdigest: " << UsageMessage(e) << "\n"
        << "Run '" << path << " --help' for usage.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace regdigest
