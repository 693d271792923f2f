// Leases on SQLite (Store::LeaseDueSource, AcquireLease, ...): each claim is one IMMEDIATE
// transaction, which holds the database's write lock, so processes sharing the file claim
// one after the other and never both get the same source or lease.
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"

namespace nd::sqlite {

#define ND_LEASE_RETURN_IF_ERROR(expr)       \
  do {                                       \
    ::nd::Status nd_status_ = (expr);        \
    if (!nd_status_.ok()) return nd_status_; \
  } while (0)

Result<std::optional<Source>> SqliteStore::LeaseDueSource(const std::string& owner, UnixTime now,
                                                          int lease_seconds, UnixTime due_before) {
  Transaction txn(this);
  ND_LEASE_RETURN_IF_ERROR(txn.Begin());
  Source s;
  {
    // Due: see Store::LeaseDueSource.
    static const std::string sql =
        std::string("SELECT ") + kSourceColumns +
        " FROM sources WHERE kind = 'feed' AND lease_until < ?1 AND ((next_poll <> 0 AND "
        "next_poll <= ?1) OR (last_fetch <= ?2 AND (next_poll = 0 OR (failures = 0 AND "
        "interval_s = 0)))) "
        "ORDER BY next_poll, last_fetch, id LIMIT 1";
    auto stmt = Prepare(sql.c_str());
    if (!stmt.ok()) return stmt.status();
    if (!stmt->Bind(1, now).Bind(2, due_before).Next()) {
      ND_LEASE_RETURN_IF_ERROR(stmt->status());
      ND_LEASE_RETURN_IF_ERROR(txn.Commit());
      return std::optional<Source>();
    }
    s = ReadSource(*stmt);
  }
  {
    auto stmt = Prepare("UPDATE sources SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1");
    if (!stmt.ok()) return stmt.status();
    ND_LEASE_RETURN_IF_ERROR(stmt->Bind(1, s.id).Bind(2, owner).Bind(3, now + lease_seconds).Run());
  }
  ND_LEASE_RETURN_IF_ERROR(txn.Commit());
  return std::optional<Source>(std::move(s));
}

Status SqliteStore::ReleaseSource(std::int64_t source_id, const std::string& owner) {
  auto stmt = Prepare(
      "UPDATE sources SET lease_owner = '', lease_until = 0 WHERE id = ?1 AND lease_owner = ?2");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, source_id).Bind(2, owner).Run();
}

Result<bool> SqliteStore::AcquireLease(const std::string& name, const std::string& owner,
                                       UnixTime now, int lease_seconds) {
  auto stmt = Prepare(
      "INSERT INTO leases(name, owner, until) VALUES (?1, ?2, ?3 + ?4) "
      "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
      "WHERE leases.owner = excluded.owner OR leases.until < ?3 RETURNING owner");
  if (!stmt.ok()) return stmt.status();
  const bool held = stmt->Bind(1, name).Bind(2, owner).Bind(3, now).Bind(4, lease_seconds).Next();
  ND_LEASE_RETURN_IF_ERROR(stmt->Run());
  return held;
}

Status SqliteStore::ReleaseLease(const std::string& name, const std::string& owner) {
  auto stmt = Prepare("DELETE FROM leases WHERE name = ?1 AND owner = ?2");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, name).Bind(2, owner).Run();
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SqliteStore::UnsavedStoryMembers() {
  auto stmt = Prepare(
      "SELECT a.story_id, a.id FROM articles a WHERE a.story_id <> 0 AND NOT EXISTS ("
      "SELECT 1 FROM story_articles sa WHERE sa.story_id = a.story_id "
      "AND sa.article_id = a.id) ORDER BY a.story_id, a.id");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (stmt->Next()) out.emplace_back(stmt->Int(0), stmt->Int(1));
  ND_LEASE_RETURN_IF_ERROR(stmt->status());
  return out;
}

}  // namespace nd::sqlite
