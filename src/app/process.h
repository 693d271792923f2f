// Process: stored articles -> stories. Takes the articles not yet clustered, in time
// order: folds near-duplicate wire copies into the story of the report they copy, assigns
// the rest to stories with the online clusterer (resumed from the stories active in the
// clustering window), writes the text of every story that changed in each site language,
// and recomputes related stories.
//
// Stories whose assigned members were never written (a processor stopped half-way) are
// written again on the next run.
//
// Thread-safety: one Processor per thread; two processes must not process one store at
// once: `run` workers take the "process" lease first (app/worker.h) and renew it through
// the heartbeat.
#pragma once

#include <cstddef>
#include <functional>

#include "app/config.h"
#include "core/status.h"
#include "store/store.h"

namespace nd::app {

struct ProcessStats {
  std::size_t articles = 0;
  std::size_t duplicates = 0;
  std::size_t stories_created = 0;
  std::size_t stories_written = 0;
};

class Processor {
 public:
  Processor(const Config& config, Store& store);
  Result<ProcessStats> Run();

  // Called between units of work (an article clustered, a story written); an error stops
  // Run with that error (e.g. the process lease was lost).
  void SetHeartbeat(std::function<Status()> heartbeat) { heartbeat_ = std::move(heartbeat); }

 private:
  std::function<Status()> heartbeat_;
  const Config& config_;
  Store& store_;
};

}  // namespace nd::app
