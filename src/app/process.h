// Process: stored articles -> stories. Takes the articles not yet clustered, in time
// order: folds near-duplicate wire copies into the story of the report they copy, assigns
// the rest to stories with the online clusterer (resumed from the stories active in the
// clustering window), writes the text of every story that changed in each site language,
// and recomputes related stories.
//
// Thread-safety: one Processor per thread; two processes must not process one store at
// once (the PostgreSQL issue adds leases).
#pragma once

#include <cstddef>

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

 private:
  const Config& config_;
  Store& store_;
};

}  // namespace nd::app
