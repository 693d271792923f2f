#include "web/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace nd::web {

RateLimiter::RateLimiter(double rate_per_s, double burst, std::size_t max_clients)
    : rate_(rate_per_s), burst_(std::max(1.0, burst)), max_clients_(max_clients) {}

int RateLimiter::Take(std::string_view client, Clock::time_point now) {
  if (IsLoopbackClient(client)) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) Prune(now);
    it = buckets_.emplace(std::string(client), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double wait = rate_ > 0 ? (1.0 - b.tokens) / rate_ : 3600.0;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

std::size_t RateLimiter::clients() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

void RateLimiter::Prune(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double elapsed = std::chrono::duration<double>(now - it->second.last).count();
    if (it->second.tokens + elapsed * rate_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  // Everyone is busy: forget the table rather than grow without bound.
  if (buckets_.size() >= max_clients_) buckets_.clear();
}

bool IsLoopbackClient(std::string_view a) {
  if (a.starts_with("::ffff:")) a.remove_prefix(7);
  return a.starts_with("127.") || a == "::1";
}

std::string_view RateLimitClass(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/search" || path.starts_with("/search/") || path == "/api/v1/search") {
    return "search";
  }
  if (path.starts_with("/api/")) return "api";
  return "";
}

}  // namespace nd::web
