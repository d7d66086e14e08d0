// `regdigest ratelimit [REF]`: what Docker Hub's pull rate limit says now,
// from the headers of one manifest HEAD (which Docker Hub does not count).
#include <spdlog/spdlog.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "common/base/display_text.h"
#include "common/image/reference.h"
#include "common/registry/rate_limit.h"

namespace regdigest {
namespace {

// Docker's documentation checks the limit with this repository.
constexpr const char* kDefaultRateLimitReference = "ratelimitpreview/test:latest";

void PrintText(const Reference& reference, const std::optional<RateLimit>& rate_limit) {
  std::cout << reference.String() << "\n";
  if (!rate_limit) {
    std::cout << "  no rate limit headers (the registry does not announce a pull limit)\n";
    return;
  }
  auto number = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "?"; };
  std::cout << "  limit:     " << number(rate_limit->limit) << " pulls";
  if (rate_limit->window_seconds) {
    const int64_t seconds = *rate_limit->window_seconds;
    std::cout << " per " << seconds << " s";
    if (seconds % 3600 == 0) std::cout << " (" << seconds / 3600 << " h)";
  }
  std::cout << "\n  remaining: " << number(rate_limit->remaining) << "\n";
  std::cout << "  source:    "
            << (rate_limit->source.empty() ? "?" : DisplayText(rate_limit->source)) << "\n";
}

int RunRatelimit(const GlobalOptions& globals, const std::string& input, OutputFormat format) {
  Result<Reference> parsed = Reference::Parse(input);
  if (!parsed.ok()) return PrintFailure(input, parsed.status().WithContext(Quoted(input)), format);
  const Reference reference = parsed->WithDefaultTag();
  Result<std::unique_ptr<RegistrySession>> session = RegistrySession::Open(globals);
  if (!session.ok()) return PrintFailure(input, session.status(), format);
  RegistryClient& client = (*session)->client();
  Result<std::optional<RateLimit>> rate_limit = client.HeadRateLimit(reference);
  if (!rate_limit.ok()) return PrintFailure(input, rate_limit.status(), format);
  if (*rate_limit) {
    spdlog::debug("{}: rate limit: {}", reference.String(), DescribeRateLimit(**rate_limit));
  }
  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json json = {{"input", input}, {"reference", reference.String()}};
    json["rateLimit"] = *rate_limit ? RateLimitJson(**rate_limit) : nlohmann::ordered_json(nullptr);
    std::cout << JsonText(json) << "\n";
  } else {
    PrintText(reference, *rate_limit);
  }
  return kExitOk;
}

}  // namespace

void AddRatelimitCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  struct Options {
    std::string input = kDefaultRateLimitReference;
    OutputFormat format = OutputFormat::kText;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "ratelimit",
      "Show Docker Hub's pull rate limit (limit, remaining, window, source) from the headers "
      "of one HEAD request, which Docker Hub does not count as a pull.");
  command->add_option("REF", options->input,
                      std::string("Image reference whose registry to ask (default: ") +
                          kDefaultRateLimitReference + ")");
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 answered (also when the registry sends no rate limit headers); "
      "2 invalid reference; 3 the HEAD failed.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunRatelimit(globals, options->input, options->format); };
  });
}

}  // namespace regdigest
