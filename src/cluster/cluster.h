// cluster: article -> story. Online and incremental: each article, in time order, joins
// the most similar recent story or starts a new one. Similarity is TF-IDF cosine between
// the article and a story's centroid, over text::MatchTerms (so Simplified and Traditional
// Chinese match), with the title weighted up, limited to stories active within a time
// window. Candidates come from an inverted index of terms -> stories, so the cost of one
// assignment does not grow with the archive.
//
// Stories idle beyond the window are dropped from memory lazily; Seed() brings one back.
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
};

// Builds a ClusterDoc from an article (text::MatchTerms on title and body).
ClusterDoc MakeClusterDoc(const Article& article);

struct ClusterOptions {
  double threshold = 0.16;              // minimum score to join a story (tuned on
                                        // tests/data/cluster/small.jsonl: F1 plateau 0.10-0.22)
  UnixTime window_seconds = 4 * 86400;  // stories idle longer than this are not joined
  double title_weight = 3.0;
};

struct Assignment {
  std::int64_t cluster = 0;
  bool created = false;
  double score = 0.0;  // similarity to the joined story; 0 when created
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
