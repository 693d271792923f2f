#include "app/worker.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "core/time.h"

namespace nd::app {
namespace {

constexpr const char* kProcessLease = "process";
// How often a running processor renews its lease: a third of the lease, at most 5 s.
std::chrono::seconds RenewEvery(int lease_seconds) {
  return std::chrono::seconds(std::clamp(lease_seconds / 3, 1, 5));
}

void Add(IngestStats& total, const IngestStats& s) {
  total.sources_ok += s.sources_ok;
  total.sources_failed += s.sources_failed;
  total.items_seen += s.items_seen;
  total.articles_stored += s.articles_stored;
  total.articles_known += s.articles_known;
  total.articles_failed += s.articles_failed;
  total.errors.insert(total.errors.end(), s.errors.begin(), s.errors.end());
  total.interrupted = total.interrupted || s.interrupted;
}

}  // namespace

std::string DefaultWorkerName() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device rd;
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd() % 100000);
}

Result<WorkStats> WorkRound(const Config& config, Store& store, fetch::Fetcher& fetcher,
                            const WorkerOptions& options,
                            const std::function<void(const std::string&)>& report) {
  WorkStats stats;
  auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };
  Ingester ingester(config, store, fetcher, report);
  ingester.set_stop(options.stop);
  while (!stopping()) {
    const UnixTime now = SystemClock().Now();
    auto source = store.LeaseDueSource(options.owner, now, options.lease_seconds,
                                       now - config.poll.interval_s);
    if (!source.ok()) return source.status();
    if (!source->has_value()) break;
    IngestStats polled = ingester.PollSource(**source);
    if (polled.interrupted) {
      ++stats.sources_handed_back;
    } else {
      ++stats.sources_polled;
    }
    Add(stats.ingest, polled);
    if (Status st = store.ReleaseSource((*source)->id, options.owner); !st.ok()) return st;
  }
  if (stopping()) return stats;  // pending articles wait for the next start

  auto held =
      store.AcquireLease(kProcessLease, options.owner, SystemClock().Now(), options.lease_seconds);
  if (!held.ok()) return held.status();
  if (!*held) return stats;  // another worker is processing
  Processor processor(config, store);
  auto last_renewal = std::chrono::steady_clock::now();
  const auto renew_every = RenewEvery(options.lease_seconds);
  processor.SetHeartbeat([&]() -> Status {
    if (options.abort != nullptr && options.abort->load()) {
      return Status::Unavailable("processing stopped by a signal; the next start finishes it");
    }
    if (std::chrono::steady_clock::now() - last_renewal < renew_every) return Status::Ok();
    auto renewed = store.AcquireLease(kProcessLease, options.owner, SystemClock().Now(),
                                      options.lease_seconds);
    if (!renewed.ok()) return renewed.status();
    if (!*renewed) {
      return Status::Unavailable("process lease lost by " + options.owner +
                                 " (it expired and another worker took it); stopping");
    }
    last_renewal = std::chrono::steady_clock::now();
    return Status::Ok();
  });
  auto processed = processor.Run();
  Status released = store.ReleaseLease(kProcessLease, options.owner);
  if (!processed.ok() && options.abort != nullptr && options.abort->load()) return stats;
  if (!processed.ok()) return processed.status();
  if (!released.ok()) return released;
  stats.processed = true;
  stats.process = *processed;
  return stats;
}

}  // namespace nd::app
