#include "core/time.h"

#include <cctype>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nd {
namespace {

struct Civil {
  int year = -1;
  int month = -1;
  int day = -1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset_seconds = 0;  // local time = UTC + offset
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads 1..max_digits digits at s[*pos]; advances *pos. Returns -1 if none.
int ReadNumber(std::string_view s, std::size_t* pos, int max_digits) {
  int value = 0;
  int n = 0;
  while (*pos < s.size() && n < max_digits && IsDigit(s[*pos])) {
    value = value * 10 + (s[*pos] - '0');
    ++*pos;
    ++n;
  }
  return n == 0 ? -1 : value;
}

bool Consume(std::string_view s, std::size_t* pos, std::string_view what) {
  if (s.substr(*pos, what.size()) == what) {
    *pos += what.size();
    return true;
  }
  return false;
}

void SkipSpaces(std::string_view s, std::size_t* pos) {
  while (*pos < s.size() && IsSpace(s[*pos])) ++*pos;
}

std::optional<int> NamedZoneOffset(std::string_view name) {
  std::string z = Lower(name);
  if (z == "gmt" || z == "ut" || z == "utc" || z == "z") return 0;
  if (z == "est") return -5 * 3600;
  if (z == "edt") return -4 * 3600;
  if (z == "cst") return -6 * 3600;
  if (z == "cdt") return -5 * 3600;
  if (z == "mst") return -7 * 3600;
  if (z == "mdt") return -6 * 3600;
  if (z == "pst") return -8 * 3600;
  if (z == "pdt") return -7 * 3600;
  return std::nullopt;
}

// "+08:00", "+0800", "+08", "-05:30". Must consume the whole string.
std::optional<int> NumericZoneOffset(std::string_view z) {
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  int sign = z[0] == '-' ? -1 : 1;
  std::size_t pos = 1;
  int hours = ReadNumber(z, &pos, 2);
  if (hours < 0 || pos != 3) return std::nullopt;
  int minutes = 0;
  if (pos < z.size()) {
    Consume(z, &pos, ":");
    minutes = ReadNumber(z, &pos, 2);
    if (minutes < 0 || pos != z.size()) return std::nullopt;
  }
  if (hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

std::optional<int> ZoneOffset(std::string_view z) {
  z = Trim(z);
  if (z.empty()) return 0;
  if (auto named = NamedZoneOffset(z)) return named;
  if (auto numeric = NumericZoneOffset(z)) return numeric;
  // "GMT+08:00", "UTC+8" are common enough on news sites.
  std::string lower = Lower(z.substr(0, 3));
  if ((lower == "gmt" || lower == "utc") && z.size() > 3) {
    std::string_view rest = z.substr(3);
    if (rest.size() == 2 && (rest[0] == '+' || rest[0] == '-') && IsDigit(rest[1])) {
      return (rest[0] == '-' ? -1 : 1) * (rest[1] - '0') * 3600;
    }
    return NumericZoneOffset(rest);
  }
  return std::nullopt;
}

// HH:MM[:SS[.fraction]] at s[*pos].
bool ReadClock(std::string_view s, std::size_t* pos, Civil* c) {
  c->hour = ReadNumber(s, pos, 2);
  if (c->hour < 0 || !Consume(s, pos, ":")) return false;
  c->minute = ReadNumber(s, pos, 2);
  if (c->minute < 0) return false;
  c->second = 0;
  if (Consume(s, pos, ":")) {
    c->second = ReadNumber(s, pos, 2);
    if (c->second < 0) return false;
    if (*pos < s.size() && (s[*pos] == '.' || s[*pos] == ',')) {
      ++*pos;
      // Fractional seconds are skipped; read at most 9 digits so the value cannot overflow.
      if (ReadNumber(s, pos, 9) < 0 && *pos < s.size() && !IsDigit(s[*pos])) return false;
      while (*pos < s.size() && IsDigit(s[*pos])) ++*pos;
    }
  }
  return true;
}

bool Valid(const Civil& c) {
  return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
         c.day <= 31 && c.hour >= 0 && c.hour <= 24 && c.minute >= 0 && c.minute <= 59 &&
         c.second >= 0 && c.second <= 60;
}

UnixTime ToUnix(const Civil& c) {
  if (!Valid(c)) return 0;
  std::int64_t days =
      DaysFromCivil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
  return days * 86400 + c.hour * 3600 + c.minute * 60 + c.second - c.offset_seconds;
}

// ISO 8601 / RFC 3339 and the "2026-11-18 08:30", "2026/11/18" variants.
std::optional<Civil> ParseIso(std::string_view s) {
  Civil c;
  std::size_t pos = 0;
  c.year = ReadNumber(s, &pos, 4);
  if (c.year < 0 || pos != 4 || pos >= s.size()) return std::nullopt;
  char sep = s[pos];
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  ++pos;
  c.month = ReadNumber(s, &pos, 2);
  if (c.month < 0 || !Consume(s, &pos, std::string_view(&sep, 1))) return std::nullopt;
  c.day = ReadNumber(s, &pos, 2);
  if (c.day < 0) return std::nullopt;
  if (pos == s.size()) return c;
  if (s[pos] == 'T' || s[pos] == 't' || IsSpace(s[pos])) {
    ++pos;
    SkipSpaces(s, &pos);
  } else {
    return std::nullopt;
  }
  if (pos == s.size()) return c;
  if (!ReadClock(s, &pos, &c)) return std::nullopt;
  auto offset = ZoneOffset(s.substr(pos));
  if (!offset) return std::nullopt;
  c.offset_seconds = *offset;
  return c;
}

// "2026年11月20日", "2026年11月20日 08:30", "2026年11月20日08:30:05".
std::optional<Civil> ParseChinese(std::string_view s) {
  Civil c;
  std::size_t pos = 0;
  c.year = ReadNumber(s, &pos, 4);
  if (c.year < 0) return std::nullopt;
  SkipSpaces(s, &pos);
  if (!Consume(s, &pos, "年")) return std::nullopt;
  SkipSpaces(s, &pos);
  c.month = ReadNumber(s, &pos, 2);
  SkipSpaces(s, &pos);
  if (c.month < 0 || !Consume(s, &pos, "月")) return std::nullopt;
  SkipSpaces(s, &pos);
  c.day = ReadNumber(s, &pos, 2);
  SkipSpaces(s, &pos);
  if (c.day < 0 || !(Consume(s, &pos, "日") || Consume(s, &pos, "号"))) return std::nullopt;
  SkipSpaces(s, &pos);
  if (pos == s.size()) return c;
  // "08:30", "08时30分"; anything unrecognised after the date is ignored.
  std::size_t clock_pos = pos;
  Civil timed = c;
  if (ReadClock(s, &clock_pos, &timed)) {
    auto offset = ZoneOffset(s.substr(clock_pos));
    if (offset) timed.offset_seconds = *offset;
    return timed;
  }
  clock_pos = pos;
  int hour = ReadNumber(s, &clock_pos, 2);
  if (hour >= 0 && (Consume(s, &clock_pos, "时") || Consume(s, &clock_pos, "點") ||
                    Consume(s, &clock_pos, "点"))) {
    timed.hour = hour;
    int minute = ReadNumber(s, &clock_pos, 2);
    if (minute >= 0) timed.minute = minute;
    return timed;
  }
  return c;
}

int MonthFromName(std::string_view word) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return -1;
  std::string w = Lower(word);
  for (int i = 0; i < 12; ++i) {
    if (w.compare(0, 3, kMonths[i]) == 0) return i + 1;
  }
  return -1;
}

bool IsDayName(std::string_view word) {
  static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (word.size() < 3) return false;
  std::string w = Lower(word);
  for (const char* d : kDays) {
    if (w.compare(0, 3, d) == 0) return true;
  }
  return false;
}

// RFC 822/1123 and its loose relatives: "Wed, 18 Nov 2026 09:30:00 +0800",
// "18 Nov 2026 09:30 GMT", "Nov 18, 2026 9:30 PM EST", "Wed Nov 18 09:30:00 2026".
std::optional<Civil> ParseWords(std::string_view s) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    if (IsSpace(s[i]) || s[i] == ',') {
      ++i;
      continue;
    }
    if (s[i] == '(') {  // comment such as "(CST)"
      std::size_t close = s.find(')', i);
      i = close == std::string_view::npos ? s.size() : close + 1;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && !IsSpace(s[i]) && s[i] != ',' && s[i] != '(') ++i;
    tokens.push_back(s.substr(start, i - start));
  }
  Civil c;
  bool have_time = false;
  bool have_zone = false;
  int pm = -1;  // -1 unknown, 0 am, 1 pm
  for (std::string_view t : tokens) {
    if (t.find(':') != std::string_view::npos && IsDigit(t[0])) {
      if (have_time) return std::nullopt;
      std::size_t pos = 0;
      if (!ReadClock(t, &pos, &c)) return std::nullopt;
      if (pos != t.size()) {  // "09:30:00+0800" / "09:30:00Z"
        auto offset = ZoneOffset(t.substr(pos));
        if (!offset) return std::nullopt;
        c.offset_seconds = *offset;
        have_zone = true;
      }
      have_time = true;
    } else if (IsDigit(t[0])) {
      std::size_t pos = 0;
      int n = ReadNumber(t, &pos, 4);
      // Ordinal suffixes: "18th".
      std::string rest = Lower(t.substr(pos));
      if (!rest.empty() && rest != "st" && rest != "nd" && rest != "rd" && rest != "th" &&
          rest != ".") {
        return std::nullopt;
      }
      if (pos >= 3 || n > 31) {
        if (c.year >= 0) return std::nullopt;
        c.year = n;
      } else if (c.day < 0) {
        c.day = n;
      } else if (c.year < 0) {
        c.year = n < 50 ? 2000 + n : 1900 + n;
      } else {
        return std::nullopt;
      }
    } else if (t[0] == '+' || t[0] == '-') {
      auto offset = NumericZoneOffset(t);
      if (!offset || have_zone) return std::nullopt;
      c.offset_seconds = *offset;
      have_zone = true;
    } else {
      std::string w = Lower(t);
      if (w == "am" || w == "a.m.") {
        pm = 0;
      } else if (w == "pm" || w == "p.m.") {
        pm = 1;
      } else if (int m = MonthFromName(t); m > 0 && c.month < 0) {
        c.month = m;
      } else if (auto offset = ZoneOffset(t); offset && !have_zone) {
        c.offset_seconds = *offset;
        have_zone = true;
      } else if (IsDayName(t)) {
        // ignored
      } else {
        return std::nullopt;
      }
    }
  }
  if (c.year < 0 || c.month < 0 || c.day < 0) return std::nullopt;
  if (pm == 1 && c.hour < 12) c.hour += 12;
  if (pm == 0 && c.hour == 12) c.hour = 0;
  return c;
}

class WallClock : public Clock {
 public:
  UnixTime Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

std::int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (static_cast<std::int64_t>(month) + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

UnixTime ParseDateTime(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty() || s.size() > 200) return 0;
  if (s.find("年") != std::string_view::npos) {
    if (auto c = ParseChinese(s)) return ToUnix(*c);
    return 0;
  }
  if (s.size() >= 8 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) &&
      (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
    if (auto c = ParseIso(s)) return ToUnix(*c);
    return 0;
  }
  if (auto c = ParseWords(s)) return ToUnix(*c);
  return 0;
}

Result<int> ParseDuration(std::string_view text) {
  const std::string shown = "duration '" + std::string(text.substr(0, 60)) + "'";
  std::string_view s = Trim(text);
  if (s.empty())
    return Status::InvalidInput(shown + ": empty (write e.g. 90s, 15m, 2h, 1d, 1h30m)");
  constexpr std::int64_t kMax = std::int64_t{10} * 366 * 86400;
  constexpr std::string_view kUnits = "dhms";
  constexpr std::int64_t kUnitSeconds[] = {86400, 3600, 60, 1};
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come largest first, each once
  std::size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i])) {
      return Status::InvalidInput(shown + ": expected a number at '" + std::string(s.substr(i)) +
                                  "' (write e.g. 90s, 15m, 2h, 1d, 1h30m)");
    }
    std::int64_t n = 0;
    while (i < s.size() && IsDigit(s[i])) {
      n = n * 10 + (s[i] - '0');
      if (n > kMax) return Status::InvalidInput(shown + ": too large (at most 10 years)");
      ++i;
    }
    if (i == s.size()) {
      if (next_unit != 0) {
        return Status::InvalidInput(shown + ": the last number has no unit (s, m, h or d)");
      }
      total = n;  // a bare number: seconds
      break;
    }
    std::size_t unit = kUnits.find(s[i]);
    if (unit == std::string_view::npos) {
      return Status::InvalidInput(shown + ": unknown unit '" + std::string(1, s[i]) +
                                  "' (use s, m, h or d)");
    }
    if (unit < next_unit) {
      return Status::InvalidInput(shown + ": units must go from largest to smallest, each once");
    }
    next_unit = unit + 1;
    total += n * kUnitSeconds[unit];
    if (total > kMax) return Status::InvalidInput(shown + ": too large (at most 10 years)");
    ++i;
  }
  return static_cast<int>(total);
}

std::string FormatDuration(int seconds) {
  if (seconds <= 0) return "0s";
  std::string out;
  constexpr std::pair<int, char> kUnits[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, unit] : kUnits) {
    if (seconds >= size) {
      out += std::to_string(seconds / size);
      out += unit;
      seconds %= size;
    }
  }
  return out;
}

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace nd
