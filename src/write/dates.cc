#include "write/dates.h"

#include <array>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <vector>

#include "core/time.h"

namespace nd::write {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Howard Hinnant's civil_from_days.
void CivilFromDays(std::int64_t z, int* year, unsigned* month, unsigned* day) {
  z += 719468;
  const std::int64_t era = FloorDiv(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (*month <= 2 ? 1 : 0));
}

// Days since the epoch of a valid civil date, or nullopt when the date does not exist.
std::optional<std::int64_t> ValidDays(int year, unsigned month, unsigned day) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2200) {
    return std::nullopt;
  }
  std::int64_t days = DaysFromCivil(year, month, day);
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  if (y != year || m != month || d != day) return std::nullopt;
  return days;
}

int MonthFromName(const std::string& name) {
  static const std::array<const char*, 12> kPrefixes = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kPrefixes.size(); ++i) {
    if (name.compare(0, 3, kPrefixes[i]) == 0) return static_cast<int>(i) + 1;
  }
  return 0;
}

int WeekdayFromName(const std::string& name) {  // 0 = Sunday
  static const std::array<const char*, 7> kNames = {"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name.compare(0, 3, kNames[i]) == 0) return static_cast<int>(i);
  }
  return -1;
}

int ZhWeekday(const std::string& ch) {  // 0 = Sunday
  static const std::array<const char*, 7> kChars = {"日", "一", "二", "三", "四", "五", "六"};
  if (ch == "天") return 0;
  for (size_t i = 0; i < kChars.size(); ++i) {
    if (ch == kChars[i]) return static_cast<int>(i);
  }
  return -1;
}

std::optional<SentenceDate> Make(std::int64_t days, size_t offset, size_t length) {
  SentenceDate out;
  out.day = days * kDay;
  CivilFromDays(days, &out.year, &out.month, &out.day_of_month);
  out.offset = offset;
  out.length = length;
  return out;
}

// Month and day without a year: the year nearest before `published`, or at most two
// months after it.
std::optional<std::int64_t> ResolveMonthDay(unsigned month, unsigned day, UnixTime published) {
  if (published <= 0) return std::nullopt;
  std::int64_t pub_days = FloorDiv(published, kDay);
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(pub_days, &y, &m, &d);
  auto days = ValidDays(y, month, day);
  // Up to two months ahead is a scheduled event of this year; further is last year's.
  if (days && *days > pub_days + 60) days = ValidDays(y - 1, month, day);
  return days;
}

std::optional<std::int64_t> ResolveWeekday(int weekday, UnixTime published) {
  if (published <= 0 || weekday < 0) return std::nullopt;
  std::int64_t pub_days = FloorDiv(published, kDay);
  std::int64_t pub_wd = ((pub_days + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  std::int64_t delta = ((pub_wd - weekday) % 7 + 7) % 7;
  return pub_days - delta;
}

std::optional<std::int64_t> ResolveDayOfMonth(unsigned day, UnixTime published) {
  if (published <= 0) return std::nullopt;
  std::int64_t pub_days = FloorDiv(published, kDay);
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(pub_days, &y, &m, &d);
  if (day > d + 1) {  // later in the month than published: the month before
    if (m == 1) {
      m = 12;
      --y;
    } else {
      --m;
    }
  }
  return ValidDays(y, m, day);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct Match {
  size_t offset = std::string::npos;
  size_t length = 0;
  std::optional<std::int64_t> days;
};

}  // namespace

void CivilFromUnix(UnixTime t, int* year, unsigned* month, unsigned* day) {
  CivilFromDays(FloorDiv(t, kDay), year, month, day);
}

std::optional<SentenceDate> FindSentenceDate(std::string_view sentence, UnixTime published) {
  static const std::regex kMonthDay(
      R"(\b(January|February|March|April|May|June|July|August|September|October|November|)"
      R"(December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+(\d{1,2})(?:st|nd|rd|th)?)"
      R"(\b(?:,?\s+(\d{4})\b)?)");
  static const std::regex kDayMonth(
      R"(\b(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|)"
      R"(September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b)"
      R"(\.?(?:,?\s+(\d{4})\b)?)");
  static const std::regex kIso(R"(\b(\d{4})-(\d{2})-(\d{2})\b)");
  static const std::regex kWeekday(
      R"(\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)");
  static const std::regex kZhDate("(?:([0-9]{4})年)?(?:([0-9]{1,2})月)?([0-9]{1,2})(?:日|号|號)");
  static const std::regex kZhWeekday("(?:周|週|星期|礼拜|禮拜)(一|二|三|四|五|六|日|天)");

  const std::string s(sentence);
  std::vector<Match> matches;
  std::smatch m;

  for (auto it = s.cbegin(); std::regex_search(it, s.cend(), m, kMonthDay); it = m[0].second) {
    Match x{static_cast<size_t>(m.position(0) + (it - s.cbegin())),
            static_cast<size_t>(m.length(0)), std::nullopt};
    auto month = static_cast<unsigned>(MonthFromName(m[1].str()));
    auto day = static_cast<unsigned>(std::atoi(m[2].str().c_str()));
    x.days = m[3].matched ? ValidDays(std::atoi(m[3].str().c_str()), month, day)
                          : ResolveMonthDay(month, day, published);
    if (x.days) {
      matches.push_back(x);
      break;
    }
  }
  if (std::regex_search(s, m, kDayMonth)) {
    Match x{static_cast<size_t>(m.position(0)), static_cast<size_t>(m.length(0)), std::nullopt};
    auto month = static_cast<unsigned>(MonthFromName(m[2].str()));
    auto day = static_cast<unsigned>(std::atoi(m[1].str().c_str()));
    x.days = m[3].matched ? ValidDays(std::atoi(m[3].str().c_str()), month, day)
                          : ResolveMonthDay(month, day, published);
    if (x.days) matches.push_back(x);
  }
  if (std::regex_search(s, m, kIso)) {
    Match x{static_cast<size_t>(m.position(0)), static_cast<size_t>(m.length(0)), std::nullopt};
    x.days = ValidDays(std::atoi(m[1].str().c_str()),
                       static_cast<unsigned>(std::atoi(m[2].str().c_str())),
                       static_cast<unsigned>(std::atoi(m[3].str().c_str())));
    if (x.days) matches.push_back(x);
  }
  for (auto it = s.cbegin(); std::regex_search(it, s.cend(), m, kWeekday); it = m[0].second) {
    size_t pos = static_cast<size_t>(m.position(0) + (it - s.cbegin()));
    std::string_view before = std::string_view(s).substr(0, pos);
    if (EndsWith(before, "next ") || EndsWith(before, "Next ") || EndsWith(before, "coming ")) {
      continue;
    }
    Match x{pos, static_cast<size_t>(m.length(0)),
            ResolveWeekday(WeekdayFromName(m[1].str()), published)};
    if (x.days) {
      matches.push_back(x);
      break;
    }
  }
  for (auto it = s.cbegin(); std::regex_search(it, s.cend(), m, kZhDate); it = m[0].second) {
    size_t pos = static_cast<size_t>(m.position(0) + (it - s.cbegin()));
    // A digit run glued to a longer number ("2026日"?) is not a day.
    if (pos > 0 && std::isdigit(static_cast<unsigned char>(s[pos - 1]))) continue;
    Match x{pos, static_cast<size_t>(m.length(0)), std::nullopt};
    auto day = static_cast<unsigned>(std::atoi(m[3].str().c_str()));
    if (m[1].matched && m[2].matched) {
      x.days = ValidDays(std::atoi(m[1].str().c_str()),
                         static_cast<unsigned>(std::atoi(m[2].str().c_str())), day);
    } else if (m[2].matched) {
      x.days =
          ResolveMonthDay(static_cast<unsigned>(std::atoi(m[2].str().c_str())), day, published);
    } else {
      x.days = ResolveDayOfMonth(day, published);
    }
    if (x.days) {
      matches.push_back(x);
      break;
    }
  }
  for (auto it = s.cbegin(); std::regex_search(it, s.cend(), m, kZhWeekday); it = m[0].second) {
    size_t pos = static_cast<size_t>(m.position(0) + (it - s.cbegin()));
    std::string_view before = std::string_view(s).substr(0, pos);
    if (EndsWith(before, "下") || EndsWith(before, "下个") || EndsWith(before, "下個")) continue;
    Match x{pos, static_cast<size_t>(m.length(0)),
            ResolveWeekday(ZhWeekday(m[1].str()), published)};
    if (x.days) {
      matches.push_back(x);
      break;
    }
  }

  const Match* best = nullptr;
  for (const Match& x : matches) {
    if (best == nullptr || x.offset < best->offset) best = &x;
  }
  if (best == nullptr) return std::nullopt;
  return Make(*best->days, best->offset, best->length);
}

std::string DateLabel(const SentenceDate& date, std::string_view lang) {
  static const std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (date.month < 1 || date.month > 12) return {};
  if (lang.substr(0, 2) == "zh") {
    return std::to_string(date.month) + "月" + std::to_string(date.day_of_month) + "日";
  }
  return std::string(kMonths[date.month - 1]) + " " + std::to_string(date.day_of_month);
}

}  // namespace nd::write
