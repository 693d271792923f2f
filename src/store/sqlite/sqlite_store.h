// The SQLite backend of nd::Store (private to the store stage): one database file in WAL
// mode, versioned migrations, prepared statements cached per connection, and an FTS5
// index over the story texts for search.
//
// Thread-safety: one SqliteStore is one connection; use it from one thread at a time.
// Several connections (threads or processes) may share the file: writers take the lock
// with BEGIN IMMEDIATE and wait up to the busy timeout (10 s).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace nd::sqlite {

// A prepared statement borrowed from the connection's cache. Binds are 1-based, columns
// 0-based (as in the sqlite3 API). Resets itself and clears its bindings when it goes out of
// scope, so the cached statement can be reused.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string context);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, const std::string& value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string(value)); }

  // Steps once. True when a row is ready; false when done or on error (see status()).
  bool Next();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // OK, or the first error met while binding or stepping.
  const Status& status() const { return status_; }

  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;

 private:
  void Fail(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string context_;  // "<db path>: <what>" for error messages
  Status status_;
};

// The sources columns that source queries select, in the order ReadSource reads them.
inline constexpr const char* kSourceColumns =
    "id, url, title, kind, section, lang, last_fetch, last_error, etag, last_modified, "
    "articles_taken, interval_s, failures, next_poll, access";
// The Source in the current row of a statement that selected kSourceColumns first.
Source ReadSource(const Statement& row);

class SqliteStore final : public Store {
 public:
  // Opens or creates the database file at `path` and applies pending migrations.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~SqliteStore() override;

  int SchemaVersion() override;

  Result<std::int64_t> UpsertSource(const Source& source) override;
  Result<std::vector<Source>> ListSources() override;
  Status RemoveSource(std::int64_t id) override;
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

  Result<std::vector<SearchHit>> Search(const std::string& query, int limit) override;
  Result<std::vector<SearchHit>> Search(const SearchOptions& options) override;

  // Leases (sqlite_leases.cc): every claim is one IMMEDIATE transaction, so processes
  // sharing the file take turns.
  Result<std::optional<Source>> LeaseDueSource(const std::string& owner, UnixTime now,
                                               int lease_seconds, UnixTime due_before) override;
  Status ReleaseSource(std::int64_t source_id, const std::string& owner) override;
  Result<bool> AcquireLease(const std::string& name, const std::string& owner, UnixTime now,
                            int lease_seconds) override;
  Status ReleaseLease(const std::string& name, const std::string& owner) override;
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> UnsavedStoryMembers() override;

  // LLM answer cache (sqlite_llm_cache.cc): table llm_cache (migration v4).
  Result<std::optional<std::string>> GetCachedAnswer(const std::string& key) override;
  Status PutCachedAnswer(const std::string& key, const std::string& value,
                         std::int64_t tokens) override;

 private:
  friend class Transaction;

  SqliteStore(sqlite3* db, std::string path);

  // story_search rows of story s have rowids s * 64 + k (k: index of the text).
  static constexpr std::int64_t kSearchRowsPerStory = 64;

  // The cached prepared statement for `sql` (prepared on first use).
  Result<Statement> Prepare(const char* sql);
  // Runs SQL text without results (PRAGMAs, migrations, BEGIN/COMMIT).
  Status Exec(const std::string& sql, const char* what);
  Status Error(const std::string& what) const;
  Status Migrate();

  Result<std::vector<Article>> ReadArticles(Statement& stmt);
  Result<std::vector<Story>> LoadStories(const std::vector<std::int64_t>& ids);
  Result<std::int64_t> CountRows(const char* sql);
  // Up to `limit` stored articles with ids above `after_id`, in id order.
  Result<std::vector<Article>> ArticlesAfter(std::int64_t after_id, int limit);
  // Search helpers (sqlite_search.cc).
  // Adds the ASCII terms of 4+ letters to the spelling dictionary (search_terms).
  Status RecordSearchTerms(const std::vector<std::string>& terms);
  // The terms without those in most rows, unless that leaves none. Sets `min_rowid` to the
  // first story_search row to rank first when the kept terms are in more than `rank_rows`
  // rows (a span of the newest stories expected to hold that many), else 0.
  Result<std::vector<std::string>> DropCommonTerms(const std::vector<std::string>& terms,
                                                   double rank_rows, std::int64_t* min_rowid);
  // Indexes stored articles that article_search does not hold yet (incremental).
  Status IndexNewArticles();
  // Query terms plus, for an English term found nowhere, its closest indexed spellings.
  Result<std::vector<std::string>> ExpandSpelling(const std::vector<std::string>& terms);
  // Ranks story_search rows from `min_rowid` on (0: all), and all rows when those give
  // fewer than `want` stories.
  Result<std::vector<SearchHit>> SearchStories(const SearchOptions& options, const std::string& fts,
                                               int want, std::int64_t min_rowid);
  Result<std::vector<SearchHit>> SearchArticles(const SearchOptions& options,
                                                const std::string& fts, int want);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  int schema_version_ = 0;
};

// An IMMEDIATE transaction: Begin() takes the write lock, Commit() ends it; destroying an
// uncommitted transaction rolls it back, so an early error return leaves nothing half-written.
class Transaction {
 public:
  explicit Transaction(SqliteStore* store) : store_(store) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();

 private:
  SqliteStore* store_;
  bool active_ = false;
};

}  // namespace nd::sqlite
