// `regdigest version`: the tool's version and the libraries it runs on.
#include <curl/curl.h>

#include <iostream>

#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"

namespace regdigest {

void AddVersionCommand(CLI::App& app, CommandRunner& run) {
  CLI::App* command = app.add_subcommand("version", "Print the version of regdigest");
  command->callback([&run] {
    run = [] {
      std::cout << "regdigest " << REGDIGEST_VERSION << "\n"
                << "libcurl " << curl_version_info(CURLVERSION_NOW)->version << "\n";
      return kExitOk;
    };
  });
}

}  // namespace regdigest
