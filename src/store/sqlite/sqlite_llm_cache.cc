// The LLM answer cache on SQLite (Store::GetCachedAnswer, PutCachedAnswer): table
// llm_cache, one row per request hash. A put of an existing key replaces it (the same
// request gives the same answer; the newest is kept).
#include <sqlite3.h>

#include <ctime>

#include "store/sqlite/sqlite_store.h"

namespace nd::sqlite {

Result<std::optional<std::string>> SqliteStore::GetCachedAnswer(const std::string& key) {
  auto stmt = Prepare("SELECT value FROM llm_cache WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  if (stmt->Bind(1, key).Next()) return std::optional<std::string>(stmt->Text(0));
  if (!stmt->status().ok()) return stmt->status();
  return std::optional<std::string>();
}

Status SqliteStore::PutCachedAnswer(const std::string& key, const std::string& value,
                                    std::int64_t tokens) {
  auto stmt = Prepare(
      "INSERT INTO llm_cache(key, value, tokens, created) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, tokens = excluded.tokens, "
      "created = excluded.created");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, key)
      .Bind(2, value)
      .Bind(3, tokens)
      .Bind(4, static_cast<std::int64_t>(std::time(nullptr)))
      .Run();
}

}  // namespace nd::sqlite
