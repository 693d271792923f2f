// Private to write/: finds the date a news sentence talks about and resolves it against the
// time the report was published, for the story timeline. Absolute dates ("Nov. 18",
// "November 18, 2026", "2026-11-18", "11月18日", "2026年11月18日"), dates relative to
// publication ("on Tuesday", "last Tuesday", "yesterday", "last week", "three days ago",
// "in early March", "上週四", "上週", "昨天", "今年6月", "6月下旬", "18日") and dates relative
// to an earlier date of the same report ("a month later", "two days later", "the next day",
// "次日", "一個月後").
//
// Thread-safety: pure functions (the patterns are immutable function-local statics).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace nd::write {

// How much of a date an expression gives.
enum class DatePrecision {
  kDay,         // Nov 18
  kWeek,        // last week: `day` is the Monday
  kMonth,       // in March: `day` is the 1st
  kEarlyMonth,  // early March: `day` is the 1st
  kMidMonth,    // mid-March: `day` is the 11th
  kLateMonth,   // late March: `day` is the 21st
};

struct SentenceDate {
  UnixTime day = 0;  // 00:00 UTC of the resolved (first) day
  int year = 0;
  unsigned month = 0;  // 1-12
  unsigned day_of_month = 0;
  DatePrecision precision = DatePrecision::kDay;
  size_t offset = 0;  // byte offset of the expression in the sentence
  size_t length = 0;  // byte length of the expression
};

struct DateContext {
  UnixTime published = 0;  // the report's publication time, Unix seconds; 0 = unknown
  // Seconds east of UTC of the report's local time ("Thursday" in a Taipei report published
  // at 01:00 local is that day, though it is still Wednesday in UTC).
  int utc_offset = 0;
  // The date an earlier sentence of the same report named, for "a month later", "次日".
  std::optional<SentenceDate> anchor;
};

// The first date expression in `sentence` resolved against `context`. Without a
// published time only expressions that carry their year resolve; without an anchor,
// "later" expressions do not. Month-day without a year takes the published year unless
// that lies more than two months ahead (then the year before: "Dec 20" in a January
// report is last December). A bare weekday is the most recent such day on or before the
// published day, or the next one on or after it when the sentence speaks of the future
// before it ("is expected to cross Luzon by Thursday", "預計週四登陸"); "next Tuesday"
// and "下週二" are ignored. "18日" is that day of the published month (or the month before
// when it would lie in the future). A number followed by 号/號 is a date only after a month
// ("11月2號"), never alone ("2號線", "3號樓").
std::optional<SentenceDate> FindSentenceDate(std::string_view sentence, const DateContext& context);
std::optional<SentenceDate> FindSentenceDate(std::string_view sentence, UnixTime published);

// The date for a reader in `lang`, by precision: "Nov 18", "Week of Nov 16", "March",
// "Early Mar"; "11月18日", "11月16日當週" / "11月16日当周", "3月", "3月初", "3月中旬", "3月下旬".
// The year is written when it is not `current_year` (0: never): "Oct 2024", "2024年10月".
std::string DateLabel(const SentenceDate& date, std::string_view lang, int current_year = 0);

// The first day after the period `date` names (the next day for a day, the next month for
// a month...), 00:00 UTC.
UnixTime DateEnd(const SentenceDate& date);

// Civil date of a Unix time (UTC).
void CivilFromUnix(UnixTime t, int* year, unsigned* month, unsigned* day);

}  // namespace nd::write
