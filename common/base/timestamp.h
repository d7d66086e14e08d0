// Wall-clock times as regdigest writes and reads them: RFC 3339 in UTC for
// lock files and history ("2026-11-28T21:06:11Z"), and short durations for
// options such as `drift --since 7d`.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

using WallTime = std::chrono::system_clock::time_point;

// "YYYY-MM-DDTHH:MM:SSZ", whole seconds, UTC.
std::string FormatRfc3339(WallTime time);

// RFC 3339 date-time: "T" or "t" or " " between date and time, optional
// fractional seconds (truncated to microseconds), "Z"/"z" or a "+hh:mm" /
// "-hh:mm" offset. kInvalidArgument with the text quoted otherwise.
Result<WallTime> ParseRfc3339(std::string_view text);

// "90s", "30m", "12h", "7d", "2w" (a positive integer and one unit).
// kInvalidArgument otherwise.
Result<std::chrono::seconds> ParseDurationSpec(std::string_view text);

}  // namespace regdigest
