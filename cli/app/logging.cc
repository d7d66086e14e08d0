#include "cli/app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace regdigest {

void SetupLogging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("regdigest");
  logger->set_pattern("regdigest: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity >= 2   ? spdlog::level::trace
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::warn);
}

}  // namespace regdigest
