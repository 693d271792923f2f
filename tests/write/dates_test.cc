#include "write/dates.h"

#include <gtest/gtest.h>

namespace nd::write {
namespace {

constexpr UnixTime kNov18 = 1794960000;  // 2026-11-18 00:00 UTC, a Wednesday
constexpr UnixTime kDay = 86400;

UnixTime DayOf(std::string_view sentence, UnixTime published) {
  auto d = FindSentenceDate(sentence, published);
  return d ? d->day : -1;
}

TEST(FindSentenceDateTest, EnglishMonthDay) {
  const UnixTime pub = kNov18 + 10 * 3600;
  EXPECT_EQ(DayOf("The vote took place on Nov. 16 in the capital.", pub), kNov18 - 2 * kDay);
  EXPECT_EQ(DayOf("It happened on November 16, officials said.", pub), kNov18 - 2 * kDay);
  EXPECT_EQ(DayOf("It happened on 16 November.", pub), kNov18 - 2 * kDay);
  EXPECT_EQ(DayOf("Results are due on Dec 1.", pub), kNov18 + 13 * kDay);  // scheduled
  EXPECT_EQ(DayOf("Signed on 2026-11-18 in Geneva.", 0), kNov18);
  EXPECT_EQ(DayOf("Signed on November 18, 2026 in Geneva.", 0), kNov18);
  // Without a year and without a published time there is no anchor.
  EXPECT_EQ(DayOf("It happened on November 16.", 0), -1);
  EXPECT_EQ(DayOf("No date in this sentence at all.", pub), -1);
  EXPECT_EQ(DayOf("The May 2 agreement.", pub), kNov18 - 200 * kDay);
}

TEST(FindSentenceDateTest, LastDecemberFromJanuary) {
  const UnixTime jan10 = kNov18 + 53 * kDay;  // 2027-01-10
  auto d = FindSentenceDate("The fire started on Dec. 20.", jan10);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 12u);
  EXPECT_EQ(d->day_of_month, 20u);
}

TEST(FindSentenceDateTest, Weekdays) {
  const UnixTime pub = kNov18 + 10 * 3600;  // Wednesday
  EXPECT_EQ(DayOf("The storm hit Manila on Tuesday.", pub), kNov18 - kDay);
  EXPECT_EQ(DayOf("Officials spoke on Wednesday.", pub), kNov18);
  EXPECT_EQ(DayOf("It landed late on Thursday.", pub), kNov18 - 6 * kDay);
  EXPECT_EQ(DayOf("Talks resume next Tuesday.", pub), -1);
  EXPECT_EQ(DayOf("台风周二横扫马尼拉。", pub), kNov18 - kDay);
  EXPECT_EQ(DayOf("居民週四開始清理。", pub), kNov18 - 6 * kDay);
  EXPECT_EQ(DayOf("会谈下周二举行。", pub), -1);
}

TEST(FindSentenceDateTest, ChineseDates) {
  const UnixTime pub = kNov18 + 10 * 3600;
  EXPECT_EQ(DayOf("死亡人數18日上升至15人。", pub), kNov18);
  EXPECT_EQ(DayOf("台风11月16日登陆。", pub), kNov18 - 2 * kDay);
  EXPECT_EQ(DayOf("协议于2026年11月18日签署。", 0), kNov18);
  // A day later in the month than published is last month's.
  EXPECT_EQ(DayOf("会议于25日召开。", pub), kNov18 - 24 * kDay);
}

TEST(FindSentenceDateTest, FirstExpressionWins) {
  auto d =
      FindSentenceDate("On Tuesday, the bureau said the storm formed on Nov 10.", kNov18 + 3600);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->day, kNov18 - kDay);
  EXPECT_EQ(d->offset, 3u);
}

TEST(DateLabelTest, PerLanguage) {
  SentenceDate d;
  d.month = 11;
  d.day_of_month = 18;
  EXPECT_EQ(DateLabel(d, "en"), "Nov 18");
  EXPECT_EQ(DateLabel(d, "zh-Hans"), "11月18日");
  EXPECT_EQ(DateLabel(d, "zh-Hant"), "11月18日");
}

}  // namespace
}  // namespace nd::write
