#include "store/search_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "text/text.h"

namespace nd::store_text {
namespace {

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

std::string JoinSentences(const std::vector<CitedSentence>& sentences) {
  std::string out;
  for (const CitedSentence& s : sentences) {
    if (s.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += s.text;
  }
  return out;
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

}  // namespace

std::string DisplayText(const StoryText& text) {
  std::string out = text.headline;
  out += '\n';
  out += JoinSentences(text.dek);
  for (const Paragraph& p : text.body) {
    std::string para = JoinSentences(p.sentences);
    if (para.empty()) continue;
    out += '\n';
    out += para;
  }
  return out;
}

std::string JoinTerms(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) {
    if (t.empty()) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string MakeSnippet(const std::string& display, const std::string& query) {
  constexpr size_t kMaxBytes = 240;
  const std::string haystack = AsciiLower(display);
  size_t headline_end = display.find('\n');
  if (headline_end == std::string::npos) headline_end = display.size();
  for (const std::string& word : text::Words(query)) {
    if (word.empty()) continue;
    size_t pos = haystack.find(AsciiLower(word));
    if (pos == std::string::npos || pos < headline_end) continue;  // headline: fallback
    size_t begin = Utf8Start(display, pos > kMaxBytes / 3 ? pos - kMaxBytes / 3 : 0);
    size_t line_start = display.rfind('\n', pos);
    if (line_start != std::string::npos && line_start + 1 > begin) begin = line_start + 1;
    std::string piece = TruncateUtf8(std::string_view(display).substr(begin), kMaxBytes);
    size_t nl = piece.find('\n');
    if (nl != std::string::npos) piece.resize(nl);
    std::string out = begin > 0 && display[begin - 1] != '\n' ? "…" : "";
    out += piece;
    if (begin + piece.size() < display.size() && display[begin + piece.size()] != '\n') {
      out += "…";
    }
    return out;
  }
  std::string out = display;
  std::replace(out.begin(), out.end(), '\n', ' ');
  // Keep "headline dek" only: the body follows the second line break.
  size_t second = display.find('\n', headline_end + 1);
  if (second != std::string::npos) out.resize(second);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  std::string cut = TruncateUtf8(out, kMaxBytes);
  if (cut.size() < out.size()) cut += "…";
  return cut;
}

std::string ArticleDisplayText(const Article& article) {
  constexpr size_t kArticleDisplayBytes = 16 * 1024;
  std::string display = article.title + "\n";
  const std::string body = article.Text();
  if (!article.description.empty() && body.find(article.description) == std::string::npos) {
    display += article.description + "\n";
  }
  display += body;
  return TruncateUtf8(display, kArticleDisplayBytes);
}

bool IsSpellingTerm(std::string_view term) {
  if (term.size() < 4) return false;
  return std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

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

int MaxSpellingDistance(std::string_view term) { return term.size() >= 5 ? 2 : 1; }

std::string ClosestSpelling(std::string_view term,
                            const std::vector<std::pair<std::string, std::int64_t>>& candidates) {
  const int max = MaxSpellingDistance(term);
  std::string best;
  int best_d = max + 1;
  std::int64_t best_n = 0;
  for (const auto& [cand, n] : candidates) {
    const int d = EditDistance(term, cand, max);
    if (d < best_d || (d == best_d && n > best_n)) {
      best = cand;
      best_d = d;
      best_n = n;
    }
  }
  return best_d <= max ? best : std::string();
}

QueryMatcher::QueryMatcher(const std::vector<std::string>& terms) {
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

bool QueryMatcher::Matches(std::string_view word) const {
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

void MakeHighlightedSnippet(const std::string& display, const QueryMatcher& matcher,
                            SearchHit& hit) {
  constexpr size_t kSnippetBytes = 240;
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

void FinishPage(const SearchOptions& options, const std::vector<std::string>& terms,
                std::vector<SearchHit>& hits) {
  if (options.offset < 0 || static_cast<int>(hits.size()) <= options.offset) {
    hits.clear();
    return;
  }
  hits.erase(hits.begin(), hits.begin() + options.offset);
  if (static_cast<int>(hits.size()) > options.limit) hits.resize(std::max(options.limit, 0));
  // Snippets only for the hits returned.
  const QueryMatcher matcher(terms);
  for (SearchHit& h : hits) {
    const std::string display = std::move(h.snippet);
    h.title = display.substr(0, display.find('\n'));
    h.snippet.clear();
    MakeHighlightedSnippet(display, matcher, h);
  }
}

}  // namespace nd::store_text
