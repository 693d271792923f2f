// Store::Open: picks the backend from the form of the database name.
#include "store/store.h"

#include <string>
#include <string_view>

#include "store/sqlite/sqlite_store.h"

namespace nd {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsPostgresUrl(std::string_view db) {
  return StartsWith(db, "postgresql://") || StartsWith(db, "postgres://");
}

// The URL with any password replaced by "***", so that errors and logs do not carry it.
std::string RedactPassword(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t authority = scheme_end + 3;
  const size_t at = url.find('@', authority);
  const size_t slash = url.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& db) {
  if (IsPostgresUrl(db)) {
    return Status::Unavailable("PostgreSQL backend is not built in this version: " +
                               RedactPassword(db));
  }
  // Anything else names a SQLite file.
  return sqlite::SqliteStore::Open(db);
}

}  // namespace nd
