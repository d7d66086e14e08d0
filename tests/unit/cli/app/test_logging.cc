// Tests for cli/app/logging.h: every log message is escaped, capped and has
// its URL queries removed before it reaches the sink.
#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app/logging.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

std::string Logged(const std::string& message) {
  std::ostringstream stream;
  auto sink = MakeSafeSink(std::make_shared<spdlog::sinks::ostream_sink_st>(stream));
  spdlog::logger logger("test", sink);
  logger.set_pattern("%l %v");
  logger.set_level(spdlog::level::trace);
  logger.debug("{}", message);
  logger.flush();
  return stream.str();
}

TEST_CASE("Log messages are escaped, capped and without URL queries") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"GET https://r.test/v2/ -> 200", "debug GET https://r.test/v2/ -> 200\n"},
      {"ref app:v1\x1b[2K\nforged line", "debug ref app:v1\\x1b[2K\\x0aforged line\n"},
      {"bad \xff utf-8", "debug bad \\xff utf-8\n"},
      {"redirected to https://cdn.test/b?X-Amz-Signature=secret",
       "debug redirected to https://cdn.test/b\n"},
      {"realm https://user:pw@auth.test/token?account=me", "debug realm https://auth.test/token\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(Logged(c.in) == c.out);
  }
  const std::string huge = Logged(std::string(30 * 1024 * 1024, 'x'));
  CHECK(huge.size() < kMaxMessage + 100);
}

}  // namespace
}  // namespace regdigest
