#include "cluster/cluster.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "text/entities.h"
#include "text/numbers.h"
#include "text/text.h"

namespace nd::cluster {
namespace {

// Bounds that keep one assignment's cost constant, whatever the archive size.
constexpr std::size_t kMaxBodyBytes = 8000;         // body text handed to MatchTerms
constexpr std::size_t kMaxBodyTerms = 400;          // body terms kept per document
constexpr std::size_t kMaxEntityTerms = 60;         // language-independent terms kept per doc
constexpr std::size_t kExtraNeutralTerms = 10;      // language-independent terms added to those
constexpr std::size_t kMaxNeutralPostingScan = 64;  // and their live postings examined
constexpr std::size_t kFollowIndexTerms = 24;       // terms indexed per followable story
constexpr std::size_t kMaxFollowPostings = 512;     // follow-index postings read per search
constexpr std::size_t kQueryTerms = 30;             // doc terms used to find candidate stories
constexpr std::size_t kMaxPostingScan = 256;        // live postings examined per query term
constexpr std::size_t kMaxPostingsPerAdd = 1024;    // and in all, highest-weight terms first
constexpr std::size_t kMaxScored = 10;              // candidates scored in full
constexpr std::size_t kCentroidCap = 300;           // terms kept per story centroid
constexpr std::size_t kCentroidSlack = 150;         // prune only when this far over the cap
constexpr std::size_t kSweepEvery = 4096;           // least Adds between sweeps of expired stories
constexpr std::size_t kPostingLookBack = 32;        // newest postings searched to update one
constexpr double kSecondsPerDay = 86400.0;

using TermId = std::uint32_t;

// A story (by slot) holding a term, with the term's centroid weight when last updated
// (ranks candidates; the final score reads the centroid).
struct Posting {
  std::uint32_t slot;
  std::uint32_t gen;  // the slot's generation: a posting of a freed slot is dead
  float weight;
};
constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();  // dead posting

// Term -> dense id: open addressing over one array of (hash tag, id), the terms' bytes in
// one arena (no node or string allocation per term).
class TermTable {
 public:
  // The id of `term`, new ids being 0, 1, 2, ...; *inserted tells whether it was new.
  TermId Intern(std::string_view term, bool* inserted) {
    if ((ends_.size() + 1) * 2 > table_.size()) Grow();
    const std::uint64_t h = std::hash<std::string_view>{}(term);
    const std::uint64_t tag = h >> 32;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      const std::uint64_t e = table_[i];
      if (e == 0) {
        const auto id = static_cast<TermId>(ends_.size());
        arena_.append(term);
        ends_.push_back(arena_.size());
        table_[i] = (tag << 32) | (static_cast<std::uint64_t>(id) + 1);
        *inserted = true;
        return id;
      }
      if ((e >> 32) == tag) {
        const auto id = static_cast<TermId>((e & 0xFFFFFFFFu) - 1);
        if (Term(id) == term) {
          *inserted = false;
          return id;
        }
      }
    }
  }

 private:
  std::string_view Term(TermId id) const {
    const std::size_t begin = id == 0 ? 0 : ends_[id - 1];
    return std::string_view(arena_).substr(begin, ends_[id] - begin);
  }
  // Doubles the table; the bucket comes from the stored tag, so no term is hashed again.
  void Grow() {
    std::vector<std::uint64_t> old = std::move(table_);
    table_.assign(std::max<std::size_t>(1024, old.size() * 2), 0);
    const std::size_t mask = table_.size() - 1;
    for (const std::uint64_t e : old) {
      if (e == 0) continue;
      std::size_t i = (e >> 32) & mask;
      while (table_[i] != 0) i = (i + 1) & mask;
      table_[i] = e;
    }
  }

  std::vector<std::uint64_t>
      table_;  // tag (hash >> 32, also the bucket) << 32 | (id + 1); 0 = empty
  std::string arena_;
  std::vector<std::size_t> ends_;  // by id: end of the term in arena_
};
// A document's unique terms with their weighted term frequency (title terms count
// `title_weight` times), before IDF.
using TermVector = std::vector<std::pair<TermId, double>>;

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// The weight of `t` in a vector sorted by term, or nullptr.
const double* FindTerm(const TermVector& v, TermId t) {
  auto it =
      std::lower_bound(v.begin(), v.end(), t,
                       [](const std::pair<TermId, double>& e, TermId x) { return e.first < x; });
  return it != v.end() && it->first == t ? &it->second : nullptr;
}

struct Cluster {
  // Sum of the members' L2-normalised weighted term frequencies, sorted by term (a flat
  // vector: scoring walks it, and hash nodes would cost a cache miss per term). IDF is
  // applied at query time so that weights follow the document frequencies as they change.
  TermVector centroid;
  UnixTime last_active = 0;
  int members = 0;
  UnixTime first_active = 0;
  unsigned lang_groups = 0;  // bit 0: English and other Latin-script, bit 1: Chinese
  // L2 norm of the TF-IDF centroid (and of its language-independent part) as of the last
  // update: ranks candidates cheaply; the final score recomputes them with the current IDF.
  double norm_at_update = 0;
  double neutral_norm_at_update = 0;
  std::uint64_t sweep_mark = 0;  // CompactTerms(): the mark of the last term visited
};

}  // namespace

ClusterDoc MakeClusterDoc(const Article& article) {
  ClusterDoc doc;
  doc.id = article.id;
  doc.published = article.published != 0 ? article.published
                  : article.updated != 0 ? article.updated
                                         : article.fetched;
  std::string body = article.Text();
  if (body.empty()) body = article.description;
  const std::string_view body_prefix = Utf8Prefix(body, kMaxBodyBytes);
  doc.lang = article.lang;
  if (doc.lang.empty() || doc.lang == kLangUnknown) {
    std::string sample = article.title;
    sample += '\n';
    sample += Utf8Prefix(body_prefix, 2000);
    doc.lang = text::DetectLanguage(sample);
  }
  doc.title_terms = text::MatchTerms(article.title, doc.lang);
  doc.body_terms = text::MatchTerms(body_prefix, doc.lang);
  if (doc.body_terms.size() > kMaxBodyTerms) doc.body_terms.resize(kMaxBodyTerms);
  std::string all = article.title;
  all += '\n';
  all += body_prefix;
  doc.entity_terms = text::EntityIds(all, doc.lang);
  for (std::string& t : text::NumberTerms(all)) doc.entity_terms.push_back(std::move(t));
  if (doc.entity_terms.size() > kMaxEntityTerms) doc.entity_terms.resize(kMaxEntityTerms);
  return doc;
}

struct Clusterer::Impl {
  ClusterOptions options;
  std::function<std::int64_t()> new_cluster_id;

  TermTable terms;
  std::vector<std::uint32_t> df;               // by TermId: documents seen that hold the term
  std::vector<double> log_df1;                 // by TermId: log(df + 1), kept so IDF needs no log()
  std::vector<std::vector<Posting>> postings;  // by TermId: story slots, oldest first
  std::vector<char> neutral;                   // by TermId: a language-independent term
  std::int64_t docs_seen = 0;

  // Joinable stories (until the next sweep) in slots: postings name slots, and what the
  // posting scan needs of a story (generation, last activity, partial sums) lives in dense
  // arrays by slot, so that scanning does not touch the stories themselves.
  std::vector<Cluster> slots;
  std::vector<std::int64_t> slot_story;  // story id, 0 when the slot is free
  std::vector<std::uint32_t> slot_gen;   // bumped when a slot is freed: its postings die
  std::vector<UnixTime> slot_last_active;
  std::vector<std::uint32_t> free_slots;
  std::unordered_map<std::int64_t, std::uint32_t> slot_of;  // story id -> slot
  // FindBest() scratch, by slot: partial dot products and the stamps that reset them.
  std::vector<double> acc_dot, acc_neutral;
  std::vector<std::uint32_t> acc_add, acc_term;
  std::uint32_t add_stamp = 0, term_stamp = 0;
  std::vector<std::uint32_t> touched;

  // Stories too old to join but young enough to be followed up: moved here by SweepStories() and
  // found through their own small index of their highest-weighted terms, so that they do
  // not weigh on the search for a story to join.
  std::unordered_map<std::int64_t, Cluster> followable;
  std::vector<std::vector<std::int64_t>> follow_postings;  // by TermId
  UnixTime latest = 0;  // latest document time seen (stands in for unknown times)
  std::size_t adds_since_sweep = 0;
  std::size_t compact_cursor = 0;  // CompactTerms(): next term
  std::uint64_t compact_mark = 0;
  std::size_t last_scored = 0;

  TermId Intern(std::string_view term, bool is_neutral = false) {
    bool inserted = false;
    const TermId id = terms.Intern(term, &inserted);
    if (inserted) {
      df.push_back(0);
      log_df1.push_back(0.0);
      postings.emplace_back();
      neutral.push_back(is_neutral ? 1 : 0);
    }
    return id;
  }

  static unsigned LangGroup(const ClusterDoc& doc) { return text::IsChinese(doc.lang) ? 2u : 1u; }

  TermVector Vectorize(const ClusterDoc& doc) {
    TermVector raw;
    raw.reserve(doc.title_terms.size() + doc.body_terms.size() + doc.entity_terms.size());
    for (const std::string& t : doc.title_terms) raw.emplace_back(Intern(t), options.title_weight);
    for (const std::string& t : doc.body_terms) raw.emplace_back(Intern(t), 1.0);
    for (const std::string& t : doc.entity_terms) {
      raw.emplace_back(Intern(t, true), options.entity_weight);
    }
    std::sort(raw.begin(), raw.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    TermVector v;
    v.reserve(raw.size());
    for (const auto& [t, w] : raw) {
      if (!v.empty() && v.back().first == t) {
        v.back().second += w;
      } else {
        v.emplace_back(t, w);
      }
    }
    return v;
  }

  void CountDocument(const TermVector& v) {
    ++docs_seen;
    for (const auto& [t, w] : v) {
      ++df[t];
      log_df1[t] = std::log(static_cast<double>(df[t]) + 1.0);
    }
  }

  // idf = log((N+1)/(df+1)) + 1, with log(N+1) passed in.
  double Idf(TermId t, double log_n1) const { return log_n1 - log_df1[t] + 1.0; }
  double LogN1() const { return std::log(static_cast<double>(docs_seen) + 1.0); }

  // Too old to join.
  bool Expired(UnixTime last_active, UnixTime now) const {
    return now - last_active > options.window_seconds;
  }
  // Too old to be followed up as well: dropped from memory.
  bool Retired(UnixTime last_active, UnixTime now) const {
    return now - last_active > std::max(options.window_seconds, options.follow_window_seconds);
  }

  UnixTime DocTime(const ClusterDoc& doc) {
    const UnixTime t = doc.published != 0 ? doc.published : latest;
    latest = std::max(latest, t);
    return t;
  }

  // The slot of story `id`, taking a free one for a story not held.
  std::uint32_t SlotFor(std::int64_t id) {
    if (auto it = slot_of.find(id); it != slot_of.end()) return it->second;
    std::uint32_t s = 0;
    if (!free_slots.empty()) {
      s = free_slots.back();
      free_slots.pop_back();
    } else {
      s = static_cast<std::uint32_t>(slots.size());
      slots.emplace_back();
      slot_story.push_back(0);
      slot_gen.push_back(0);
      slot_last_active.push_back(0);
      acc_dot.push_back(0);
      acc_neutral.push_back(0);
      acc_add.push_back(0);
      acc_term.push_back(0);
    }
    slots[s] = Cluster{};
    slot_story[s] = id;
    slot_of[id] = s;
    return s;
  }

  // Frees slot `s` (its postings die with the generation) and returns its story.
  Cluster FreeSlot(std::uint32_t s) {
    slot_of.erase(slot_story[s]);
    slot_story[s] = 0;
    ++slot_gen[s];
    free_slots.push_back(s);
    return std::exchange(slots[s], Cluster{});
  }

  // The posting of slot `s` in the postings of `term`, looked for among the newest few
  // only (a story's postings are recent while it is active), or nullptr.
  Posting* FindPosting(TermId term, std::uint32_t s) {
    auto& plist = postings[term];
    const std::size_t stop = plist.size() > kPostingLookBack ? plist.size() - kPostingLookBack : 0;
    for (std::size_t i = plist.size(); i > stop; --i) {
      Posting& p = plist[i - 1];
      if (p.slot == s && p.gen == slot_gen[s]) return &p;
    }
    return nullptr;
  }

  // Records the centroid weight of `term` in slot `s`: in place when its posting is among
  // the newest, else as a new posting (the older one becomes a duplicate, which scans skip
  // and CompactTerms() removes).
  void SetPosting(TermId term, std::uint32_t s, double weight) {
    if (Posting* p = FindPosting(term, s)) {
      p->weight = static_cast<float>(weight);
    } else {
      postings[term].push_back({s, slot_gen[s], static_cast<float>(weight)});
    }
  }

  // Adds `add` (sorted by term), times `scale`, to the centroid of slot `s`.
  void MergeCentroid(std::uint32_t s, const TermVector& add, double scale) {
    Cluster& c = slots[s];
    TermVector merged;
    merged.reserve(c.centroid.size() + add.size());
    auto a = c.centroid.begin();
    auto b = add.begin();
    while (a != c.centroid.end() || b != add.end()) {
      if (b == add.end() || (a != c.centroid.end() && a->first < b->first)) {
        merged.push_back(*a++);
      } else if (a == c.centroid.end() || b->first < a->first) {
        merged.emplace_back(b->first, b->second * scale);
        postings[b->first].push_back({s, slot_gen[s], static_cast<float>(merged.back().second)});
        ++b;
      } else {
        merged.emplace_back(a->first, a->second + b->second * scale);
        SetPosting(a->first, s, merged.back().second);
        ++a;
        ++b;
      }
    }
    c.centroid.swap(merged);
  }

  // Norms, the centroid cap and the dense copy of last_active after `s` changed.
  void Refresh(std::uint32_t s) {
    Cluster& c = slots[s];
    slot_last_active[s] = c.last_active;
    if (c.centroid.size() > kCentroidCap + kCentroidSlack) PruneCentroid(s);
    CentroidNorms(c, LogN1(), &c.norm_at_update, &c.neutral_norm_at_update);
  }

  void AddToCluster(std::uint32_t s, const TermVector& v, UnixTime t, unsigned group) {
    Cluster& c = slots[s];
    if (c.members == 0) c.first_active = t;
    c.first_active = std::min(c.first_active, t);
    c.lang_groups |= group;
    double norm2 = 0;
    for (const auto& [term, w] : v) norm2 += w * w;
    MergeCentroid(s, v, norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0);
    c.last_active = std::max(c.last_active, t);
    ++c.members;
    Refresh(s);
  }

  // Merges the story in slot `gone` into the one in slot `keep` (members, centroid, times,
  // languages) and frees `gone`.
  void MergeStories(std::uint32_t keep, std::uint32_t gone) {
    Cluster g = FreeSlot(gone);
    MergeCentroid(keep, g.centroid, 1.0);
    Cluster& c = slots[keep];
    c.members += g.members;
    c.first_active = std::min(c.first_active, g.first_active);
    c.last_active = std::max(c.last_active, g.last_active);
    c.lang_groups |= g.lang_groups;
    Refresh(keep);
  }

  // L2 norms of the TF-IDF centroid and of its language-independent part.
  void CentroidNorms(const Cluster& c, double log_n1, double* norm, double* neutral_norm) const {
    double norm2 = 0, neutral2 = 0;
    for (const auto& [t, w] : c.centroid) {
      const double y = w * Idf(t, log_n1);
      norm2 += y * y;
      if (neutral[t]) neutral2 += y * y;
    }
    *norm = std::sqrt(norm2);
    *neutral_norm = std::sqrt(neutral2);
  }

  // Keeps the kCentroidCap terms of highest TF-IDF weight; the postings of dropped terms
  // die (those not among the newest go stale and are removed by CompactTerms()).
  void PruneCentroid(std::uint32_t s) {
    Cluster& c = slots[s];
    const double log_n1 = LogN1();
    std::vector<std::pair<double, TermId>> ranked;
    ranked.reserve(c.centroid.size());
    for (const auto& [t, w] : c.centroid) ranked.emplace_back(w * Idf(t, log_n1), t);
    std::nth_element(ranked.begin(), ranked.begin() + kCentroidCap, ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = kCentroidCap; i < ranked.size(); ++i) {
      if (Posting* p = FindPosting(ranked[i].second, s)) p->slot = kNoSlot;
    }
    ranked.resize(kCentroidCap);
    TermVector kept;
    kept.reserve(kCentroidCap);
    for (const auto& [score, t] : ranked) kept.emplace_back(t, *FindTerm(c.centroid, t));
    std::sort(kept.begin(), kept.end());
    c.centroid.swap(kept);
  }

  // Moves stories idle beyond the window out of the join index (into the follow-up index
  // while they can still be followed up) and drops retired ones. Their postings die with
  // the slot and are removed by CompactTerms().
  void SweepStories(UnixTime now) {
    const double log_n1 = LogN1();
    for (std::uint32_t s = 0; s < slots.size(); ++s) {
      if (slot_story[s] == 0 || !Expired(slots[s].last_active, now)) continue;
      const std::int64_t id = slot_story[s];
      Cluster c = FreeSlot(s);
      if (Retired(c.last_active, now)) continue;
      // Index its highest-weighted terms for follow-up search.
      std::vector<std::pair<double, TermId>> ranked;
      ranked.reserve(c.centroid.size());
      for (const auto& [t, w] : c.centroid) ranked.emplace_back(w * Idf(t, log_n1), t);
      const std::size_t k = std::min(kFollowIndexTerms, ranked.size());
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k),
                        ranked.end(), std::greater<>());
      for (std::size_t i = 0; i < k; ++i) {
        const TermId t = ranked[i].second;
        if (follow_postings.size() <= t) follow_postings.resize(postings.size());
        follow_postings[t].push_back(id);
      }
      followable.insert_or_assign(id, std::move(c));
    }
    for (auto it = followable.begin(); it != followable.end();) {
      it = Retired(it->second.last_active, now) ? followable.erase(it) : std::next(it);
    }
  }

  // Compacts the postings of the next `count` terms (a cursor that wraps around the
  // dictionary, so every term is visited once per about kSweepEvery adds without a pause):
  // drops dead, stale and duplicate postings and refreshes weights from the centroids.
  void CompactTerms(std::size_t count) {
    for (std::size_t k = 0; k < count && !postings.empty(); ++k) {
      if (compact_cursor >= postings.size()) compact_cursor = 0;
      const std::size_t t = compact_cursor++;
      if (t < follow_postings.size()) {
        std::erase_if(follow_postings[t],
                      [&](std::int64_t id) { return followable.count(id) == 0; });
      }
      auto& plist = postings[t];
      if (plist.empty()) continue;
      // Newest first, so that of duplicate postings the newest is kept.
      const std::uint64_t mark = ++compact_mark;
      for (auto r = plist.rbegin(); r != plist.rend(); ++r) {
        if (r->slot == kNoSlot || slot_gen[r->slot] != r->gen) {
          r->slot = kNoSlot;
          continue;
        }
        Cluster& c = slots[r->slot];
        const double* w = FindTerm(c.centroid, static_cast<TermId>(t));
        if (c.sweep_mark == mark || w == nullptr) {
          r->slot = kNoSlot;
        } else {
          c.sweep_mark = mark;
          r->weight = static_cast<float>(*w);
        }
      }
      std::erase_if(plist, [](const Posting& p) { return p.slot == kNoSlot; });
      if (plist.capacity() > 2 * plist.size() + 16) plist.shrink_to_fit();
    }
  }

  Assignment Add(const ClusterDoc& doc) {
    const UnixTime now = DocTime(doc);
    const TermVector v = Vectorize(doc);
    CountDocument(v);
    last_scored = 0;

    Assignment result;
    const unsigned group = LangGroup(doc);
    std::int64_t follow = 0;
    std::optional<std::uint32_t> second;
    const std::optional<std::uint32_t> best =
        v.empty() ? std::nullopt : FindBest(v, group, now, &result.score, &follow, &second);
    std::uint32_t slot = 0;
    if (best.has_value()) {
      slot = *best;
      if (second.has_value()) {
        // The document bridges two stories: the younger merges into the older.
        std::uint32_t gone = *second;
        const Cluster& a = slots[slot];
        const Cluster& b = slots[gone];
        if (std::pair(b.first_active, slot_story[gone]) <
            std::pair(a.first_active, slot_story[slot])) {
          std::swap(slot, gone);
        }
        result.merged = slot_story[gone];
        MergeStories(slot, gone);
      }
      result.cluster = slot_story[slot];
    } else {
      if (follow == 0 && !v.empty()) follow = FindFollowed(v, now);
      result.cluster = new_cluster_id();
      result.created = true;
      result.score = 0;
      result.follows = follow;
      slot = SlotFor(result.cluster);
    }
    AddToCluster(slot, v, now, group);
    // Expired stories leave every kSweepEvery adds (a walk over the stories in memory,
    // which the windows bound); the postings are compacted a slice of terms at a time.
    if (++adds_since_sweep >= kSweepEvery) {
      adds_since_sweep = 0;
      SweepStories(now);
    }
    CompactTerms(postings.size() / kSweepEvery + 1);
    return result;
  }

  // The score needed to join: lower for short documents (a headline alone), whose sparse
  // vectors reach lower cosines with a story than a full report does.
  double Threshold(std::size_t terms) const {
    const double lo = static_cast<double>(options.short_terms);
    const double hi = static_cast<double>(options.long_terms);
    const double x =
        hi > lo ? std::clamp((static_cast<double>(terms) - lo) / (hi - lo), 0.0, 1.0) : 1.0;
    return options.short_threshold + (options.threshold - options.short_threshold) * x;
  }

  // Cosine of `v` with a story over all terms and over the language-independent ones.
  void Cosines(const TermVector& v, const Cluster& c, double log_n1, double doc_norm,
               double doc_neutral, double* cosine, double* neutral_cosine) const {
    double c_norm = 0, c_neutral = 0;
    CentroidNorms(c, log_n1, &c_norm, &c_neutral);
    double dot = 0, neutral_dot = 0;
    auto a = v.begin();
    auto b = c.centroid.begin();
    while (a != v.end() && b != c.centroid.end()) {
      if (a->first < b->first) {
        ++a;
      } else if (b->first < a->first) {
        ++b;
      } else {
        const double idf = Idf(a->first, log_n1);
        const double d = a->second * idf * b->second * idf;
        dot += d;
        if (neutral[a->first]) neutral_dot += d;
        ++a;
        ++b;
      }
    }
    *cosine = c_norm > 0 && doc_norm > 0 ? dot / (doc_norm * c_norm) : 0.0;
    *neutral_cosine =
        c_neutral > 0 && doc_neutral > 0 ? neutral_dot / (doc_neutral * c_neutral) : 0.0;
  }

  bool FollowUp(const Cluster& c, UnixTime now, double cosine, double neutral_cosine) const {
    return now - c.first_active >= options.follow_min_gap_seconds &&
           cosine >= options.follow_threshold && neutral_cosine >= options.follow_actors_threshold;
  }

  // The document's terms weighted by TF-IDF (heaviest first) and its norms.
  std::vector<std::pair<double, TermId>> Weighted(const TermVector& v, double log_n1,
                                                  double* doc_norm, double* doc_neutral) const {
    std::vector<std::pair<double, TermId>> weighted;
    weighted.reserve(v.size());
    double norm2 = 0, neutral2 = 0;
    for (const auto& [t, w] : v) {
      const double x = w * Idf(t, log_n1);
      weighted.emplace_back(x, t);
      norm2 += x * x;
      if (neutral[t]) neutral2 += x * x;
    }
    std::sort(weighted.begin(), weighted.end(), std::greater<>());
    *doc_norm = std::sqrt(norm2);
    *doc_neutral = std::sqrt(neutral2);
    return weighted;
  }

  // The story among those too old to join that a new story starting with `v` follows up,
  // or 0: candidates from the follow index (bounded scans), the best few scored in full.
  std::int64_t FindFollowed(const TermVector& v, UnixTime now) {
    if (followable.empty()) return 0;
    const double log_n1 = LogN1();
    double doc_norm = 0, doc_neutral = 0;
    const auto weighted = Weighted(v, log_n1, &doc_norm, &doc_neutral);
    const std::size_t q = std::min(kQueryTerms, weighted.size());
    std::unordered_map<std::int64_t, double> partial;
    std::size_t budget = kMaxFollowPostings;
    for (std::size_t qi = 0; qi < q && budget > 0; ++qi) {
      const auto [x, term] = weighted[qi];
      if (term >= follow_postings.size()) continue;
      const auto& plist = follow_postings[term];
      const std::size_t take = std::min({plist.size(), kMaxNeutralPostingScan, budget});
      for (std::size_t i = plist.size() - take; i < plist.size(); ++i) partial[plist[i]] += x;
      budget -= take;
    }
    std::vector<std::pair<double, std::int64_t>> ranked(partial.size());
    std::size_t i = 0;
    for (const auto& [id, d] : partial) ranked[i++] = {d, id};
    const std::size_t n = std::min(kMaxScored, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                      std::greater<>());
    std::int64_t best = 0;
    double best_cosine = 0;
    for (std::size_t r = 0; r < n; ++r) {
      auto it = followable.find(ranked[r].second);
      if (it == followable.end() || Retired(it->second.last_active, now)) continue;
      double cosine = 0, neutral_cosine = 0;
      Cosines(v, it->second, log_n1, doc_norm, doc_neutral, &cosine, &neutral_cosine);
      if (FollowUp(it->second, now, cosine, neutral_cosine) && cosine > best_cosine) {
        best_cosine = cosine;
        best = it->first;
      }
    }
    return best;
  }

  // The slot of the best story to join and its score, or nullopt when none reaches the
  // threshold. Also sets *follow to the story a new story would follow up (0 if none), and,
  // when merging is on, *second to another story the document joins as strongly.
  std::optional<std::uint32_t> FindBest(const TermVector& v, unsigned group, UnixTime now,
                                        double* score, std::int64_t* follow,
                                        std::optional<std::uint32_t>* second) {
    *score = 0;
    *follow = 0;
    second->reset();
    const double log_n1 = LogN1();
    double doc_norm = 0, doc_neutral = 0;
    auto weighted = Weighted(v, log_n1, &doc_norm, &doc_neutral);
    if (doc_norm <= 0) return std::nullopt;
    // The query: the highest-weighted terms, then every language-independent term (the
    // only ones that can find a story in another language).
    if (weighted.size() > kQueryTerms) {
      std::stable_partition(weighted.begin() + kQueryTerms, weighted.end(),
                            [&](const auto& e) { return neutral[e.second] != 0; });
    }
    std::size_t q = std::min(kQueryTerms, weighted.size());
    const std::size_t q_words = q;
    while (q < weighted.size() && q < q_words + kExtraNeutralTerms && neutral[weighted[q].second]) {
      ++q;
    }

    // Candidate stories from the postings of the query terms, with a partial dot product
    // (the weights the postings carry).
    ++add_stamp;
    touched.clear();
    std::size_t budget = kMaxPostingsPerAdd;
    for (std::size_t qi = 0; qi < q && budget > 0; ++qi) {
      const auto [x, term] = weighted[qi];
      const double xi = x * Idf(term, log_n1);
      const bool is_neutral = neutral[term] != 0;
      ++term_stamp;
      auto& plist = postings[term];
      std::size_t live = 0;
      std::size_t i = plist.size();
      std::size_t lowest = i;
      bool any_dead = false;
      const std::size_t limit =
          std::min(qi < q_words ? kMaxPostingScan : kMaxNeutralPostingScan, budget);
      while (i > 0 && live < limit) {
        --i;
        lowest = i;
        Posting& p = plist[i];
        if (p.slot == kNoSlot || slot_gen[p.slot] != p.gen ||
            Retired(slot_last_active[p.slot], now)) {
          p.slot = kNoSlot;
          any_dead = true;
          continue;
        }
        ++live;
        const std::uint32_t s = p.slot;
        if (acc_add[s] != add_stamp) {
          acc_add[s] = add_stamp;
          acc_dot[s] = 0;
          acc_neutral[s] = 0;
          touched.push_back(s);
        }
        if (acc_term[s] == term_stamp) continue;  // duplicate posting
        acc_term[s] = term_stamp;
        const double d = xi * p.weight;
        acc_dot[s] += d;
        if (is_neutral) acc_neutral[s] += d;
      }
      budget -= live;
      if (any_dead) {
        plist.erase(std::remove_if(plist.begin() + static_cast<std::ptrdiff_t>(lowest), plist.end(),
                                   [](const Posting& p) { return p.slot == kNoSlot; }),
                    plist.end());
      }
    }
    if (touched.empty()) return std::nullopt;

    // Rank by the partial cosine (query terms only, norm as of the last update) and score
    // only the best few in full.
    std::vector<std::pair<double, std::uint32_t>> ranked;
    ranked.reserve(touched.size());
    for (const std::uint32_t s : touched) {
      const Cluster& c = slots[s];
      double r = c.norm_at_update > 0 ? acc_dot[s] / (c.norm_at_update * doc_norm) : 0.0;
      if (c.neutral_norm_at_update > 0 && doc_neutral > 0) {
        r = std::max(r, acc_neutral[s] / (c.neutral_norm_at_update * doc_neutral));
      }
      ranked.emplace_back(r, s);
    }
    const std::size_t n = std::min(kMaxScored, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                      std::greater<>());

    const double window_days =
        std::max(1.0, static_cast<double>(options.window_seconds) / kSecondsPerDay);
    std::optional<std::uint32_t> best_slot;
    double best_score = 0, second_score = 0;
    double best_follow = 0;
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t s = ranked[r].second;
      const Cluster& c = slots[s];
      ++last_scored;
      double cosine = 0, neutral_cosine = 0;
      Cosines(v, c, log_n1, doc_norm, doc_neutral, &cosine, &neutral_cosine);
      // A story with members in another language is also judged by what can be compared
      // across languages.
      double raw = cosine;
      if ((c.lang_groups & ~group) != 0) {
        raw = std::max(raw, options.cross_lingual_factor * neutral_cosine);
      }
      // Age counts from the story's first report: days after an event, a report that is
      // still close to it is more likely a new development than more of the same.
      const double age_days =
          static_cast<double>(std::max<UnixTime>(0, now - c.first_active)) / kSecondsPerDay;
      const double sc = raw / (1.0 + age_days / window_days);
      if (FollowUp(c, now, cosine, neutral_cosine) && cosine > best_follow) {
        best_follow = cosine;
        *follow = slot_story[s];
      }
      if (Expired(c.last_active, now)) continue;
      if (sc > best_score) {
        second_score = best_score;
        *second = best_slot;
        best_score = sc;
        best_slot = s;
      } else if (sc > second_score) {
        second_score = sc;
        *second = s;
      }
    }
    const double threshold = Threshold(v.size());
    if (!best_slot.has_value() || best_score < threshold) {
      second->reset();
      return std::nullopt;
    }
    if (!options.merge_stories || second_score < std::max(threshold, options.merge_threshold)) {
      second->reset();
    }
    *score = best_score;
    return best_slot;
  }
};

Clusterer::Clusterer(ClusterOptions options, std::function<std::int64_t()> new_cluster_id)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->new_cluster_id = std::move(new_cluster_id);
}

Clusterer::~Clusterer() = default;

void Clusterer::Seed(std::int64_t cluster, const ClusterDoc& doc) {
  const UnixTime t = impl_->DocTime(doc);
  const TermVector v = impl_->Vectorize(doc);
  impl_->CountDocument(v);
  impl_->AddToCluster(impl_->SlotFor(cluster), v, t, Impl::LangGroup(doc));
}

Assignment Clusterer::Add(const ClusterDoc& doc) { return impl_->Add(doc); }

std::size_t Clusterer::last_candidates_scored() const { return impl_->last_scored; }

std::size_t Clusterer::cluster_count() const {
  return impl_->slot_of.size() + impl_->followable.size();
}

}  // namespace nd::cluster
