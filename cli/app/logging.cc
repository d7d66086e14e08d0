#include "cli/app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "common/base/display_text.h"
#include "common/base/url.h"

namespace regdigest {
namespace {

class SafeSink : public spdlog::sinks::sink {
 public:
  explicit SafeSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

  void log(const spdlog::details::log_msg& message) override {
    const std::string_view payload(message.payload.data(), message.payload.size());
    const std::string safe = DisplayText(RedactUrlsInText(payload), kMaxMessage);
    spdlog::details::log_msg copy = message;
    copy.payload = spdlog::string_view_t(safe.data(), safe.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> MakeSafeSink(std::shared_ptr<spdlog::sinks::sink> inner) {
  return std::make_shared<SafeSink>(std::move(inner));
}

void SetupLogging(int verbosity) {
  auto sink = MakeSafeSink(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  auto logger = std::make_shared<spdlog::logger>("regdigest", std::move(sink));
  logger->set_pattern("regdigest: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity >= 2   ? spdlog::level::trace
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::warn);
}

}  // namespace regdigest
