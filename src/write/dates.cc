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
  DatePrecision precision = DatePrecision::kDay;
};

bool StartsWithAt(std::string_view s, size_t pos, std::string_view prefix) {
  return pos <= s.size() && s.substr(pos).substr(0, prefix.size()) == prefix;
}

bool IsDigitAt(std::string_view s, size_t pos) {
  return pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) != 0;
}

// Numbers as news writes them: digits, English words, Chinese numerals up to ten.
int SmallNumber(const std::string& w) {
  static const std::array<const char*, 11> kEn = {"zero", "one",   "two",   "three", "four", "five",
                                                  "six",  "seven", "eight", "nine",  "ten"};
  static const std::array<const char*, 11> kZh = {"零", "一", "二", "三", "四", "五",
                                                  "六", "七", "八", "九", "十"};
  if (w.empty()) return -1;
  if (std::isdigit(static_cast<unsigned char>(w[0])) != 0) return std::atoi(w.c_str());
  std::string lower = w;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "a" || lower == "an" || lower == "one") return 1;
  if (w == "两" || w == "兩") return 2;
  for (size_t i = 0; i < kEn.size(); ++i) {
    if (lower == kEn[i] || w == kZh[i]) return static_cast<int>(i);
  }
  return -1;
}

// The day `months` months after `days` (clamped to the month's end).
std::int64_t AddMonths(std::int64_t days, int months) {
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  int total = y * 12 + static_cast<int>(m) - 1 + months;
  int ny = total >= 0 ? total / 12 : (total - 11) / 12;
  auto nm = static_cast<unsigned>(total - ny * 12 + 1);
  for (unsigned nd = d; nd >= 1; --nd) {
    if (auto v = ValidDays(ny, nm, nd)) return *v;
  }
  return days;
}

std::int64_t MondayOf(std::int64_t days) {
  std::int64_t wd = ((days + 4) % 7 + 7) % 7;  // 0 = Sunday
  return days - (wd + 6) % 7;
}

std::int64_t FirstOfMonth(std::int64_t days) {
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return days - static_cast<std::int64_t>(d) + 1;
}

// A month without a day: this year's, unless that lies more than two months ahead.
std::optional<std::int64_t> ResolveMonth(unsigned month, std::int64_t pub_days) {
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(pub_days, &y, &m, &d);
  if (month > m + 2) --y;
  return ValidDays(y, month, 1);
}

// Whether the sentence speaks of the future before `pos`.
bool FutureBefore(std::string_view s, size_t pos) {
  static const std::regex kFutureEn(
      R"(\b(?:will|is expected to|are expected to|was expected to|were expected to|expected to)"
      R"(|is due to|are due to|was due to|scheduled|is set to|are set to|plans to|plan to)"
      R"(|forecast to|forecasters said|until|through)\b)",
      std::regex::icase);
  static const char* const kFutureZh[] = {"将",   "將", "预计", "預計", "预料", "預料", "计划",
                                          "計劃", "拟", "擬",   "有望", "准备", "準備"};
  const std::string before(s.substr(0, pos));
  if (std::regex_search(before, kFutureEn)) return true;
  for (const char* w : kFutureZh) {
    if (before.find(w) != std::string::npos) return true;
  }
  return false;
}

// Rebases a weekday match: on or before `pub_days`, or on or after when `forward`.
std::int64_t WeekdayNear(int weekday, std::int64_t pub_days, bool forward) {
  std::int64_t pub_wd = ((pub_days + 4) % 7 + 7) % 7;
  if (forward) return pub_days + ((weekday - pub_wd) % 7 + 7) % 7;
  return pub_days - ((pub_wd - weekday) % 7 + 7) % 7;
}

// Weekday `weekday` (0 = Sunday) in the week before the one holding `pub_days` (weeks
// start on Monday).
std::int64_t WeekdayLastWeek(int weekday, std::int64_t pub_days) {
  return MondayOf(pub_days) - 7 + (weekday + 6) % 7;
}

}  // namespace

void CivilFromUnix(UnixTime t, int* year, unsigned* month, unsigned* day) {
  CivilFromDays(FloorDiv(t, kDay), year, month, day);
}

std::optional<SentenceDate> FindSentenceDate(std::string_view sentence, UnixTime published) {
  DateContext context;
  context.published = published;
  return FindSentenceDate(sentence, context);
}

std::optional<SentenceDate> FindSentenceDate(std::string_view sentence,
                                             const DateContext& context) {
  static const std::string kMonthNames =
      "January|February|March|April|May|June|July|August|September|October|November|December";
  static const std::string kMonthAbbr = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
  static const std::regex kMonthDay(R"(\b()" + kMonthNames + "|" + kMonthAbbr +
                                    R"()\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?)");
  static const std::regex kDayMonth(R"(\b(\d{1,2})(?:st|nd|rd|th)?\s+()" + kMonthNames + "|" +
                                    kMonthAbbr + R"()\b\.?(?:,?\s+(\d{4})\b)?)");
  static const std::regex kMonthOnly(R"(\b(?:(early|mid|late|the end of|end of)[- ]+)?()" +
                                     kMonthNames + R"()\b(?:,?\s+(\d{4})\b)?)");
  static const std::regex kIso(R"(\b(\d{4})-(\d{2})-(\d{2})\b)");
  static const std::regex kWeekday(
      R"(\b(?:(last|this past|next|coming|this)\s+)?)"
      R"((Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)",
      std::regex::icase);
  static const std::regex kDayWord(
      R"(\b(the day before yesterday|yesterday|today|tonight|this morning|this afternoon)"
      R"(|this evening|earlier this week|this week|last week|earlier this month|this month)"
      R"(|last month)\b)",
      std::regex::icase);
  static const std::regex kAgoLater(
      R"(\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+)"
      R"((day|week|month)s?\s+(ago|later|earlier)\b)",
      std::regex::icase);
  static const std::regex kNextDay(
      R"(\b(?:the|a)\s+(next|following)\s+(day|week|month)\b|\bthe day after\b(?!\s+\w))",
      std::regex::icase);
  // Chinese. No byte classes over multi-byte characters: alternations only.
  static const std::regex kZhDate("(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})(?:日|号|號)");
  static const std::regex kZhDay("([0-9]{1,2})日");
  static const std::regex kZhMonth(
      "(今年|去年|前年|明年|([0-9]{4})年)?([0-9]{1,2})月(份)?(初|上旬|中旬|下旬|底|末)?");
  static const std::regex kZhWeekday(
      "(上|下|本|这|這)?(?:个|個)?(?:周|週|星期|礼拜|禮拜)(一|二|三|四|五|六|日|天)");
  static const std::regex kZhDayWord(
      "(前天|昨天|昨日|昨晚|昨夜|今天|今日|今晨|今早|今晚|上周|上週|上星期|本周|本週|上个月|"
      "上個月|上月|本月)");
  static const std::regex kZhRelative(
      "([0-9]{1,2}|一|两|兩|二|三|四|五|六|七|八|九|十)(?:个|個)?(天|日|周|週|星期|月)"
      "(前|后|後)");
  static const std::regex kZhNextDay("(次日|翌日|隔天|第二天)");

  const std::string s(sentence);
  const bool have_pub = context.published > 0;
  const std::int64_t pub_days =
      have_pub ? FloorDiv(context.published + context.utc_offset, kDay) : 0;
  const std::optional<std::int64_t> anchor =
      context.anchor ? std::optional<std::int64_t>(FloorDiv(context.anchor->day, kDay))
                     : std::nullopt;
  std::vector<Match> matches;
  auto add = [&matches](size_t pos, size_t len, std::optional<std::int64_t> days,
                        DatePrecision precision = DatePrecision::kDay) {
    if (days) matches.push_back({pos, len, days, precision});
  };
  auto each = [&s](const std::regex& re, auto&& fn) {
    std::smatch m;
    for (auto it = s.cbegin(); std::regex_search(it, s.cend(), m, re); it = m[0].second) {
      fn(m, static_cast<size_t>(m.position(0) + (it - s.cbegin())));
      if (m[0].length() == 0) break;
    }
  };
  auto in_year = [](const std::ssub_match& y) { return std::atoi(y.str().c_str()); };

  // English absolute dates.
  each(kMonthDay, [&](const std::smatch& m, size_t pos) {
    auto month = static_cast<unsigned>(MonthFromName(m[1].str()));
    auto day = static_cast<unsigned>(std::atoi(m[2].str().c_str()));
    add(pos, static_cast<size_t>(m.length(0)),
        m[3].matched ? ValidDays(in_year(m[3]), month, day)
                     : ResolveMonthDay(month, day, have_pub ? pub_days * kDay : 0));
  });
  each(kDayMonth, [&](const std::smatch& m, size_t pos) {
    auto month = static_cast<unsigned>(MonthFromName(m[2].str()));
    auto day = static_cast<unsigned>(std::atoi(m[1].str().c_str()));
    add(pos, static_cast<size_t>(m.length(0)),
        m[3].matched ? ValidDays(in_year(m[3]), month, day)
                     : ResolveMonthDay(month, day, have_pub ? pub_days * kDay : 0));
  });
  each(kIso, [&](const std::smatch& m, size_t pos) {
    add(pos, static_cast<size_t>(m.length(0)),
        ValidDays(in_year(m[1]), static_cast<unsigned>(std::atoi(m[2].str().c_str())),
                  static_cast<unsigned>(std::atoi(m[3].str().c_str()))));
  });
  each(kMonthOnly, [&](const std::smatch& m, size_t pos) {
    // A bare month name must read as a time: after "in", "since", "by"..., or with a year or
    // a part of the month ("May" is also a verb).
    // Not "since July": where a trend started is no event.
    static const char* const kBefore[] = {"in ",   "In ",   "by ",   "of ",
                                          "last ", "this ", "Last ", "This "};
    bool timed = m[1].matched || m[3].matched;
    const std::string_view before = std::string_view(s).substr(0, pos);
    for (const char* b : kBefore) timed = timed || EndsWith(before, b);
    if (!timed) return;
    auto month = static_cast<unsigned>(MonthFromName(m[2].str()));
    std::optional<std::int64_t> first;
    if (m[3].matched) {
      first = ValidDays(in_year(m[3]), month, 1);
    } else if (have_pub) {
      first = ResolveMonth(month, pub_days);
      // "last March" in March or later is a year back.
      if (first && EndsWith(before, "ast ") && *first >= FirstOfMonth(pub_days)) {
        first = AddMonths(*first, -12);
      }
    }
    if (!first) return;
    DatePrecision p = DatePrecision::kMonth;
    std::int64_t day = *first;
    const std::string part = m[1].matched ? m[1].str() : "";
    if (part == "early" || part == "Early") {
      p = DatePrecision::kEarlyMonth;
    } else if (part == "mid" || part == "Mid") {
      p = DatePrecision::kMidMonth;
      day += 10;
    } else if (!part.empty()) {
      p = DatePrecision::kLateMonth;
      day += 20;
    }
    add(pos, static_cast<size_t>(m.length(0)), day, p);
  });

  // English dates relative to publication.
  if (have_pub) {
    each(kWeekday, [&](const std::smatch& m, size_t pos) {
      std::string rel = m[1].matched ? m[1].str() : "";
      for (char& c : rel) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (rel == "next" || rel == "coming") return;
      std::string name = m[2].str();
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      const int wd = WeekdayFromName(name);
      if (wd < 0 || std::islower(static_cast<unsigned char>(m[2].str()[0])) != 0) return;
      std::int64_t days = 0;
      if (rel == "last" || rel == "this past") {
        days = WeekdayNear(wd, pub_days - 1, false);
      } else {
        days = WeekdayNear(wd, pub_days, FutureBefore(s, pos));
      }
      add(pos, static_cast<size_t>(m.length(0)), days);
    });
    each(kDayWord, [&](const std::smatch& m, size_t pos) {
      std::string w = m[1].str();
      for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto len = static_cast<size_t>(m.length(0));
      if (w == "the day before yesterday") {
        add(pos, len, pub_days - 2);
      } else if (w == "yesterday") {
        add(pos, len, pub_days - 1);
      } else if (w == "last week") {
        add(pos, len, MondayOf(pub_days) - 7, DatePrecision::kWeek);
      } else if (w == "this week" || w == "earlier this week") {
        add(pos, len, MondayOf(pub_days), DatePrecision::kWeek);
      } else if (w == "last month") {
        add(pos, len, AddMonths(FirstOfMonth(pub_days), -1), DatePrecision::kMonth);
      } else if (w == "this month" || w == "earlier this month") {
        add(pos, len, FirstOfMonth(pub_days), DatePrecision::kMonth);
      } else {
        add(pos, len, pub_days);  // today, tonight, this morning...
      }
    });
  }
  each(kAgoLater, [&](const std::smatch& m, size_t pos) {
    const int n = SmallNumber(m[1].str());
    std::string unit = m[2].str(), dir = m[3].str();
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : dir) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (n < 0) return;
    std::optional<std::int64_t> base;
    int sign = 1;
    if (dir == "ago") {
      if (have_pub) base = pub_days;
      sign = -1;
    } else {
      base = anchor;
      sign = dir == "later" ? 1 : -1;
    }
    if (!base) return;
    const auto len = static_cast<size_t>(m.length(0));
    if (unit == "day") {
      add(pos, len, *base + sign * n);
    } else if (unit == "week") {
      add(pos, len, *base + sign * 7 * n);
    } else {
      add(pos, len, FirstOfMonth(AddMonths(*base, sign * n)), DatePrecision::kMonth);
    }
  });
  if (anchor) {
    each(kNextDay, [&](const std::smatch& m, size_t pos) {
      std::string unit = m[2].matched ? m[2].str() : "day";
      for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto len = static_cast<size_t>(m.length(0));
      if (unit == "week") {
        add(pos, len, MondayOf(*anchor) + 7, DatePrecision::kWeek);
      } else if (unit == "month") {
        add(pos, len, FirstOfMonth(AddMonths(*anchor, 1)), DatePrecision::kMonth);
      } else {
        add(pos, len, *anchor + 1);
      }
    });
  }

  // Chinese.
  each(kZhDate, [&](const std::smatch& m, size_t pos) {
    if (pos > 0 && IsDigitAt(s, pos - 1)) return;
    auto month = static_cast<unsigned>(std::atoi(m[2].str().c_str()));
    auto day = static_cast<unsigned>(std::atoi(m[3].str().c_str()));
    add(pos, static_cast<size_t>(m.length(0)),
        m[1].matched ? ValidDays(in_year(m[1]), month, day)
                     : ResolveMonthDay(month, day, have_pub ? pub_days * kDay : 0));
  });
  if (have_pub) {
    each(kZhDay, [&](const std::smatch& m, size_t pos) {
      // "18日" alone; not "2026日", not "18日元"/"日圓" (yen), not a month's day (kZhDate).
      if (pos > 0 &&
          (IsDigitAt(s, pos - 1) || EndsWith(std::string_view(s).substr(0, pos), "月"))) {
        return;
      }
      const size_t end = pos + static_cast<size_t>(m.length(0));
      for (const char* yen : {"元", "圓", "圆", "币", "幣"}) {
        if (StartsWithAt(s, end, yen)) return;
      }
      add(pos, static_cast<size_t>(m.length(0)),
          ResolveDayOfMonth(static_cast<unsigned>(std::atoi(m[1].str().c_str())), pub_days * kDay));
    });
  }
  each(kZhMonth, [&](const std::smatch& m, size_t pos) {
    if (pos > 0 && IsDigitAt(s, pos - 1)) return;
    const size_t end = pos + static_cast<size_t>(m.length(0));
    // A month's day is kZhDate's; "3月" needs a year, 份 or a part of the month to read as
    // a time (not "3月" inside a longer number expression).
    if (IsDigitAt(s, end) && !m[5].matched) return;
    if (!m[1].matched && !m[4].matched && !m[5].matched) return;
    auto month = static_cast<unsigned>(std::atoi(m[3].str().c_str()));
    std::optional<std::int64_t> first;
    const std::string year = m[1].matched ? m[1].str() : "";
    int pub_y = 0;
    unsigned pub_m = 0, pub_d = 0;
    if (have_pub) CivilFromDays(pub_days, &pub_y, &pub_m, &pub_d);
    if (m[2].matched) {
      first = ValidDays(in_year(m[2]), month, 1);
    } else if (!have_pub) {
      return;
    } else if (year == "今年") {
      first = ValidDays(pub_y, month, 1);
    } else if (year == "去年") {
      first = ValidDays(pub_y - 1, month, 1);
    } else if (year == "前年") {
      first = ValidDays(pub_y - 2, month, 1);
    } else if (year == "明年") {
      first = ValidDays(pub_y + 1, month, 1);
    } else {
      first = ResolveMonth(month, pub_days);
    }
    if (!first) return;
    const std::string part = m[5].matched ? m[5].str() : "";
    DatePrecision p = DatePrecision::kMonth;
    std::int64_t day = *first;
    if (part == "初" || part == "上旬") {
      p = DatePrecision::kEarlyMonth;
    } else if (part == "中旬") {
      p = DatePrecision::kMidMonth;
      day += 10;
    } else if (!part.empty()) {
      p = DatePrecision::kLateMonth;
      day += 20;
    }
    add(pos, static_cast<size_t>(m.length(0)), day, p);
  });
  if (have_pub) {
    each(kZhWeekday, [&](const std::smatch& m, size_t pos) {
      const std::string rel = m[1].matched ? m[1].str() : "";
      if (rel == "下") return;
      const int wd = ZhWeekday(m[2].str());
      if (wd < 0) return;
      std::int64_t days = 0;
      if (rel == "上") {
        days = WeekdayLastWeek(wd, pub_days);
      } else if (!rel.empty()) {  // 本週四, 這週四: this week's
        days = MondayOf(pub_days) + (wd + 6) % 7;
      } else {
        days = WeekdayNear(wd, pub_days, FutureBefore(s, pos));
      }
      add(pos, static_cast<size_t>(m.length(0)), days);
    });
    each(kZhDayWord, [&](const std::smatch& m, size_t pos) {
      const std::string w = m[1].str();
      const auto len = static_cast<size_t>(m.length(0));
      if (w == "前天") {
        add(pos, len, pub_days - 2);
      } else if (w == "昨天" || w == "昨日" || w == "昨晚" || w == "昨夜") {
        add(pos, len, pub_days - 1);
      } else if (w == "上周" || w == "上週" || w == "上星期") {
        add(pos, len, MondayOf(pub_days) - 7, DatePrecision::kWeek);
      } else if (w == "本周" || w == "本週") {
        add(pos, len, MondayOf(pub_days), DatePrecision::kWeek);
      } else if (w == "上个月" || w == "上個月" || w == "上月") {
        add(pos, len, AddMonths(FirstOfMonth(pub_days), -1), DatePrecision::kMonth);
      } else if (w == "本月") {
        add(pos, len, FirstOfMonth(pub_days), DatePrecision::kMonth);
      } else {
        add(pos, len, pub_days);  // 今天, 今日, 今晨...
      }
    });
  }
  each(kZhRelative, [&](const std::smatch& m, size_t pos) {
    if (pos > 0 && IsDigitAt(s, pos - 1)) return;
    const int n = SmallNumber(m[1].str());
    const std::string unit = m[2].str(), dir = m[3].str();
    if (n < 0) return;
    std::optional<std::int64_t> base =
        dir == "前" ? (have_pub ? std::optional(pub_days) : std::nullopt) : anchor;
    if (!base) return;
    const int sign = dir == "前" ? -1 : 1;
    const auto len = static_cast<size_t>(m.length(0));
    if (unit == "天" || unit == "日") {
      add(pos, len, *base + sign * n);
    } else if (unit == "月") {
      add(pos, len, FirstOfMonth(AddMonths(*base, sign * n)), DatePrecision::kMonth);
    } else {
      add(pos, len, *base + sign * 7 * n);
    }
  });
  if (anchor) {
    each(kZhNextDay, [&](const std::smatch& m, size_t pos) {
      add(pos, static_cast<size_t>(m.length(0)), *anchor + 1);
    });
  }

  const Match* best = nullptr;
  for (const Match& x : matches) {
    if (best == nullptr || x.offset < best->offset ||
        (x.offset == best->offset && x.length > best->length)) {
      best = &x;
    }
  }
  if (best == nullptr) return std::nullopt;
  auto out = Make(*best->days, best->offset, best->length);
  out->precision = best->precision;
  return out;
}

std::string DateLabel(const SentenceDate& date, std::string_view lang, int current_year) {
  static const std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const std::array<const char*, 12> kMonthNames = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  if (date.month < 1 || date.month > 12) return {};
  const bool year = current_year != 0 && date.year != current_year;
  const std::string y = std::to_string(date.year);
  const std::string mon = kMonths[date.month - 1];
  const std::string m = std::to_string(date.month);
  const std::string d = std::to_string(date.day_of_month);
  if (lang.substr(0, 2) == "zh") {
    const std::string zy = year ? y + "年" : "";
    switch (date.precision) {
      case DatePrecision::kWeek:
        return zy + m + "月" + d + "日" + (lang == "zh-Hant" ? "當週" : "当周");
      case DatePrecision::kMonth:
        return zy + m + "月";
      case DatePrecision::kEarlyMonth:
        return zy + m + "月初";
      case DatePrecision::kMidMonth:
        return zy + m + "月中旬";
      case DatePrecision::kLateMonth:
        return zy + m + "月下旬";
      case DatePrecision::kDay:
        break;
    }
    return zy + m + "月" + d + "日";
  }
  const std::string ey = year ? " " + y : "";
  const std::string ecy = year ? ", " + y : "";
  switch (date.precision) {
    case DatePrecision::kWeek:
      return "Week of " + mon + " " + d + ecy;
    case DatePrecision::kMonth:
      return (year ? std::string(mon) : std::string(kMonthNames[date.month - 1])) + ey;
    case DatePrecision::kEarlyMonth:
      return "Early " + mon + ey;
    case DatePrecision::kMidMonth:
      return "Mid-" + mon + ey;
    case DatePrecision::kLateMonth:
      return "Late " + mon + ey;
    case DatePrecision::kDay:
      break;
  }
  return mon + " " + d + ecy;
}

UnixTime DateEnd(const SentenceDate& date) {
  const std::int64_t first = FloorDiv(date.day, kDay);
  switch (date.precision) {
    case DatePrecision::kDay:
      return (first + 1) * kDay;
    case DatePrecision::kWeek:
      return (first + 7) * kDay;
    case DatePrecision::kEarlyMonth:
    case DatePrecision::kMidMonth:
      return (first + 10) * kDay;
    case DatePrecision::kMonth:
    case DatePrecision::kLateMonth:
      return FirstOfMonth(AddMonths(FirstOfMonth(first), 1)) * kDay;
  }
  return (first + 1) * kDay;
}

}  // namespace nd::write
