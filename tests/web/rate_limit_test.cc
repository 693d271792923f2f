// RateLimiter: token buckets per client, loopback exempt, bounded table; route classes.

#include "web/rate_limit.h"

#include <gtest/gtest.h>

#include <string>

namespace nd::web {
namespace {

using Clock = RateLimiter::Clock;

TEST(RateLimiterTest, BurstThenRefill) {
  RateLimiter limiter(2.0, 5);
  Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("203.0.113.7", t0), 0) << i;
  int wait = limiter.Take("203.0.113.7", t0);
  EXPECT_GE(wait, 1);
  // Another client has its own bucket.
  EXPECT_EQ(limiter.Take("198.51.100.1", t0), 0);
  // Half a second later one token (2/s) is back.
  EXPECT_EQ(limiter.Take("203.0.113.7", t0 + std::chrono::milliseconds(500)), 0);
  EXPECT_GE(limiter.Take("203.0.113.7", t0 + std::chrono::milliseconds(500)), 1);
}

TEST(RateLimiterTest, LoopbackIsNotLimited) {
  RateLimiter limiter(0.0, 1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.Take("127.0.0.1"), 0);
    EXPECT_EQ(limiter.Take("::1"), 0);
    EXPECT_EQ(limiter.Take("::ffff:127.0.0.9"), 0);
  }
  EXPECT_EQ(limiter.Take("2001:db8::1"), 0);
  EXPECT_GE(limiter.Take("2001:db8::1"), 1);
}

TEST(RateLimiterTest, TableIsBounded) {
  RateLimiter limiter(1.0, 2, 100);
  Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 1000; ++i)
    limiter.Take("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0);
  EXPECT_LE(limiter.clients(), 100u);
}

TEST(RateLimitClassTest, Routes) {
  EXPECT_EQ(RateLimitClass("/search?q=x"), "search");
  EXPECT_EQ(RateLimitClass("/api/v1/search?q=x"), "search");
  EXPECT_EQ(RateLimitClass("/api/v1/stories"), "api");
  EXPECT_EQ(RateLimitClass("/story/3"), "");
  EXPECT_EQ(RateLimitClass("/"), "");
}

}  // namespace
}  // namespace nd::web
