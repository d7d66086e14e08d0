// LogCapture: while alive, the default spdlog logger writes every level
// (debug included, as at -vv) into a string, so that a test can assert what
// is logged and what never is (secrets, presigned URL queries). Create one at
// a time, on the test's thread; the logging itself may come from any thread.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace regdigest {

class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    logger_ = std::make_shared<spdlog::logger>("capture", std::move(sink));
    logger_->set_level(spdlog::level::trace);
    logger_->set_pattern("%l %v");
    spdlog::set_default_logger(logger_);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Everything logged so far, one "level message" line per record.
  std::string text() {
    logger_->flush();
    return stream_.str();
  }

 private:
  std::ostringstream stream_;  // before logger_, which writes into it
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace regdigest
