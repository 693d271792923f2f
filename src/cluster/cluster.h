// cluster: article -> story. Online and incremental: each article, in time order, joins
// the most similar recent story or starts a new one. Similarity is TF-IDF cosine between
// the article and a story's centroid, over text::MatchTerms (so Simplified and Traditional
// Chinese match), with the title weighted up, limited to stories active within a time
// window. Candidates come from an inverted index of terms -> stories, so the cost of one
// assignment does not grow with the archive.
//
// Thread-safety: a Clusterer is not thread-safe.
#pragma once

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
  double threshold = 0.22;              // minimum cosine to join a story
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nd::cluster
