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
    ND_SEARCH_RETURN_IF_ERROR(stmt->Bind(1, t).Run());
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
  ND_SEARCH_RETURN_IF_ERROR(
      Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_search_vocab "
           "USING fts5vocab(main, story_search, row)",
           "create search vocabulary"));
  std::vector<std::string> kept;
  for (const std::string& t : terms) {
    auto stmt = Prepare("SELECT doc FROM temp.story_search_vocab WHERE term = ?1");
    if (!stmt.ok()) return stmt.status();
    std::int64_t n = 0;
    if (stmt->Bind(1, t).Next()) n = stmt->Int(0);
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
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
      std::string display = a.title + "\n";
      const std::string body = a.Text();
      if (!a.description.empty() && body.find(a.description) == std::string::npos) {
        display += a.description + "\n";
      }
      display += body;
      display = TruncateUtf8(display, kArticleDisplayBytes);
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
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
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
    ND_SEARCH_RETURN_IF_ERROR(stmt->status());
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
