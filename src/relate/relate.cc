#include "relate/relate.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "text/entities.h"
#include "text/numbers.h"

namespace nd::relate {
namespace {

constexpr std::size_t kQueryTerms = 40;  // the document's top terms used as the query
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;
constexpr double kTimeScaleSeconds = 14.0 * 86400.0;  // time factor halves at 14 days apart
constexpr std::size_t kMaxCommonPostings = 1500;
constexpr double kMaxSimilarity = 0.8;  // diversity: skip items this close to a chosen one
constexpr std::size_t kMaxKeys = 40;    // the document's keys used in the query
constexpr double kKeyWeight = 1.0;      // weight of the key cosine next to the lexical score
// Keys stored with this prefix share the term dictionary without meeting a lexical term.
constexpr char kKeyPrefix = '\x1f';

using TermId = std::uint32_t;

// A posting carries what BM25 and the time factor need, so scoring touches no document.
struct Posting {
  std::uint32_t ord;  // the document's ordinal (Impl::id_of)
  std::uint32_t tf;
  UnixTime time;
  std::uint32_t length;
};

struct Doc {
  UnixTime time = 0;
  std::uint32_t length = 0;                          // terms, with repeats
  std::vector<std::pair<TermId, std::uint32_t>> tf;  // sorted by term
  std::vector<TermId> keys;                          // distinct, sorted
};

// Candidate scores while answering one query.
struct Score {
  double lexical = 0;
  double keys = 0;  // sum of IDF of shared keys
  double time = 0;  // 0: not a candidate of this query
};

// Per-thread scratch for queries: a score per document ordinal, and the ordinals touched.
struct Scratch {
  std::vector<Score> scores;
  std::vector<std::uint32_t> touched;
};

}  // namespace

struct RelatedIndex::Impl {
  std::unordered_map<std::string, TermId> term_ids;
  std::vector<std::vector<Posting>> postings;  // by TermId
  std::unordered_map<std::int64_t, Doc> docs;
  // Documents have dense ordinals so a query scores into an array, not a hash map.
  std::unordered_map<std::int64_t, std::uint32_t> ord_of;
  std::vector<std::int64_t> id_of;
  std::set<std::pair<UnixTime, std::int64_t>> by_time;
  std::unordered_map<std::int64_t, std::int64_t> follows;              // doc -> earlier
  std::unordered_map<std::int64_t, std::set<std::int64_t>> followers;  // doc -> later ones
  std::uint64_t total_length = 0;

  TermId Intern(const std::string& term) {
    auto [it, inserted] = term_ids.try_emplace(term, static_cast<TermId>(postings.size()));
    if (inserted) postings.emplace_back();
    return it->second;
  }

  // BM25 IDF; never negative, so very common terms add little rather than subtract.
  double Idf(TermId t) const {
    const double n = static_cast<double>(docs.size());
    const double df = static_cast<double>(postings[t].size());
    return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  std::uint32_t Ordinal(std::int64_t id) {
    auto [it, inserted] = ord_of.try_emplace(id, static_cast<std::uint32_t>(id_of.size()));
    if (inserted) id_of.push_back(id);
    return it->second;
  }

  void RemovePosting(TermId t, std::int64_t id) {
    auto& plist = postings[t];
    const std::uint32_t ord = ord_of.at(id);
    auto p =
        std::find_if(plist.begin(), plist.end(), [&](const Posting& x) { return x.ord == ord; });
    if (p != plist.end()) {
      *p = plist.back();
      plist.pop_back();
    }
  }

  void Remove(std::int64_t id) {
    auto it = docs.find(id);
    if (it == docs.end()) return;
    for (const auto& [t, tf] : it->second.tf) RemovePosting(t, id);
    for (TermId k : it->second.keys) RemovePosting(k, id);
    if (auto f = follows.find(id); f != follows.end()) {
      followers[f->second].erase(id);
      follows.erase(f);
    }
    total_length -= it->second.length;
    by_time.erase({it->second.time, id});
    docs.erase(it);
  }

  void Add(const RelateDoc& in) {
    Remove(in.id);
    std::unordered_map<TermId, std::uint32_t> counts;
    for (const std::string& term : in.terms) ++counts[Intern(term)];
    Doc d;
    d.time = in.time;
    d.length = static_cast<std::uint32_t>(in.terms.size());
    d.tf.assign(counts.begin(), counts.end());
    std::sort(d.tf.begin(), d.tf.end());
    const std::uint32_t ord = Ordinal(in.id);
    for (const auto& [t, tf] : d.tf) postings[t].push_back({ord, tf, d.time, d.length});
    for (const std::string& key : in.keys) {
      if (!key.empty()) d.keys.push_back(Intern(kKeyPrefix + key));
    }
    std::sort(d.keys.begin(), d.keys.end());
    d.keys.erase(std::unique(d.keys.begin(), d.keys.end()), d.keys.end());
    for (TermId k : d.keys) postings[k].push_back({ord, 1, d.time, d.length});
    total_length += d.length;
    by_time.insert({d.time, in.id});
    if (in.follows != 0 && in.follows != in.id) {
      follows[in.id] = in.follows;
      followers[in.follows].insert(in.id);
    }
    docs.emplace(in.id, std::move(d));
  }

  // TF-IDF cosine of two documents, for the diversity rule.
  double Similarity(const Doc& a, const Doc& b) const {
    double dot = 0, na = 0, nb = 0;
    auto i = a.tf.begin();
    auto j = b.tf.begin();
    for (const auto& [t, tf] : a.tf) {
      const double w = tf * Idf(t);
      na += w * w;
    }
    for (const auto& [t, tf] : b.tf) {
      const double w = tf * Idf(t);
      nb += w * w;
    }
    while (i != a.tf.end() && j != b.tf.end()) {
      if (i->first < j->first) {
        ++i;
      } else if (j->first < i->first) {
        ++j;
      } else {
        const double idf = Idf(i->first);
        dot += i->second * idf * j->second * idf;
        ++i;
        ++j;
      }
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
  }

  // The documents linked to `id` by follow-ups, either way and transitively (bounded),
  // nearest in time first.
  std::vector<std::int64_t> Thread(std::int64_t id, UnixTime time) const {
    constexpr std::size_t kMaxThread = 64;
    std::vector<std::int64_t> found;
    std::set<std::int64_t> seen = {id};
    std::vector<std::int64_t> todo = {id};
    while (!todo.empty() && found.size() < kMaxThread) {
      const std::int64_t at = todo.back();
      todo.pop_back();
      auto visit = [&](std::int64_t other) {
        if (!seen.insert(other).second || !docs.contains(other)) return;
        found.push_back(other);
        todo.push_back(other);
      };
      if (auto f = follows.find(at); f != follows.end()) visit(f->second);
      if (auto f = followers.find(at); f != followers.end()) {
        for (std::int64_t later : f->second) visit(later);
      }
    }
    std::sort(found.begin(), found.end(), [&](std::int64_t a, std::int64_t b) {
      const auto da = std::abs(docs.at(a).time - time);
      const auto db = std::abs(docs.at(b).time - time);
      return da != db ? da < db : a < b;
    });
    return found;
  }

  std::vector<std::int64_t> Related(std::int64_t id, std::size_t k) const {
    std::vector<std::int64_t> out;
    auto self = docs.find(id);
    if (self == docs.end() || k == 0) return out;
    const Doc& doc = self->second;
    // The thread first.
    std::set<std::int64_t> in_thread;
    for (std::int64_t t : Thread(id, doc.time)) {
      if (out.size() >= std::max<std::size_t>(1, k >= 2 ? k - 2 : 1)) break;
      out.push_back(t);
      in_thread.insert(t);
    }
    if (out.size() >= k) return out;

    // The query: the document's own highest TF-IDF terms.
    std::vector<std::pair<double, TermId>> query;
    query.reserve(doc.tf.size());
    for (const auto& [t, tf] : doc.tf) query.emplace_back((1.0 + std::log(tf)) * Idf(t), t);
    const std::size_t q = std::min(kQueryTerms, query.size());
    std::partial_sort(query.begin(), query.begin() + q, query.end(), std::greater<>());

    const double avg_len =
        docs.empty() ? 1.0 : std::max(1.0, static_cast<double>(total_length) / docs.size());
    auto bm25 = [&](double idf, double tf, double length) {
      const double norm = kBm25K1 * (1.0 - kBm25B + kBm25B * length / avg_len);
      return idf * tf * (kBm25K1 + 1.0) / (tf + norm);
    };
    auto common = [&](TermId t) {
      // A term in thousands of documents says little and its postings are long: skip it
      // so a query stays within a few milliseconds however big the archive.
      return postings[t].size() > kMaxCommonPostings;
    };
    thread_local Scratch scratch;
    std::vector<Score>& scores = scratch.scores;
    std::vector<std::uint32_t>& touched = scratch.touched;
    if (scores.size() < id_of.size()) scores.resize(id_of.size());
    struct Reset {  // leaves the scratch clean on every return
      Scratch& s;
      ~Reset() {
        for (std::uint32_t o : s.touched) s.scores[o] = Score{};
        s.touched.clear();
      }
    } reset{scratch};
    const std::uint32_t self_ord = ord_of.at(id);
    auto score_of = [&](const Posting& p) -> Score& {
      Score& sc = scores[p.ord];
      if (sc.time == 0) {
        const double dt = std::abs(static_cast<double>(p.time - doc.time));
        sc.time = 1.0 / (1.0 + dt / kTimeScaleSeconds);
        touched.push_back(p.ord);
      }
      return sc;
    };
    // Lexical: BM25 of the query terms, divided by the document's score against itself.
    double self_lexical = 0;
    for (std::size_t qi = 0; qi < q; ++qi) {
      const TermId t = query[qi].second;
      if (common(t)) continue;
      const double idf = Idf(t);
      const auto own =
          std::lower_bound(doc.tf.begin(), doc.tf.end(), std::pair<TermId, std::uint32_t>{t, 0});
      self_lexical += bm25(idf, own->second, doc.length);
      for (const Posting& p : postings[t]) {
        if (p.ord != self_ord) score_of(p).lexical += bm25(idf, p.tf, p.length);
      }
    }
    // Keys: IDF-weighted cosine of the key sets (the rarest keys when there are many).
    std::vector<std::pair<double, TermId>> keys;
    for (TermId k : doc.keys) keys.emplace_back(Idf(k), k);
    const std::size_t nk = std::min(kMaxKeys, keys.size());
    std::partial_sort(keys.begin(), keys.begin() + nk, keys.end(), std::greater<>());
    double self_keys = 0;
    for (std::size_t ki = 0; ki < nk; ++ki) {
      const auto [idf, k] = keys[ki];
      self_keys += idf * idf;
      if (common(k)) continue;
      for (const Posting& p : postings[k]) {
        if (p.ord != self_ord) score_of(p).keys += idf * idf;
      }
    }
    auto key_norm = [&](std::int64_t other) {
      double sum = 0;
      for (TermId k : docs.at(other).keys) {
        const double idf = Idf(k);
        sum += idf * idf;
      }
      return sum;
    };

    std::vector<std::pair<double, std::int64_t>> ranked;
    ranked.reserve(touched.size());
    for (std::uint32_t o : touched) {
      const Score& s = scores[o];
      const std::int64_t other = id_of[o];
      double value = self_lexical > 0 ? s.lexical / self_lexical : 0.0;
      if (s.keys > 0 && self_keys > 0) {
        value += kKeyWeight * s.keys / std::sqrt(self_keys * std::max(key_norm(other), s.keys));
      }
      ranked.emplace_back(value * s.time, other);
    }
    // Best first; ties by id so results are deterministic. Only the head is sorted: the
    // diversity rule rarely looks far down.
    auto better = [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    const std::size_t head = std::min(ranked.size(), std::max<std::size_t>(4 * k, 32));
    std::partial_sort(ranked.begin(), ranked.begin() + head, ranked.end(), better);

    auto try_choose = [&](std::int64_t candidate) {
      if (in_thread.contains(candidate)) return;
      const Doc& c = docs.at(candidate);
      for (std::int64_t chosen : out) {
        if (Similarity(c, docs.at(chosen)) > kMaxSimilarity) return;
      }
      out.push_back(candidate);
    };
    for (std::size_t i = 0; i < ranked.size() && out.size() < k; ++i) {
      if (i == head) std::sort(ranked.begin() + head, ranked.end(), better);  // rarely
      try_choose(ranked[i].second);
    }
    if (out.size() >= k) return out;

    // Too few documents share terms: fill with the nearest in time, so every story gets up
    // to k related items when the archive has them.
    auto skip = [&](std::int64_t other) {
      return other == id || scores[ord_of.at(other)].time != 0;
    };
    auto after = by_time.upper_bound({doc.time, id});
    auto before = by_time.lower_bound({doc.time, id});  // points at self
    while (out.size() < k && (after != by_time.end() || before != by_time.begin())) {
      bool take_after = false;
      if (after == by_time.end()) {
        take_after = false;
      } else if (before == by_time.begin()) {
        take_after = true;
      } else {
        const auto prev = std::prev(before);
        take_after = (after->first - doc.time) < (doc.time - prev->first);
      }
      std::int64_t candidate;
      if (take_after) {
        candidate = after->second;
        ++after;
      } else {
        --before;
        candidate = before->second;
      }
      if (!skip(candidate)) try_choose(candidate);
    }
    return out;
  }
};

std::vector<std::string> CrossLingualKeys(std::string_view utf8, std::string_view lang) {
  std::vector<std::string> keys = text::EntityIds(utf8, lang);
  for (std::string& n : text::NumberTerms(utf8)) keys.push_back(std::move(n));
  return keys;
}

RelatedIndex::RelatedIndex() : impl_(std::make_unique<Impl>()) {}
RelatedIndex::~RelatedIndex() = default;

void RelatedIndex::Add(const RelateDoc& doc) { impl_->Add(doc); }

std::vector<std::int64_t> RelatedIndex::Related(std::int64_t id, std::size_t k) const {
  return impl_->Related(id, k);
}

}  // namespace nd::relate
