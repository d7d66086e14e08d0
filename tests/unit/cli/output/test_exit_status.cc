// ExitStatusFor (cli/output/exit_status.h), the one place a StatusCode becomes
// an exit status, and WorseExitStatus: every code, one row each.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

TEST_CASE("ExitStatusFor maps every StatusCode: usage 2, other failures 3") {
  struct Case {
    StatusCode code;
    int exit_status;
  };
  const std::vector<Case> cases = {
      {StatusCode::kOk, 0},
      {StatusCode::kUsage, 2},
      {StatusCode::kInvalidReference, 2},
      {StatusCode::kInvalidArgument, 3},
      {StatusCode::kUnauthorized, 3},
      {StatusCode::kNotFound, 3},
      {StatusCode::kRateLimited, 3},
      {StatusCode::kDigestMismatch, 3},
      {StatusCode::kTransport, 3},
      {StatusCode::kProtocol, 3},
      {StatusCode::kEngineUnavailable, 3},
      {StatusCode::kIo, 3},
  };
  for (const Case& c : cases) {
    INFO(std::string(StatusCodeName(c.code)));
    CHECK(ExitStatusFor(c.code) == c.exit_status);
  }
}

TEST_CASE("WorseExitStatus: failure > usage > drift > ok") {
  struct Case {
    int a, b, worse;
  };
  const std::vector<Case> cases = {
      {kExitOk, kExitOk, kExitOk},           {kExitOk, kExitDrift, kExitDrift},
      {kExitDrift, kExitUsage, kExitUsage},  {kExitUsage, kExitFailure, kExitFailure},
      {kExitFailure, kExitOk, kExitFailure}, {kExitDrift, kExitOk, kExitDrift},
  };
  for (const Case& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(WorseExitStatus(c.a, c.b) == c.worse);
  }
}

}  // namespace
}  // namespace regdigest
