// `regdigest version` and `regdigest --version`: the tool's version and the
// libraries it runs on.
#include <curl/curl.h>

#include <iostream>

#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"

namespace regdigest {

std::string VersionText() {
  return std::string("regdigest ") + REGDIGEST_VERSION + "\nlibcurl " +
         curl_version_info(CURLVERSION_NOW)->version + "\n";
}

void AddVersionCommand(CLI::App& app, CommandRunner& run) {
  CLI::App* command = app.add_subcommand("version", "Print the version of regdigest");
  command->footer("Exit status: 0.");
  command->callback([&run] {
    run = [] {
      std::cout << VersionText();
      return kExitOk;
    };
  });
}

}  // namespace regdigest
