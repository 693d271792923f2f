// dedup: is this article a copy of one already stored? Exact duplicates by canonical URL
// and by a hash of the normalised body text; near duplicates (wire copies with light
// edits) by a 64-bit fingerprint of word shingles (Fingerprint; SimHash is kept for
// callers that hash their own terms) and a banded Hamming-distance index.
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

// 64-bit SimHash of word 3-shingles of `terms`. Stable across builds and platforms (its
// own hash, not std::hash), so values can be stored.
std::uint64_t SimHash(const std::vector<std::string>& terms);

// The near-duplicate fingerprint of a body text: what to give NearDuplicateIndex. Words
// (text::Words) of the text after NFKC, case folding and Traditional -> Simplified
// folding, cut into 3-shingles, summarised by a one-bit MinHash: bit i is the low bit of
// the smallest of the shingles' hashes under the i-th hash function. Two texts differ in
// a bit with probability (1 - J) / 2 for shingle-set resemblance J, so a light edit
// moves fewer bits than SimHash does (measured on a 300-word story with one paragraph of
// six cut and one sentence reworded: median 8 bits against 13 for SimHash), and
// unrelated texts differ in about 32. Stable across builds.
std::uint64_t Fingerprint(std::string_view body_text);

// Finds an earlier article whose 64-bit fingerprint (Fingerprint, or SimHash) differs in
// at most `max_distance` bits. The default, 12, finds 95% of light edits (one paragraph
// of six cut and a sentence reworded) by Fingerprint; two unrelated texts fall within 12
// bits with probability about 2e-7 (binomial tail), so keep the index to a time window
// (days, not the whole archive) to keep false matches rare. Any max_distance is exact:
// lookups probe every band value within max_distance / 4 bits.
class NearDuplicateIndex {
 public:
  explicit NearDuplicateIndex(int max_distance = 12) : max_distance_(max_distance) {}
  int max_distance() const { return max_distance_; }
  // Returns the id of the closest near-duplicate already added (the smallest id among
  // equally close ones), or 0. REQUIRES: ids passed to Add are not 0.
  std::int64_t Find(std::uint64_t simhash) const;
  void Add(std::int64_t id, std::uint64_t simhash);

 private:
  int max_distance_;
  // Four 16-bit bands keyed (band << 16 | value); a pair within d bits has a band within
  // d / 4 bits.
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::int64_t, std::uint64_t>>> bands_;
};

}  // namespace nd::dedup
