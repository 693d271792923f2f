// Schedule: when `newsdesk run` polls a feed source next, from the outcome of its last poll.
//
//   - A poll that worked (a 304 Not Modified included) resets the failure count and the
//     source is due again one interval later (Source::interval_s, else [poll] interval_s).
//   - A failed poll counts one more consecutive failure and backs off exponentially:
//     min(interval * 2^failures, cap), the cap being [poll] max_backoff_s (at least the
//     interval itself). A Retry-After the server sent (429/503) is honoured when later.
//   - Jitter: the delay is shortened by up to a tenth, part fixed per source (a hash of its
//     URL: sources added together keep distinct phases) and part random (no lock-step
//     between workers), so hundreds of feeds on one interval do not all fall due at once.
//     Jitter only ever brings a poll forward, never past the interval: a source on the
//     default interval is never polled later than the interval says.
//   - access records what robots.txt / TDM reservations said about the feed URL.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/types.h"

namespace nd::app {

struct ScheduleOptions {
  int default_interval_s = 900;  // [poll] interval_s
  int max_backoff_s = 86400;     // [poll] max_backoff_s
};

// The interval that applies to `source`, in seconds (at least 1).
int IntervalFor(const Source& source, const ScheduleOptions& options);

// Updates source.failures, source.next_poll and source.access after a poll that ended at
// `now` with `outcome` (Ok for a poll that worked). `random` is any random number (tests
// pass fixed ones).
void ScheduleAfterPoll(Source& source, const Status& outcome, UnixTime now,
                       const ScheduleOptions& options, std::uint64_t random);

}  // namespace nd::app
