// Quality threshold on the labelled set tests/data/cluster/labelled.jsonl (English,
// Simplified and Traditional Chinese; stories that share countries and actors, follow-ups,
// near-duplicates, different spellings of one name): BCubed precision, recall and F1 over
// all pairs and over cross-lingual pairs only (English vs Chinese), with no model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/cluster.h"
#include "core/time.h"
#include "core/types.h"
#include "text/text.h"

namespace nd::cluster {
namespace {

struct Item {
  std::string id;
  std::string story;
  std::string thread;
  bool chinese = false;
  Article article;
};

std::vector<Item> LoadLabelled() {
  const std::string path = std::string(ND_TEST_DATA_DIR) + "/cluster/labelled.jsonl";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Item> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    Item it;
    it.id = j.at("id").get<std::string>();
    it.story = j.at("story").get<std::string>();
    it.thread = j.value("thread", it.story);
    it.article.id = static_cast<std::int64_t>(out.size() + 1);
    it.article.title = j.at("title").get<std::string>();
    it.article.blocks.push_back({BlockKind::kParagraph, j.at("text").get<std::string>()});
    it.article.lang = j.at("lang").get<std::string>();
    it.chinese = text::IsChinese(it.article.lang);
    it.article.published = ParseDateTime(j.at("published").get<std::string>());
    out.push_back(std::move(it));
  }
  return out;
}

struct Scores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// BCubed over the pairs (i, j) that `counts(i, j)` admits (i with itself always counts
// when all pairs do; cross-lingual pairs never include it): per item, precision is the
// share of admitted items in its predicted cluster that share its gold story, recall the
// share of admitted items of its gold story in its predicted cluster; items with no
// admitted item in the cluster (or story) are left out of that average.
template <typename Admit>
Scores BCubed(const std::vector<Item>& items, const std::vector<std::int64_t>& pred, Admit counts) {
  double p = 0, r = 0;
  int np = 0, nr = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    double both = 0, same_pred = 0, same_gold = 0;
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (!counts(i, j)) continue;
      const bool g = items[i].story == items[j].story;
      const bool q = pred[i] == pred[j];
      both += (g && q) ? 1 : 0;
      same_pred += q ? 1 : 0;
      same_gold += g ? 1 : 0;
    }
    if (same_pred > 0) p += both / same_pred, ++np;
    if (same_gold > 0) r += both / same_gold, ++nr;
  }
  Scores s;
  s.precision = np ? p / np : 0;
  s.recall = nr ? r / nr : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

struct ClusterRun {
  std::vector<std::int64_t> cluster;
  std::map<std::int64_t, std::int64_t> follows;  // new cluster -> cluster it follows
  int merges = 0;
};

ClusterRun Cluster(const std::vector<Item>& items) {
  std::int64_t next = 1;
  Clusterer clusterer({}, [&] { return next++; });
  ClusterRun run;
  for (const Item& it : items) {
    const Assignment a = clusterer.Add(MakeClusterDoc(it.article));
    if (a.merged != 0) {
      // The members of the merged story (and follow-up links to it) move to the survivor.
      ++run.merges;
      std::replace(run.cluster.begin(), run.cluster.end(), a.merged, a.cluster);
      for (auto& [story, followed] : run.follows) {
        if (followed == a.merged) followed = a.cluster;
      }
      if (auto f = run.follows.find(a.merged); f != run.follows.end()) {
        if (run.follows.count(a.cluster) == 0 && f->second != a.cluster) {
          run.follows[a.cluster] = f->second;
        }
        run.follows.erase(f);
      }
    }
    run.cluster.push_back(a.cluster);
    if (a.follows != 0) run.follows[a.cluster] = a.follows;
  }
  std::cout << "stories merged by later evidence: " << run.merges << "\n";
  return run;
}

TEST(ClusterQualityTest, LabelledSetBCubed) {
  const std::vector<Item> items = LoadLabelled();
  ASSERT_GE(items.size(), 100u);
  const ClusterRun run = Cluster(items);
  const Scores all = BCubed(items, run.cluster, [](std::size_t, std::size_t) { return true; });
  const Scores cross = BCubed(items, run.cluster, [&](std::size_t i, std::size_t j) {
    return items[i].chinese != items[j].chinese;
  });
  std::cout << "labelled set: " << items.size() << " articles\n"
            << "BCubed overall P=" << all.precision << " R=" << all.recall << " F1=" << all.f1
            << "\nBCubed cross-lingual P=" << cross.precision << " R=" << cross.recall
            << " F1=" << cross.f1 << "\n";
  // Diagnostics: gold stories split, and predicted clusters that mix stories.
  std::map<std::string, std::set<std::int64_t>> by_story;
  std::map<std::int64_t, std::set<std::string>> by_cluster;
  for (std::size_t i = 0; i < items.size(); ++i) {
    by_story[items[i].story].insert(run.cluster[i]);
    by_cluster[run.cluster[i]].insert(items[i].story);
  }
  for (const auto& [story, clusters] : by_story) {
    if (clusters.size() == 1) continue;
    std::cout << "split " << story << ":";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].story == story) {
        std::cout << " " << items[i].id << "(" << items[i].article.lang << ")->" << run.cluster[i];
      }
    }
    std::cout << "\n";
  }
  for (const auto& [c, stories] : by_cluster) {
    if (stories.size() < 2) continue;
    std::cout << "merged cluster " << c << ":";
    for (const std::string& s : stories) std::cout << " " << s;
    std::cout << "\n";
  }
  EXPECT_GE(all.f1, 0.90);
  EXPECT_GE(cross.f1, 0.80);
}

// A follow-up (a story of the same thread as an earlier story) is linked to it: of the
// predicted links, most are right, and most follow-up stories get one.
TEST(ClusterQualityTest, LabelledSetFollowUps) {
  const std::vector<Item> items = LoadLabelled();
  const ClusterRun run = Cluster(items);
  // Majority gold story of each predicted cluster, and the first story of each thread.
  std::map<std::int64_t, std::map<std::string, int>> votes;
  for (std::size_t i = 0; i < items.size(); ++i) ++votes[run.cluster[i]][items[i].story];
  std::map<std::int64_t, std::string> story_of;
  for (const auto& [c, v] : votes) {
    int best = 0;
    for (const auto& [s, n] : v) {
      if (n > best) best = n, story_of[c] = s;
    }
  }
  std::map<std::string, std::string> thread_of, first_of_thread;
  for (const Item& it : items) {
    thread_of[it.story] = it.thread;
    first_of_thread.try_emplace(it.thread, it.story);
  }
  int expected = 0;
  for (const auto& [story, thread] : thread_of) expected += first_of_thread[thread] != story;
  int right = 0, wrong = 0;
  std::set<std::string> found;
  for (const auto& [c, f] : run.follows) {
    const std::string& s = story_of[c];
    const std::string& t = story_of[f];
    const bool ok = s != t && thread_of[s] == thread_of[t];
    std::cout << "follow-up: " << s << " follows " << t << (ok ? "" : "  (wrong)") << "\n";
    if (ok) {
      ++right;
      found.insert(s);
    } else {
      ++wrong;
    }
  }
  std::cout << "follow-ups: " << found.size() << " of " << expected << " found, " << wrong
            << " wrong links\n";
  ASSERT_GT(expected, 0);
  EXPECT_GE(static_cast<double>(found.size()) / expected, 0.5);
  EXPECT_LE(wrong, right);
}

}  // namespace
}  // namespace nd::cluster
