// Private to write/: finds the date a news sentence talks about ("on Nov. 18", "November
// 18, 2026", "on Tuesday", "2026-11-18", "11月18日", "18日", "週二") and resolves it against
// the time the report was published, for the story timeline.
//
// Thread-safety: pure functions (the patterns are immutable function-local statics).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace nd::write {

struct SentenceDate {
  UnixTime day = 0;  // 00:00 UTC of the resolved day
  int year = 0;
  unsigned month = 0;  // 1-12
  unsigned day_of_month = 0;
  size_t offset = 0;  // byte offset of the expression in the sentence
  size_t length = 0;  // byte length of the expression
};

// The first date expression in `sentence` resolved against `published` (Unix seconds; 0 =
// unknown, then only expressions that carry their year resolve). Month-day without a year
// takes published's year unless that lies more than two months ahead (then the year
// before: "Dec 20" in a January report is last December); a weekday is the
// most recent such day on or before published; "18日" is that day of the published month
// (or the month before when it would lie in the future). Phrases about the future ("next
// Tuesday") are ignored.
std::optional<SentenceDate> FindSentenceDate(std::string_view sentence, UnixTime published);

// "Nov 18" for English (and other non-Chinese languages), "11月18日" for Chinese.
std::string DateLabel(const SentenceDate& date, std::string_view lang);

// Civil date of a Unix time (UTC).
void CivilFromUnix(UnixTime t, int* year, unsigned* month, unsigned* day);

}  // namespace nd::write
