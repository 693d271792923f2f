// Worker: the daemon's work (poll the sources that are due, then process what is
// pending) shared by any number of `newsdesk run` processes through leases in the
// database, with no other coordinator:
//   - each due source is leased to one worker at a time (Store::LeaseDueSource: SELECT ...
//     FOR UPDATE SKIP LOCKED on PostgreSQL); a worker that dies mid-poll leaves its lease
//     to expire, and the source, still due, is then polled by another;
//   - processing (clustering into stories, writing, relating) runs in one worker at a time
//     under the named lease "process", renewed every few seconds while it runs. One
//     clusterer at a time is what makes story assignment safe: two workers clustering at
//     once could each open a story for the same event. Clustering is cheap next to
//     fetching and extraction, which is where the workers share the load. A worker that
//     dies mid-process loses the lease when it expires; the next holder takes the pending
//     articles and rewrites the stories left half-written (Processor).
//   - each feed is polled on its own schedule (Source::next_poll, app/schedule.h): its
//     interval with jitter, exponential back-off after failures, Retry-After honoured;
//     conditional GET (ETag / Last-Modified) so an unchanged feed costs a 304.
//   - graceful stop (WorkerOptions::stop, set on SIGTERM): no new source is leased and no
//     processing starts; a feed being read stops between items and is handed back (lease
//     released, its poll state not advanced, so it is due again at once); processing that
//     already runs finishes. WorkerOptions::abort (a second signal) stops processing too,
//     between units; the next start rewrites the stories left unwritten.
//
// Thread-safety: one WorkRound at a time per Store.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "app/config.h"
#include "app/ingest.h"
#include "app/process.h"
#include "fetch/fetch.h"
#include "store/store.h"

namespace nd::app {

struct WorkerOptions {
  std::string owner;        // lease holder name; see DefaultWorkerName()
  int lease_seconds = 120;  // how long a lease outlives a worker that died
  // When set and true: stop taking work (see above). May be null.
  const std::atomic<bool>* stop = nullptr;
  // When set and true: stop processing too, at the next unit of work. May be null.
  const std::atomic<bool>* abort = nullptr;
};

// "<host>:<pid>:<random>": unique per process.
std::string DefaultWorkerName();

struct WorkStats {
  std::size_t sources_polled = 0;
  std::size_t sources_handed_back = 0;  // interrupted by a stop, left due
  IngestStats ingest;
  bool processed = false;  // this worker held the process lease and ran the processor
  ProcessStats process;
};

// One round: polls every due source this worker can lease (Store::LeaseDueSource; the
// default interval is config.poll.interval_s), then processes pending articles if the
// process lease is free. A stop ends the round early without an error.
// `report` receives error lines. Errors of the store end the round with that status.
Result<WorkStats> WorkRound(const Config& config, Store& store, fetch::Fetcher& fetcher,
                            const WorkerOptions& options,
                            const std::function<void(const std::string&)>& report);

}  // namespace nd::app
