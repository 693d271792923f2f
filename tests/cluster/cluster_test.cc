#include "cluster/cluster.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/types.h"

namespace nd::cluster {
namespace {

constexpr UnixTime kDay = 86400;
constexpr UnixTime kT0 = 1772409600;  // 2026-03-02T00:00:00Z

struct Labelled {
  std::string name;
  std::string story;
  Article article;
};

// Reads tests/data/cluster/small.jsonl: {id, title, text, lang, published, story}.
std::vector<Labelled> LoadSmallSet() {
  const std::string path = std::string(ND_TEST_DATA_DIR) + "/cluster/small.jsonl";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    Labelled l;
    l.name = j.at("id").get<std::string>();
    l.story = j.at("story").get<std::string>();
    l.article.id = static_cast<std::int64_t>(out.size() + 1);
    l.article.title = j.at("title").get<std::string>();
    l.article.blocks.push_back({BlockKind::kParagraph, j.at("text").get<std::string>()});
    l.article.lang = j.at("lang").get<std::string>();
    l.article.published = ParseDateTime(j.at("published").get<std::string>());
    out.push_back(std::move(l));
  }
  return out;
}

struct BCubed {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// BCubed precision and recall: for each item, the share of its predicted cluster that has
// its gold label, and the share of its gold class that is in its predicted cluster.
BCubed ScoreBCubed(const std::vector<std::string>& gold, const std::vector<std::int64_t>& pred) {
  const std::size_t n = gold.size();
  BCubed b;
  for (std::size_t i = 0; i < n; ++i) {
    double same_both = 0, same_pred = 0, same_gold = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const bool g = gold[i] == gold[j];
      const bool p = pred[i] == pred[j];
      same_both += (g && p) ? 1 : 0;
      same_pred += p ? 1 : 0;
      same_gold += g ? 1 : 0;
    }
    b.precision += same_both / same_pred;
    b.recall += same_both / same_gold;
  }
  b.precision /= static_cast<double>(n);
  b.recall /= static_cast<double>(n);
  b.f1 = 2 * b.precision * b.recall / (b.precision + b.recall);
  return b;
}

std::function<std::int64_t()> Counter(std::int64_t start = 1) {
  return [next = start]() mutable { return next++; };
}

ClusterDoc Doc(std::int64_t id, UnixTime t, std::vector<std::string> title,
               std::vector<std::string> body) {
  ClusterDoc d;
  d.id = id;
  d.published = t;
  d.lang = "en";
  d.title_terms = std::move(title);
  d.body_terms = std::move(body);
  return d;
}

TEST(MakeClusterDocTest, FoldsScriptsAndCapsBody) {
  Article hans;
  hans.title = "台风登陆福建";
  hans.lang = "zh-Hans";
  Article hant;
  hant.title = "颱風登陸福建";
  hant.lang = "zh-Hant";
  const ClusterDoc a = MakeClusterDoc(hans);
  const ClusterDoc b = MakeClusterDoc(hant);
  EXPECT_FALSE(a.title_terms.empty());
  EXPECT_EQ(a.title_terms, b.title_terms);

  Article long_article;
  long_article.lang = "en";
  long_article.title = "Long";
  long_article.published = kT0;
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "word" + std::to_string(i) + " ";
  long_article.blocks.push_back({BlockKind::kParagraph, body});
  const ClusterDoc c = MakeClusterDoc(long_article);
  EXPECT_EQ(c.published, kT0);
  EXPECT_GT(c.body_terms.size(), 100u);
  EXPECT_LE(c.body_terms.size(), 400u);
}

TEST(ClustererTest, SmallSetBCubedF1) {
  const std::vector<Labelled> set = LoadSmallSet();
  ASSERT_GE(set.size(), 30u);
  Clusterer clusterer(ClusterOptions{}, Counter());
  std::vector<std::string> gold;
  std::vector<std::int64_t> pred;
  std::map<std::string, std::int64_t> by_name;
  for (const Labelled& l : set) {
    const Assignment a = clusterer.Add(MakeClusterDoc(l.article));
    gold.push_back(l.story);
    pred.push_back(a.cluster);
    by_name[l.name] = a.cluster;
  }
  std::string dump;
  for (std::size_t i = 0; i < set.size(); ++i) {
    dump += set[i].name + "->" + std::to_string(pred[i]) + " ";
  }
  const BCubed b = ScoreBCubed(gold, pred);
  std::printf("BCubed P=%.3f R=%.3f F1=%.3f\n%s\n", b.precision, b.recall, b.f1, dump.c_str());
  EXPECT_GE(b.f1, 0.85) << "P=" << b.precision << " R=" << b.recall << "\n" << dump;
  // Simplified and Traditional reports of one event meet (MatchTerms folds scripts).
  EXPECT_EQ(by_name["t1"], by_name["t2"]) << dump;
  EXPECT_EQ(by_name["h1"], by_name["h2"]) << dump;
  // Two events in one country stay apart.
  EXPECT_NE(by_name["q1"], by_name["m1"]) << dump;
}

// The default threshold sits inside a plateau, not on its edge: nearby values still work.
TEST(ClustererTest, SmallSetThresholdHasMargin) {
  const std::vector<Labelled> set = LoadSmallSet();
  const double base = ClusterOptions{}.threshold;
  for (double threshold : {base * 0.75, base * 1.25}) {
    ClusterOptions options;
    options.threshold = threshold;
    Clusterer clusterer(options, Counter());
    std::vector<std::string> gold;
    std::vector<std::int64_t> pred;
    for (const Labelled& l : set) {
      gold.push_back(l.story);
      pred.push_back(clusterer.Add(MakeClusterDoc(l.article)).cluster);
    }
    EXPECT_GE(ScoreBCubed(gold, pred).f1, 0.85) << "threshold " << threshold;
  }
}

TEST(ClustererTest, SameWordsOutsideWindowStartNewCluster) {
  ClusterOptions options;
  options.window_seconds = 4 * kDay;
  Clusterer clusterer(options, Counter(100));
  const std::vector<std::string> title = {"volcano", "erupt", "iceland"};
  const std::vector<std::string> body = {"volcano", "ash", "flight", "cancel", "reykjavik"};
  const Assignment first = clusterer.Add(Doc(1, kT0, title, body));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.cluster, 100);
  // A few hours later the same words join the story...
  const Assignment soon = clusterer.Add(Doc(2, kT0 + 3 * 3600, title, body));
  EXPECT_FALSE(soon.created);
  EXPECT_EQ(soon.cluster, 100);
  EXPECT_GT(soon.score, 0.5);
  // ...ten days later they start a new one.
  const Assignment late = clusterer.Add(Doc(3, kT0 + 10 * kDay, title, body));
  EXPECT_TRUE(late.created);
  EXPECT_EQ(late.cluster, 101);
  EXPECT_EQ(late.score, 0.0);
}

TEST(ClustererTest, SeedResumesStory) {
  Clusterer clusterer(ClusterOptions{}, Counter(500));
  clusterer.Seed(42, Doc(1, kT0, {"bridge", "collapse", "genoa"}, {"bridge", "rescue", "genoa"}));
  clusterer.Seed(43, Doc(2, kT0, {"election", "result", "peru"}, {"vote", "count", "lima"}));
  const Assignment a =
      clusterer.Add(Doc(3, kT0 + 3600, {"genoa", "bridge", "collapse"}, {"rescue", "dead"}));
  EXPECT_EQ(a.cluster, 42);
  EXPECT_FALSE(a.created);
  const Assignment b = clusterer.Add(Doc(4, kT0 + 7200, {"lima", "vote"}, {"peru", "count"}));
  EXPECT_EQ(b.cluster, 43);
  const Assignment c = clusterer.Add(Doc(5, kT0 + 7300, {"unrelated", "chess"}, {"match"}));
  EXPECT_TRUE(c.created);
  EXPECT_EQ(c.cluster, 500);
}

TEST(ClustererTest, EmptyDocumentStartsItsOwnCluster) {
  Clusterer clusterer(ClusterOptions{}, Counter());
  EXPECT_TRUE(clusterer.Add(Doc(1, kT0, {}, {})).created);
  EXPECT_TRUE(clusterer.Add(Doc(2, kT0, {}, {})).created);
}

// 20,000 synthetic reports, five per event, one minute apart: every Add scores a bounded
// number of candidates, events are found, and expired stories leave memory.
TEST(ClustererTest, ManyDocumentsBoundedCandidates) {
  constexpr int kDocs = 20000;
  constexpr int kPerEvent = 5;
  ClusterOptions options;
  options.follow_window_seconds = options.window_seconds;  // stories leave memory sooner
  options.short_threshold = options.threshold;             // synthetic documents: one threshold
  Clusterer clusterer(options, Counter());
  std::size_t max_scored = 0;
  int joined_own_event = 0;
  std::map<int, std::int64_t> event_cluster;
  std::uint64_t rng = 12345;
  auto next = [&rng]() {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(rng >> 33);
  };
  for (int i = 0; i < kDocs; ++i) {
    const int event = i / kPerEvent;
    std::vector<std::string> title = {"e" + std::to_string(event) + "a",
                                      "e" + std::to_string(event) + "b"};
    std::vector<std::string> body;
    for (int w = 0; w < 6; ++w)
      body.push_back("e" + std::to_string(event) + "w" + std::to_string(w));
    // Shared vocabulary: words every event uses, so postings of common terms grow long.
    for (int w = 0; w < 20; ++w) body.push_back("common" + std::to_string(next() % 50));
    const Assignment a = clusterer.Add(Doc(i + 1, kT0 + i * 60, title, body));
    max_scored = std::max(max_scored, clusterer.last_candidates_scored());
    if (i % kPerEvent == 0) {
      event_cluster[event] = a.cluster;
      EXPECT_TRUE(a.created) << "doc " << i;
    } else if (a.cluster == event_cluster[event]) {
      ++joined_own_event;
    }
  }
  EXPECT_LE(max_scored, 10u);
  EXPECT_GE(joined_own_event, kDocs / kPerEvent * (kPerEvent - 1) * 95 / 100);
  // The window (4 days = 5760 docs = 1152 events) bounds what stays in memory.
  EXPECT_LT(clusterer.cluster_count(), 2500u);
}

}  // namespace
}  // namespace nd::cluster

namespace nd::cluster {
namespace {

ClusterDoc EntityDoc(std::int64_t id, UnixTime t, std::vector<std::string> title,
                     std::vector<std::string> body, std::vector<std::string> entities,
                     std::string lang = "en") {
  ClusterDoc d = Doc(id, t, std::move(title), std::move(body));
  d.entity_terms = std::move(entities);
  d.lang = std::move(lang);
  return d;
}

// An English and a Chinese report of one event share no word, only entities and numbers.
TEST(ClustererTest, CrossLingualReportsMeetThroughEntities) {
  Clusterer clusterer(ClusterOptions{}, Counter());
  const Assignment en = clusterer.Add(
      EntityDoc(1, kT0, {"quak", "chile"}, {"magnitud", "struck", "coast", "valparaiso", "resid"},
                {"country:CL", "city:valparaiso", "concept:earthquake", "#6.8"}));
  // Another event with other entities, in between.
  clusterer.Add(EntityDoc(2, kT0 + 600, {"elect", "result"}, {"vote", "count", "parti"},
                          {"country:FR", "concept:election", "#42"}));
  const Assignment zh = clusterer.Add(
      EntityDoc(3, kT0 + 3600, {"智利", "地震"}, {"瓦尔帕莱索", "震级", "居民"},
                {"country:CL", "city:valparaiso", "concept:earthquake", "#6.8"}, "zh-Hans"));
  EXPECT_EQ(zh.cluster, en.cluster);
  const Assignment other =
      clusterer.Add(EntityDoc(4, kT0 + 7200, {"法国", "选举"}, {"投票", "政党"},
                              {"country:FR", "concept:election"}, "zh-Hant"));
  EXPECT_NE(other.cluster, en.cluster);
}

// A story with the same actors days later, past the join window, is a new story that
// follows the earlier one; with the earlier story moved out of the join index by a sweep
// (thousands of other stories in between), it is found through the follow-up index.
TEST(ClustererTest, FollowUpAfterWindowLinksToEarlierStory) {
  ClusterOptions options;
  Clusterer clusterer(options, Counter());
  const std::vector<std::string> actors = {"country:NL", "city:rotterdam", "concept:strike"};
  const Assignment first =
      clusterer.Add(EntityDoc(1, kT0, {"rotterdam", "port", "strike"},
                              {"lasher", "walk", "termin", "contain", "halt"}, actors));
  clusterer.Add(EntityDoc(2, kT0 + 3600, {"rotterdam", "strike", "ship"},
                          {"lasher", "termin", "queue", "contain"}, actors));
  // Filler: 5,000 unrelated stories over six days (forces sweeps).
  for (int i = 0; i < 5000; ++i) {
    const std::string w = "filler" + std::to_string(i);
    clusterer.Add(Doc(10 + i, kT0 + 7200 + i * 100, {w + "a", w + "b"}, {w + "c", w + "d"}));
  }
  const UnixTime later = kT0 + 8 * kDay;
  const Assignment follow =
      clusterer.Add(EntityDoc(9000, later, {"rotterdam", "strike", "end", "deal"},
                              {"lasher", "accept", "pay", "termin", "reopen"}, actors));
  EXPECT_TRUE(follow.created);
  EXPECT_EQ(follow.follows, first.cluster);
  // An unrelated new story follows nothing.
  const Assignment unrelated =
      clusterer.Add(EntityDoc(9001, later + 60, {"volcano", "erupt"}, {"ash", "flight"},
                              {"country:IS", "concept:volcano"}));
  EXPECT_TRUE(unrelated.created);
  EXPECT_EQ(unrelated.follows, 0);
}

}  // namespace
}  // namespace nd::cluster

namespace nd::cluster {
namespace {

// Two reports of one event that first formed two stories (the dam, the evacuation) are
// bridged by a later report carrying both sides' specifics: the younger story merges into
// the older one, and later reports of either side join the survivor.
class MergeTest : public ::testing::TestWithParam<bool> {};

TEST_P(MergeTest, BridgingReportMergesYoungerStoryIntoOlder) {
  const bool merge = GetParam();
  ClusterOptions options;
  options.merge_stories = merge;
  Clusterer clusterer(options, Counter(700));
  const std::vector<std::string> dam_title = {"dam", "burst", "valley"};
  const std::vector<std::string> dam_body = {"reservoir", "wall", "crack", "engineer", "spillway"};
  const std::vector<std::string> town_title = {"town", "evacuat", "flood"};
  const std::vector<std::string> town_body = {"rescue", "boat", "resid", "shelter", "roof"};
  const Assignment dam = clusterer.Add(Doc(1, kT0, dam_title, dam_body));
  const Assignment town = clusterer.Add(Doc(2, kT0 + 1800, town_title, town_body));
  ASSERT_TRUE(dam.created);
  ASSERT_TRUE(town.created);
  ASSERT_NE(dam.cluster, town.cluster);
  // Unrelated story in between: not touched by the merge.
  const Assignment other =
      clusterer.Add(Doc(3, kT0 + 2000, {"chess", "final", "draw"}, {"grandmast", "move"}));
  clusterer.Add(Doc(4, kT0 + 2400, dam_title, dam_body));
  clusterer.Add(Doc(5, kT0 + 2500, town_title, town_body));

  const Assignment bridge = clusterer.Add(
      Doc(6, kT0 + 3600, {"dam", "burst", "town", "evacuat"},
          {"reservoir", "crack", "spillway", "valley", "rescue", "boat", "resid", "shelter"}));
  EXPECT_FALSE(bridge.created);
  EXPECT_EQ(bridge.cluster, dam.cluster);
  if (!merge) {
    EXPECT_EQ(bridge.merged, 0);
    EXPECT_EQ(clusterer.Add(Doc(7, kT0 + 4000, town_title, town_body)).cluster, town.cluster);
    return;
  }
  EXPECT_EQ(bridge.merged, town.cluster);
  EXPECT_EQ(clusterer.cluster_count(), 2u);
  // Either side's words now find the surviving (older) story.
  const Assignment later_town = clusterer.Add(Doc(7, kT0 + 4000, town_title, town_body));
  EXPECT_EQ(later_town.cluster, dam.cluster);
  EXPECT_EQ(later_town.merged, 0);
  EXPECT_EQ(clusterer.Add(Doc(8, kT0 + 4100, dam_title, dam_body)).cluster, dam.cluster);
  EXPECT_EQ(clusterer.Add(Doc(9, kT0 + 4200, {"chess", "final"}, {"grandmast"})).cluster,
            other.cluster);
}

INSTANTIATE_TEST_SUITE_P(OnOff, MergeTest, ::testing::Bool());

// A report that matches one story strongly and another weakly does not merge them.
TEST(ClustererTest, WeakSecondMatchDoesNotMerge) {
  Clusterer clusterer(ClusterOptions{}, Counter(1));
  const Assignment a = clusterer.Add(
      Doc(1, kT0, {"wildfir", "spread", "canyon"}, {"firefight", "acr", "contain", "wind"}));
  const Assignment b = clusterer.Add(
      Doc(2, kT0 + 600, {"school", "budget", "vote"}, {"council", "teacher", "fund", "wind"}));
  ASSERT_NE(a.cluster, b.cluster);
  const Assignment c = clusterer.Add(Doc(3, kT0 + 1200, {"wildfir", "canyon", "spread"},
                                         {"firefight", "contain", "acr", "wind", "council"}));
  EXPECT_EQ(c.cluster, a.cluster);
  EXPECT_EQ(c.merged, 0);
  EXPECT_EQ(clusterer.cluster_count(), 2u);
}

}  // namespace
}  // namespace nd::cluster
