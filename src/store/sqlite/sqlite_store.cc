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
constexpr std::array<const char*, 4> kMigrations = {
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
};

constexpr std::int64_t kSearchRowsPerStory = 64;

constexpr const char* kArticleColumns =
    "id, source_id, url, canonical_url, site_name, title, byline, description, image, "
    "published, updated, fetched, lang, section, paywalled, content_hash, blocks, "
    "duplicate_of, story_id";

constexpr const char* kStoryColumns =
    "id, section, lang, first_published, updated, first_article_id, follows, version";

// Indexed text, term lists and snippets are built the same way for every backend.
using store_text::DisplayText;
using store_text::JoinTerms;
using store_text::MakeSnippet;

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

// Moves `pos` back to the start of the UTF-8 sequence it is in.
size_t Utf8Start(std::string_view s, size_t pos) {
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An FTS5 query matching any of the terms: "t1" OR "t2" ... (quotes doubled inside).
std::string FtsQuery(const std::vector<std::string>& terms) {
  std::string out;
  std::unordered_set<std::string> seen;
  for (const std::string& t : terms) {
    if (t.empty() || !seen.insert(t).second) continue;
    if (!out.empty()) out += " OR ";
    out += '"';
    for (char c : t) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

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

Result<std::int64_t> SqliteStore::UpsertSource(const Source& source) {
  if (source.url.empty()) return Status::InvalidInput(path_ + ": source without a URL");
  auto stmt = Prepare(
      "INSERT INTO sources(url, title, kind, section, lang) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(url) DO UPDATE SET title = excluded.title, kind = excluded.kind, "
      "section = excluded.section, lang = excluded.lang RETURNING id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, source.url)
      .Bind(2, source.title)
      .Bind(3, source.kind)
      .Bind(4, source.section)
      .Bind(5, source.lang);
  std::int64_t id = 0;
  if (stmt->Next()) id = stmt->Int(0);
  ND_RETURN_IF_ERROR(stmt->Run());
  return id;
}

Result<std::vector<Source>> SqliteStore::ListSources() {
  auto stmt = Prepare(
      "SELECT id, url, title, kind, section, lang, last_fetch, last_error, etag, "
      "last_modified, articles_taken FROM sources ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  std::vector<Source> out;
  while (stmt->Next()) {
    Source s;
    s.id = stmt->Int(0);
    s.url = stmt->Text(1);
    s.title = stmt->Text(2);
    s.kind = stmt->Text(3);
    s.section = stmt->Text(4);
    s.lang = stmt->Text(5);
    s.last_fetch = stmt->Int(6);
    s.last_error = stmt->Text(7);
    s.etag = stmt->Text(8);
    s.last_modified = stmt->Text(9);
    s.articles_taken = static_cast<int>(stmt->Int(10));
    out.push_back(std::move(s));
  }
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
      "articles_taken = ?5 WHERE (?6 <> 0 AND id = ?6) OR (?6 = 0 AND url = ?7)");
  if (!stmt.ok()) return stmt.status();
  ND_RETURN_IF_ERROR(stmt->Bind(1, source.last_fetch)
                         .Bind(2, source.last_error)
                         .Bind(3, source.etag)
                         .Bind(4, source.last_modified)
                         .Bind(5, source.articles_taken)
                         .Bind(6, source.id)
                         .Bind(7, source.url)
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

Result<std::vector<Story>> SqliteStore::ListStories(const StoryListOptions& options) {
  auto stmt = Prepare(
      "SELECT id FROM stories WHERE (?1 = '' OR section = ?1) "
      "ORDER BY first_published DESC, id DESC LIMIT ?2 OFFSET ?3");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, options.section)
      .Bind(2, options.limit < 0 ? std::int64_t{-1} : std::int64_t{options.limit})
      .Bind(3, std::max(options.offset, 0));
  std::vector<std::int64_t> ids;
  while (stmt->Next()) ids.push_back(stmt->Int(0));
  ND_RETURN_IF_ERROR(stmt->status());
  return LoadStories(ids);
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

// ---------------------------------------------------------------------------------------
// Search

Result<std::vector<SearchHit>> SqliteStore::Search(const std::string& query, int limit) {
  std::vector<SearchHit> hits;
  if (limit <= 0) return hits;
  const std::string fts = FtsQuery(text::MatchTerms(query, text::DetectLanguage(query)));
  if (fts.empty()) return hits;
  // Rows come best first (bm25 is lower for better matches); a story's best row wins.
  auto stmt = Prepare(
      "SELECT story_id, bm25(story_search) AS score, display FROM story_search "
      "WHERE story_search MATCH ?1 ORDER BY score");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, fts);
  std::unordered_set<std::int64_t> seen;
  while (static_cast<int>(hits.size()) < limit && stmt->Next()) {
    const std::int64_t story_id = stmt->Int(0);
    if (!seen.insert(story_id).second) continue;
    SearchHit hit;
    hit.story_id = story_id;
    hit.score = -stmt->Double(1);
    hit.snippet = MakeSnippet(stmt->Text(2), query);
    hits.push_back(std::move(hit));
  }
  if (!stmt->status().ok()) {
    return Status::InvalidInput("search \"" + query + "\": " + stmt->status().message());
  }
  return hits;
}

// --- Search with options: filters, stories and articles, highlights, spelling ------------

namespace {

constexpr size_t kSnippetBytes = 240;
constexpr size_t kArticleDisplayBytes = 16 * 1024;
constexpr int kArticleIndexBatch = 256;

// An English term the spelling dictionary keeps: ASCII letters only, 4 or more.
bool IsSpellingTerm(std::string_view t) {
  if (t.size() < 4) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Optimal string alignment distance (edits: insert, delete, substitute, swap two
// neighbours), or max + 1 when it is larger than `max`.
int EditDistance(std::string_view a, std::string_view b, int max) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = max + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
  }
  return std::min(d[n][m], max + 1);
}

// The UTF-8 characters of `s`.
std::vector<std::string> Utf8Chars(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

// Decides whether a word of a text is one the query matched: its match terms meet the
// query's. Cheap filters first (shared ASCII prefix, a shared Han character in either
// script) so a snippet costs few text::MatchTerms calls.
class QueryMatcher {
 public:
  explicit QueryMatcher(const std::vector<std::string>& terms) {
    for (const std::string& t : terms) {
      if (t.empty() || !terms_.insert(t).second) continue;
      if (IsAscii(t)) {
        prefixes_.insert(t.substr(0, 3));
      } else {
        for (const std::string& c : Utf8Chars(t)) chars_.insert(c);
        for (const std::string& c : Utf8Chars(text::ToTraditional(t))) chars_.insert(c);
      }
    }
  }

  bool Matches(std::string_view word) const {
    if (word.empty()) return false;
    bool candidate = false;
    std::string lang = "en";
    if (IsAscii(word)) {
      const std::string lower = AsciiLower(word.substr(0, 3));
      candidate = prefixes_.contains(lower);
      if (!candidate) {
        // Short query terms ("us") are prefixes of longer words' prefixes.
        for (const std::string& p : prefixes_) {
          if (p.size() < 3 && lower.starts_with(p)) candidate = true;
        }
      }
    } else {
      lang = "zh-Hans";
      for (const std::string& c : Utf8Chars(word)) {
        if (chars_.contains(c)) {
          candidate = true;
          break;
        }
      }
    }
    if (!candidate) return false;
    for (const std::string& t : text::MatchTerms(word, lang)) {
      if (terms_.contains(t)) return true;
    }
    return false;
  }

 private:
  std::unordered_set<std::string> terms_;
  std::unordered_set<std::string> prefixes_;
  std::unordered_set<std::string> chars_;
};

struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// Byte ranges in `line` of the query's words (text::Words returns them in order).
std::vector<Span> MatchedSpans(std::string_view line, const QueryMatcher& matcher) {
  std::vector<Span> out;
  size_t pos = 0;
  for (const std::string& w : text::Words(line)) {
    const size_t at = line.find(w, pos);
    if (at == std::string_view::npos) continue;
    pos = at + w.size();
    if (matcher.Matches(w)) out.push_back({at, at + w.size()});
  }
  return out;
}

// A snippet of `display` (headline line, then paragraphs) around the first matched word
// after the headline, else the headline and the line after it; the matched words in it.
void MakeHighlightedSnippet(const std::string& display, const QueryMatcher& matcher,
                            SearchHit& hit) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= display.size();) {
    size_t nl = display.find('\n', start);
    if (nl == std::string::npos) nl = display.size();
    lines.emplace_back(display.data() + start, nl - start);
    start = nl + 1;
  }
  auto finish = [&](std::string_view line, size_t begin, const std::vector<Span>& spans,
                    std::string prefix) {
    std::string piece = TruncateUtf8(line.substr(begin), kSnippetBytes);
    hit.snippet = prefix + piece;
    if (begin + piece.size() < line.size()) hit.snippet += "…";
    for (const Span& s : spans) {
      if (s.begin < begin || s.end > begin + piece.size()) continue;
      hit.highlights.emplace_back(static_cast<int>(prefix.size() + s.begin - begin),
                                  static_cast<int>(s.end - s.begin));
    }
  };
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::vector<Span> spans = MatchedSpans(lines[i], matcher);
    if (spans.empty()) continue;
    size_t begin = 0;
    const size_t first = spans.front().begin;
    if (first > kSnippetBytes / 3) {
      // Start at a word a little before the match.
      begin = Utf8Start(lines[i], first - kSnippetBytes / 3);
      const std::vector<std::string> words = text::Words(lines[i].substr(begin));
      if (!words.empty()) {
        const size_t at = lines[i].find(words.front(), begin);
        if (at != std::string_view::npos && at <= first) begin = at;
      }
    }
    finish(lines[i], begin, spans, begin > 0 ? "…" : "");
    return;
  }
  // Headline and the first non-empty line after it, as one line.
  std::string joined(lines.empty() ? std::string_view() : lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    joined += ' ';
    joined += lines[i];
    break;
  }
  finish(joined, 0, MatchedSpans(joined, matcher), "");
}

}  // namespace

Status SqliteStore::RecordSearchTerms(const std::vector<std::string>& terms) {
  std::unordered_set<std::string> seen;
  for (const std::string& t : terms) {
    if (!IsSpellingTerm(t) || !seen.insert(t).second) continue;
    auto stmt = Prepare(
        "INSERT INTO search_terms(term, n) VALUES (?1, 1) "
        "ON CONFLICT(term) DO UPDATE SET n = n + 1");
    if (!stmt.ok()) return stmt.status();
    ND_RETURN_IF_ERROR(stmt->Bind(1, t).Run());
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::DropCommonTerms(
    const std::vector<std::string>& terms) {
  // A term in more than this share of the stories ranks almost nothing and costs the most
  // (BM25 is computed for every row it is in). Document frequencies come from the FTS5
  // index itself (an fts5vocab table of this connection).
  constexpr double kCommonShare = 0.2;
  constexpr std::int64_t kMinStories = 5000;
  auto stories = CountRows("SELECT COUNT(*) FROM stories");
  if (!stories.ok()) return stories.status();
  if (*stories < kMinStories || terms.size() < 2) return terms;
  ND_RETURN_IF_ERROR(
      Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_search_vocab "
           "USING fts5vocab(main, story_search, row)",
           "create search vocabulary"));
  std::vector<std::string> kept;
  for (const std::string& t : terms) {
    auto stmt = Prepare("SELECT doc FROM temp.story_search_vocab WHERE term = ?1");
    if (!stmt.ok()) return stmt.status();
    std::int64_t n = 0;
    if (stmt->Bind(1, t).Next()) n = stmt->Int(0);
    ND_RETURN_IF_ERROR(stmt->status());
    if (static_cast<double>(n) <= kCommonShare * static_cast<double>(*stories)) kept.push_back(t);
  }
  return kept.empty() ? terms : kept;
}

Status SqliteStore::IndexNewArticles() {
  std::int64_t last = 0;
  {
    auto stmt = Prepare("SELECT rowid FROM article_search ORDER BY rowid DESC LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    if (stmt->Next()) last = stmt->Int(0);
    ND_RETURN_IF_ERROR(stmt->status());
  }
  {
    auto stmt = Prepare("SELECT 1 FROM articles WHERE id > ?1 LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    const bool any = stmt->Bind(1, last).Next();
    ND_RETURN_IF_ERROR(stmt->status());
    if (!any) return Status::Ok();
  }
  Transaction txn(this);
  ND_RETURN_IF_ERROR(txn.Begin());
  static const std::string sql = std::string("SELECT ") + kArticleColumns +
                                 " FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2";
  while (true) {
    std::vector<Article> batch;
    {
      auto stmt = Prepare(sql.c_str());
      if (!stmt.ok()) return stmt.status();
      stmt->Bind(1, last).Bind(2, std::int64_t{kArticleIndexBatch});
      auto read = ReadArticles(*stmt);
      if (!read.ok()) return read.status();
      batch = std::move(*read);
    }
    if (batch.empty()) break;
    for (const Article& a : batch) {
      std::string display = a.title + "\n";
      const std::string body = a.Text();
      if (!a.description.empty() && body.find(a.description) == std::string::npos) {
        display += a.description + "\n";
      }
      display += body;
      display = TruncateUtf8(display, kArticleDisplayBytes);
      const std::vector<std::string> terms = text::MatchTerms(display, a.lang);
      ND_RETURN_IF_ERROR(RecordSearchTerms(terms));
      auto insert =
          Prepare("INSERT INTO article_search(rowid, terms, display) VALUES (?1, ?2, ?3)");
      if (!insert.ok()) return insert.status();
      ND_RETURN_IF_ERROR(insert->Bind(1, a.id).Bind(2, JoinTerms(terms)).Bind(3, display).Run());
      last = a.id;
    }
  }
  return txn.Commit();
}

Result<std::vector<std::string>> SqliteStore::ExpandSpelling(
    const std::vector<std::string>& terms) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& t : terms) {
    if (!t.empty() && seen.insert(t).second) out.push_back(t);
  }
  const std::vector<std::string> originals = out;
  for (const std::string& t : originals) {
    if (!IsSpellingTerm(t)) continue;
    {
      auto known = Prepare("SELECT 1 FROM search_terms WHERE term = ?1");
      if (!known.ok()) return known.status();
      const bool found = known->Bind(1, t).Next();
      ND_RETURN_IF_ERROR(known->status());
      if (found) continue;
    }
    // Candidates share the first letter (typing errors there are rare) and are within
    // the distance in length.
    const int max = t.size() >= 5 ? 2 : 1;
    auto stmt = Prepare(
        "SELECT term, n FROM search_terms WHERE term >= ?1 AND term < ?2 "
        "AND length(term) BETWEEN ?3 AND ?4");
    if (!stmt.ok()) return stmt.status();
    const std::string lo(1, t[0]);
    const std::string hi(1, static_cast<char>(t[0] + 1));
    stmt->Bind(1, lo)
        .Bind(2, hi)
        .Bind(3, static_cast<std::int64_t>(t.size()) - max)
        .Bind(4, static_cast<std::int64_t>(t.size()) + max);
    std::string best;
    int best_d = max + 1;
    std::int64_t best_n = 0;
    while (stmt->Next()) {
      const std::string cand = stmt->Text(0);
      const int d = EditDistance(t, cand, max);
      const std::int64_t n = stmt->Int(1);
      if (d < best_d || (d == best_d && n > best_n)) {
        best = cand;
        best_d = d;
        best_n = n;
      }
    }
    ND_RETURN_IF_ERROR(stmt->status());
    if (best_d <= max && seen.insert(best).second) out.push_back(best);
  }
  return out;
}

namespace {

// SQL conditions shared by the story and article queries: ?2 lang, ?3 since, ?4 until,
// ?5 section, ?6 source id.
void BindFilters(Statement& stmt, const SearchOptions& o) {
  stmt.Bind(2, o.lang).Bind(3, o.since).Bind(4, o.until).Bind(5, o.section).Bind(6, o.source_id);
}

}  // namespace

Result<std::vector<SearchHit>> SqliteStore::SearchStories(const SearchOptions& options,
                                                          const std::string& fts, int want) {
  const bool filtered = !options.lang.empty() || options.since != 0 || options.until != 0 ||
                        !options.section.empty() || options.source_id != 0;
  // Rows come best first; a story has a row per text, so more rows than stories are read.
  // Without filters FTS5 ranks alone (no join per matching row).
  const std::int64_t row_limit = filtered ? -1 : std::int64_t{want} * 4 + 16;
  const char* sql =
      filtered ? "SELECT s.rowid, s.story_id, bm25(story_search) AS score "
                 "FROM story_search s CROSS JOIN stories st ON st.id = s.story_id "
                 "WHERE story_search MATCH ?1 "
                 "AND (?2 = '' OR st.lang = ?2 OR (?2 = 'zh' AND st.lang LIKE 'zh%')) "
                 "AND (?3 = 0 OR st.first_published >= ?3) AND (?4 = 0 OR st.first_published < ?4) "
                 "AND (?5 = '' OR st.section = ?5) "
                 "AND (?6 = 0 OR EXISTS (SELECT 1 FROM story_articles sa JOIN articles a "
                 "ON a.id = sa.article_id WHERE sa.story_id = st.id AND a.source_id = ?6)) "
                 "ORDER BY score LIMIT ?7"
               : "SELECT rowid, story_id, bm25(story_search) AS score FROM story_search "
                 "WHERE story_search MATCH ?1 AND ?2 = ?2 AND ?3 = ?3 AND ?4 = ?4 AND ?5 = ?5 "
                 "AND ?6 = ?6 ORDER BY score LIMIT ?7";
  std::vector<SearchHit> hits;
  std::vector<std::int64_t> rowids;
  for (std::int64_t limit : {row_limit, std::int64_t{-1}}) {
    hits.clear();
    rowids.clear();
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, fts);
    BindFilters(*stmt, options);
    stmt->Bind(7, limit);
    std::unordered_set<std::int64_t> seen;
    std::int64_t rows = 0;
    while (static_cast<int>(hits.size()) < want && stmt->Next()) {
      ++rows;
      SearchHit hit;
      hit.story_id = stmt->Int(1);
      if (!seen.insert(hit.story_id).second) continue;
      rowids.push_back(stmt->Int(0));
      hit.score = -stmt->Double(2);
      hits.push_back(std::move(hit));
    }
    ND_RETURN_IF_ERROR(stmt->status());
    // Enough stories, or every row read: done. Else (rare: many rows of few stories) rank
    // again without the row limit.
    if (static_cast<int>(hits.size()) >= want || rows < limit || limit < 0) break;
  }
  for (size_t i = 0; i < hits.size(); ++i) {
    auto row = Prepare(
        "SELECT s.display, s.lang, st.first_published FROM story_search s "
        "JOIN stories st ON st.id = s.story_id WHERE s.rowid = ?1");
    if (!row.ok()) return row.status();
    if (row->Bind(1, rowids[i]).Next()) {
      hits[i].snippet = row->Text(0);  // the display text until the snippet is cut
      hits[i].lang = row->Text(1);
      hits[i].published = row->Int(2);
    }
    ND_RETURN_IF_ERROR(row->status());
  }
  return hits;
}

Result<std::vector<SearchHit>> SqliteStore::SearchArticles(const SearchOptions& options,
                                                           const std::string& fts, int want) {
  auto stmt = Prepare(
      "SELECT a.id, bm25(article_search) AS score "
      "FROM article_search s CROSS JOIN articles a ON a.id = s.rowid "
      "WHERE article_search MATCH ?1 AND a.duplicate_of = 0 "
      "AND (?2 = '' OR a.lang = ?2 OR (?2 = 'zh' AND a.lang LIKE 'zh%')) "
      "AND (?3 = 0 OR a.published >= ?3) AND (?4 = 0 OR a.published < ?4) "
      "AND (?5 = '' OR a.section = ?5) AND (?6 = 0 OR a.source_id = ?6) "
      "ORDER BY score LIMIT ?7");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, fts);
  BindFilters(*stmt, options);
  stmt->Bind(7, std::int64_t{want});
  std::vector<SearchHit> hits;
  while (stmt->Next()) {
    SearchHit hit;
    hit.article_id = stmt->Int(0);
    hit.score = -stmt->Double(1);
    hits.push_back(std::move(hit));
  }
  ND_RETURN_IF_ERROR(stmt->status());
  for (SearchHit& hit : hits) {
    auto row = Prepare(
        "SELECT s.display, a.lang, a.published, a.story_id FROM article_search s "
        "JOIN articles a ON a.id = s.rowid WHERE s.rowid = ?1");
    if (!row.ok()) return row.status();
    if (row->Bind(1, hit.article_id).Next()) {
      hit.snippet = row->Text(0);
      hit.lang = row->Text(1);
      hit.published = row->Int(2);
      hit.story_id = row->Int(3);
    }
    ND_RETURN_IF_ERROR(row->status());
  }
  return hits;
}

Result<std::vector<SearchHit>> SqliteStore::Search(const SearchOptions& options) {
  std::vector<SearchHit> hits;
  if (options.limit <= 0 || options.offset < 0) return hits;
  const std::string what = "search \"" + options.query + "\"";
  auto expanded =
      ExpandSpelling(text::MatchTerms(options.query, text::DetectLanguage(options.query)));
  std::vector<std::string> marked;  // every query term, for the snippet marks
  if (expanded.ok()) {
    marked = *expanded;
    expanded = DropCommonTerms(*expanded);
  }
  if (!expanded.ok()) {
    return Status(expanded.status().code(), what + ": " + expanded.status().message());
  }
  const std::string fts = FtsQuery(*expanded);
  if (fts.empty()) return hits;
  const int want = options.offset + options.limit;
  if (options.stories) {
    auto found = SearchStories(options, fts, want);
    if (!found.ok()) return Status::InvalidInput(what + ": " + found.status().message());
    hits = std::move(*found);
  }
  if (options.articles) {
    // Articles stored since the last search are indexed now; a busy database only
    // delays that to a later search.
    Status indexed = IndexNewArticles();
    if (!indexed.ok() && indexed.code() != StatusCode::kUnavailable) {
      return Status(indexed.code(), what + ": indexing articles: " + indexed.message());
    }
    auto found = SearchArticles(options, fts, want);
    if (!found.ok()) return Status::InvalidInput(what + ": " + found.status().message());
    for (SearchHit& h : *found) hits.push_back(std::move(h));
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  }
  if (static_cast<int>(hits.size()) <= options.offset) return std::vector<SearchHit>{};
  hits.erase(hits.begin(), hits.begin() + options.offset);
  if (static_cast<int>(hits.size()) > options.limit) hits.resize(options.limit);
  // Snippets only for the hits returned.
  const QueryMatcher matcher(marked);
  for (SearchHit& h : hits) {
    const std::string display = std::move(h.snippet);
    h.title = display.substr(0, display.find('\n'));
    h.snippet.clear();
    MakeHighlightedSnippet(display, matcher, h);
  }
  return hits;
}

}  // namespace nd::sqlite
