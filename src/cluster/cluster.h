// cluster: article -> story. Online and incremental: each article, in time order, joins
// the most similar recent story or starts a new one. Similarity is TF-IDF cosine between
// the article and a story's centroid, over text::MatchTerms (so Simplified and Traditional
// Chinese match), with the title weighted up, limited to stories active within a time
// window. Candidates come from an inverted index of terms -> stories, so the cost of one
// assignment does not grow with the archive.
//
// Across languages: each document also carries language-independent terms (gazetteer
// entity ids for countries, cities, organisations, people and event concepts, normalised
// numbers and dates: text::EntityIds, text::NumberTerms). They are part of the TF-IDF
// vector, and a story whose members are in another language than the document is also
// scored by the cosine over those terms alone, so that an English and a Chinese report of
// one event meet although they share no word.
//
// Follow-ups: a document that starts a new story is linked (Assignment::follows) to an
// earlier story that shares its actors strongly but is not the same event (too old to
// join, or too dissimilar in its words), so a new development is a new story in the
// thread of the earlier one.
//
// Merging: when a document joins two stories within the window strongly (both scores reach
// the join threshold and `merge_threshold`), the younger story merges into the older one
// (Assignment::merged names it; the caller redirects its members). The daemon (app
// process) turns this off, as the store has no story redirect yet; `newsdesk cluster`
// reports merged stories under the surviving id.
//
// Cost: postings hold 32-bit story slots and the weights needed to rank candidates, so the
// posting scan reads only dense arrays by slot; terms are interned in an open-addressing
// table. Stories idle beyond the join window leave the join index at the next sweep (and
// memory beyond the follow-up window); Seed() brings one back.
//
// Thread-safety: a Clusterer is not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace nd::cluster {

// An article reduced to what clustering needs.
struct ClusterDoc {
  std::int64_t id = 0;
  UnixTime published = 0;
  std::string lang;
  std::vector<std::string> title_terms;
  std::vector<std::string> body_terms;
  // Language-independent terms (entity ids, "#" numbers, "@" dates) of title and body.
  std::vector<std::string> entity_terms;
};

// Builds a ClusterDoc from an article (text::MatchTerms on title and body).
ClusterDoc MakeClusterDoc(const Article& article);

struct ClusterOptions {
  double threshold = 0.16;  // minimum score to join a story (tuned on
                            // tests/data/cluster/small.jsonl: F1 plateau 0.10-0.22)
  // Short documents (a headline alone: up to `short_terms` distinct terms) need only
  // `short_threshold`; the threshold rises linearly to `threshold` at `long_terms`. Tuned on
  // headlines (shared UCI set) and full reports (tests/data/cluster/labelled.jsonl).
  double short_threshold = 0.10;
  std::size_t short_terms = 16;
  std::size_t long_terms = 48;
  UnixTime window_seconds = 4 * 86400;  // stories idle longer than this are not joined
  double title_weight = 3.0;
  double entity_weight = 2.0;          // weight of one language-independent term
  double cross_lingual_factor = 0.75;  // multiplies the entity-only cosine across languages
  // Follow-ups: a new story follows the best earlier story (idle less than the follow
  // window, begun at least `follow_min_gap_seconds` earlier) whose cosine with the
  // document reaches `follow_threshold` (the same subject) and whose cosine over the
  // language-independent terms reaches `follow_actors_threshold` (the same actors).
  UnixTime follow_window_seconds = 21 * 86400;
  UnixTime follow_min_gap_seconds = 86400;
  double follow_threshold = 0.19;
  double follow_actors_threshold = 0.15;
  // Merging two stories bridged by a document (see above).
  bool merge_stories = true;
  double merge_threshold = 0.30;
};

struct Assignment {
  std::int64_t cluster = 0;
  bool created = false;
  double score = 0.0;        // similarity to the joined story; 0 when created
  std::int64_t follows = 0;  // when created: the earlier story this one follows up, or 0
  // A story merged into `cluster` by this assignment (its members now belong to
  // `cluster`), or 0.
  std::int64_t merged = 0;
};

class Clusterer {
 public:
  // `new_cluster_id` is called to obtain the id of each new cluster (e.g. a new story row).
  Clusterer(ClusterOptions options, std::function<std::int64_t()> new_cluster_id);
  ~Clusterer();
  Clusterer(const Clusterer&) = delete;
  Clusterer& operator=(const Clusterer&) = delete;

  // Adds a document already known to belong to `cluster` (to resume from the store).
  void Seed(std::int64_t cluster, const ClusterDoc& doc);
  // Assigns `doc` (REQUIRES: documents arrive in non-decreasing `published` order).
  Assignment Add(const ClusterDoc& doc);

  // Diagnostics: how many candidate stories the last Add() scored in full (bounded by a
  // constant, whatever the archive size), and how many stories are held in memory.
  std::size_t last_candidates_scored() const;
  std::size_t cluster_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nd::cluster
