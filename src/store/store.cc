// Store::Open: picks the backend from the form of the database name.
#include "store/store.h"

#include <functional>
#include <string>
#include <string_view>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace nd {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsPostgresUrl(std::string_view db) {
  return StartsWith(db, "postgresql://") || StartsWith(db, "postgres://");
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& db) {
  if (IsPostgresUrl(db)) return postgres::PostgresStore::Open(db);
  // Anything else names a SQLite file.
  return sqlite::SqliteStore::Open(db);
}


Status MigrateStore(const std::string& from, const std::string& to,
                    const std::function<void(const std::string&)>& progress) {
  if (IsPostgresUrl(from) || !IsPostgresUrl(to)) {
    return Status::InvalidInput("migrate: --from must be a SQLite file and --to a "
                                "postgresql:// URL (got " + postgres::RedactPassword(from) +
                                " -> " + postgres::RedactPassword(to) + ")");
  }
  // Opening the source migrates it to the current schema first.
  {
    auto source = sqlite::SqliteStore::Open(from);
    if (!source.ok()) return source.status();
  }
  auto target = postgres::PostgresStore::Open(to);
  if (!target.ok()) return target.status();
  return postgres::ImportSqlite(from, static_cast<postgres::PostgresStore&>(**target), progress);
}

}  // namespace nd
