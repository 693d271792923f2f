#include "core/time.h"

#include <gtest/gtest.h>

namespace nd {
namespace {

// 2026-11-18T09:30:00Z
constexpr UnixTime kT = 1794994200;

TEST(DaysFromCivilTest, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2026, 11, 18) * 86400 + 9 * 3600 + 30 * 60, kT);
}

TEST(ParseDateTimeTest, Rfc822NumericZones) {
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 09:30:00 +0000"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 17:30:00 +0800"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 04:30:00 -0500"), kT);
  EXPECT_EQ(ParseDateTime("18 Nov 2026 09:30 +0000"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 26 09:30:00 +0000"), kT);
  EXPECT_EQ(ParseDateTime("  Wed, 18 Nov 2026 17:30:00 +0800 (CST)  "), kT);
}

TEST(ParseDateTimeTest, Rfc822NamedZones) {
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 09:30:00 GMT"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 09:30:00 UT"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 09:30:00 UTC"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 09:30:00 Z"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 04:30:00 EST"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 05:30:00 EDT"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 03:30:00 CST"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 04:30:00 CDT"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 02:30:00 MST"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 03:30:00 MDT"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 01:30:00 PST"), kT);
  EXPECT_EQ(ParseDateTime("Wed, 18 Nov 2026 02:30:00 PDT"), kT);
}

TEST(ParseDateTimeTest, LooseEnglish) {
  EXPECT_EQ(ParseDateTime("November 18, 2026 9:30 AM GMT"), kT);
  EXPECT_EQ(ParseDateTime("Nov 18, 2026 4:30 am EST"), kT);
  EXPECT_EQ(ParseDateTime("Wed Nov 18 09:30:00 2026"), kT);
}

TEST(ParseDateTimeTest, Iso8601) {
  EXPECT_EQ(ParseDateTime("2026-11-18T09:30:00Z"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T17:30:00+08:00"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T17:30:00+0800"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T04:30:00-05:00"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T09:30:00.123456Z"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T17:30:00.5+08:00"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18T09:30:00"), kT);  // no zone: UTC
  EXPECT_EQ(ParseDateTime("2026-11-18T09:30Z"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18 09:30"), kT);
  EXPECT_EQ(ParseDateTime("2026-11-18 09:30:00 +0000"), kT);
}

TEST(ParseDateTimeTest, DateOnly) {
  const UnixTime midnight = DaysFromCivil(2026, 11, 18) * 86400;
  EXPECT_EQ(ParseDateTime("2026-11-18"), midnight);
  EXPECT_EQ(ParseDateTime("2026/11/18"), midnight);
  EXPECT_EQ(ParseDateTime("2026-1-5"), DaysFromCivil(2026, 1, 5) * 86400);
}

TEST(ParseDateTimeTest, Chinese) {
  const UnixTime day = DaysFromCivil(2026, 11, 20) * 86400;
  EXPECT_EQ(ParseDateTime("2026年11月20日"), day);
  EXPECT_EQ(ParseDateTime("2026年11月20日 08:30"), day + 8 * 3600 + 30 * 60);
  EXPECT_EQ(ParseDateTime("2026年11月20日08:30"), day + 8 * 3600 + 30 * 60);
  EXPECT_EQ(ParseDateTime("2026年11月20日 08:30:15"), day + 8 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(ParseDateTime("2026年1月5日"), DaysFromCivil(2026, 1, 5) * 86400);
}

TEST(ParseDateTimeTest, GarbageIsZero) {
  EXPECT_EQ(ParseDateTime(""), 0);
  EXPECT_EQ(ParseDateTime("yesterday"), 0);
  EXPECT_EQ(ParseDateTime("2026-13-01"), 0);
  EXPECT_EQ(ParseDateTime("2026-11-18T25:00:00Z"), 0);
  EXPECT_EQ(ParseDateTime("Wed, 18 Foo 2026 09:30:00 GMT"), 0);
  EXPECT_EQ(ParseDateTime("2026-11-18T09:30:00 nonsense"), 0);
  EXPECT_EQ(ParseDateTime("2026年"), 0);
  EXPECT_EQ(ParseDateTime("12345"), 0);
}

TEST(SystemClockTest, IsRecentAndMonotonicEnough) {
  UnixTime a = SystemClock().Now();
  EXPECT_GT(a, DaysFromCivil(2024, 1, 1) * 86400);
  EXPECT_GE(SystemClock().Now(), a);
}

TEST(ParseDurationTest, UnitsAndCombinations) {
  EXPECT_EQ(*ParseDuration("90s"), 90);
  EXPECT_EQ(*ParseDuration("15m"), 900);
  EXPECT_EQ(*ParseDuration("2h"), 7200);
  EXPECT_EQ(*ParseDuration("1d"), 86400);
  EXPECT_EQ(*ParseDuration("1h30m"), 5400);
  EXPECT_EQ(*ParseDuration("1d2h3m4s"), 86400 + 7200 + 180 + 4);
  EXPECT_EQ(*ParseDuration(" 45m "), 2700);
}

TEST(ParseDurationTest, BareNumbersAreSeconds) {
  EXPECT_EQ(*ParseDuration("300"), 300);
  EXPECT_EQ(*ParseDuration("0"), 0);
}

TEST(ParseDurationTest, ErrorsNameTheTextAndTheReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "empty"},
      {"15x", "unknown unit 'x'"},
      {"15M", "unknown unit 'M'"},
      {"-5m", "expected a number"},
      {"m", "expected a number"},
      {"1h30", "no unit"},
      {"30m1h", "largest to smallest"},
      {"1m1m", "largest to smallest"},
      {"1h 30m", "expected a number"},
      {"99999999999", "too large"},
      {"4000d", "too large"},
  };
  for (const Case& c : cases) {
    auto r = ParseDuration(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << c.text;
    EXPECT_NE(r.status().message().find("'" + std::string(c.text).substr(0, 60) + "'"),
              std::string::npos)
        << r.status().message();
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos) << r.status().message();
  }
}

TEST(FormatDurationTest, RoundTripsThroughParseDuration) {
  EXPECT_EQ(FormatDuration(5400), "1h30m");
  EXPECT_EQ(FormatDuration(900), "15m");
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(86400 + 61), "1d1m1s");
  for (int s : {1, 59, 60, 61, 3599, 3600, 90061, 7 * 86400}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(s)), s) << s;
  }
}

}  // namespace
}  // namespace nd
