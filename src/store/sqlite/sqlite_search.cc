// Search on SQLite (SqliteStore::Search and its helpers): FTS5 over our own match terms
// (text::MatchTerms), stories and source articles, filters, spelling fallback for English
// terms found nowhere, and snippets with the matched words highlighted. The index rows are
// written by SaveStory (story_search) and here, incrementally (article_search).
//
// Thread-safety: as SqliteStore (one connection, one thread at a time).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "store/search_text.h"
#include "store/sqlite/sqlite_store.h"
#include "text/text.h"

namespace nd::sqlite {
namespace {

#define ND_SEARCH_RETURN_IF_ERROR(expr)      \
  do {                                       \
    ::nd::Status nd_status_ = (expr);        \
    if (!nd_status_.ok()) return nd_status_; \
  } while (0)

using store_text::IsSpellingTerm;
using store_text::JoinTerms;
using store_text::MakeSnippet;

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

constexpr int kArticleIndexBatch = 256;

}  // namespace

Status SqliteStore::RecordSearchTerms(const std::vector<std::string>& terms) {
  std::unordered_set<std::string> seen;
  for (const std::string& t : terms) {
    if (!IsSpellingTerm(t) || !seen.insert(t).second) continue;
    auto stmt = Prepare(
        "INSERT INTO search_terms(term, n) VALUES (?1, 1) "
        "ON CONFLICT(term) DO UPDATE SET n = n + 1");
    if (!stmt.ok()) return stmt.status();
    ND_SEARCH_RETURN_IF_ERROR(stmt->Bind(1, t).Run());
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::DropCommonTerms(const std::vector<std::string>& terms,
                                                              double rank_rows,
                                                              std::int64_t* min_rowid) {
  // A term in more than this share of the stories ranks almost nothing and costs the most
  // (BM25 is computed for every row it is in). Document frequencies come from the FTS5
  // index itself (an fts5vocab table of this connection).
  constexpr double kCommonShare = 0.2;
  constexpr std::int64_t kMinStories = 5000;
  *min_rowid = 0;
  std::int64_t first_id = 0;
  std::int64_t last_id = 0;
  {
    // Story ids grow with time; their span stands for the count (an index lookup each,
    // where COUNT(*) reads the whole table).
    auto stmt = Prepare("SELECT (SELECT MIN(id) FROM stories), (SELECT MAX(id) FROM stories)");
    if (!stmt.ok()) return stmt.status();
    if (stmt->Next()) {
      first_id = stmt->Int(0);
      last_id = stmt->Int(1);
    }
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
  }
  const std::int64_t stories = last_id - first_id + 1;
  if (last_id <= 0 || stories < kMinStories) return terms;
  ND_SEARCH_RETURN_IF_ERROR(
      Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_search_vocab "
           "USING fts5vocab(main, story_search, row)",
           "create search vocabulary"));
  std::vector<std::string> kept;
  std::vector<std::int64_t> rows;  // of each term
  double kept_rows = 0;
  for (const std::string& t : terms) {
    auto stmt = Prepare("SELECT doc FROM temp.story_search_vocab WHERE term = ?1");
    if (!stmt.ok()) return stmt.status();
    std::int64_t n = 0;
    if (stmt->Bind(1, t).Next()) n = stmt->Int(0);
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
    rows.push_back(n);
    if (terms.size() < 2 || static_cast<double>(n) <= kCommonShare * static_cast<double>(stories)) {
      kept.push_back(t);
      kept_rows += static_cast<double>(n);
    }
  }
  if (kept.empty()) {
    kept = terms;
    for (std::int64_t n : rows) kept_rows += static_cast<double>(n);
  }
  // Ranking reads every row of every term: when that is many, rank the newest stories'
  // rows first (a span of story ids expected to hold `rank_rows` of them; the caller widens
  // to all rows when that span gives too few hits).
  if (kept_rows > rank_rows) {
    const auto span =
        static_cast<std::int64_t>(static_cast<double>(stories) * rank_rows / kept_rows);
    *min_rowid = (last_id - span) * kSearchRowsPerStory;
  }
  return kept;
}

Status SqliteStore::IndexNewArticles() {
  std::int64_t last = 0;
  {
    auto stmt = Prepare("SELECT rowid FROM article_search ORDER BY rowid DESC LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    if (stmt->Next()) last = stmt->Int(0);
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
  }
  {
    auto stmt = Prepare("SELECT 1 FROM articles WHERE id > ?1 LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    const bool any = stmt->Bind(1, last).Next();
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
    if (!any) return Status::Ok();
  }
  Transaction txn(this);
  ND_SEARCH_RETURN_IF_ERROR(txn.Begin());
  while (true) {
    std::vector<Article> batch;
    {
      auto read = ArticlesAfter(last, kArticleIndexBatch);
      if (!read.ok()) return read.status();
      batch = std::move(*read);
    }
    if (batch.empty()) break;
    for (const Article& a : batch) {
      const std::string display = store_text::ArticleDisplayText(a);
      const std::vector<std::string> terms = text::MatchTerms(display, a.lang);
      ND_SEARCH_RETURN_IF_ERROR(RecordSearchTerms(terms));
      auto insert =
          Prepare("INSERT INTO article_search(rowid, terms, display) VALUES (?1, ?2, ?3)");
      if (!insert.ok()) return insert.status();
      ND_SEARCH_RETURN_IF_ERROR(
          insert->Bind(1, a.id).Bind(2, JoinTerms(terms)).Bind(3, display).Run());
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
      ND_SEARCH_RETURN_IF_ERROR(known->status());
      if (found) continue;
    }
    // Candidates share the first letter (typing errors there are rare) and are within
    // the distance in length.
    const int max = store_text::MaxSpellingDistance(t);
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
    std::vector<std::pair<std::string, std::int64_t>> candidates;
    while (stmt->Next()) candidates.emplace_back(stmt->Text(0), stmt->Int(1));
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
    const std::string best = store_text::ClosestSpelling(t, candidates);
    if (!best.empty() && seen.insert(best).second) out.push_back(best);
  }
  return out;
}

namespace {

// SQL conditions shared by the story and article queries: ?2 lang, ?3 since, ?4 until,
// ?5 section, ?6 source id.
void BindFilters(Statement& stmt, const SearchOptions& o) {
  stmt.Bind(2, o.lang).Bind(3, o.since).Bind(4, o.until).Bind(5, o.section).Bind(6, o.source_id);
}

bool Filtered(const SearchOptions& o) {
  return !o.lang.empty() || o.since != 0 || o.until != 0 || !o.section.empty() || o.source_id != 0;
}

}  // namespace

Result<std::vector<SearchHit>> SqliteStore::SearchStories(const SearchOptions& options,
                                                          const std::string& fts, int want,
                                                          std::int64_t min_rowid) {
  const bool filtered = Filtered(options);
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
                 "AND s.rowid >= ?8 ORDER BY score LIMIT ?7"
               : "SELECT rowid, story_id, bm25(story_search) AS score FROM story_search "
                 "WHERE story_search MATCH ?1 AND ?2 = ?2 AND ?3 = ?3 AND ?4 = ?4 AND ?5 = ?5 "
                 "AND ?6 = ?6 AND rowid >= ?8 ORDER BY score LIMIT ?7";
  std::vector<SearchHit> hits;
  std::vector<std::int64_t> rowids;
  for (std::int64_t limit : {row_limit, std::int64_t{-1}}) {
    hits.clear();
    rowids.clear();
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, fts);
    BindFilters(*stmt, options);
    stmt->Bind(7, limit).Bind(8, min_rowid);
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
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
    // Enough stories, or every row read: done. Else (rare: many rows of few stories) rank
    // again without the row limit.
    if (static_cast<int>(hits.size()) >= want || rows < limit || limit < 0) break;
  }
  // The newest stories held too few hits: rank them all.
  if (static_cast<int>(hits.size()) < want && min_rowid > 0) {
    return SearchStories(options, fts, want, 0);
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
    ND_SEARCH_RETURN_IF_ERROR(row->status());
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
  ND_SEARCH_RETURN_IF_ERROR(stmt->status());
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
    ND_SEARCH_RETURN_IF_ERROR(row->status());
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
  std::int64_t min_rowid = 0;
  if (expanded.ok()) {
    marked = *expanded;
    // The most rows ranked at once before the newest stories are ranked first; fewer with
    // filters, which look up the story of every row.
    expanded = DropCommonTerms(*expanded, Filtered(options) ? 3000 : 8000, &min_rowid);
  }
  if (!expanded.ok()) {
    return Status(expanded.status().code(), what + ": " + expanded.status().message());
  }
  const std::string fts = FtsQuery(*expanded);
  if (fts.empty()) return hits;
  const int want = options.offset + options.limit;
  if (options.stories) {
    auto found = SearchStories(options, fts, want, min_rowid);
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
  store_text::FinishPage(options, marked, hits);
  return hits;
}

}  // namespace nd::sqlite
