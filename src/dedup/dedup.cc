#include "dedup/dedup.h"

#include <openssl/evp.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

#include "text/text.h"

namespace nd::dedup {
namespace {

// NFKC + case folding; the input unchanged if ICU fails.
std::string FoldCase(std::string_view body_text) {
  std::string folded;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_SUCCESS(status)) {
    icu::UnicodeString input = icu::UnicodeString::fromUTF8(
        icu::StringPiece(body_text.data(), static_cast<int32_t>(body_text.size())));
    icu::UnicodeString output = normalizer->normalize(input, status);
    if (U_SUCCESS(status)) output.toUTF8String(folded);
  }
  if (U_FAILURE(status)) folded.assign(body_text);
  return folded;
}

// NFKC + case folding, then every run of Unicode white space (and zero-width
// separators) collapsed to one ASCII space, trimmed.
std::string CanonicalText(std::string_view body_text) {
  std::string folded = FoldCase(body_text);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(folded.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(folded.data(), i, n, c);
    // NFKC casefold already removes U+200B and U+FEFF (default ignorables).
    if (c >= 0 && u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(folded, static_cast<size_t>(start), static_cast<size_t>(i - start));
  }
  return out;
}

// FNV-1a 64 over the bytes, then the splitmix64 finaliser so that every input bit
// reaches every output bit (FNV alone leaves the high bits weak for short inputs). Stable
// across builds and platforms, unlike std::hash.
std::uint64_t Mix64(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::uint64_t Hash64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return Mix64(h);
}

constexpr size_t kShingle = 3;

// Hashes of the word 3-shingles in order (one shingle of everything when shorter).
// REQUIRES: !terms.empty()
std::vector<std::uint64_t> ShingleHashes(const std::vector<std::string>& terms) {
  size_t count = terms.size() < kShingle ? 1 : terms.size() - kShingle + 1;
  std::vector<std::uint64_t> hashes;
  hashes.reserve(count);
  std::string shingle;
  for (size_t i = 0; i < count; ++i) {
    shingle.clear();
    for (size_t k = i; k < std::min(i + kShingle, terms.size()); ++k) {
      shingle += terms[k];
      shingle.push_back('\x1f');  // unit separator: "a b"+"c" differs from "a"+"b c"
    }
    hashes.push_back(Hash64(shingle));
  }
  return hashes;
}

constexpr int kBands = 4;
constexpr int kBandBits = 16;

std::uint32_t BandKey(int band, std::uint64_t simhash) {
  auto value = static_cast<std::uint32_t>((simhash >> (band * kBandBits)) & 0xFFFF);
  return (static_cast<std::uint32_t>(band) << kBandBits) | value;
}

// Calls fn(value) for every 16-bit value within `radius` bits of `value` (itself first).
template <typename Fn>
void ForEachNeighbour(std::uint32_t value, int radius, int from_bit, Fn& fn) {
  if (from_bit == 0) fn(value);
  if (radius == 0) return;
  for (int bit = from_bit; bit < kBandBits; ++bit) {
    std::uint32_t flipped = value ^ (1u << bit);
    fn(flipped);
    ForEachNeighbour(flipped, radius - 1, bit + 1, fn);
  }
}

}  // namespace

std::string ContentHash(std::string_view body_text) {
  std::string canonical = CanonicalText(body_text);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest.data(), &length, EVP_sha256(),
                 nullptr) != 1) {
    // SHA-256 is always available in OpenSSL 3; fall back to a weaker stable hash rather
    // than returning something that compares equal for every input.
    length = 8;
    std::uint64_t h = Hash64(canonical);
    for (int k = 0; k < 8; ++k) digest[k] = static_cast<unsigned char>(h >> (8 * k));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int k = 0; k < length; ++k) {
    hex.push_back(kHex[digest[k] >> 4]);
    hex.push_back(kHex[digest[k] & 0xF]);
  }
  return hex;
}

std::uint64_t SimHash(const std::vector<std::string>& terms) {
  if (terms.empty()) return 0;
  std::array<int, 64> weights{};
  for (std::uint64_t h : ShingleHashes(terms)) {
    for (int bit = 0; bit < 64; ++bit) weights[bit] += ((h >> bit) & 1) ? 1 : -1;
  }
  std::uint64_t result = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (weights[bit] > 0) result |= std::uint64_t{1} << bit;
  }
  return result;
}

std::uint64_t Fingerprint(std::string_view body_text) {
  std::string folded = FoldCase(body_text);
  bool has_han = false;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(folded.size());
  while (i < n && !has_han) {
    UChar32 c;
    U8_NEXT(folded.data(), i, n, c);
    has_han = c >= 0x2E80 && u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
  }
  if (has_han) folded = text::ToSimplified(folded);
  std::vector<std::string> words = text::Words(folded);
  if (words.empty()) return 0;

  std::vector<std::uint64_t> shingles = ShingleHashes(words);
  std::uint64_t result = 0;
  for (int bit = 0; bit < 64; ++bit) {
    const std::uint64_t seed = Mix64(0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(bit + 1));
    std::uint64_t smallest = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t h : shingles) smallest = std::min(smallest, Mix64(h ^ seed));
    // The low bit of the minimum is independent of which shingle won.
    if (smallest & 1) result |= std::uint64_t{1} << bit;
  }
  return result;
}

std::int64_t NearDuplicateIndex::Find(std::uint64_t simhash) const {
  // If two hashes differ in at most d bits, some band differs in at most d / 4 bits
  // (pigeonhole), so probing every band value within that radius finds every match.
  const int radius = std::max(0, max_distance_) / kBands;
  std::int64_t best_id = 0;
  int best_distance = std::numeric_limits<int>::max();
  for (int band = 0; band < kBands; ++band) {
    std::uint32_t value = (simhash >> (band * kBandBits)) & 0xFFFF;
    auto probe = [&](std::uint32_t v) {
      auto it = bands_.find((static_cast<std::uint32_t>(band) << kBandBits) | v);
      if (it == bands_.end()) return;
      for (const auto& [id, other] : it->second) {
        int distance = std::popcount(simhash ^ other);
        if (distance <= max_distance_ &&
            (distance < best_distance || (distance == best_distance && id < best_id))) {
          best_distance = distance;
          best_id = id;
        }
      }
    };
    ForEachNeighbour(value, radius, 0, probe);
  }
  return best_id;
}

void NearDuplicateIndex::Add(std::int64_t id, std::uint64_t simhash) {
  for (int band = 0; band < kBands; ++band) {
    bands_[BandKey(band, simhash)].emplace_back(id, simhash);
  }
}

}  // namespace nd::dedup
