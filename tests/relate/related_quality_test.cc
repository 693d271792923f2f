// Related-item quality on the labelled set (tests/data/cluster/labelled.jsonl), through the
// code path of `newsdesk related --in FILE -k K` (app::RelatedJsonl).
//
// Definitions (also in docs/BENCHMARKS.md, "Related and search"):
// - relevant(a): the other articles of the set in the same story or the same thread as a.
// - precision@3 for an article: the share of its first 3 related items that are relevant,
//   out of min(3, |relevant(a)|) (an article with one relevant other can reach 1.0).
//   Averaged over the articles with at least one relevant other.
// - reciprocal rank: 1 / rank of the first relevant item in the related list (k = 6), 0
//   when none is listed; MRR is its mean over the same articles.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/batch.h"

namespace nd {
namespace {

using nlohmann::json;

const std::string kLabelled = std::string(ND_TEST_DATA_DIR) + "/cluster/labelled.jsonl";

struct Label {
  std::string story;
  std::string thread;
};

struct Quality {
  double precision_at_3 = 0;
  double mrr = 0;
  int articles = 0;  // articles with at least one relevant other
};

Quality Measure(const std::string& path, int k) {
  std::map<std::string, Label> labels;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json j = json::parse(line);
    labels[j.at("id").get<std::string>()] = {j.value("story", ""), j.value("thread", "")};
  }
  std::ostringstream out;
  std::ostringstream err;
  const Status st = app::RelatedJsonl(path, k, out, err);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(err.str(), "");

  auto relevant = [&](const std::string& a, const std::string& b) {
    const Label& x = labels.at(a);
    const Label& y = labels.at(b);
    return a != b && ((!x.story.empty() && x.story == y.story) ||
                      (!x.thread.empty() && x.thread == y.thread));
  };
  Quality q;
  std::istringstream lines(out.str());
  int rows = 0;
  for (std::string line; std::getline(lines, line);) {
    ++rows;
    const json j = json::parse(line);
    const std::string id = j.at("id").get<std::string>();
    int n_relevant = 0;
    for (const auto& [other, label] : labels) n_relevant += relevant(id, other) ? 1 : 0;
    if (n_relevant == 0) continue;
    const std::vector<std::string> related = j.at("related").get<std::vector<std::string>>();
    EXPECT_EQ(std::set<std::string>(related.begin(), related.end()).size(), related.size())
        << id << ": an item listed twice";
    EXPECT_EQ(std::count(related.begin(), related.end(), id), 0) << id << ": lists itself";
    int hits = 0;
    for (size_t i = 0; i < related.size() && i < 3; ++i) hits += relevant(id, related[i]);
    q.precision_at_3 += static_cast<double>(hits) / std::min(3, n_relevant);
    for (size_t i = 0; i < related.size(); ++i) {
      if (relevant(id, related[i])) {
        q.mrr += 1.0 / static_cast<double>(i + 1);
        break;
      }
    }
    ++q.articles;
  }
  EXPECT_EQ(rows, static_cast<int>(labels.size()));
  if (q.articles > 0) {
    q.precision_at_3 /= q.articles;
    q.mrr /= q.articles;
  }
  return q;
}

TEST(RelatedQualityTest, LabelledSetMeetsThresholds) {
  const Quality q = Measure(kLabelled, 6);
  ASSERT_GE(q.articles, 50) << "labelled set too small: " << kLabelled;
  std::cout << "related quality: articles=" << q.articles << " precision@3=" << q.precision_at_3
            << " mrr=" << q.mrr << "\n";
  EXPECT_GE(q.precision_at_3, 0.9);
  EXPECT_GE(q.mrr, 0.9);
}

}  // namespace
}  // namespace nd
