#include "app/schedule.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "fetch/polite.h"

namespace nd::app {
namespace {

// FNV-1a: a stable per-source number (std::hash may differ between builds).
std::uint64_t StableHash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Seconds the server or our own host gate asked us to wait, or -1: a Retry-After the curl
// fetcher reported, or the polite fetcher's "host backing off for N s more".
long AskedToWait(std::string_view message) {
  long asked = fetch::RetryAfterFromMessage(message);
  static constexpr std::string_view kGate = "backing off for ";
  if (std::size_t at = message.find(kGate); at != std::string_view::npos) {
    long value = 0;
    bool any = false;
    for (std::size_t i = at + kGate.size();
         i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
      value = std::min(value * 10 + (message[i] - '0'), 999'999'999L);
      any = true;
    }
    if (any) asked = std::max(asked, value);
  }
  return asked;
}

}  // namespace

int IntervalFor(const Source& source, const ScheduleOptions& options) {
  return std::max(1, source.interval_s > 0 ? source.interval_s : options.default_interval_s);
}

void ScheduleAfterPoll(Source& source, const Status& outcome, UnixTime now,
                       const ScheduleOptions& options, std::uint64_t random) {
  const std::int64_t interval = IntervalFor(source, options);
  std::int64_t delay = interval;
  if (outcome.ok()) {
    source.failures = 0;
    source.access = "allowed";
  } else {
    source.failures = std::min(source.failures + 1, 1000);
    const std::int64_t cap = std::max<std::int64_t>(options.max_backoff_s, interval);
    for (int i = 0; i < source.failures && delay < cap; ++i) delay *= 2;
    delay = std::min(delay, cap);
    const std::string& m = outcome.message();
    if (outcome.code() == StatusCode::kRefused) {
      if (m.find("robots.txt") != std::string::npos) {
        source.access = "robots-disallowed";
      } else if (m.find("tdm") != std::string::npos) {
        source.access = "tdm-reserved";
      }
    }
  }
  // Jitter: up to a tenth of the delay earlier, half fixed per source, half random.
  const std::int64_t spread = delay / 20;
  std::int64_t jitter = 0;
  if (spread > 0) {
    jitter =
        static_cast<std::int64_t>(StableHash(source.url) % static_cast<std::uint64_t>(spread + 1)) +
        static_cast<std::int64_t>(random % static_cast<std::uint64_t>(spread + 1));
  }
  source.next_poll = now + delay - jitter;
  if (!outcome.ok()) {
    // Honoured up to the back-off cap: the operator's bound on how long a source sleeps.
    const std::int64_t cap = std::max<std::int64_t>(options.max_backoff_s, interval);
    const std::int64_t asked = std::min<std::int64_t>(AskedToWait(outcome.message()), cap);
    if (asked > 0) source.next_poll = std::max<UnixTime>(source.next_poll, now + asked);
  }
}

}  // namespace nd::app
