#include "cli/output/exit_status.h"

#include <algorithm>

namespace regdigest {

int ExitStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kUsage:
    case StatusCode::kInvalidReference:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

int WorseExitStatus(int a, int b) { return std::max(a, b); }

}  // namespace regdigest
