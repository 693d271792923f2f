// relate: story -> related stories. Lexical similarity (BM25-weighted terms, folded across
// scripts, normalised by the document's score against itself) plus the overlap of
// language-independent keys (IDF-weighted cosine, so an English and a Chinese report of
// one event meet through its places, people and numbers), times a time-proximity factor;
// a diversity rule so two near-identical items are not both shown; and a fill by time.
//
// Thread-safety: RelatedIndex is not thread-safe for writers; concurrent readers are fine
// when no writer runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace nd::relate {

struct RelateDoc {
  std::int64_t id = 0;
  UnixTime time = 0;
  std::vector<std::string> terms;  // text::MatchTerms of headline + body
  // Language-independent keys (entity ids, number and date terms): they match across
  // languages and scripts where the lexical terms cannot. Optional.
  std::vector<std::string> keys;
  // The earlier document this one follows up (its thread), or 0. Documents linked this
  // way, in either direction and transitively, are listed first by Related().
  std::int64_t follows = 0;
};

// The keys of a text for RelateDoc::keys: gazetteer entity ids (text::EntityIds) and
// number and date terms (text::NumberTerms).
std::vector<std::string> CrossLingualKeys(std::string_view utf8, std::string_view lang);

class RelatedIndex {
 public:
  RelatedIndex();
  ~RelatedIndex();
  RelatedIndex(const RelatedIndex&) = delete;
  RelatedIndex& operator=(const RelatedIndex&) = delete;

  // Adds or replaces a document. Incremental: no rebuild.
  void Add(const RelateDoc& doc);
  // Up to `k` other documents: first its thread (the documents it follows and that follow
  // it, nearest in time first, at most max(1, k - 2) of them), then the most related others,
  // best first. Unknown id -> empty.
  std::vector<std::int64_t> Related(std::int64_t id, std::size_t k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nd::relate
