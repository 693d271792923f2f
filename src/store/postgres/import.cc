// ImportSqlite: a SQLite archive into an empty PostgreSQL database, table by table with
// COPY in one transaction (all or nothing), ids kept, sequences moved past the copied ids,
// then the search index rebuilt from the story texts through SaveStory.
#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/postgres/postgres_store.h"

namespace nd::postgres {
namespace {

// Tables copied first, in this order, so that rows referenced by foreign keys exist before
// the rows that reference them. Tables present in both databases and not listed here (a
// later migration's) follow in name order.
const std::vector<std::string> kOrderedTables = {"sources",        "articles",    "stories",
                                                 "story_articles", "story_texts", "story_related"};

// Kept per database, never copied: migration bookkeeping, leases of running processes and
// the search index, which each backend builds its own way.
const std::set<std::string> kSkippedTables = {
    "schema_migrations", "leases", "story_search", "story_terms", "article_search", "search_terms"};

// One value in COPY's text format.
void AppendCopyValue(sqlite3_stmt* stmt, int column, std::string& out) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) {
    out += "\\N";
    return;
  }
  const unsigned char* p = sqlite3_column_text(stmt, column);
  const int n = sqlite3_column_bytes(stmt, column);
  for (int i = 0; i < n; ++i) {
    const char c = static_cast<char>(p[i]);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

class SqliteReader {
 public:
  ~SqliteReader() {
    if (db_ != nullptr) sqlite3_close(db_);
  }
  Status Open(const std::string& path) {
    path_ = path;
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      return Status::IOError(path + ": cannot open: " + sqlite3_errmsg(db_));
    }
    return Status::Ok();
  }
  // The first column of every row of `sql`, as text.
  Result<std::vector<std::string>> Column(const std::string& sql, int column) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return Status::IOError(path_ + ": " + sqlite3_errmsg(db_));
    }
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* p = sqlite3_column_text(stmt, column);
      out.emplace_back(p != nullptr ? reinterpret_cast<const char*>(p) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return Status::IOError(path_ + ": " + sqlite3_errmsg(db_));
    return out;
  }
  sqlite3* db() { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// Quotes an identifier for both SQL dialects (names come from the two schemas).
std::string Quote(const std::string& name) { return "\"" + name + "\""; }

Status CopyTable(SqliteReader& from, PostgresStore& to, const std::string& table,
                 const std::vector<std::string>& columns, std::int64_t& rows_copied) {
  std::string list;
  for (const std::string& c : columns) {
    if (!list.empty()) list += ", ";
    list += Quote(c);
  }
  const std::string select = "SELECT " + list + " FROM " + Quote(table);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(from.db(), select.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(from.path() + ": " + table + ": " + sqlite3_errmsg(from.db()));
  }
  PGconn* conn = to.connection();
  const std::string copy = "COPY " + Quote(table) + " (" + list + ") FROM STDIN";
  {
    PGresult* start = PQexec(conn, copy.c_str());
    const bool copying = PQresultStatus(start) == PGRES_COPY_IN;
    std::string reason = copying ? "" : PQresultErrorMessage(start);
    PQclear(start);
    if (!copying) {
      sqlite3_finalize(stmt);
      while (!reason.empty() && reason.back() == '\n') reason.pop_back();
      return Status::IOError(to.name() + ": COPY " + table + ": " + reason);
    }
  }
  std::string buffer;
  int rc;
  Status failed;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
      if (c > 0) buffer += '\t';
      AppendCopyValue(stmt, c, buffer);
    }
    buffer += '\n';
    ++rows_copied;
    if (buffer.size() >= (1 << 20)) {
      if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        failed = Status::IOError(to.name() + ": COPY " + table + ": " + PQerrorMessage(conn));
        break;
      }
      buffer.clear();
    }
  }
  if (failed.ok() && rc != SQLITE_DONE) {
    failed = Status::IOError(from.path() + ": " + table + ": " + sqlite3_errmsg(from.db()));
  }
  sqlite3_finalize(stmt);
  if (failed.ok() && !buffer.empty() &&
      PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
    failed = Status::IOError(to.name() + ": COPY " + table + ": " + PQerrorMessage(conn));
  }
  PQputCopyEnd(conn, failed.ok() ? nullptr : "import failed");
  // Drain the results of the COPY; the first error wins.
  while (PGresult* result = PQgetResult(conn)) {
    Rows owned(result);
    if (PQresultStatus(result) != PGRES_COMMAND_OK && failed.ok()) {
      std::string reason = PQresultErrorMessage(result);
      while (!reason.empty() && reason.back() == '\n') reason.pop_back();
      failed = Status::InvalidInput(to.name() + ": COPY " + table + ": " + reason);
    }
  }
  return failed;
}

}  // namespace

Status ImportSqlite(const std::string& sqlite_path, PostgresStore& target,
                    const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  auto existing = target.CountArticles();
  if (!existing.ok()) return existing.status();
  auto stories = target.CountStories();
  if (!stories.ok()) return stories.status();
  if (*existing > 0 || *stories > 0) {
    return Status::InvalidInput(target.name() + ": already holds " + std::to_string(*existing) +
                                " articles and " + std::to_string(*stories) +
                                " stories; migrate into an empty database");
  }
  SqliteReader from;
  if (Status st = from.Open(sqlite_path); !st.ok()) return st;

  auto sqlite_tables =
      from.Column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", 0);
  if (!sqlite_tables.ok()) return sqlite_tables.status();
  auto pg_tables = target.Query(
      "SELECT table_name::text FROM information_schema.tables "
      "WHERE table_schema = current_schema() ORDER BY table_name",
      Params(), "list tables");
  if (!pg_tables.ok()) return pg_tables.status();
  std::set<std::string> in_pg;
  for (int r = 0; r < pg_tables->size(); ++r) in_pg.insert(pg_tables->Text(r, 0));
  std::vector<std::string> tables;
  for (const std::string& t : kOrderedTables) {
    if (in_pg.count(t) == 0 ||
        std::find(sqlite_tables->begin(), sqlite_tables->end(), t) == sqlite_tables->end()) {
      return Status::InvalidInput(sqlite_path + ": table " + t + " missing on one side");
    }
    tables.push_back(t);
  }
  for (const std::string& t : *sqlite_tables) {
    if (in_pg.count(t) == 0 || kSkippedTables.count(t) != 0 || t.rfind("sqlite_", 0) == 0 ||
        std::find(tables.begin(), tables.end(), t) != tables.end()) {
      continue;
    }
    tables.push_back(t);
  }

  Transaction txn(&target);
  if (Status st = txn.Begin(); !st.ok()) return st;
  for (const std::string& table : tables) {
    auto sqlite_columns = from.Column("SELECT name FROM pragma_table_info('" + table + "')", 0);
    if (!sqlite_columns.ok()) return sqlite_columns.status();
    auto pg_columns = target.Query(
        "SELECT column_name::text FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1",
        Params().Add(table), "columns of " + table);
    if (!pg_columns.ok()) return pg_columns.status();
    std::set<std::string> pg_names;
    for (int r = 0; r < pg_columns->size(); ++r) pg_names.insert(pg_columns->Text(r, 0));
    std::vector<std::string> columns;
    for (const std::string& c : *sqlite_columns) {
      if (pg_names.count(c) != 0) columns.push_back(c);
    }
    if (columns.empty()) continue;
    std::int64_t copied = 0;
    if (Status st = CopyTable(from, target, table, columns, copied); !st.ok()) return st;
    say(table + ": " + std::to_string(copied) + " rows");
  }
  // New rows get ids after the copied ones; nobody holds a lease in the new database.
  for (const char* table : {"sources", "articles", "stories"}) {
    const std::string t = table;
    if (Status st = target.Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), " +
                                    "COALESCE((SELECT MAX(id) FROM " + t + "), 0) + 1, false)",
                                "sequence of " + t);
        !st.ok()) {
      return st;
    }
  }
  if (Status st = target.Exec("UPDATE sources SET lease_owner = '', lease_until = 0", "leases");
      !st.ok()) {
    return st;
  }
  if (Status st = txn.Commit(); !st.ok()) return st;

  // The search index: SaveStory writes it (texts are unchanged, so no new versions).
  auto ids = target.Query("SELECT id FROM stories ORDER BY id", Params(), "stories");
  if (!ids.ok()) return ids.status();
  for (int r = 0; r < ids->size(); ++r) {
    auto story = target.GetStory(ids->Int(r, 0));
    if (!story.ok()) return story.status();
    if (!story->has_value()) continue;
    if (Status st = target.SaveStory(**story); !st.ok()) return st;
  }
  say("search index: " + std::to_string(ids->size()) + " stories");
  return Status::Ok();
}

}  // namespace nd::postgres
