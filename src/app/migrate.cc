#include "app/migrate.h"

#include "store/store.h"

namespace nd::app {

Status MigrateArchive(const std::string& from, const std::string& to, std::ostream& log) {
  return MigrateStore(from, to,
                      [&](const std::string& line) { log << "migrate: " << line << "\n"; });
}

}  // namespace nd::app
