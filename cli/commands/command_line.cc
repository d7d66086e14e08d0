#include "cli/commands/command_line.h"

#include "cli/output/exit_status.h"
#include "common/registry/retry_policy.h"

namespace regdigest {

void BuildCommandLine(CLI::App& app, GlobalOptions& globals, CommandRunner& run) {
  app.name("regdigest");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand too

  app.add_flag("-v,--verbose", globals.verbosity,
               "Debug logs on stderr (-vv for more); secrets are never logged");
  app.add_option("--config", globals.config_path,
                 "regdigest config file (default: $REGDIGEST_CONFIG, else "
                 "~/.config/regdigest/config.json)");
  app.add_option("--ca-file", globals.ca_file, "Extra CA bundle (PEM) trusted for every registry")
      ->check(CLI::ExistingFile);
  app.add_option("--host", globals.engine_host,
                 "Docker Engine API address (default $DOCKER_HOST, else "
                 "unix:///var/run/docker.sock)");
  app.add_option("--retries", globals.retries,
                 "Retries after a failed attempt (429, 502, 503, 504, connection refused or "
                 "reset, timeouts), 0-10; default: \"retries\" from the config file, else 3")
      ->check(CLI::Range(0, kMaxRetries));
  app.add_option("--timeout", globals.timeout_seconds,
                 "Seconds one request may take in all, connecting included (default: "
                 "\"timeout\" from the config file, else 30)")
      ->check(CLI::Range(0.001, 86400.0));
  app.footer(
      "Exit status: 0 done; 1 drift (later commands); 2 usage error or invalid reference; "
      "3 something could not be resolved.");

  AddRefCommand(app, run);
  AddResolveCommand(app, globals, run);
  AddLoginCommands(app, globals, run);
  AddVersionCommand(app, run);
  AddInspectCommand(app, globals, run);
  AddCompareCommand(app, globals, run);
  AddLockCommand(app, globals, run);
  AddCheckCommand(app, globals, run);
  AddPinCommand(app, globals, run);
  AddRecordCommand(app, globals, run);
  AddHistoryCommand(app, globals, run);
  AddDriftCommand(app, globals, run);
  AddRatelimitCommand(app, globals, run);
  AddVerifyCommand(app, globals, run);
  AddReferrersCommand(app, globals, run);
}

std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    std::ostream& err) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::vector<std::string> extra = app.remaining();
    if (app.get_subcommands().empty() && !extra.empty()) {
      err << "regdigest: unknown command \"" << extra.front() << "\"\n"
          << "Run 'regdigest --help' for usage.\n";
      return kExitUsage;
    }
    err << "regdigest: " << e.what() << "\n"
        << "Run 'regdigest --help' for usage.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace regdigest
