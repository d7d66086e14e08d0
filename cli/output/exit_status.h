// Exit statuses of the regdigest command, and the one place codes map to them.
#pragma once

#include "common/base/status.h"

namespace regdigest {

inline constexpr int kExitOk = 0;
inline constexpr int kExitDrift = 1;    // reserved: drift, stale or missing (later commands)
inline constexpr int kExitUsage = 2;    // usage error or invalid reference
inline constexpr int kExitFailure = 3;  // something could not be resolved or done

int ExitStatusFor(StatusCode code);

// The worst of two exit statuses: failure (3) > usage (2) > drift (1) > ok (0).
int WorseExitStatus(int a, int b);

}  // namespace regdigest
