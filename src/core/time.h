// Parsing the dates that feeds and pages carry, and the clock seam.
//
// Thread-safety: pure functions; Clock implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"

namespace nd {

// Parses RFC 822/1123 ("Wed, 18 Nov 2026 09:30:00 +0800", also with zone names GMT, UT,
// EST...), ISO 8601 / RFC 3339 ("2026-11-18T09:30:00+08:00", "2026-11-18 08:30",
// "2026-11-18"), and Chinese dates ("2026年11月20日", "2026年11月20日 08:30").
// A time without a zone is taken as UTC. Returns 0 when nothing can be parsed.
UnixTime ParseDateTime(std::string_view text);

// Days from civil date (proleptic Gregorian), exposed for tests and date arithmetic.
std::int64_t DaysFromCivil(int year, unsigned month, unsigned day);

// Parses a duration into seconds: "90s", "15m", "2h", "1d", "1h30m" (units s, m, h, d,
// largest first, each at most once), or a bare number of seconds ("300"). Errors name the
// text and the reason (empty, unknown unit, out of order, too large: over 10 years).
Result<int> ParseDuration(std::string_view text);

// Writes seconds the way ParseDuration reads them, shortest form: 5400 -> "1h30m",
// 900 -> "15m", 0 -> "0s".
std::string FormatDuration(int seconds);

// The time source. Tests inject a fixed clock; production uses SystemClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime Now() const = 0;
};

// Wall-clock time. Thread-safe.
const Clock& SystemClock();

}  // namespace nd
