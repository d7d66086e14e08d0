// Tests for cli/output/exit_status.h: every StatusCode's exit status and the
// order in which one exit status wins over another.
#include <doctest/doctest.h>

#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

TEST_CASE("ExitStatusFor maps every status code") {
  struct Case {
    StatusCode code;
    int want;
  };
  const Case cases[] = {
      {StatusCode::kOk, kExitOk},
      {StatusCode::kUsage, kExitUsage},
      {StatusCode::kInvalidReference, kExitUsage},
      {StatusCode::kInvalidArgument, kExitFailure},
      {StatusCode::kUnauthorized, kExitFailure},
      {StatusCode::kNotFound, kExitFailure},
      {StatusCode::kRateLimited, kExitFailure},
      {StatusCode::kDigestMismatch, kExitFailure},
      {StatusCode::kTransport, kExitFailure},
      {StatusCode::kProtocol, kExitFailure},
      {StatusCode::kEngineUnavailable, kExitFailure},
      {StatusCode::kIo, kExitFailure},
  };
  for (const Case& c : cases) {
    CAPTURE(StatusCodeName(c.code));
    CHECK(ExitStatusFor(c.code) == c.want);
  }
}

TEST_CASE("WorseExitStatus: failure > usage > drift > ok, in either order") {
  struct Case {
    int a, b, want;
  };
  const Case cases[] = {
      {kExitOk, kExitOk, kExitOk},           {kExitOk, kExitDrift, kExitDrift},
      {kExitDrift, kExitUsage, kExitUsage},  {kExitUsage, kExitFailure, kExitFailure},
      {kExitFailure, kExitOk, kExitFailure}, {kExitDrift, kExitFailure, kExitFailure},
  };
  for (const Case& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(WorseExitStatus(c.a, c.b) == c.want);
    CHECK(WorseExitStatus(c.b, c.a) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
