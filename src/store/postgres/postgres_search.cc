// Search on PostgreSQL (PostgresStore::Search and its helpers): our own match terms
// (text::MatchTerms: stemmed English, Chinese split by ICU, scripts folded), never
// PostgreSQL's text parser, kept in term tables (story_terms, article_terms: term, row,
// count) and ranked BM25 in SQL as FTS5 ranks on SQLite; filters are conditions of the
// ranking query; English terms found nowhere are also searched as their closest indexed
// spellings (search_terms); snippets and highlights are cut by the code SQLite uses
// (store/search_text.h). Story rows are written by SaveStory; article rows here, for the
// articles not yet indexed, at search time.
//
// Thread-safety: as PostgresStore (one connection, one thread at a time). Several
// processes may search and index at once: one indexes articles while the others skip it.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/search_text.h"
#include "text/text.h"

namespace nd::postgres {
namespace {

// Key of the advisory lock held while articles are indexed ("ndsrch").
constexpr std::int64_t kArticleIndexLock = 0x6e64'7372'6368;
constexpr int kArticleIndexBatch = 256;

// BM25 (k1 = 1.2, b = 0.75) of one term in one row, as FTS5's bm25(): t is the term row
// (tf), s the search row (length), df the term's document frequency (n_t), c the corpus
// (n rows, avg_len).
constexpr const char* kBm25 =
    "ln(1 + (c.n - df.n_t + 0.5) / (df.n_t + 0.5)) * t.tf * 2.2 / "
    "(t.tf + 1.2 * (0.25 + 0.75 * s.length / GREATEST(c.avg_len, 1)))";

// The query terms ($1, space-joined), their document frequencies in `terms_table` and the
// corpus statistics of `search_table`, as WITH clauses q, corpus and df.
std::string RankingPrelude(const std::string& search_table, const std::string& terms_table) {
  return "WITH q AS (SELECT DISTINCT unnest(string_to_array($1::TEXT, ' ')) AS term), "
         "corpus AS (SELECT COUNT(*)::float8 AS n, COALESCE(AVG(length), 1)::float8 AS avg_len "
         "FROM " +
         search_table +
         "), "
         "df AS (SELECT t.term, COUNT(*)::float8 AS n_t FROM " +
         terms_table + " t JOIN q USING (term) GROUP BY t.term) ";
}

// Filters as conditions on a row `x` with columns lang, `published` and section:
// $2 lang ("zh": either script), $3 since, $4 until, $5 section.
std::string FilterConditions(const std::string& x, const std::string& published) {
  return "($2::TEXT = '' OR " + x + ".lang = $2::TEXT OR ($2::TEXT = 'zh' AND " + x +
         ".lang LIKE 'zh%')) AND ($3::BIGINT = 0 OR " + x + "." + published +
         " >= $3::BIGINT) AND ($4::BIGINT = 0 OR " + x + "." + published +
         " < $4::BIGINT) AND ($5::TEXT = '' OR " + x + ".section = $5::TEXT)";
}

Params FilterParams(const std::string& terms, const SearchOptions& o, int want) {
  return Params()
      .Add(terms)
      .Add(o.lang)
      .Add(o.since)
      .Add(o.until)
      .Add(o.section)
      .Add(o.source_id)
      .Add(want);
}

// Hits from ranking rows (story id, article id, score, display, lang, published); each
// snippet holds the display text until the page's snippets are cut.
std::vector<SearchHit> ReadHits(const Rows& rows) {
  std::vector<SearchHit> hits;
  for (int r = 0; r < rows.size(); ++r) {
    SearchHit hit;
    hit.story_id = rows.Int(r, 0);
    hit.article_id = rows.Int(r, 1);
    hit.score = rows.Double(r, 2);
    hit.snippet = rows.Text(r, 3);
    hit.lang = rows.Text(r, 4);
    hit.published = rows.Int(r, 5);
    hits.push_back(std::move(hit));
  }
  return hits;
}

// The distinct non-empty terms, in order.
std::vector<std::string> Distinct(std::vector<std::string> terms) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (std::string& t : terms) {
    if (!t.empty() && seen.insert(t).second) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Status PostgresStore::RecordSearchTerms(const std::vector<std::string>& terms) {
  // One statement per transaction, terms sorted: concurrent writers lock the dictionary
  // rows in one order. `terms` holds each text's distinct terms; n counts texts.
  std::vector<std::string> spelling;
  for (const std::string& t : terms) {
    if (store_text::IsSpellingTerm(t)) spelling.push_back(t);
  }
  if (spelling.empty()) return Status::Ok();
  auto rows = Query(
      "INSERT INTO search_terms(term, n) "
      "SELECT t, COUNT(*) FROM unnest(string_to_array($1, ' ')) AS t GROUP BY t ORDER BY t "
      "ON CONFLICT (term) DO UPDATE SET n = search_terms.n + excluded.n",
      Params().Add(store_text::JoinTerms(spelling)), "spelling dictionary");
  return rows.ok() ? Status::Ok() : rows.status();
}

Status PostgresStore::IndexNewArticles() {
  // A transaction per batch, so rows locked by indexing (articles.search_indexed) are
  // held briefly; one process indexes at a time (the others search what is indexed).
  while (true) {
    Transaction txn(this);
    if (Status st = txn.Begin(); !st.ok()) return st;
    auto locked = Query("SELECT pg_try_advisory_xact_lock($1::BIGINT)",
                        Params().Add(kArticleIndexLock), "index articles");
    if (!locked.ok()) return locked.status();
    if (locked->Text(0, 0) != "t") return Status::Ok();
    auto ids = Query("SELECT id FROM articles WHERE NOT search_indexed ORDER BY id LIMIT $1",
                     Params().Add(kArticleIndexBatch), "index articles");
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return txn.Commit();
    std::vector<std::int64_t> list;
    std::string id_array = "{";
    for (int r = 0; r < ids->size(); ++r) {
      list.push_back(ids->Int(r, 0));
      id_array += (r > 0 ? "," : "") + std::to_string(list.back());
    }
    id_array += "}";
    auto articles = GetArticles(list);
    if (!articles.ok()) return articles.status();
    std::vector<std::string> dictionary;
    for (const Article& a : *articles) {
      const std::string what = "index article #" + std::to_string(a.id);
      const std::string display = store_text::ArticleDisplayText(a);
      const std::vector<std::string> terms = text::MatchTerms(display, a.lang);
      std::int64_t length = 0;
      for (const std::string& t : terms) length += t.empty() ? 0 : 1;
      auto row = Query(
          "INSERT INTO article_search(article_id, length, display) VALUES ($1, $2, $3) "
          "ON CONFLICT (article_id) DO NOTHING",
          Params().Add(a.id).Add(length).Add(display), what);
      if (!row.ok()) return row.status();
      // Terms contain no spaces: one round trip per article.
      auto term_rows = Query(
          "INSERT INTO article_terms(term, article_id, tf) "
          "SELECT t, $1, COUNT(*) FROM unnest(string_to_array($2, ' ')) AS t "
          "WHERE t <> '' GROUP BY t ON CONFLICT DO NOTHING",
          Params().Add(a.id).Add(store_text::JoinTerms(terms)), what);
      if (!term_rows.ok()) return term_rows.status();
      for (std::string& t : Distinct(terms)) dictionary.push_back(std::move(t));
    }
    auto marked = Query("UPDATE articles SET search_indexed = true WHERE id = ANY($1::BIGINT[])",
                        Params().Add(id_array), "index articles");
    if (!marked.ok()) return marked.status();
    if (Status st = RecordSearchTerms(dictionary); !st.ok()) return st;
    if (Status st = txn.Commit(); !st.ok()) return st;
  }
}

Result<std::vector<std::string>> PostgresStore::ExpandSpelling(
    const std::vector<std::string>& terms) {
  std::vector<std::string> out = Distinct(terms);
  std::vector<std::string> checked;
  for (const std::string& t : out) {
    if (store_text::IsSpellingTerm(t)) checked.push_back(t);
  }
  if (checked.empty()) return out;
  std::unordered_set<std::string> known;
  {
    auto rows = Query("SELECT term FROM search_terms WHERE term = ANY(string_to_array($1, ' '))",
                      Params().Add(store_text::JoinTerms(checked)), "spelling");
    if (!rows.ok()) return rows.status();
    for (int r = 0; r < rows->size(); ++r) known.insert(rows->Text(r, 0));
  }
  std::unordered_set<std::string> seen(out.begin(), out.end());
  for (const std::string& t : checked) {
    if (known.contains(t)) continue;
    // Candidates share the first letter (typing errors there are rare) and are within
    // the distance in length.
    const int max = store_text::MaxSpellingDistance(t);
    auto rows = Query(
        "SELECT term, n FROM search_terms WHERE term >= $1 AND term < $2 "
        "AND length(term) BETWEEN $3 AND $4",
        Params()
            .Add(std::string(1, t[0]))
            .Add(std::string(1, static_cast<char>(t[0] + 1)))
            .Add(static_cast<std::int64_t>(t.size()) - max)
            .Add(static_cast<std::int64_t>(t.size()) + max),
        "spelling");
    if (!rows.ok()) return rows.status();
    std::vector<std::pair<std::string, std::int64_t>> candidates;
    for (int r = 0; r < rows->size(); ++r)
      candidates.emplace_back(rows->Text(r, 0), rows->Int(r, 1));
    const std::string best = store_text::ClosestSpelling(t, candidates);
    if (!best.empty() && seen.insert(best).second) out.push_back(best);
  }
  return out;
}

Result<std::vector<SearchHit>> PostgresStore::RankStories(const std::vector<std::string>& terms,
                                                          const SearchOptions& options, int want) {
  // A story has a row per text; its best text wins. Filters are on the story.
  static const std::string sql =
      RankingPrelude("story_search", "story_terms") + ", scored AS (SELECT t.story_id, t.k, SUM(" +
      kBm25 +
      ") AS score FROM story_terms t JOIN df USING (term) "
      "JOIN story_search s ON s.story_id = t.story_id AND s.k = t.k "
      "JOIN stories st ON st.id = t.story_id CROSS JOIN corpus c WHERE " +
      FilterConditions("st", "first_published") +
      " AND ($6::BIGINT = 0 OR EXISTS (SELECT 1 FROM story_articles sa JOIN articles a "
      "ON a.id = sa.article_id WHERE sa.story_id = st.id AND a.source_id = $6::BIGINT)) "
      "GROUP BY t.story_id, t.k), "
      "best AS (SELECT DISTINCT ON (story_id) story_id, k, score FROM scored "
      "ORDER BY story_id, score DESC, k) "
      "SELECT b.story_id, 0, b.score, s.display, s.lang, st.first_published FROM best b "
      "JOIN story_search s ON s.story_id = b.story_id AND s.k = b.k "
      "JOIN stories st ON st.id = b.story_id "
      "ORDER BY b.score DESC, b.story_id LIMIT $7";
  auto rows =
      Query(sql.c_str(), FilterParams(store_text::JoinTerms(terms), options, want), "rank stories");
  if (!rows.ok()) return rows.status();
  return ReadHits(*rows);
}

Result<std::vector<SearchHit>> PostgresStore::RankArticles(const std::vector<std::string>& terms,
                                                           const SearchOptions& options, int want) {
  static const std::string sql =
      RankingPrelude("article_search", "article_terms") + ", scored AS (SELECT t.article_id, SUM(" +
      kBm25 +
      ") AS score FROM article_terms t JOIN df USING (term) "
      "JOIN article_search s ON s.article_id = t.article_id "
      "JOIN articles a ON a.id = t.article_id CROSS JOIN corpus c "
      "WHERE a.duplicate_of = 0 AND " +
      FilterConditions("a", "published") +
      " AND ($6::BIGINT = 0 OR a.source_id = $6::BIGINT) GROUP BY t.article_id) "
      "SELECT a.story_id, x.article_id, x.score, s.display, a.lang, a.published FROM scored x "
      "JOIN article_search s ON s.article_id = x.article_id "
      "JOIN articles a ON a.id = x.article_id "
      "ORDER BY x.score DESC, x.article_id LIMIT $7";
  auto rows = Query(sql.c_str(), FilterParams(store_text::JoinTerms(terms), options, want),
                    "rank articles");
  if (!rows.ok()) return rows.status();
  return ReadHits(*rows);
}

Result<std::vector<SearchHit>> PostgresStore::Search(const std::string& query, int limit) {
  if (limit <= 0) return std::vector<SearchHit>{};
  const std::vector<std::string> terms =
      Distinct(text::MatchTerms(query, text::DetectLanguage(query)));
  if (terms.empty()) return std::vector<SearchHit>{};
  auto hits = RankStories(terms, SearchOptions{}, limit);
  if (!hits.ok()) return hits.status();
  for (SearchHit& hit : *hits) hit.snippet = store_text::MakeSnippet(hit.snippet, query);
  return hits;
}

Result<std::vector<SearchHit>> PostgresStore::Search(const SearchOptions& options) {
  std::vector<SearchHit> hits;
  if (options.limit <= 0 || options.offset < 0) return hits;
  const std::string what = "search \"" + options.query + "\": ";
  auto terms = ExpandSpelling(text::MatchTerms(options.query, text::DetectLanguage(options.query)));
  if (!terms.ok()) return Status(terms.status().code(), what + terms.status().message());
  if (terms->empty()) return hits;
  const int want = options.offset + options.limit;
  if (options.stories) {
    auto found = RankStories(*terms, options, want);
    if (!found.ok()) return Status(found.status().code(), what + found.status().message());
    hits = std::move(*found);
  }
  if (options.articles) {
    // Articles stored since the last search are indexed now (or by a process doing it);
    // a conflict with another writer only delays that to a later search.
    if (Status st = IndexNewArticles(); !st.ok() && st.code() != StatusCode::kUnavailable) {
      return Status(st.code(), what + "indexing articles: " + st.message());
    }
    auto found = RankArticles(*terms, options, want);
    if (!found.ok()) return Status(found.status().code(), what + found.status().message());
    for (SearchHit& h : *found) hits.push_back(std::move(h));
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  }
  store_text::FinishPage(options, *terms, hits);
  return hits;
}

}  // namespace nd::postgres
