// What the store indexes for search, shared by the backends (private to the store stage):
// the plain display text of a story text, our own search terms for it (text::MatchTerms,
// space-joined: stemmed, scripts folded, Chinese split by ICU), and the snippet shown for a
// hit. Backends index these terms themselves and never a database's own text parser, so
// search behaves the same on every backend and in every language.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace nd::store_text {

// Headline, dek and body of a text as plain lines: what is indexed and shown in snippets.
std::string DisplayText(const StoryText& text);

// Terms joined with single spaces (empty terms dropped).
std::string JoinTerms(const std::vector<std::string>& terms);

// A short plain-text piece of `display` for a search result: the text around the first
// query word found literally (case-insensitive for ASCII), else the headline and the start
// of the dek.
std::string MakeSnippet(const std::string& display, const std::string& query);

}  // namespace nd::store_text
