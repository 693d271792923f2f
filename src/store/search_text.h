// What the store indexes for search, shared by the backends (private to the store stage):
// the plain display text of a story text, our own search terms for it (text::MatchTerms,
// space-joined: stemmed, scripts folded, Chinese split by ICU), and the snippet shown for a
// hit. Backends index these terms themselves and never a database's own text parser, so
// search behaves the same on every backend and in every language.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/types.h"
#include "store/store.h"

namespace nd::store_text {

// Headline, dek and body of a text as plain lines: what is indexed and shown in snippets.
std::string DisplayText(const StoryText& text);

// Terms joined with single spaces (empty terms dropped).
std::string JoinTerms(const std::vector<std::string>& terms);

// A short plain-text piece of `display` for a search result: the text around the first
// query word found literally (case-insensitive for ASCII), else the headline and the start
// of the dek.
std::string MakeSnippet(const std::string& display, const std::string& query);

// --- Search(const SearchOptions&), shared by the backends --------------------------------

// The text an article is indexed and shown by: title, description (unless the body
// repeats it) and body, as lines, at most 16 KiB.
std::string ArticleDisplayText(const Article& article);

// An English term the spelling dictionary keeps: ASCII letters only, 4 or more.
bool IsSpellingTerm(std::string_view term);

// Optimal string alignment distance (edits: insert, delete, substitute, swap two
// neighbours), or max + 1 when it is larger than `max`.
int EditDistance(std::string_view a, std::string_view b, int max);

// The farthest a misspelled term is corrected: edit distance 1, or 2 from 5 letters.
int MaxSpellingDistance(std::string_view term);

// Among indexed spellings {term, rows it is in} of `term`, the nearest within
// MaxSpellingDistance, the most used among equals; "" when none is near enough.
std::string ClosestSpelling(std::string_view term,
                            const std::vector<std::pair<std::string, std::int64_t>>& candidates);

// Decides whether a word of a text is one the query matched: its match terms meet the
// query's. Cheap filters first (shared ASCII prefix, a shared Han character in either
// script) so a snippet costs few text::MatchTerms calls.
class QueryMatcher {
 public:
  explicit QueryMatcher(const std::vector<std::string>& terms);
  bool Matches(std::string_view word) const;

 private:
  std::unordered_set<std::string> terms_;
  std::unordered_set<std::string> prefixes_;
  std::unordered_set<std::string> chars_;
};

// Sets hit.snippet to a piece of `display` (headline line, then paragraphs) around the
// first matched word after the headline, else the headline and the line after it, and
// hit.highlights to the matched words in it.
void MakeHighlightedSnippet(const std::string& display, const QueryMatcher& matcher,
                            SearchHit& hit);

// Cuts `hits` (best first; each snippet still holding its whole display text) to the page
// `options` asks for, then sets each hit's title, snippet and highlights for `terms` (every
// query term, spelling corrections included).
void FinishPage(const SearchOptions& options, const std::vector<std::string>& terms,
                std::vector<SearchHit>& hits);

}  // namespace nd::store_text
