// Issue 10 (scheduling in `newsdesk run`) and issue 9 (per-source back-off): when a source
// is polled next after a poll that worked or failed.
#include "app/schedule.h"

#include <gtest/gtest.h>

#include <set>

namespace nd::app {
namespace {

Source Feed(const std::string& url, int interval_s = 0) {
  Source s;
  s.url = url;
  s.kind = "feed";
  s.interval_s = interval_s;
  return s;
}

ScheduleOptions Options(int interval_s = 1000, int max_backoff_s = 86400) {
  ScheduleOptions o;
  o.default_interval_s = interval_s;
  o.max_backoff_s = max_backoff_s;
  return o;
}

TEST(ScheduleTest, SuccessIsDueOneIntervalLaterMinusAtMostATenth) {
  Source s = Feed("https://a.example/feed");
  s.failures = 4;
  for (std::uint64_t r : {0ull, 7ull, 12345ull, ~0ull}) {
    ScheduleAfterPoll(s, Status::Ok(), 10'000, Options(), r);
    EXPECT_EQ(s.failures, 0);
    EXPECT_EQ(s.access, "allowed");
    EXPECT_LE(s.next_poll, 10'000 + 1000);
    EXPECT_GE(s.next_poll, 10'000 + 900);
  }
}

TEST(ScheduleTest, PerSourceIntervalOverridesTheDefault) {
  Source s = Feed("https://a.example/feed", 60);
  ScheduleAfterPoll(s, Status::Ok(), 0, Options(1000), 0);
  EXPECT_LE(s.next_poll, 60);
  EXPECT_GE(s.next_poll, 54);
  EXPECT_EQ(IntervalFor(s, Options(1000)), 60);
  EXPECT_EQ(IntervalFor(Feed("https://b.example/"), Options(1000)), 1000);
}

TEST(ScheduleTest, FailuresBackOffExponentiallyUpToTheCap) {
  Source s = Feed("https://a.example/feed", 100);
  const Status fail = Status::Unavailable("https://a.example/feed: HTTP 500");
  std::int64_t previous = 0;
  for (int i = 1; i <= 6; ++i) {
    ScheduleAfterPoll(s, fail, 0, Options(1000, 3600), 0);
    EXPECT_EQ(s.failures, i);
    const std::int64_t expected = std::min<std::int64_t>(100LL << i, 3600);
    EXPECT_LE(s.next_poll, expected) << i;
    EXPECT_GE(s.next_poll, expected - expected / 10) << i;
    EXPECT_GE(s.next_poll, previous) << "the delay never shrinks while failing";
    previous = s.next_poll;
  }
  EXPECT_LE(s.next_poll, 3600);
  // Many more failures stay at the cap (no overflow).
  for (int i = 0; i < 100; ++i) ScheduleAfterPoll(s, fail, 0, Options(1000, 3600), 0);
  EXPECT_LE(s.next_poll, 3600);
  EXPECT_GE(s.next_poll, 3240);
  // One success resets it.
  ScheduleAfterPoll(s, Status::Ok(), 0, Options(1000, 3600), 0);
  EXPECT_EQ(s.failures, 0);
  EXPECT_LE(s.next_poll, 100);
}

TEST(ScheduleTest, CapIsNeverBelowTheInterval) {
  Source s = Feed("https://a.example/feed", 7200);
  ScheduleAfterPoll(s, Status::Timeout("slow"), 0, Options(1000, 3600), 0);
  EXPECT_GE(s.next_poll, 7200 - 720);
  EXPECT_LE(s.next_poll, 7200);
}

TEST(ScheduleTest, RetryAfterIsHonouredWhenLaterThanTheBackOff) {
  Source s = Feed("https://a.example/feed", 10);
  ScheduleAfterPoll(s, Status::Unavailable("https://a.example/feed: HTTP 429 (Retry-After: 600 s)"),
                    1000, Options(), 0);
  EXPECT_EQ(s.next_poll, 1600);
  // Our own host gate's back-off counts too.
  Source t = Feed("https://b.example/feed", 10);
  ScheduleAfterPoll(t,
                    Status::Unavailable("https://b.example/feed: host backing off for 300 s more"),
                    1000, Options(), 0);
  EXPECT_EQ(t.next_poll, 1300);
  // A Retry-After beyond the cap is held to the cap.
  Source u = Feed("https://c.example/feed", 10);
  ScheduleAfterPoll(u, Status::Unavailable("x: HTTP 503 (Retry-After: 999999 s)"), 0,
                    Options(1000, 3600), 0);
  EXPECT_EQ(u.next_poll, 3600);
}

TEST(ScheduleTest, RobotsAndTdmRefusalsAreRecorded) {
  Source s = Feed("https://a.example/feed");
  ScheduleAfterPoll(
      s, Status::Refused("https://a.example/feed: disallowed by robots.txt for newsdesk"), 0,
      Options(), 0);
  EXPECT_EQ(s.access, "robots-disallowed");
  EXPECT_EQ(s.failures, 1);
  ScheduleAfterPoll(
      s,
      Status::Refused("https://a.example/feed: text-and-data mining reserved (tdm-reservation: 1)"),
      0, Options(), 0);
  EXPECT_EQ(s.access, "tdm-reserved");
  // A failure that says nothing about access keeps what was known.
  ScheduleAfterPoll(s, Status::Timeout("https://a.example/feed: timed out"), 0, Options(), 0);
  EXPECT_EQ(s.access, "tdm-reserved");
  ScheduleAfterPoll(s, Status::Ok(), 0, Options(), 0);
  EXPECT_EQ(s.access, "allowed");
}

TEST(ScheduleTest, JitterSpreadsSourcesPolledAtOneMoment) {
  // 300 feeds polled in the same second on one interval fall due at many different times.
  std::set<UnixTime> due;
  for (int i = 0; i < 300; ++i) {
    Source s = Feed("https://feeds.example/" + std::to_string(i));
    ScheduleAfterPoll(s, Status::Ok(), 0, Options(900), static_cast<std::uint64_t>(i) * 7919);
    EXPECT_GE(s.next_poll, 810);
    EXPECT_LE(s.next_poll, 900);
    due.insert(s.next_poll);
  }
  EXPECT_GE(due.size(), 50u);
  // The per-source part is stable: same source, same random number, same time.
  Source a = Feed("https://feeds.example/x");
  Source b = Feed("https://feeds.example/x");
  ScheduleAfterPoll(a, Status::Ok(), 0, Options(900), 5);
  ScheduleAfterPoll(b, Status::Ok(), 0, Options(900), 5);
  EXPECT_EQ(a.next_poll, b.next_poll);
}

}  // namespace
}  // namespace nd::app
