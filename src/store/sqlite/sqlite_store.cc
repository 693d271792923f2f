#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/json.h"
#include "core/url.h"
#include "store/search_text.h"
#include "text/text.h"

namespace nd::sqlite {
namespace {

#define ND_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::nd::Status nd_status_ = (expr);        \
    if (!nd_status_.ok()) return nd_status_; \
  } while (0)

// Migrations, in order: entry i brings the schema to version i + 1. Never edit an entry
// that has shipped; append a new one.
constexpr std::array<const char*, 5> kMigrations = {
    // v1: sources, articles, stories and their texts, relations and search index.
    R"sql(
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
  last_fetch INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  articles_taken INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL DEFAULT 0,
  url TEXT NOT NULL,
  url_norm TEXT NOT NULL UNIQUE,
  canonical_url TEXT NOT NULL DEFAULT '',
  canonical_norm TEXT NOT NULL DEFAULT '',
  site_name TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  byline TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  fetched INTEGER NOT NULL DEFAULT 0,
  lang TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '',
  paywalled INTEGER NOT NULL DEFAULT 0,
  content_hash TEXT NOT NULL DEFAULT '',
  blocks TEXT NOT NULL DEFAULT '[]',
  duplicate_of INTEGER NOT NULL DEFAULT 0,
  story_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_canonical_norm ON articles(canonical_norm);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_pending ON articles(story_id, duplicate_of, published);
CREATE TABLE stories (
  id INTEGER PRIMARY KEY,
  section TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
  first_published INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  first_article_id INTEGER NOT NULL DEFAULT 0,
  follows INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_newest ON stories(first_published DESC, id DESC);
CREATE INDEX stories_section_newest ON stories(section, first_published DESC, id DESC);
CREATE TABLE story_articles (
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (story_id, position)
);
CREATE INDEX story_articles_article ON story_articles(article_id);
CREATE TABLE story_texts (
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  version INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (story_id, lang, version)
);
CREATE TABLE story_related (
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  related_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  PRIMARY KEY (story_id, rank)
);
-- Search rows of a story have rowids story_id * 64 + k (k: index of the text), so a
-- story's rows are replaced through a rowid range instead of a scan. `terms` is the only
-- indexed column: text::MatchTerms output (stemmed, scripts folded), space-joined.
-- `display` is the plain text the snippet is cut from.
CREATE VIRTUAL TABLE story_search USING fts5(
  story_id UNINDEXED, lang UNINDEXED, terms, display UNINDEXED);
)sql",
    // v2: search over source articles and a dictionary of indexed English terms for
    // spelling fallback. article_search rows have rowid = article id and are added by
    // Search() for articles not yet indexed (articles are immutable once stored).
    // search_terms holds each ASCII term of 4+ letters with the number of rows it was
    // indexed in (a term from a rewritten text stays: it only widens spelling candidates).
    R"sql(
CREATE VIRTUAL TABLE article_search USING fts5(terms, display UNINDEXED);
CREATE TABLE search_terms (
  term TEXT PRIMARY KEY,
  n INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.story_search_vocab_v2 USING fts5vocab(main, story_search, row);
INSERT INTO search_terms(term, n)
  SELECT term, doc FROM temp.story_search_vocab_v2
  WHERE length(term) >= 4 AND NOT term GLOB '*[^a-z]*';
DROP TABLE temp.story_search_vocab_v2;
)sql",
    // v3: leases, so several worker processes share polling and processing (see
    // Store::LeaseDueSource and AcquireLease; sqlite_leases.cc).
    R"sql(
ALTER TABLE sources ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until INTEGER NOT NULL
);
)sql",
    // v4: answers of the LLM writer's model keyed by a SHA-256 of the request (model and
    // messages), with the tokens they cost and when they were stored.
    R"sql(
CREATE TABLE llm_cache (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // v5: per-source schedule (Source::interval_s, failures, next_poll) and what robots.txt
    // and TDM reservations said (access). Existing sources keep next_poll = 0: due now.
    R"sql(
ALTER TABLE sources ADD COLUMN interval_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN next_poll INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN access TEXT NOT NULL DEFAULT '';
CREATE INDEX sources_due ON sources(kind, next_poll, last_fetch);
)sql",
};

constexpr const char* kArticleColumns =
    "id, source_id, url, canonical_url, site_name, title, byline, description, image, "
    "published, updated, fetched, lang, section, paywalled, content_hash, blocks, "
    "duplicate_of, story_id";

constexpr const char* kStoryColumns =
    "id, section, lang, first_published, updated, first_article_id, follows, version";

// Indexed text, term lists and snippets are built the same way for every backend.
using store_text::DisplayText;
using store_text::JoinTerms;

}  // namespace

// ---------------------------------------------------------------------------------------
// Statement

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string context)
    : db_(db), stmt_(stmt), context_(std::move(context)) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      context_(std::move(other.context_)),
      status_(std::move(other.status_)) {}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::Fail(int rc) {
  if (!status_.ok()) return;
  std::string message = context_ + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    status_ = Status::Unavailable(std::move(message));
  } else if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
    status_ = Status::InvalidInput(std::move(message));
  } else {
    status_ = Status::IOError(std::move(message));
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Fail(rc);
  return *this;
}

Statement& Statement::Bind(int index, const std::string& value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Fail(rc);
  return *this;
}

bool Statement::Next() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) Fail(rc);
  return false;
}

Status Statement::Run() {
  while (Next()) {
  }
  return status_;
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// ---------------------------------------------------------------------------------------
// Transaction

Transaction::~Transaction() {
  if (active_) {
    // Best effort: the connection rolls back by itself if this fails too.
    (void)store_->Exec("ROLLBACK", "rollback");
  }
}

Status Transaction::Begin() {
  ND_RETURN_IF_ERROR(store_->Exec("BEGIN IMMEDIATE", "begin transaction"));
  active_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  ND_RETURN_IF_ERROR(store_->Exec("COMMIT", "commit"));
  active_ = false;
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// SqliteStore: connection, statements, migrations

SqliteStore::SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

SqliteStore::~SqliteStore() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path) {
  if (path.empty()) return Status::InvalidInput("SQLite database path is empty");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::IOError(path + ": cannot open SQLite database: " + reason);
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  // busy_timeout first, so that the WAL switch waits for other connections.
  for (const char* pragma : {"PRAGMA busy_timeout=10000", "PRAGMA journal_mode=WAL",
                             "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    Status s = store->Exec(pragma, "cannot open SQLite database");
    if (!s.ok()) return s;
  }
  Status s = store->Migrate();
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::Error(const std::string& what) const {
  return Status::IOError(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::Exec(const std::string& sql, const char* what) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = path_ + ": " + what + ": " + (err != nullptr ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  if ((rc & 0xFF) == SQLITE_BUSY) return Status::Unavailable(std::move(message));
  return Status::IOError(std::move(message));
}

Result<Statement> SqliteStore::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Error(std::string("cannot prepare \"") + sql + "\"");
    }
    it = statements_.emplace(sql, stmt).first;
  }
  return Statement(db_, it->second, path_);
}

Status SqliteStore::Migrate() {
  ND_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
           "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
           "cannot create schema_migrations"));
  for (size_t i = 0; i < kMigrations.size(); ++i) {
    const int version = static_cast<int>(i) + 1;
    Transaction txn(this);
    ND_RETURN_IF_ERROR(txn.Begin());
    // Checked inside the write lock: another process may have migrated meanwhile.
    auto check = Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
    if (!check.ok()) return check.status();
    check->Bind(1, version);
    bool applied = check->Next();
    ND_RETURN_IF_ERROR(check->status());
    if (applied) continue;
    ND_RETURN_IF_ERROR(
        Exec(kMigrations[i], ("migration " + std::to_string(version) + " failed").c_str()));
    auto record =
        Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES (?1, unixepoch())");
    if (!record.ok()) return record.status();
    ND_RETURN_IF_ERROR(record->Bind(1, version).Run());
    ND_RETURN_IF_ERROR(txn.Commit());
  }
  auto max = Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  if (max->Next()) schema_version_ = static_cast<int>(max->Int(0));
  ND_RETURN_IF_ERROR(max->status());
  if (schema_version_ > static_cast<int>(kMigrations.size())) {
    return Status::Unavailable(path_ + ": schema version " + std::to_string(schema_version_) +
                               " is newer than this newsdesk knows (" +
                               std::to_string(kMigrations.size()) + ")");
  }
  return Status::Ok();
}

int SqliteStore::SchemaVersion() { return schema_version_; }

Result<std::int64_t> SqliteStore::CountRows(const char* sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  std::int64_t n = 0;
  if (stmt->Next()) n = stmt->Int(0);
  ND_RETURN_IF_ERROR(stmt->status());
  return n;
}

// ---------------------------------------------------------------------------------------
// Sources

Source ReadSource(const Statement& row) {
  Source s;
  s.id = row.Int(0);
  s.url = row.Text(1);
  s.title = row.Text(2);
  s.kind = row.Text(3);
  s.section = row.Text(4);
  s.lang = row.Text(5);
  s.last_fetch = row.Int(6);
  s.last_error = row.Text(7);
  s.etag = row.Text(8);
  s.last_modified = row.Text(9);
  s.articles_taken = static_cast<int>(row.Int(10));
  s.interval_s = static_cast<int>(row.Int(11));
  s.failures = static_cast<int>(row.Int(12));
  s.next_poll = row.Int(13);
  s.access = row.Text(14);
  return s;
}

Result<std::int64_t> SqliteStore::UpsertSource(const Source& source) {
  if (source.url.empty()) return Status::InvalidInput(path_ + ": source without a URL");
  auto stmt = Prepare(
      "INSERT INTO sources(url, title, kind, section, lang, interval_s) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT(url) DO UPDATE SET title = excluded.title, kind = excluded.kind, "
      "section = excluded.section, lang = excluded.lang, interval_s = CASE WHEN "
      "excluded.interval_s > 0 THEN excluded.interval_s ELSE sources.interval_s END "
      "RETURNING id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, source.url)
      .Bind(2, source.title)
      .Bind(3, source.kind)
      .Bind(4, source.section)
      .Bind(5, source.lang)
      .Bind(6, std::max(source.interval_s, 0));
  std::int64_t id = 0;
  if (stmt->Next()) id = stmt->Int(0);
  ND_RETURN_IF_ERROR(stmt->Run());
  return id;
}

Result<std::vector<Source>> SqliteStore::ListSources() {
  static const std::string sql =
      std::string("SELECT ") + kSourceColumns + " FROM sources ORDER BY id";
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  std::vector<Source> out;
  while (stmt->Next()) out.push_back(ReadSource(*stmt));
  ND_RETURN_IF_ERROR(stmt->status());
  return out;
}

Status SqliteStore::RemoveSource(std::int64_t id) {
  auto stmt = Prepare("DELETE FROM sources WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  ND_RETURN_IF_ERROR(stmt->Bind(1, id).Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound(path_ + ": no source #" + std::to_string(id));
  }
  return Status::Ok();
}

Status SqliteStore::UpdateSourceState(const Source& source) {
  // By id when known, else by URL.
  auto stmt = Prepare(
      "UPDATE sources SET last_fetch = ?1, last_error = ?2, etag = ?3, last_modified = ?4, "
      "articles_taken = ?5, failures = ?8, next_poll = ?9, access = ?10 "
      "WHERE (?6 <> 0 AND id = ?6) OR (?6 = 0 AND url = ?7)");
  if (!stmt.ok()) return stmt.status();
  ND_RETURN_IF_ERROR(stmt->Bind(1, source.last_fetch)
                         .Bind(2, source.last_error)
                         .Bind(3, source.etag)
                         .Bind(4, source.last_modified)
                         .Bind(5, source.articles_taken)
                         .Bind(6, source.id)
                         .Bind(7, source.url)
                         .Bind(8, source.failures)
                         .Bind(9, source.next_poll)
                         .Bind(10, source.access)
                         .Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound(path_ + ": no source " +
                            (source.id != 0 ? "#" + std::to_string(source.id) : source.url));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Articles

Result<bool> SqliteStore::HasArticleUrl(const std::string& url) {
  auto stmt = Prepare("SELECT 1 FROM articles WHERE url_norm = ?1 OR canonical_norm = ?1 LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  bool found = stmt->Bind(1, NormalizeUrl(url)).Next();
  ND_RETURN_IF_ERROR(stmt->status());
  return found;
}

Result<Store::PutResult> SqliteStore::PutArticle(const Article& article) {
  if (article.url.empty()) return Status::InvalidInput(path_ + ": article without a URL");
  const std::string url_norm = NormalizeUrl(article.url);
  const std::string canonical_norm =
      NormalizeUrl(article.canonical_url.empty() ? article.url : article.canonical_url);
  std::string blocks;
  try {
    blocks = nlohmann::json(article.blocks).dump();
  } catch (const std::exception& e) {
    return Status::InvalidInput(article.url + ": cannot encode blocks: " + e.what());
  }

  Transaction txn(this);
  ND_RETURN_IF_ERROR(txn.Begin());
  {
    auto find = Prepare(
        "SELECT id FROM articles WHERE url_norm IN (?1, ?2) OR canonical_norm IN (?1, ?2) "
        "OR (?3 <> '' AND content_hash = ?3) ORDER BY id LIMIT 1");
    if (!find.ok()) return find.status();
    find->Bind(1, url_norm).Bind(2, canonical_norm).Bind(3, article.content_hash);
    if (find->Next()) return PutResult{find->Int(0), false};
    ND_RETURN_IF_ERROR(find->status());
  }
  auto insert = Prepare(
      "INSERT INTO articles(source_id, url, url_norm, canonical_url, canonical_norm, "
      "site_name, title, byline, description, image, published, updated, fetched, lang, "
      "section, paywalled, content_hash, blocks, duplicate_of, story_id) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20)");
  if (!insert.ok()) return insert.status();
  ND_RETURN_IF_ERROR(insert->Bind(1, article.source_id)
                         .Bind(2, article.url)
                         .Bind(3, url_norm)
                         .Bind(4, article.canonical_url)
                         .Bind(5, canonical_norm)
                         .Bind(6, article.site_name)
                         .Bind(7, article.title)
                         .Bind(8, article.byline)
                         .Bind(9, article.description)
                         .Bind(10, article.image)
                         .Bind(11, article.published)
                         .Bind(12, article.updated)
                         .Bind(13, article.fetched)
                         .Bind(14, article.lang)
                         .Bind(15, article.section)
                         .Bind(16, article.paywalled)
                         .Bind(17, article.content_hash)
                         .Bind(18, blocks)
                         .Bind(19, article.duplicate_of)
                         .Bind(20, article.story_id)
                         .Run());
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  ND_RETURN_IF_ERROR(txn.Commit());
  return PutResult{id, true};
}

Result<std::vector<Article>> SqliteStore::ReadArticles(Statement& stmt) {
  std::vector<Article> out;
  while (stmt.Next()) {
    Article a;
    a.id = stmt.Int(0);
    a.source_id = stmt.Int(1);
    a.url = stmt.Text(2);
    a.canonical_url = stmt.Text(3);
    a.site_name = stmt.Text(4);
    a.title = stmt.Text(5);
    a.byline = stmt.Text(6);
    a.description = stmt.Text(7);
    a.image = stmt.Text(8);
    a.published = stmt.Int(9);
    a.updated = stmt.Int(10);
    a.fetched = stmt.Int(11);
    a.lang = stmt.Text(12);
    a.section = stmt.Text(13);
    a.paywalled = stmt.Int(14) != 0;
    a.content_hash = stmt.Text(15);
    try {
      a.blocks = nlohmann::json::parse(stmt.Text(16)).get<std::vector<Block>>();
    } catch (const std::exception& e) {
      return Status::ParseError(path_ + ": article #" + std::to_string(a.id) +
                                ": stored blocks are not valid JSON: " + e.what());
    }
    a.duplicate_of = stmt.Int(17);
    a.story_id = stmt.Int(18);
    out.push_back(std::move(a));
  }
  ND_RETURN_IF_ERROR(stmt.status());
  return out;
}

Result<Article> SqliteStore::GetArticle(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kArticleColumns + " FROM articles WHERE id = ?1";
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto articles = ReadArticles(*stmt);
  if (!articles.ok()) return articles.status();
  if (articles->empty()) {
    return Status::NotFound(path_ + ": no article #" + std::to_string(id));
  }
  return std::move(articles->front());
}

Result<std::vector<Article>> SqliteStore::GetArticles(const std::vector<std::int64_t>& ids) {
  std::vector<Article> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto a = GetArticle(id);
    if (!a.ok()) return a.status();
    out.push_back(std::move(a).value());
  }
  return out;
}

Result<std::vector<Article>> SqliteStore::PendingArticles(int limit) {
  static const std::string sql = std::string("SELECT ") + kArticleColumns +
                                 " FROM articles WHERE story_id = 0 AND duplicate_of = 0 "
                                 "ORDER BY published, id LIMIT ?1";
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, limit < 0 ? std::int64_t{-1} : std::int64_t{limit});
  return ReadArticles(*stmt);
}

Result<std::vector<Article>> SqliteStore::ArticlesAfter(std::int64_t after_id, int limit) {
  static const std::string sql = std::string("SELECT ") + kArticleColumns +
                                 " FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2";
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_id).Bind(2, std::int64_t{limit});
  return ReadArticles(*stmt);
}

Status SqliteStore::AssignArticle(std::int64_t article_id, std::int64_t story_id,
                                  std::int64_t duplicate_of) {
  auto stmt = Prepare("UPDATE articles SET story_id = ?2, duplicate_of = ?3 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  ND_RETURN_IF_ERROR(stmt->Bind(1, article_id).Bind(2, story_id).Bind(3, duplicate_of).Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound(path_ + ": no article #" + std::to_string(article_id));
  }
  return Status::Ok();
}

Result<std::int64_t> SqliteStore::CountArticles() {
  return CountRows("SELECT COUNT(*) FROM articles");
}

Result<std::int64_t> SqliteStore::CountPendingArticles() {
  return CountRows("SELECT COUNT(*) FROM articles WHERE story_id = 0 AND duplicate_of = 0");
}

// ---------------------------------------------------------------------------------------
// Stories

Result<std::int64_t> SqliteStore::CreateStory() {
  auto stmt = Prepare("INSERT INTO stories DEFAULT VALUES");
  if (!stmt.ok()) return stmt.status();
  ND_RETURN_IF_ERROR(stmt->Run());
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

Status SqliteStore::SaveStory(const Story& story) {
  const std::string what = path_ + ": story #" + std::to_string(story.id);
  if (story.id <= 0) return Status::InvalidInput(what + ": not created (id 0)");
  if (story.texts.size() > static_cast<size_t>(kSearchRowsPerStory)) {
    return Status::InvalidInput(what + ": more than 64 texts");
  }
  Transaction txn(this);
  ND_RETURN_IF_ERROR(txn.Begin());

  // Texts first: the story row stores the highest version.
  int max_version = 0;
  for (const StoryText& text : story.texts) {
    nlohmann::json json;
    try {
      json = text;
    } catch (const std::exception& e) {
      return Status::InvalidInput(what + ": cannot encode text " + text.lang + ": " + e.what());
    }
    int latest = 0;
    bool same = false;
    {
      auto last = Prepare(
          "SELECT version, json FROM story_texts WHERE story_id = ?1 AND lang = ?2 "
          "ORDER BY version DESC LIMIT 1");
      if (!last.ok()) return last.status();
      last->Bind(1, story.id).Bind(2, text.lang);
      if (last->Next()) {
        latest = static_cast<int>(last->Int(0));
        // Compared as JSON values, so a change of formatting is no new version.
        same = nlohmann::json::parse(last->Text(1), nullptr, /*allow_exceptions=*/false) == json;
      }
      ND_RETURN_IF_ERROR(last->status());
    }
    if (!same) {
      auto insert =
          Prepare("INSERT INTO story_texts(story_id, lang, version, json) VALUES (?1, ?2, ?3, ?4)");
      if (!insert.ok()) return insert.status();
      ++latest;
      ND_RETURN_IF_ERROR(
          insert->Bind(1, story.id).Bind(2, text.lang).Bind(3, latest).Bind(4, json.dump()).Run());
    }
    max_version = std::max(max_version, latest);
  }

  {
    auto update = Prepare(
        "UPDATE stories SET section = ?2, lang = ?3, first_published = ?4, updated = ?5, "
        "first_article_id = ?6, follows = ?7, "
        "version = MAX(?8, (SELECT COALESCE(MAX(version), 0) FROM story_texts "
        "WHERE story_id = ?1)) WHERE id = ?1");
    if (!update.ok()) return update.status();
    ND_RETURN_IF_ERROR(update->Bind(1, story.id)
                           .Bind(2, story.section)
                           .Bind(3, story.lang)
                           .Bind(4, story.first_published)
                           .Bind(5, story.updated)
                           .Bind(6, story.first_article_id)
                           .Bind(7, story.follows)
                           .Bind(8, max_version)
                           .Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound(what + ": no such story");
  }

  {
    auto clear = Prepare("DELETE FROM story_articles WHERE story_id = ?1");
    if (!clear.ok()) return clear.status();
    ND_RETURN_IF_ERROR(clear->Bind(1, story.id).Run());
  }
  for (size_t i = 0; i < story.article_ids.size(); ++i) {
    auto insert =
        Prepare("INSERT INTO story_articles(story_id, article_id, position) VALUES (?1, ?2, ?3)");
    if (!insert.ok()) return insert.status();
    ND_RETURN_IF_ERROR(insert->Bind(1, story.id)
                           .Bind(2, story.article_ids[i])
                           .Bind(3, static_cast<std::int64_t>(i))
                           .Run());
  }

  {
    auto clear = Prepare("DELETE FROM story_related WHERE story_id = ?1");
    if (!clear.ok()) return clear.status();
    ND_RETURN_IF_ERROR(clear->Bind(1, story.id).Run());
  }
  for (size_t i = 0; i < story.related.size(); ++i) {
    auto insert =
        Prepare("INSERT INTO story_related(story_id, related_id, rank) VALUES (?1, ?2, ?3)");
    if (!insert.ok()) return insert.status();
    ND_RETURN_IF_ERROR(insert->Bind(1, story.id)
                           .Bind(2, story.related[i])
                           .Bind(3, static_cast<std::int64_t>(i))
                           .Run());
  }

  {
    auto clear = Prepare("DELETE FROM story_search WHERE rowid BETWEEN ?1 AND ?2");
    if (!clear.ok()) return clear.status();
    const std::int64_t first = story.id * kSearchRowsPerStory;
    ND_RETURN_IF_ERROR(clear->Bind(1, first).Bind(2, first + kSearchRowsPerStory - 1).Run());
  }
  for (size_t i = 0; i < story.texts.size(); ++i) {
    const StoryText& text = story.texts[i];
    const std::string display = DisplayText(text);
    const std::vector<std::string> term_list = text::MatchTerms(display, text.lang);
    ND_RETURN_IF_ERROR(RecordSearchTerms(term_list));
    const std::string terms = JoinTerms(term_list);
    auto insert = Prepare(
        "INSERT INTO story_search(rowid, story_id, lang, terms, display) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.ok()) return insert.status();
    ND_RETURN_IF_ERROR(insert->Bind(1, story.id * kSearchRowsPerStory + static_cast<int>(i))
                           .Bind(2, story.id)
                           .Bind(3, text.lang)
                           .Bind(4, terms)
                           .Bind(5, display)
                           .Run());
  }
  return txn.Commit();
}

Result<std::vector<Story>> SqliteStore::LoadStories(const std::vector<std::int64_t>& ids) {
  std::vector<Story> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto story = GetStory(id);
    if (!story.ok()) return story.status();
    if (story->has_value()) out.push_back(std::move(**story));
  }
  return out;
}

Result<std::optional<Story>> SqliteStore::GetStory(std::int64_t id) {
  Story story;
  {
    static const std::string sql =
        std::string("SELECT ") + kStoryColumns + " FROM stories WHERE id = ?1";
    auto stmt = Prepare(sql.c_str());
    if (!stmt.ok()) return stmt.status();
    if (!stmt->Bind(1, id).Next()) {
      ND_RETURN_IF_ERROR(stmt->status());
      return std::optional<Story>();
    }
    story.id = stmt->Int(0);
    story.section = stmt->Text(1);
    story.lang = stmt->Text(2);
    story.first_published = stmt->Int(3);
    story.updated = stmt->Int(4);
    story.first_article_id = stmt->Int(5);
    story.follows = stmt->Int(6);
    story.version = static_cast<int>(stmt->Int(7));
  }
  {
    auto stmt =
        Prepare("SELECT article_id FROM story_articles WHERE story_id = ?1 ORDER BY position");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    while (stmt->Next()) story.article_ids.push_back(stmt->Int(0));
    ND_RETURN_IF_ERROR(stmt->status());
  }
  {
    auto stmt = Prepare(
        "SELECT t.lang, t.json FROM story_texts t WHERE t.story_id = ?1 AND t.version = "
        "(SELECT MAX(version) FROM story_texts WHERE story_id = t.story_id AND lang = t.lang) "
        "ORDER BY t.lang");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    while (stmt->Next()) {
      try {
        story.texts.push_back(nlohmann::json::parse(stmt->Text(1)).get<StoryText>());
      } catch (const std::exception& e) {
        return Status::ParseError(path_ + ": story #" + std::to_string(id) + " text " +
                                  stmt->Text(0) + ": stored JSON is not valid: " + e.what());
      }
    }
    ND_RETURN_IF_ERROR(stmt->status());
  }
  {
    auto stmt = Prepare("SELECT related_id FROM story_related WHERE story_id = ?1 ORDER BY rank");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    while (stmt->Next()) story.related.push_back(stmt->Int(0));
    ND_RETURN_IF_ERROR(stmt->status());
  }
  return std::optional<Story>(std::move(story));
}

// The StoryListOptions filters: ?1 section, ?4 lang, ?5 since, ?6 until.
constexpr const char* kStoryListFilters =
    "(?1 = '' OR section = ?1) AND (?4 = '' OR lang = ?4 OR (?4 = 'zh' AND lang LIKE 'zh%')) "
    "AND (?5 = 0 OR first_published >= ?5) AND (?6 = 0 OR first_published < ?6)";

Result<std::vector<Story>> SqliteStore::ListStories(const StoryListOptions& options) {
  static const std::string sql = std::string("SELECT id FROM stories WHERE ") +
                                 kStoryListFilters +
                                 " ORDER BY first_published DESC, id DESC LIMIT ?2 OFFSET ?3";
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, options.section)
      .Bind(2, options.limit < 0 ? std::int64_t{-1} : std::int64_t{options.limit})
      .Bind(3, std::max(options.offset, 0))
      .Bind(4, options.lang)
      .Bind(5, options.since)
      .Bind(6, options.until);
  std::vector<std::int64_t> ids;
  while (stmt->Next()) ids.push_back(stmt->Int(0));
  ND_RETURN_IF_ERROR(stmt->status());
  return LoadStories(ids);
}

Result<std::int64_t> SqliteStore::CountListedStories(const StoryListOptions& options) {
  // ?2 and ?3 (paging) are not used here and stay unbound.
  static const std::string sql =
      std::string("SELECT COUNT(*) FROM stories WHERE ") + kStoryListFilters;
  auto stmt = Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, options.section).Bind(4, options.lang).Bind(5, options.since).Bind(6, options.until);
  const std::int64_t n = stmt->Next() ? stmt->Int(0) : 0;
  ND_RETURN_IF_ERROR(stmt->status());
  return n;
}

Result<std::vector<Story>> SqliteStore::StoriesActiveSince(UnixTime since) {
  // Membership is both the clusterer's assignment (articles.story_id) and the saved
  // member list (story_articles); either is enough.
  auto stmt = Prepare(
      "SELECT id FROM stories WHERE id IN ("
      "SELECT story_id FROM articles WHERE story_id <> 0 AND published >= ?1 "
      "UNION SELECT sa.story_id FROM story_articles sa JOIN articles a "
      "ON a.id = sa.article_id WHERE a.published >= ?1) "
      "ORDER BY first_published, id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, since);
  std::vector<std::int64_t> ids;
  while (stmt->Next()) ids.push_back(stmt->Int(0));
  ND_RETURN_IF_ERROR(stmt->status());
  return LoadStories(ids);
}

Result<std::vector<StoryTextVersion>> SqliteStore::StoryTextVersions(std::int64_t id,
                                                                     const std::string& lang,
                                                                     int limit) {
  std::vector<StoryTextVersion> out;
  if (limit <= 0) return out;
  auto stmt = Prepare(
      "SELECT version, json FROM story_texts WHERE story_id = ?1 AND lang = ?2 "
      "ORDER BY version DESC LIMIT ?3");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, lang).Bind(3, static_cast<std::int64_t>(limit));
  while (stmt->Next()) {
    StoryTextVersion v;
    v.version = static_cast<int>(stmt->Int(0));
    try {
      v.text = nlohmann::json::parse(stmt->Text(1)).get<StoryText>();
    } catch (const std::exception& e) {
      return Status::ParseError(path_ + ": story #" + std::to_string(id) + " text " + lang +
                                " version " + std::to_string(v.version) +
                                ": stored JSON is not valid: " + e.what());
    }
    out.push_back(std::move(v));
  }
  ND_RETURN_IF_ERROR(stmt->status());
  return out;
}

Result<std::int64_t> SqliteStore::CountStories() {
  return CountRows("SELECT COUNT(*) FROM stories");
}

}  // namespace nd::sqlite
