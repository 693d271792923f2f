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

// ---------------------------------------------------------------------------------------
// Relative expressions, precision, local time, strictness.

std::optional<SentenceDate> Find(std::string_view sentence, UnixTime published,
                                 std::optional<SentenceDate> anchor = std::nullopt,
                                 int utc_offset = 0) {
  DateContext c;
  c.published = published;
  c.anchor = anchor;
  c.utc_offset = utc_offset;
  return FindSentenceDate(sentence, c);
}

TEST(FindSentenceDateTest, NumberedLinesAndBuildingsAreNotDays) {
  const UnixTime pub = kNov18 + 10 * 3600;
  EXPECT_EQ(DayOf("可與2號線、16號線等既有線路銜接。", pub), -1);
  EXPECT_EQ(DayOf("21号线是上海重点建设的轨道交通项目之一。", pub), -1);
  EXPECT_EQ(DayOf("火警發生在3號樓。", pub), -1);
  EXPECT_EQ(DayOf("成本约为30日元。", pub), -1);
  EXPECT_EQ(DayOf("这是第18号台风。", pub), -1);
  // With a month, 号/號 is a day.
  EXPECT_EQ(DayOf("会议11月16号召开。", pub), kNov18 - 2 * kDay);
}

TEST(FindSentenceDateTest, FutureWeekdayLooksForward) {
  const UnixTime pub = kNov18 + 10 * 3600;  // Wednesday
  EXPECT_EQ(DayOf("天文臺指出，「馬洛」預料週四橫過呂宋島進入南海。", pub), kNov18 + kDay);
  EXPECT_EQ(DayOf("The storm is expected to cross Luzon by Thursday.", pub), kNov18 + kDay);
  // Future words after the weekday describe what was said then.
  EXPECT_EQ(DayOf("The company said on Monday it would build a plant.", pub), kNov18 - 2 * kDay);
}

TEST(FindSentenceDateTest, LocalTimeOfTheReport) {
  // 2026-11-18 17:00 UTC is Thursday 01:00 in Taipei.
  const UnixTime pub = kNov18 + 17 * 3600;
  auto d = Find("颱風週四凌晨登陸。", pub, std::nullopt, 8 * 3600);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->day, kNov18 + kDay);
  d = Find("颱風週四凌晨登陸。", pub);  // in UTC it is still Wednesday: last Thursday
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->day, kNov18 - 6 * kDay);
}

TEST(FindSentenceDateTest, RelativeToPublication) {
  const UnixTime pub = kNov18 + 10 * 3600;  // Wednesday 2026-11-18
  EXPECT_EQ(DayOf("Officials said yesterday that 14 people died.", pub), kNov18 - kDay);
  // "last Tuesday": the most recent Tuesday before the day of publication.
  EXPECT_EQ(DayOf("The talks collapsed last Tuesday.", pub), kNov18 - kDay);
  EXPECT_EQ(DayOf("The talks collapsed last Wednesday.", pub), kNov18 - 7 * kDay);
  EXPECT_EQ(DayOf("The fire broke out three days ago.", pub), kNov18 - 3 * kDay);
  EXPECT_EQ(DayOf("台风昨天登陆。", pub), kNov18 - kDay);
  EXPECT_EQ(DayOf("双方上周四举行会谈。", pub), kNov18 - 6 * kDay);  // Thu Nov 12
  EXPECT_EQ(DayOf("兩天前發生地震。", pub), kNov18 - 2 * kDay);

  auto week = Find("The ministry opened the inquiry last week.", pub);
  ASSERT_TRUE(week.has_value());
  EXPECT_EQ(week->precision, DatePrecision::kWeek);
  EXPECT_EQ(week->day, kNov18 - 9 * kDay);  // Monday Nov 9
  EXPECT_EQ(DateLabel(*week, "en"), "Week of Nov 9");
  auto zh_week = Find("该公司上週宣布裁员。", pub);
  ASSERT_TRUE(zh_week.has_value());
  EXPECT_EQ(zh_week->day, kNov18 - 9 * kDay);
  EXPECT_EQ(DateLabel(*zh_week, "zh-Hant"), "11月9日當週");
  EXPECT_EQ(DateLabel(*zh_week, "zh-Hans"), "11月9日当周");

  auto month = Find("Prices rose last month.", pub);
  ASSERT_TRUE(month.has_value());
  EXPECT_EQ(month->precision, DatePrecision::kMonth);
  EXPECT_EQ(month->month, 10u);
  EXPECT_EQ(DateLabel(*month, "en"), "October");
}

TEST(FindSentenceDateTest, MonthsAndPartsOfMonths) {
  const UnixTime pub = kNov18 + 10 * 3600;
  auto early = Find("The regulator opened an inquiry in early March.", pub);
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->precision, DatePrecision::kEarlyMonth);
  EXPECT_EQ(early->year, 2026);
  EXPECT_EQ(early->month, 3u);
  EXPECT_EQ(DateLabel(*early, "en"), "Early Mar");
  EXPECT_EQ(DateLabel(*early, "zh-Hans"), "3月初");

  auto june = Find("该厂今年6月开始试产。", pub);
  ASSERT_TRUE(june.has_value());
  EXPECT_EQ(june->precision, DatePrecision::kMonth);
  EXPECT_EQ(june->year, 2026);
  EXPECT_EQ(june->month, 6u);
  EXPECT_EQ(DateLabel(*june, "zh-Hant"), "6月");

  auto last_year = Find("去年6月下旬，工厂停产。", pub);
  ASSERT_TRUE(last_year.has_value());
  EXPECT_EQ(last_year->year, 2025);
  EXPECT_EQ(last_year->precision, DatePrecision::kLateMonth);
  EXPECT_EQ(last_year->day_of_month, 21u);

  auto in_year = Find("The duties were imposed in October 2024.", pub);
  ASSERT_TRUE(in_year.has_value());
  EXPECT_EQ(in_year->year, 2024);
  EXPECT_EQ(in_year->month, 10u);
  // "May" the verb is no month.
  EXPECT_FALSE(Find("Analysts say exporters may come out ahead.", pub).has_value());
  EXPECT_FALSE(Find("Prices May fall further, analysts warned.", pub).has_value());
}

TEST(FindSentenceDateTest, RelativeToAnEarlierDate) {
  const UnixTime pub = kNov18 + 10 * 3600;
  auto march = Find("The plant closed on March 3.", pub);
  ASSERT_TRUE(march.has_value());
  auto later = Find("A month later, the owner filed for bankruptcy.", pub, march);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->month, 4u);
  EXPECT_EQ(later->precision, DatePrecision::kMonth);
  auto next = Find("The next day, workers protested.", pub, march);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->day_of_month, 4u);
  auto zh = Find("次日，工人聚集抗议。", pub, march);
  ASSERT_TRUE(zh.has_value());
  EXPECT_EQ(zh->day_of_month, 4u);
  auto zh_month = Find("一個月後，公司申請破產。", pub, march);
  ASSERT_TRUE(zh_month.has_value());
  EXPECT_EQ(zh_month->month, 4u);
  // Without an anchor a "later" date is unknown.
  EXPECT_FALSE(Find("A month later, the owner filed for bankruptcy.", pub).has_value());
}

TEST(DateLabelTest, YearWhenNotTheCurrentOne) {
  auto d = FindSentenceDate("The duties were imposed in October 2024.", kNov18);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(DateLabel(*d, "en", 2026), "Oct 2024");
  EXPECT_EQ(DateLabel(*d, "zh-Hans", 2026), "2024年10月");
  EXPECT_EQ(DateLabel(*d, "en", 2024), "October");
  auto day = FindSentenceDate("It will take effect on Jan. 1, 2027.", kNov18);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(DateLabel(*day, "en", 2026), "Jan 1, 2027");
  EXPECT_EQ(DateLabel(*day, "zh-Hant", 2026), "2027年1月1日");
  EXPECT_EQ(DateEnd(*day), day->day + kDay);
  EXPECT_EQ(DateEnd(*d), d->day + 31 * kDay);
}

TEST(FindSentenceDateTest, UntilAWeekdayIsAhead) {
  const UnixTime mon = kNov18 - 2 * kDay + 3600;  // Monday Nov 16
  EXPECT_EQ(DayOf("Delegates are meeting until Thursday.", mon), kNov18 + kDay);
  EXPECT_EQ(DayOf("Inventories have fallen since July.", mon), -1);
}

}  // namespace
}  // namespace nd::write
