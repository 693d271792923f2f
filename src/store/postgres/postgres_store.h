// The PostgreSQL backend of nd::Store (private to the store stage), through libpq: one
// connection per PostgresStore, versioned migrations applied under an advisory lock (so
// several processes may open a new database at once), prepared statements cached per
// connection, and search over our own terms (text::MatchTerms) kept in a terms table with
// BM25 ranking computed in SQL, never PostgreSQL's text parser, so Chinese, script folding
// and stemming behave exactly as on SQLite.
//
// Concurrency between processes: every write is one transaction; PutArticle takes
// transaction-level advisory locks on its dedup keys (normalised URLs, content hash), so
// two workers storing the same report at once store it once; sources are leased to one
// poller at a time with SELECT ... FOR UPDATE SKIP LOCKED and an expiry time.
//
// Thread-safety: one PostgresStore is one connection; use it from one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace nd::postgres {

// Query parameters, sent as text (libpq converts them to the column types).
class Params {
 public:
  Params& Add(std::int64_t value);
  Params& Add(int value) { return Add(static_cast<std::int64_t>(value)); }
  Params& Add(bool value) { return Add(static_cast<std::int64_t>(value ? 1 : 0)); }
  Params& Add(const std::string& value);
  Params& Add(const char* value) { return Add(std::string(value)); }
  Params& AddNull();

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

// A query result (owns the PGresult). Rows and columns are 0-based.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  bool empty() const { return size() == 0; }
  std::int64_t Int(int row, int column) const;
  double Double(int row, int column) const;
  std::string Text(int row, int column) const;
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  // Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  std::int64_t Affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgresql://...) and applies pending migrations.
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  ~PostgresStore() override;

  int SchemaVersion() override;

  Result<std::int64_t> UpsertSource(const Source& source) override;
  Result<std::vector<Source>> ListSources() override;
  Status RemoveSource(std::int64_t id) override;
  Result<std::optional<std::string>> GetCachedAnswer(const std::string& key) override;
  Status PutCachedAnswer(const std::string& key, const std::string& value,
                         std::int64_t tokens) override;
  Status UpdateSourceState(const Source& source) override;

  Result<bool> HasArticleUrl(const std::string& url) override;
  Result<PutResult> PutArticle(const Article& article) override;
  Result<Article> GetArticle(std::int64_t id) override;
  Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>& ids) override;
  Result<std::vector<Article>> PendingArticles(int limit) override;
  Status AssignArticle(std::int64_t article_id, std::int64_t story_id,
                       std::int64_t duplicate_of) override;
  Result<std::int64_t> CountArticles() override;
  Result<std::int64_t> CountPendingArticles() override;

  Result<std::int64_t> CreateStory() override;
  Status SaveStory(const Story& story) override;
  Result<std::optional<Story>> GetStory(std::int64_t id) override;
  Result<std::vector<Story>> ListStories(const StoryListOptions& options) override;
  Result<std::int64_t> CountListedStories(const StoryListOptions& options) override;
  Result<std::vector<Story>> StoriesActiveSince(UnixTime since) override;
  Result<std::int64_t> CountStories() override;
  Result<std::vector<StoryTextVersion>> StoryTextVersions(std::int64_t id, const std::string& lang,
                                                          int limit) override;

  using Store::Search;
  Result<std::vector<SearchHit>> Search(const std::string& query, int limit) override;
  Result<std::vector<SearchHit>> Search(const SearchOptions& options) override;

  Result<std::optional<Source>> LeaseDueSource(const std::string& owner, UnixTime now,
                                               int lease_seconds, UnixTime due_before) override;
  Status ReleaseSource(std::int64_t source_id, const std::string& owner) override;
  Result<bool> AcquireLease(const std::string& name, const std::string& owner, UnixTime now,
                            int lease_seconds) override;
  Status ReleaseLease(const std::string& name, const std::string& owner) override;
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> UnsavedStoryMembers() override;

  // Runs SQL text without parameters (several statements allowed): migrations, BEGIN,
  // COMMIT. Public for the SQLite import (store/postgres/import.cc).
  Status Exec(const std::string& sql, const std::string& what);
  // Runs a cached prepared statement with parameters.
  Result<Rows> Query(const char* sql, const Params& params, const std::string& what);
  PGconn* connection() { return conn_; }
  const std::string& name() const { return name_; }

 private:
  PostgresStore(PGconn* conn, std::string name);

  Status Migrate();
  Status ErrorFrom(const PGresult* result, const std::string& what) const;
  Result<std::vector<Article>> ReadArticles(const Rows& rows);
  Result<std::vector<Story>> LoadStories(const std::vector<std::int64_t>& ids);
  Result<std::int64_t> CountRows(const char* sql);
  // Search helpers (postgres_search.cc).
  // Adds the English terms of 4+ letters to the spelling dictionary (search_terms).
  Status RecordSearchTerms(const std::vector<std::string>& terms);
  // Indexes the stored articles not indexed yet (articles.search_indexed).
  Status IndexNewArticles();
  // The distinct terms plus, for an English term found nowhere, its closest spelling.
  Result<std::vector<std::string>> ExpandSpelling(const std::vector<std::string>& terms);
  Result<std::vector<SearchHit>> RankStories(const std::vector<std::string>& terms,
                                             const SearchOptions& options, int want);
  Result<std::vector<SearchHit>> RankArticles(const std::vector<std::string>& terms,
                                              const SearchOptions& options, int want);

  PGconn* conn_;
  std::string name_;  // the URL without its password, for messages
  std::unordered_map<std::string, std::string> statements_;  // SQL -> prepared name
  int schema_version_ = 0;
};

// A transaction on a PostgresStore: Begin(), Commit(); destroying an uncommitted one rolls
// it back, so an early error return leaves nothing half-written.
class Transaction {
 public:
  explicit Transaction(PostgresStore* store) : store_(store) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();

 private:
  PostgresStore* store_;
  bool active_ = false;
};

// Copies a SQLite archive into an empty PostgreSQL database, ids kept (see
// nd::MigrateStore in store.h).
Status ImportSqlite(const std::string& sqlite_path, PostgresStore& target,
                    const std::function<void(const std::string&)>& progress);

// The URL with any password replaced by "***".
std::string RedactPassword(const std::string& url);

}  // namespace nd::postgres
