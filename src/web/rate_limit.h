// web/rate_limit: per-client token buckets for the expensive routes (search, the API).
//
// Each client address gets a bucket of `burst` tokens refilled at `rate_per_s`; a request
// takes one token or is refused with the seconds until the next token (for Retry-After).
// Loopback clients are not limited (benchmarks, health checks, a local reverse proxy).
// The table is bounded: when it grows past `max_clients`, full buckets are dropped.
//
// Thread-safety: RateLimiter is thread-safe (one mutex).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nd::web {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double rate_per_s, double burst, std::size_t max_clients = 100'000);

  // 0 when the request may proceed; otherwise the whole seconds to wait (>= 1).
  int Take(std::string_view client, Clock::time_point now = Clock::now());

  std::size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last{};
  };
  void Prune(Clock::time_point now);

  const double rate_;
  const double burst_;
  const std::size_t max_clients_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Whether `address` ("127.0.0.1", "::1", "::ffff:127.0.0.5") is a loopback address.
bool IsLoopbackClient(std::string_view address);

// Which limiter class a request target falls in: "search", "api" or "" (not limited).
std::string_view RateLimitClass(std::string_view target);

}  // namespace nd::web
