// dedup: is this article a copy of one already stored? Exact duplicates by canonical URL
// and by a hash of the normalised body text; near duplicates (wire copies with light
// edits) by SimHash over word shingles.
//
// Thread-safety: functions are pure; NearDuplicateIndex is not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace nd::dedup {

// Hex SHA-256 of the body text after NFKC, case folding and whitespace collapsing.
std::string ContentHash(std::string_view body_text);

// 64-bit SimHash of word 3-shingles of `terms`.
std::uint64_t SimHash(const std::vector<std::string>& terms);

// Finds an earlier article whose SimHash differs in at most `max_distance` bits.
class NearDuplicateIndex {
 public:
  explicit NearDuplicateIndex(int max_distance = 3) : max_distance_(max_distance) {}
  // Returns the id of a near-duplicate already added, or 0.
  std::int64_t Find(std::uint64_t simhash) const;
  void Add(std::int64_t id, std::uint64_t simhash);

 private:
  int max_distance_;
  // Four 16-bit bands; any pair within 3 bits shares at least one band exactly.
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::int64_t, std::uint64_t>>> bands_;
};

}  // namespace nd::dedup
