#include "common/base/timestamp.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Reads exactly `width` digits at `pos`; false when they are not all digits.
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t width, int& value) {
  if (pos + width > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

Status InvalidTime(std::string_view text, std::string_view why) {
  return Status(StatusCode::kInvalidArgument,
                "invalid RFC 3339 time " + Quoted(text) + ": " + std::string(why));
}

}  // namespace

std::string FormatRfc3339(WallTime time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const sys_days day = std::chrono::floor<days>(seconds);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss<std::chrono::seconds> hms(seconds - day);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buffer;
}

Result<WallTime> ParseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day)) {
    return InvalidTime(text, "expected YYYY-MM-DDTHH:MM:SSZ");
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    return InvalidTime(text, "expected 'T' between date and time");
  }
  if (!ReadDigits(text, 11, 2, hour) || text[13] != ':' || !ReadDigits(text, 14, 2, minute) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, second)) {
    return InvalidTime(text, "expected HH:MM:SS");
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) {
    return InvalidTime(text, "date or time out of range");
  }
  // WallTime counts nanoseconds in 64 bits (years 1678 to 2262): refuse
  // years that would overflow it instead of wrapping around.
  if (year < 1900 || year > 2200) return InvalidTime(text, "year outside 1900-2200");
  std::size_t pos = 19;
  std::chrono::microseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    long long micros = 0;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (pos == start) return InvalidTime(text, "expected digits after '.'");
    for (; digits < 6; ++digits) micros *= 10;
    fraction = std::chrono::microseconds(micros);
  }
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, pos + 1, 2, offset_hours) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !ReadDigits(text, pos + 4, 2, offset_minutes) ||
        offset_hours > 23 || offset_minutes > 59) {
      return InvalidTime(text, "expected a +hh:mm or -hh:mm offset");
    }
    offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return InvalidTime(text, "expected 'Z' or a UTC offset");
  }
  if (pos != text.size()) return InvalidTime(text, "unexpected text after the time");
  const WallTime local = sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                         std::chrono::seconds(second);
  return std::chrono::time_point_cast<WallTime::duration>(local - offset + fraction);
}

Result<std::chrono::seconds> ParseDurationSpec(std::string_view text) {
  const auto invalid = [&text] {
    return Status(StatusCode::kInvalidArgument,
                  "invalid duration " + Quoted(text) +
                      ": expected a positive number and a unit s, m, h, d or w (e.g. 7d)");
  };
  if (text.size() < 2) return invalid();
  long long count = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc() || ptr != end || count <= 0) return invalid();
  long long unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      return invalid();
  }
  if (count > std::numeric_limits<long long>::max() / unit / 1000000) return invalid();
  return std::chrono::seconds(count * unit);
}

}  // namespace regdigest
