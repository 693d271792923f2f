#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/json.h"
#include "core/url.h"
#include "store/search_text.h"
#include "text/text.h"

namespace nd::postgres {
namespace {

#define ND_PG_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::nd::Status nd_status_ = (expr);        \
    if (!nd_status_.ok()) return nd_status_; \
  } while (0)

// Migrations, in order: entry i brings the schema to version i + 1. They mirror the SQLite
// schema (same tables, columns and meaning); search is a terms table instead of FTS5.
// Never edit an entry that has shipped; append a new one.
constexpr std::array<const char*, 5> kMigrations = {
    // v1: sources, articles, stories and their texts, relations and search index.
    R"sql(
CREATE TABLE sources (
  id BIGSERIAL PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
  last_fetch BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  articles_taken BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE articles (
  id BIGSERIAL PRIMARY KEY,
  source_id BIGINT NOT NULL DEFAULT 0,
  url TEXT NOT NULL,
  url_norm TEXT NOT NULL UNIQUE,
  canonical_url TEXT NOT NULL DEFAULT '',
  canonical_norm TEXT NOT NULL DEFAULT '',
  site_name TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  byline TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',
  published BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  fetched BIGINT NOT NULL DEFAULT 0,
  lang TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '',
  paywalled BIGINT NOT NULL DEFAULT 0,
  content_hash TEXT NOT NULL DEFAULT '',
  blocks TEXT NOT NULL DEFAULT '[]',
  duplicate_of BIGINT NOT NULL DEFAULT 0,
  story_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_canonical_norm ON articles(canonical_norm);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_pending ON articles(story_id, duplicate_of, published);
CREATE TABLE stories (
  id BIGSERIAL PRIMARY KEY,
  section TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
  first_published BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  first_article_id BIGINT NOT NULL DEFAULT 0,
  follows BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX stories_newest ON stories(first_published DESC, id DESC);
CREATE INDEX stories_section_newest ON stories(section, first_published DESC, id DESC);
CREATE TABLE story_articles (
  story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  article_id BIGINT NOT NULL REFERENCES articles(id),
  position BIGINT NOT NULL,
  PRIMARY KEY (story_id, position)
);
CREATE INDEX story_articles_article ON story_articles(article_id);
CREATE TABLE story_texts (
  story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  version BIGINT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (story_id, lang, version)
);
CREATE TABLE story_related (
  story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  related_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  rank BIGINT NOT NULL,
  PRIMARY KEY (story_id, rank)
);
-- Search: one row per story text (k: index of the text in the story) with the plain text
-- snippets are cut from and its length in terms; story_terms holds each distinct term of
-- a text (text::MatchTerms output: stemmed, scripts folded) with its count, for BM25.
CREATE TABLE story_search (
  story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  k INTEGER NOT NULL,
  lang TEXT NOT NULL,
  length INTEGER NOT NULL,
  display TEXT NOT NULL,
  PRIMARY KEY (story_id, k)
);
CREATE TABLE story_terms (
  term TEXT NOT NULL,
  story_id BIGINT NOT NULL,
  k INTEGER NOT NULL,
  tf INTEGER NOT NULL,
  PRIMARY KEY (term, story_id, k),
  FOREIGN KEY (story_id, k) REFERENCES story_search(story_id, k) ON DELETE CASCADE
);
CREATE INDEX story_terms_story ON story_terms(story_id, k);
)sql",
    // v2: leases, so several worker processes share polling and processing. A source is
    // polled by the holder of its lease; named leases ("process") guard work done by one
    // process at a time. An expired lease (its holder died) is taken over.
    R"sql(
ALTER TABLE sources ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until BIGINT NOT NULL
);
)sql",
    // v3: the LLM answer cache (Store::GetCachedAnswer / PutCachedAnswer), as SQLite v4.
    R"sql(
CREATE TABLE llm_cache (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  tokens BIGINT NOT NULL DEFAULT 0,
  created BIGINT NOT NULL
);
)sql",
    // v4: search over source articles and the spelling dictionary, as SQLite v2 (see
    // postgres_search.cc). article_search / article_terms mirror story_search /
    // story_terms; an article is indexed at search time once (search_indexed; the partial
    // index finds those not indexed yet). search_terms holds each English term of 4+
    // letters with the number of texts it was indexed in, seeded from the story index.
    R"sql(
ALTER TABLE articles ADD COLUMN search_indexed BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX articles_unindexed ON articles(id) WHERE NOT search_indexed;
CREATE TABLE article_search (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  length INTEGER NOT NULL,
  display TEXT NOT NULL
);
CREATE TABLE article_terms (
  term TEXT NOT NULL,
  article_id BIGINT NOT NULL REFERENCES article_search(article_id) ON DELETE CASCADE,
  tf INTEGER NOT NULL,
  PRIMARY KEY (term, article_id)
);
CREATE TABLE search_terms (
  term TEXT PRIMARY KEY,
  n BIGINT NOT NULL DEFAULT 0
);
INSERT INTO search_terms(term, n)
  SELECT term, COUNT(*) FROM story_terms WHERE term ~ '^[a-z]{4,}$' GROUP BY term;
)sql",
    // v5: the per-source schedule and robots/TDM status, as SQLite v5.
    R"sql(
ALTER TABLE sources ADD COLUMN interval_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN next_poll BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN access TEXT NOT NULL DEFAULT '';
CREATE INDEX sources_due ON sources(kind, next_poll, last_fetch);
)sql"};

// Key of the advisory lock that serialises migrations between processes.
constexpr std::int64_t kMigrationLock = 0x6e64'6d69'6772;  // "ndmigr"

constexpr const char* kArticleColumns =
    "id, source_id, url, canonical_url, site_name, title, byline, description, image, "
    "published, updated, fetched, lang, section, paywalled, content_hash, blocks, "
    "duplicate_of, story_id";

constexpr const char* kStoryColumns =
    "id, section, lang, first_published, updated, first_article_id, follows, version";

constexpr const char* kSourceColumns =
    "id, url, title, kind, section, lang, last_fetch, last_error, etag, last_modified, "
    "articles_taken, interval_s, failures, next_poll, access";

void IgnoreNotice(void*, const PGresult*) {}

Source ReadSource(const Rows& rows, int r) {
  Source s;
  s.id = rows.Int(r, 0);
  s.url = rows.Text(r, 1);
  s.title = rows.Text(r, 2);
  s.kind = rows.Text(r, 3);
  s.section = rows.Text(r, 4);
  s.lang = rows.Text(r, 5);
  s.last_fetch = rows.Int(r, 6);
  s.last_error = rows.Text(r, 7);
  s.etag = rows.Text(r, 8);
  s.last_modified = rows.Text(r, 9);
  s.articles_taken = static_cast<int>(rows.Int(r, 10));
  s.interval_s = static_cast<int>(rows.Int(r, 11));
  s.failures = static_cast<int>(rows.Int(r, 12));
  s.next_poll = rows.Int(r, 13);
  s.access = rows.Text(r, 14);
  return s;
}

}  // namespace

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

// ---------------------------------------------------------------------------------------
// Params and Rows

Params& Params::Add(std::int64_t value) {
  values_.push_back(std::to_string(value));
  null_.push_back(false);
  return *this;
}

Params& Params::Add(const std::string& value) {
  values_.push_back(value);
  null_.push_back(false);
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    out.push_back(null_[i] ? nullptr : values_[i].c_str());
  }
  return out;
}

std::int64_t Rows::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

double Rows::Double(int row, int column) const {
  if (IsNull(row, column)) return 0;
  return std::strtod(PQgetvalue(result_.get(), row, column), nullptr);
}

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t Rows::Affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

// ---------------------------------------------------------------------------------------
// Connection, statements, migrations

PostgresStore::PostgresStore(PGconn* conn, std::string name)
    : conn_(conn), name_(std::move(name)) {}

PostgresStore::~PostgresStore() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Result<std::unique_ptr<Store>> PostgresStore::Open(const std::string& url) {
  const std::string name = RedactPassword(url);
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return Status::Unavailable(name + ": cannot allocate a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(conn);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    PQfinish(conn);
    return Status::Unavailable(name + ": cannot connect: " + reason);
  }
  PQsetNoticeReceiver(conn, &IgnoreNotice, nullptr);
  std::unique_ptr<PostgresStore> store(new PostgresStore(conn, name));
  ND_PG_RETURN_IF_ERROR(store->Exec(
      "SET client_encoding = 'UTF8'; SET client_min_messages = warning", "session settings"));
  ND_PG_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

Status PostgresStore::ErrorFrom(const PGresult* result, const std::string& what) const {
  std::string message = name_ + ": " + what + ": ";
  std::string reason =
      result != nullptr ? PQresultErrorMessage(result) : std::string(PQerrorMessage(conn_));
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
  message += reason;
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  if (PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable(std::move(message));
  if (sqlstate.substr(0, 2) == "23") return Status::InvalidInput(std::move(message));
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate.substr(0, 2) == "08" ||
      sqlstate.substr(0, 2) == "57") {
    return Status::Unavailable(std::move(message));
  }
  return Status::IOError(std::move(message));
}

Status PostgresStore::Exec(const std::string& sql, const std::string& what) {
  PGresult* raw = PQexec(conn_, sql.c_str());
  Rows rows(raw);
  const ExecStatusType st = PQresultStatus(raw);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorFrom(raw, what);
  return Status::Ok();
}

Result<Rows> PostgresStore::Query(const char* sql, const Params& params, const std::string& what) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string name = "nd" + std::to_string(statements_.size());
    PGresult* raw = PQprepare(conn_, name.c_str(), sql, 0, nullptr);
    Rows prepared(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK) return ErrorFrom(raw, what);
    it = statements_.emplace(sql, std::move(name)).first;
  }
  const std::vector<const char*> values = params.Pointers();
  PGresult* raw =
      PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(), nullptr, nullptr, 0);
  Rows rows(raw);
  const ExecStatusType st = PQresultStatus(raw);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorFrom(raw, what);
  return rows;
}

Status PostgresStore::Migrate() {
  Transaction txn(this);
  ND_PG_RETURN_IF_ERROR(txn.Begin());
  // Several processes may open a new database at once: one migrates, the others wait.
  ND_PG_RETURN_IF_ERROR(
      Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")", "migrate"));
  ND_PG_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "applied_at BIGINT NOT NULL)",
           "migrate"));
  auto current =
      Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", Params(), "migrate");
  if (!current.ok()) return current.status();
  int version = static_cast<int>(current->Int(0, 0));
  if (version > static_cast<int>(kMigrations.size())) {
    return Status::InvalidInput(name_ + ": schema version " + std::to_string(version) +
                                " is newer than this newsdesk (" +
                                std::to_string(kMigrations.size()) + "); upgrade newsdesk");
  }
  // Each version not recorded yet is applied, in order (as on SQLite), so a database
  // missing one migration among later ones is still brought up to date.
  for (int v = 0; v < static_cast<int>(kMigrations.size()); ++v) {
    auto applied = Query("SELECT 1 FROM schema_migrations WHERE version = $1", Params().Add(v + 1),
                         "migrate");
    if (!applied.ok()) return applied.status();
    if (!applied->empty()) continue;
    ND_PG_RETURN_IF_ERROR(Exec(kMigrations[v], "migration " + std::to_string(v + 1)));
    auto recorded = Query(
        "INSERT INTO schema_migrations(version, applied_at) "
        "VALUES ($1, EXTRACT(EPOCH FROM now())::BIGINT)",
        Params().Add(v + 1), "migration " + std::to_string(v + 1));
    if (!recorded.ok()) return recorded.status();
  }
  ND_PG_RETURN_IF_ERROR(txn.Commit());
  schema_version_ = static_cast<int>(kMigrations.size());
  return Status::Ok();
}

int PostgresStore::SchemaVersion() { return schema_version_; }

Result<std::int64_t> PostgresStore::CountRows(const char* sql) {
  auto rows = Query(sql, Params(), "count");
  if (!rows.ok()) return rows.status();
  return rows->Int(0, 0);
}

Transaction::~Transaction() {
  if (active_) (void)store_->Exec("ROLLBACK", "rollback");
}

Status Transaction::Begin() {
  ND_PG_RETURN_IF_ERROR(store_->Exec("BEGIN", "begin"));
  active_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  active_ = false;
  return store_->Exec("COMMIT", "commit");
}

// ---------------------------------------------------------------------------------------
// Sources

Result<std::int64_t> PostgresStore::UpsertSource(const Source& source) {
  if (source.url.empty()) return Status::InvalidInput(name_ + ": source without a URL");
  auto rows = Query(
      "INSERT INTO sources(url, title, kind, section, lang, interval_s) "
      "VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (url) DO UPDATE SET title = excluded.title, kind = excluded.kind, "
      "section = excluded.section, lang = excluded.lang, interval_s = CASE WHEN "
      "excluded.interval_s > 0 THEN excluded.interval_s ELSE sources.interval_s END "
      "RETURNING id",
      Params()
          .Add(source.url)
          .Add(source.title)
          .Add(source.kind)
          .Add(source.section)
          .Add(source.lang)
          .Add(std::max(source.interval_s, 0)),
      "source " + source.url);
  if (!rows.ok()) return rows.status();
  return rows->Int(0, 0);
}

Result<std::vector<Source>> PostgresStore::ListSources() {
  static const std::string sql =
      std::string("SELECT ") + kSourceColumns + " FROM sources ORDER BY id";
  auto rows = Query(sql.c_str(), Params(), "list sources");
  if (!rows.ok()) return rows.status();
  std::vector<Source> out;
  for (int r = 0; r < rows->size(); ++r) out.push_back(ReadSource(*rows, r));
  return out;
}

Status PostgresStore::UpdateSourceState(const Source& source) {
  auto rows = Query(
      "UPDATE sources SET last_fetch = $1, last_error = $2, etag = $3, last_modified = $4, "
      "articles_taken = $5, failures = $8, next_poll = $9, access = $10 "
      "WHERE ($6 <> 0 AND id = $6) OR ($6 = 0 AND url = $7)",
      Params()
          .Add(source.last_fetch)
          .Add(source.last_error)
          .Add(source.etag)
          .Add(source.last_modified)
          .Add(source.articles_taken)
          .Add(source.id)
          .Add(source.url)
          .Add(source.failures)
          .Add(source.next_poll)
          .Add(source.access),
      "source state " + source.url);
  if (!rows.ok()) return rows.status();
  if (rows->Affected() == 0) {
    return Status::NotFound(name_ + ": no source " +
                            (source.id != 0 ? "#" + std::to_string(source.id) : source.url));
  }
  return Status::Ok();
}

Status PostgresStore::RemoveSource(std::int64_t id) {
  auto rows =
      Query("DELETE FROM sources WHERE id = $1", Params().Add(id), "source #" + std::to_string(id));
  if (!rows.ok()) return rows.status();
  if (rows->Affected() == 0) {
    return Status::NotFound(name_ + ": no source #" + std::to_string(id));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> PostgresStore::GetCachedAnswer(const std::string& key) {
  auto rows =
      Query("SELECT value FROM llm_cache WHERE key = $1", Params().Add(key), "cached answer");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Status PostgresStore::PutCachedAnswer(const std::string& key, const std::string& value,
                                      std::int64_t tokens) {
  auto rows = Query(
      "INSERT INTO llm_cache(key, value, tokens, created) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, tokens = excluded.tokens, "
      "created = excluded.created",
      Params().Add(key).Add(value).Add(tokens).Add(static_cast<std::int64_t>(std::time(nullptr))),
      "cached answer");
  return rows.ok() ? Status::Ok() : rows.status();
}

// ---------------------------------------------------------------------------------------
// Articles

Result<bool> PostgresStore::HasArticleUrl(const std::string& url) {
  auto rows = Query("SELECT 1 FROM articles WHERE url_norm = $1 OR canonical_norm = $1 LIMIT 1",
                    Params().Add(NormalizeUrl(url)), "article " + url);
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<Store::PutResult> PostgresStore::PutArticle(const Article& article) {
  if (article.url.empty()) return Status::InvalidInput(name_ + ": article without a URL");
  const std::string url_norm = NormalizeUrl(article.url);
  const std::string canonical_norm =
      NormalizeUrl(article.canonical_url.empty() ? article.url : article.canonical_url);
  std::string blocks;
  try {
    blocks = nlohmann::json(article.blocks).dump();
  } catch (const std::exception& e) {
    return Status::InvalidInput(article.url + ": cannot encode blocks: " + e.what());
  }
  const std::string what = "article " + article.url;

  Transaction txn(this);
  ND_PG_RETURN_IF_ERROR(txn.Begin());
  // Two workers may store the same report at once (another URL, same canonical URL or
  // same text): lock each dedup key for the transaction, in a fixed order, so the second
  // one waits and then finds the first one's row.
  std::vector<std::string> keys = {"u:" + url_norm, "u:" + canonical_norm};
  if (!article.content_hash.empty()) keys.push_back("h:" + article.content_hash);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    auto locked =
        Query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().Add(key), what);
    if (!locked.ok()) return locked.status();
  }
  {
    auto found = Query(
        "SELECT id FROM articles WHERE url_norm IN ($1, $2) OR canonical_norm IN ($1, $2) "
        "OR ($3 <> '' AND content_hash = $3) ORDER BY id LIMIT 1",
        Params().Add(url_norm).Add(canonical_norm).Add(article.content_hash), what);
    if (!found.ok()) return found.status();
    if (!found->empty()) return PutResult{found->Int(0, 0), false};
  }
  auto inserted = Query(
      "INSERT INTO articles(source_id, url, url_norm, canonical_url, canonical_norm, "
      "site_name, title, byline, description, image, published, updated, fetched, lang, "
      "section, paywalled, content_hash, blocks, duplicate_of, story_id) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
      "$19, $20) RETURNING id",
      Params()
          .Add(article.source_id)
          .Add(article.url)
          .Add(url_norm)
          .Add(article.canonical_url)
          .Add(canonical_norm)
          .Add(article.site_name)
          .Add(article.title)
          .Add(article.byline)
          .Add(article.description)
          .Add(article.image)
          .Add(article.published)
          .Add(article.updated)
          .Add(article.fetched)
          .Add(article.lang)
          .Add(article.section)
          .Add(article.paywalled)
          .Add(article.content_hash)
          .Add(blocks)
          .Add(article.duplicate_of)
          .Add(article.story_id),
      what);
  if (!inserted.ok()) return inserted.status();
  const std::int64_t id = inserted->Int(0, 0);
  ND_PG_RETURN_IF_ERROR(txn.Commit());
  return PutResult{id, true};
}

Result<std::vector<Article>> PostgresStore::ReadArticles(const Rows& rows) {
  std::vector<Article> out;
  out.reserve(rows.size());
  for (int r = 0; r < rows.size(); ++r) {
    Article a;
    a.id = rows.Int(r, 0);
    a.source_id = rows.Int(r, 1);
    a.url = rows.Text(r, 2);
    a.canonical_url = rows.Text(r, 3);
    a.site_name = rows.Text(r, 4);
    a.title = rows.Text(r, 5);
    a.byline = rows.Text(r, 6);
    a.description = rows.Text(r, 7);
    a.image = rows.Text(r, 8);
    a.published = rows.Int(r, 9);
    a.updated = rows.Int(r, 10);
    a.fetched = rows.Int(r, 11);
    a.lang = rows.Text(r, 12);
    a.section = rows.Text(r, 13);
    a.paywalled = rows.Int(r, 14) != 0;
    a.content_hash = rows.Text(r, 15);
    try {
      a.blocks = nlohmann::json::parse(rows.Text(r, 16)).get<std::vector<Block>>();
    } catch (const std::exception& e) {
      return Status::ParseError(name_ + ": article #" + std::to_string(a.id) +
                                ": stored blocks are not valid JSON: " + e.what());
    }
    a.duplicate_of = rows.Int(r, 17);
    a.story_id = rows.Int(r, 18);
    out.push_back(std::move(a));
  }
  return out;
}

Result<Article> PostgresStore::GetArticle(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kArticleColumns + " FROM articles WHERE id = $1";
  auto rows = Query(sql.c_str(), Params().Add(id), "article #" + std::to_string(id));
  if (!rows.ok()) return rows.status();
  auto articles = ReadArticles(*rows);
  if (!articles.ok()) return articles.status();
  if (articles->empty()) return Status::NotFound(name_ + ": no article #" + std::to_string(id));
  return std::move(articles->front());
}

Result<std::vector<Article>> PostgresStore::GetArticles(const std::vector<std::int64_t>& ids) {
  std::vector<Article> out;
  if (ids.empty()) return out;
  // One round trip: ids as an array literal, rows put back in the order asked.
  std::string list = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) list += ',';
    list += std::to_string(ids[i]);
  }
  list += '}';
  static const std::string sql =
      std::string("SELECT ") + kArticleColumns + " FROM articles WHERE id = ANY($1::BIGINT[])";
  auto rows = Query(sql.c_str(), Params().Add(list), "articles");
  if (!rows.ok()) return rows.status();
  auto articles = ReadArticles(*rows);
  if (!articles.ok()) return articles.status();
  std::unordered_map<std::int64_t, size_t> at;
  for (size_t i = 0; i < articles->size(); ++i) at[(*articles)[i].id] = i;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto it = at.find(id);
    if (it == at.end()) return Status::NotFound(name_ + ": no article #" + std::to_string(id));
    out.push_back((*articles)[it->second]);
  }
  return out;
}

Result<std::vector<Article>> PostgresStore::PendingArticles(int limit) {
  static const std::string sql = std::string("SELECT ") + kArticleColumns +
                                 " FROM articles WHERE story_id = 0 AND duplicate_of = 0 "
                                 "ORDER BY published, id LIMIT $1";
  Params params;
  if (limit < 0) {
    params.AddNull();
  } else {
    params.Add(limit);
  }
  auto rows = Query(sql.c_str(), params, "pending articles");
  if (!rows.ok()) return rows.status();
  return ReadArticles(*rows);
}

Status PostgresStore::AssignArticle(std::int64_t article_id, std::int64_t story_id,
                                    std::int64_t duplicate_of) {
  auto rows = Query("UPDATE articles SET story_id = $2, duplicate_of = $3 WHERE id = $1",
                    Params().Add(article_id).Add(story_id).Add(duplicate_of),
                    "assign article #" + std::to_string(article_id));
  if (!rows.ok()) return rows.status();
  if (rows->Affected() == 0) {
    return Status::NotFound(name_ + ": no article #" + std::to_string(article_id));
  }
  return Status::Ok();
}

Result<std::int64_t> PostgresStore::CountArticles() {
  return CountRows("SELECT COUNT(*) FROM articles");
}

Result<std::int64_t> PostgresStore::CountPendingArticles() {
  return CountRows("SELECT COUNT(*) FROM articles WHERE story_id = 0 AND duplicate_of = 0");
}

// ---------------------------------------------------------------------------------------
// Stories

Result<std::int64_t> PostgresStore::CreateStory() {
  auto rows = Query("INSERT INTO stories DEFAULT VALUES RETURNING id", Params(), "new story");
  if (!rows.ok()) return rows.status();
  return rows->Int(0, 0);
}

Status PostgresStore::SaveStory(const Story& story) {
  const std::string what = "story #" + std::to_string(story.id);
  if (story.id <= 0) return Status::InvalidInput(name_ + ": " + what + ": not created (id 0)");
  Transaction txn(this);
  ND_PG_RETURN_IF_ERROR(txn.Begin());
  {
    // Locks the story row: two writers of one story take turns.
    auto row =
        Query("SELECT id FROM stories WHERE id = $1 FOR UPDATE", Params().Add(story.id), what);
    if (!row.ok()) return row.status();
    if (row->empty()) return Status::NotFound(name_ + ": " + what + ": no such story");
  }

  // Texts first: the story row stores the highest version.
  std::int64_t max_version = 0;
  for (const StoryText& text : story.texts) {
    nlohmann::json json;
    try {
      json = text;
    } catch (const std::exception& e) {
      return Status::InvalidInput(name_ + ": " + what + ": cannot encode text " + text.lang + ": " +
                                  e.what());
    }
    std::int64_t latest = 0;
    bool same = false;
    auto last = Query(
        "SELECT version, json FROM story_texts WHERE story_id = $1 AND lang = $2 "
        "ORDER BY version DESC LIMIT 1",
        Params().Add(story.id).Add(text.lang), what);
    if (!last.ok()) return last.status();
    if (!last->empty()) {
      latest = last->Int(0, 0);
      // Compared as JSON values, so a change of formatting is no new version.
      same = nlohmann::json::parse(last->Text(0, 1), nullptr, /*allow_exceptions=*/false) == json;
    }
    if (!same) {
      ++latest;
      auto inserted =
          Query("INSERT INTO story_texts(story_id, lang, version, json) VALUES ($1, $2, $3, $4)",
                Params().Add(story.id).Add(text.lang).Add(latest).Add(json.dump()), what);
      if (!inserted.ok()) return inserted.status();
    }
    max_version = std::max(max_version, latest);
  }

  {
    auto updated = Query(
        "UPDATE stories SET section = $2, lang = $3, first_published = $4, updated = $5, "
        "first_article_id = $6, follows = $7, "
        "version = GREATEST($8::BIGINT, (SELECT COALESCE(MAX(version), 0) FROM story_texts "
        "WHERE story_id = $1)) WHERE id = $1",
        Params()
            .Add(story.id)
            .Add(story.section)
            .Add(story.lang)
            .Add(story.first_published)
            .Add(story.updated)
            .Add(story.first_article_id)
            .Add(story.follows)
            .Add(max_version),
        what);
    if (!updated.ok()) return updated.status();
  }

  auto cleared =
      Query("DELETE FROM story_articles WHERE story_id = $1", Params().Add(story.id), what);
  if (!cleared.ok()) return cleared.status();
  for (size_t i = 0; i < story.article_ids.size(); ++i) {
    auto inserted = Query(
        "INSERT INTO story_articles(story_id, article_id, position) VALUES ($1, $2, $3)",
        Params().Add(story.id).Add(story.article_ids[i]).Add(static_cast<std::int64_t>(i)), what);
    if (!inserted.ok()) return inserted.status();
  }

  cleared = Query("DELETE FROM story_related WHERE story_id = $1", Params().Add(story.id), what);
  if (!cleared.ok()) return cleared.status();
  for (size_t i = 0; i < story.related.size(); ++i) {
    auto inserted =
        Query("INSERT INTO story_related(story_id, related_id, rank) VALUES ($1, $2, $3)",
              Params().Add(story.id).Add(story.related[i]).Add(static_cast<std::int64_t>(i)), what);
    if (!inserted.ok()) return inserted.status();
  }

  // Search rows: replaced as a whole (story_terms rows go with them by cascade).
  std::vector<std::string> dictionary;  // each text's distinct terms, for spelling
  cleared = Query("DELETE FROM story_search WHERE story_id = $1", Params().Add(story.id), what);
  if (!cleared.ok()) return cleared.status();
  for (size_t i = 0; i < story.texts.size(); ++i) {
    const StoryText& text = story.texts[i];
    const std::string display = store_text::DisplayText(text);
    const std::vector<std::string> terms = text::MatchTerms(display, text.lang);
    std::int64_t length = 0;
    for (const std::string& t : terms) length += t.empty() ? 0 : 1;
    auto row = Query(
        "INSERT INTO story_search(story_id, k, lang, length, display) "
        "VALUES ($1, $2, $3, $4, $5)",
        Params()
            .Add(story.id)
            .Add(static_cast<std::int64_t>(i))
            .Add(text.lang)
            .Add(length)
            .Add(display),
        what);
    if (!row.ok()) return row.status();
    // Terms contain no spaces (MatchTerms splits on them), so a space-joined list is
    // split back on the server: one round trip per text.
    auto term_rows = Query(
        "INSERT INTO story_terms(term, story_id, k, tf) "
        "SELECT t, $1, $2, COUNT(*) FROM unnest(string_to_array($3, ' ')) AS t "
        "WHERE t <> '' GROUP BY t",
        Params().Add(story.id).Add(static_cast<std::int64_t>(i)).Add(store_text::JoinTerms(terms)),
        what);
    if (!term_rows.ok()) return term_rows.status();
    std::unordered_set<std::string> seen;
    for (const std::string& t : terms) {
      if (seen.insert(t).second) dictionary.push_back(t);
    }
  }
  ND_PG_RETURN_IF_ERROR(RecordSearchTerms(dictionary));
  return txn.Commit();
}

Result<std::vector<Story>> PostgresStore::LoadStories(const std::vector<std::int64_t>& ids) {
  std::vector<Story> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto story = GetStory(id);
    if (!story.ok()) return story.status();
    if (story->has_value()) out.push_back(std::move(**story));
  }
  return out;
}

Result<std::optional<Story>> PostgresStore::GetStory(std::int64_t id) {
  const std::string what = "story #" + std::to_string(id);
  Story story;
  {
    static const std::string sql =
        std::string("SELECT ") + kStoryColumns + " FROM stories WHERE id = $1";
    auto rows = Query(sql.c_str(), Params().Add(id), what);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<Story>();
    story.id = rows->Int(0, 0);
    story.section = rows->Text(0, 1);
    story.lang = rows->Text(0, 2);
    story.first_published = rows->Int(0, 3);
    story.updated = rows->Int(0, 4);
    story.first_article_id = rows->Int(0, 5);
    story.follows = rows->Int(0, 6);
    story.version = static_cast<int>(rows->Int(0, 7));
  }
  {
    auto rows = Query("SELECT article_id FROM story_articles WHERE story_id = $1 ORDER BY position",
                      Params().Add(id), what);
    if (!rows.ok()) return rows.status();
    for (int r = 0; r < rows->size(); ++r) story.article_ids.push_back(rows->Int(r, 0));
  }
  {
    auto rows = Query(
        "SELECT DISTINCT ON (lang) lang, json FROM story_texts WHERE story_id = $1 "
        "ORDER BY lang, version DESC",
        Params().Add(id), what);
    if (!rows.ok()) return rows.status();
    for (int r = 0; r < rows->size(); ++r) {
      try {
        story.texts.push_back(nlohmann::json::parse(rows->Text(r, 1)).get<StoryText>());
      } catch (const std::exception& e) {
        return Status::ParseError(name_ + ": " + what + " text " + rows->Text(r, 0) +
                                  ": stored JSON is not valid: " + e.what());
      }
    }
  }
  {
    auto rows = Query("SELECT related_id FROM story_related WHERE story_id = $1 ORDER BY rank",
                      Params().Add(id), what);
    if (!rows.ok()) return rows.status();
    for (int r = 0; r < rows->size(); ++r) story.related.push_back(rows->Int(r, 0));
  }
  return std::optional<Story>(std::move(story));
}

namespace {

// The StoryListOptions filters: $1 section, $2 lang, $3 since, $4 until.
constexpr const char* kStoryListFilters =
    "($1::TEXT = '' OR section = $1::TEXT) AND ($2::TEXT = '' OR lang = $2::TEXT OR "
    "($2::TEXT = 'zh' AND lang LIKE 'zh%')) AND ($3::BIGINT = 0 OR first_published >= "
    "$3::BIGINT) AND ($4::BIGINT = 0 OR first_published < $4::BIGINT)";

Params StoryListParams(const StoryListOptions& options) {
  return Params().Add(options.section).Add(options.lang).Add(options.since).Add(options.until);
}

}  // namespace

Result<std::vector<Story>> PostgresStore::ListStories(const StoryListOptions& options) {
  Params params = StoryListParams(options);
  if (options.limit < 0) {
    params.AddNull();
  } else {
    params.Add(options.limit);
  }
  params.Add(std::max(options.offset, 0));
  static const std::string sql = std::string("SELECT id FROM stories WHERE ") +
                                 kStoryListFilters +
                                 " ORDER BY first_published DESC, id DESC LIMIT $5 OFFSET $6";
  auto rows = Query(sql.c_str(), params, "list stories");
  if (!rows.ok()) return rows.status();
  std::vector<std::int64_t> ids;
  for (int r = 0; r < rows->size(); ++r) ids.push_back(rows->Int(r, 0));
  return LoadStories(ids);
}

Result<std::int64_t> PostgresStore::CountListedStories(const StoryListOptions& options) {
  static const std::string sql =
      std::string("SELECT COUNT(*) FROM stories WHERE ") + kStoryListFilters;
  auto rows = Query(sql.c_str(), StoryListParams(options), "count stories");
  if (!rows.ok()) return rows.status();
  return rows->Int(0, 0);
}

Result<std::vector<Story>> PostgresStore::StoriesActiveSince(UnixTime since) {
  auto rows = Query(
      "SELECT id FROM stories WHERE id IN ("
      "SELECT story_id FROM articles WHERE story_id <> 0 AND published >= $1 "
      "UNION SELECT sa.story_id FROM story_articles sa JOIN articles a "
      "ON a.id = sa.article_id WHERE a.published >= $1) "
      "ORDER BY first_published, id",
      Params().Add(since), "active stories");
  if (!rows.ok()) return rows.status();
  std::vector<std::int64_t> ids;
  for (int r = 0; r < rows->size(); ++r) ids.push_back(rows->Int(r, 0));
  return LoadStories(ids);
}

Result<std::vector<StoryTextVersion>> PostgresStore::StoryTextVersions(std::int64_t id,
                                                                       const std::string& lang,
                                                                       int limit) {
  const std::string what = "story #" + std::to_string(id) + " text " + lang;
  std::vector<StoryTextVersion> out;
  if (limit <= 0) return out;
  auto rows = Query(
      "SELECT version, json FROM story_texts WHERE story_id = $1 AND lang = $2 "
      "ORDER BY version DESC LIMIT $3",
      Params().Add(id).Add(lang).Add(limit), what);
  if (!rows.ok()) return rows.status();
  for (int r = 0; r < rows->size(); ++r) {
    StoryTextVersion v;
    v.version = static_cast<int>(rows->Int(r, 0));
    try {
      v.text = nlohmann::json::parse(rows->Text(r, 1)).get<StoryText>();
    } catch (const std::exception& e) {
      return Status::ParseError(name_ + ": " + what + " version " + std::to_string(v.version) +
                                ": stored JSON is not valid: " + e.what());
    }
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::int64_t> PostgresStore::CountStories() {
  return CountRows("SELECT COUNT(*) FROM stories");
}

// ---------------------------------------------------------------------------------------
// Leases

Result<std::optional<Source>> PostgresStore::LeaseDueSource(const std::string& owner, UnixTime now,
                                                            int lease_seconds,
                                                            UnixTime due_before) {
  // SKIP LOCKED: workers claiming at the same moment each get another source, none waits.
  static const std::string sql =
      std::string(
          "UPDATE sources SET lease_owner = $1, lease_until = $2::BIGINT + $3::BIGINT WHERE id = ("
          "SELECT id FROM sources WHERE kind = 'feed' AND lease_until < $2 AND ((next_poll <> 0 "
          "AND next_poll <= $2) OR (last_fetch <= $4 AND (next_poll = 0 OR (failures = 0 AND "
          "interval_s = 0)))) "
          "ORDER BY next_poll, last_fetch, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING ") +
      kSourceColumns;
  auto rows = Query(sql.c_str(), Params().Add(owner).Add(now).Add(lease_seconds).Add(due_before),
                    "lease a source");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Source>();
  return std::optional<Source>(ReadSource(*rows, 0));
}

Status PostgresStore::ReleaseSource(std::int64_t source_id, const std::string& owner) {
  auto rows = Query(
      "UPDATE sources SET lease_owner = '', lease_until = 0 WHERE id = $1 AND lease_owner = $2",
      Params().Add(source_id).Add(owner), "release source #" + std::to_string(source_id));
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<bool> PostgresStore::AcquireLease(const std::string& name, const std::string& owner,
                                         UnixTime now, int lease_seconds) {
  // Inserts the lease, or takes it over when expired or already ours; the row lock taken
  // by ON CONFLICT DO UPDATE makes two claimants take turns, and only one gets a row back.
  auto rows = Query(
      "INSERT INTO leases(name, owner, until) VALUES ($1, $2, $3::BIGINT + $4::BIGINT) "
      "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
      "WHERE leases.owner = excluded.owner OR leases.until < $3 RETURNING owner",
      Params().Add(name).Add(owner).Add(now).Add(lease_seconds), "lease " + name);
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Status PostgresStore::ReleaseLease(const std::string& name, const std::string& owner) {
  auto rows = Query("DELETE FROM leases WHERE name = $1 AND owner = $2",
                    Params().Add(name).Add(owner), "release lease " + name);
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> PostgresStore::UnsavedStoryMembers() {
  auto rows = Query(
      "SELECT a.story_id, a.id FROM articles a WHERE a.story_id <> 0 AND NOT EXISTS ("
      "SELECT 1 FROM story_articles sa WHERE sa.story_id = a.story_id "
      "AND sa.article_id = a.id) ORDER BY a.story_id, a.id",
      Params(), "unsaved story members");
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (int r = 0; r < rows->size(); ++r) out.emplace_back(rows->Int(r, 0), rows->Int(r, 1));
  return out;
}

}  // namespace nd::postgres
