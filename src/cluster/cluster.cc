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

constexpr std::int64_t kDeadPosting = std::numeric_limits<std::int64_t>::min();
constexpr double kSecondsPerDay = 86400.0;

using TermId = std::uint32_t;
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
  std::uint64_t sweep_mark = 0;  // Sweep(): (epoch << 32 | term) of the last posting seen
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

  std::unordered_map<std::string, TermId> term_ids;
  std::vector<std::uint32_t> df;  // by TermId: documents seen that hold the term
  std::vector<double> log_df1;    // by TermId: log(df + 1), kept so IDF needs no log()
  std::vector<std::vector<std::int64_t>> postings;  // by TermId: stories, oldest first
  std::vector<char> neutral;                        // by TermId: a language-independent term
  std::int64_t docs_seen = 0;

  std::unordered_map<std::int64_t, Cluster> clusters;  // joinable (until the next sweep)
  // Stories too old to join but young enough to be followed up: moved here by Sweep() and
  // found through their own small index of their highest-weighted terms, so that they do
  // not weigh on the search for a story to join.
  std::unordered_map<std::int64_t, Cluster> followable;
  std::vector<std::vector<std::int64_t>> follow_postings;  // by TermId
  UnixTime latest = 0;  // latest document time seen (stands in for unknown times)
  std::size_t adds_since_sweep = 0;
  std::uint64_t sweep_epoch = 0;
  std::size_t last_scored = 0;

  TermId Intern(const std::string& term, bool is_neutral = false) {
    auto [it, inserted] = term_ids.try_emplace(term, static_cast<TermId>(df.size()));
    if (inserted) {
      df.push_back(0);
      log_df1.push_back(0.0);
      postings.emplace_back();
      neutral.push_back(is_neutral ? 1 : 0);
    }
    return it->second;
  }

  static unsigned LangGroup(const ClusterDoc& doc) { return text::IsChinese(doc.lang) ? 2u : 1u; }

  TermVector Vectorize(const ClusterDoc& doc) {
    std::unordered_map<TermId, double> weights;
    for (const std::string& t : doc.title_terms) weights[Intern(t)] += options.title_weight;
    for (const std::string& t : doc.body_terms) weights[Intern(t)] += 1.0;
    for (const std::string& t : doc.entity_terms) {
      weights[Intern(t, true)] += options.entity_weight;
    }
    TermVector v(weights.begin(), weights.end());
    std::sort(v.begin(), v.end());
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

  // Too old to join.
  bool Expired(const Cluster& c, UnixTime now) const {
    return now - c.last_active > options.window_seconds;
  }
  // Too old to be followed up as well: dropped from memory.
  bool Retired(const Cluster& c, UnixTime now) const {
    return now - c.last_active > std::max(options.window_seconds, options.follow_window_seconds);
  }

  UnixTime DocTime(const ClusterDoc& doc) {
    const UnixTime t = doc.published != 0 ? doc.published : latest;
    latest = std::max(latest, t);
    return t;
  }

  void AddToCluster(std::int64_t id, Cluster& c, const TermVector& v, UnixTime t, unsigned group) {
    if (c.members == 0) c.first_active = t;
    c.first_active = std::min(c.first_active, t);
    c.lang_groups |= group;
    double norm2 = 0;
    for (const auto& [term, w] : v) norm2 += w * w;
    const double inv = norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0;
    // Merge two term-sorted vectors.
    TermVector merged;
    merged.reserve(c.centroid.size() + v.size());
    auto a = c.centroid.begin();
    auto b = v.begin();
    while (a != c.centroid.end() || b != v.end()) {
      if (b == v.end() || (a != c.centroid.end() && a->first < b->first)) {
        merged.push_back(*a++);
      } else if (a == c.centroid.end() || b->first < a->first) {
        merged.emplace_back(b->first, b->second * inv);
        postings[b->first].push_back(id);
        ++b;
      } else {
        merged.emplace_back(a->first, a->second + b->second * inv);
        ++a;
        ++b;
      }
    }
    c.centroid.swap(merged);
    c.last_active = std::max(c.last_active, t);
    ++c.members;
    if (c.centroid.size() > kCentroidCap + kCentroidSlack) PruneCentroid(c);
    CentroidNorms(c, std::log(static_cast<double>(docs_seen) + 1.0), &c.norm_at_update,
                  &c.neutral_norm_at_update);
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

  // Keeps the kCentroidCap terms of highest TF-IDF weight. Postings of dropped terms go
  // stale and are removed when next scanned.
  void PruneCentroid(Cluster& c) {
    const double log_n1 = std::log(static_cast<double>(docs_seen) + 1.0);
    std::vector<std::pair<double, TermId>> ranked;
    ranked.reserve(c.centroid.size());
    for (const auto& [t, w] : c.centroid) ranked.emplace_back(w * Idf(t, log_n1), t);
    std::nth_element(ranked.begin(), ranked.begin() + kCentroidCap, ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    ranked.resize(kCentroidCap);
    TermVector kept;
    kept.reserve(kCentroidCap);
    for (const auto& [score, t] : ranked) kept.emplace_back(t, *FindTerm(c.centroid, t));
    std::sort(kept.begin(), kept.end());
    c.centroid.swap(kept);
  }

  // Drops stories idle beyond the window from memory and compacts the postings.
  void Sweep(UnixTime now) {
    const double log_n1 = std::log(static_cast<double>(docs_seen) + 1.0);
    for (auto it = clusters.begin(); it != clusters.end();) {
      if (!Expired(it->second, now)) {
        ++it;
        continue;
      }
      if (!Retired(it->second, now)) {
        // Index its highest-weighted terms for follow-up search.
        const Cluster& c = it->second;
        std::vector<std::pair<double, TermId>> ranked;
        ranked.reserve(c.centroid.size());
        for (const auto& [t, w] : c.centroid) ranked.emplace_back(w * Idf(t, log_n1), t);
        const std::size_t k = std::min(kFollowIndexTerms, ranked.size());
        std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k),
                          ranked.end(), std::greater<>());
        for (std::size_t i = 0; i < k; ++i) {
          const TermId t = ranked[i].second;
          if (follow_postings.size() <= t) follow_postings.resize(postings.size());
          follow_postings[t].push_back(it->first);
        }
        followable.insert_or_assign(it->first, std::move(it->second));
      }
      it = clusters.erase(it);
    }
    for (auto it = followable.begin(); it != followable.end();) {
      it = Retired(it->second, now) ? followable.erase(it) : std::next(it);
    }
    for (auto& plist : follow_postings) {
      std::erase_if(plist, [&](std::int64_t id) { return followable.count(id) == 0; });
    }
    ++sweep_epoch;
    for (std::size_t t = 0; t < postings.size(); ++t) {
      auto& plist = postings[t];
      if (plist.empty()) continue;
      // Newest first, so that of duplicate postings (a pruned term that came back) the
      // newest is kept.
      const std::uint64_t mark = (sweep_epoch << 32) | t;
      for (auto r = plist.rbegin(); r != plist.rend(); ++r) {
        auto it = clusters.find(*r);
        if (it == clusters.end() || it->second.sweep_mark == mark ||
            FindTerm(it->second.centroid, static_cast<TermId>(t)) == nullptr) {
          *r = kDeadPosting;
        } else {
          it->second.sweep_mark = mark;
        }
      }
      std::erase(plist, kDeadPosting);
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
    const std::optional<std::int64_t> best =
        v.empty() ? std::nullopt : FindBest(v, group, now, &result.score, &follow);
    if (best.has_value()) {
      result.cluster = *best;
    } else {
      if (follow == 0 && !v.empty()) follow = FindFollowed(v, now);
      result.cluster = new_cluster_id();
      result.created = true;
      result.score = 0;
      result.follows = follow;
    }
    AddToCluster(result.cluster, clusters[result.cluster], v, now, group);
    // Sweeping walks every posting, so it runs about once per (number of stories) adds:
    // constant amortised cost per add.
    if (++adds_since_sweep >= std::max(kSweepEvery, clusters.size())) {
      adds_since_sweep = 0;
      Sweep(now);
    }
    return result;
  }

  // The best story to join and its score, or nullopt when none reaches the threshold.
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

  // The story among those too old to join that a new story starting with `v` follows up,
  // or 0: candidates from the follow index (bounded scans), the best few scored in full.
  std::int64_t FindFollowed(const TermVector& v, UnixTime now) {
    if (followable.empty()) return 0;
    const double log_n1 = std::log(static_cast<double>(docs_seen) + 1.0);
    std::vector<std::pair<double, TermId>> weighted;
    double doc_norm2 = 0, doc_neutral2 = 0;
    for (const auto& [t, w] : v) {
      const double x = w * Idf(t, log_n1);
      weighted.emplace_back(x, t);
      doc_norm2 += x * x;
      if (neutral[t]) doc_neutral2 += x * x;
    }
    const std::size_t q = std::min(kQueryTerms, weighted.size());
    std::partial_sort(weighted.begin(), weighted.begin() + static_cast<std::ptrdiff_t>(q),
                      weighted.end(), std::greater<>());
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
      if (it == followable.end() || Retired(it->second, now)) continue;
      double cosine = 0, neutral_cosine = 0;
      Cosines(v, it->second, log_n1, std::sqrt(doc_norm2), std::sqrt(doc_neutral2), &cosine,
              &neutral_cosine);
      if (FollowUp(it->second, now, cosine, neutral_cosine) && cosine > best_cosine) {
        best_cosine = cosine;
        best = it->first;
      }
    }
    return best;
  }

  // Also sets *follow to the story a new story would follow up (0 if none).
  std::optional<std::int64_t> FindBest(const TermVector& v, unsigned group, UnixTime now,
                                       double* score, std::int64_t* follow) {
    *score = 0;
    *follow = 0;
    const double log_n1 = std::log(static_cast<double>(docs_seen) + 1.0);
    std::vector<std::pair<double, TermId>> weighted;  // (tf-idf, term)
    weighted.reserve(v.size());
    double doc_norm2 = 0, doc_neutral2 = 0;
    for (const auto& [t, w] : v) {
      const double x = w * Idf(t, log_n1);
      weighted.emplace_back(x, t);
      doc_norm2 += x * x;
      if (neutral[t]) doc_neutral2 += x * x;
    }
    if (doc_norm2 <= 0) return std::nullopt;
    // The query: the highest-weighted terms, then every language-independent term (the
    // only ones that can find a story in another language).
    std::sort(weighted.begin(), weighted.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    if (weighted.size() > kQueryTerms) {
      std::stable_partition(weighted.begin() + kQueryTerms, weighted.end(),
                            [&](const auto& e) { return neutral[e.second] != 0; });
    }
    std::size_t q = std::min(kQueryTerms, weighted.size());
    const std::size_t q_words = q;
    while (q < weighted.size() && q < q_words + kExtraNeutralTerms && neutral[weighted[q].second]) {
      ++q;
    }

    // Candidate stories from the postings of the query terms, with a partial dot product.
    struct Partial {
      double dot = 0;
      double neutral_dot = 0;
      std::size_t last_term = std::numeric_limits<std::size_t>::max();
    };
    std::unordered_map<std::int64_t, Partial> partial;
    std::size_t budget = kMaxPostingsPerAdd;
    for (std::size_t qi = 0; qi < q && budget > 0; ++qi) {
      const auto [x, term] = weighted[qi];
      const double idf = Idf(term, log_n1);
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
        const std::int64_t id = plist[i];
        auto it = clusters.find(id);
        if (it == clusters.end() || Retired(it->second, now)) {
          plist[i] = kDeadPosting;
          any_dead = true;
          continue;
        }
        const double* c = FindTerm(it->second.centroid, term);
        if (c == nullptr) {
          plist[i] = kDeadPosting;
          any_dead = true;
          continue;
        }
        ++live;
        Partial& p = partial[id];
        if (p.last_term == qi) continue;  // duplicate posting
        p.last_term = qi;
        p.dot += x * *c * idf;
        if (neutral[term]) p.neutral_dot += x * *c * idf;
      }
      budget -= live;
      if (any_dead) {
        plist.erase(std::remove(plist.begin() + static_cast<std::ptrdiff_t>(lowest), plist.end(),
                                kDeadPosting),
                    plist.end());
      }
    }
    if (partial.empty()) return std::nullopt;

    // Rank by the partial cosine (query terms only, norm as of the last update) and score
    // only the best few in full.
    std::vector<std::pair<double, std::int64_t>> ranked;
    ranked.reserve(partial.size());
    const double doc_norm = std::sqrt(doc_norm2);
    const double doc_neutral = std::sqrt(doc_neutral2);
    for (const auto& [id, p] : partial) {
      const Cluster& c = clusters.at(id);
      double r = c.norm_at_update > 0 ? p.dot / (c.norm_at_update * doc_norm) : 0.0;
      if (c.neutral_norm_at_update > 0 && doc_neutral > 0) {
        r = std::max(r, p.neutral_dot / (c.neutral_norm_at_update * doc_neutral));
      }
      ranked.emplace_back(r, id);
    }
    const std::size_t n = std::min(kMaxScored, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + n, ranked.end(), std::greater<>());

    const double window_days =
        std::max(1.0, static_cast<double>(options.window_seconds) / kSecondsPerDay);
    std::optional<std::int64_t> best_id;
    double best_score = 0;
    double best_follow = 0;
    for (std::size_t r = 0; r < n; ++r) {
      const Cluster& c = clusters.at(ranked[r].second);
      ++last_scored;
      double c_norm = 0, c_neutral = 0;
      CentroidNorms(c, log_n1, &c_norm, &c_neutral);
      if (c_norm <= 0) continue;
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
      const double cosine = dot / (doc_norm * c_norm);
      const double neutral_cosine =
          c_neutral > 0 && doc_neutral > 0 ? neutral_dot / (doc_neutral * c_neutral) : 0.0;
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
      const double s = raw / (1.0 + age_days / window_days);
      if (now - c.first_active >= options.follow_min_gap_seconds &&
          cosine >= options.follow_threshold && neutral_cosine >= options.follow_actors_threshold &&
          cosine > best_follow) {
        best_follow = cosine;
        *follow = ranked[r].second;
      }
      if (Expired(c, now)) continue;
      if (s > best_score) {
        best_score = s;
        best_id = ranked[r].second;
      }
    }
    if (!best_id.has_value() || best_score < Threshold(v.size())) return std::nullopt;
    *score = best_score;
    return best_id;
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
  impl_->AddToCluster(cluster, impl_->clusters[cluster], v, t, Impl::LangGroup(doc));
}

Assignment Clusterer::Add(const ClusterDoc& doc) { return impl_->Add(doc); }

std::size_t Clusterer::last_candidates_scored() const { return impl_->last_scored; }

std::size_t Clusterer::cluster_count() const {
  return impl_->clusters.size() + impl_->followable.size();
}

}  // namespace nd::cluster
