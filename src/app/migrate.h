// migrate: `newsdesk migrate --from FILE.db --to postgresql://...` moves a SQLite archive
// into an empty PostgreSQL database (ids, every story text version and poll state kept;
// the search index rebuilt). See nd::MigrateStore.
//
// Thread-safety: a plain function.
#pragma once

#include <ostream>
#include <string>

#include "core/status.h"

namespace nd::app {

// Runs the move, printing one progress line per table to `log`.
Status MigrateArchive(const std::string& from, const std::string& to, std::ostream& log);

}  // namespace nd::app
