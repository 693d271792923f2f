// relate: story -> related stories. Lexical similarity (BM25-weighted terms, folded across
// scripts) combined with time proximity, and a diversity rule so two near-identical items
// are not both shown.
//
// Thread-safety: RelatedIndex is not thread-safe for writers; concurrent readers are fine
// when no writer runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.h"

namespace nd::relate {

struct RelateDoc {
  std::int64_t id = 0;
  UnixTime time = 0;
  std::vector<std::string> terms;  // text::MatchTerms of headline + body
};

class RelatedIndex {
 public:
  RelatedIndex();
  ~RelatedIndex();
  RelatedIndex(const RelatedIndex&) = delete;
  RelatedIndex& operator=(const RelatedIndex&) = delete;

  // Adds or replaces a document. Incremental: no rebuild.
  void Add(const RelateDoc& doc);
  // Up to `k` other documents, best first. Unknown id -> empty.
  std::vector<std::int64_t> Related(std::int64_t id, std::size_t k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nd::relate
