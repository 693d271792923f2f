#include "relate/relate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "text/text.h"

namespace nd::relate {
namespace {

constexpr UnixTime kDay = 86400;
constexpr UnixTime kT0 = 1772409600;  // 2026-03-02T00:00:00Z

// Whitespace terms: these tests check the index, not the text analysis.
std::vector<std::string> Terms(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

RelateDoc Doc(std::int64_t id, UnixTime t, const std::string& words) {
  RelateDoc d;
  d.id = id;
  d.time = t;
  d.terms = Terms(words);
  return d;
}

bool Contains(const std::vector<std::int64_t>& v, std::int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A small archive: two quake stories, two copper stories, a rates story, a probe story.
void AddArchive(RelatedIndex& index) {
  index.Add(Doc(1, kT0, "chile earthquake valparaiso magnitude aftershock damage homes"));
  index.Add(Doc(2, kT0 + 2 * kDay,
                "valparaiso earthquake aftershock homes damaged schools inspect chile"));
  index.Add(Doc(3, kT0 + kDay, "chile copper mine strike union pay escondida"));
  index.Add(Doc(4, kT0 + 3 * kDay, "escondida copper strike talks mediator union chile"));
  index.Add(Doc(5, kT0 + kDay, "ecb interest rate inflation euro bank"));
  index.Add(Doc(6, kT0 + 5 * kDay, "europa probe launch jupiter rocket ocean"));
}

TEST(RelatedIndexTest, SameTopicRanksFirst) {
  RelatedIndex index;
  AddArchive(index);
  std::vector<std::int64_t> r = index.Related(1, 5);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], 2);
  EXPECT_FALSE(Contains(r, 1));  // never itself
  r = index.Related(3, 5);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], 4);
  // Sharing only the country ranks below the same event.
  r = index.Related(4, 5);
  ASSERT_GE(r.size(), 2u);
  EXPECT_EQ(r[0], 3);
}

TEST(RelatedIndexTest, FoldedChineseScriptsRelate) {
  RelatedIndex index;
  index.Add({1, kT0, text::MatchTerms("台风海鸥在福建登陆，厦门机场航班取消", "zh-Hans"), {}});
  index.Add({2, kT0, text::MatchTerms("成渝中线高铁开通，成都至重庆五十分钟", "zh-Hans"), {}});
  index.Add({3, kT0, text::MatchTerms("颱風海鷗登陸福建，廈門機場航班全數取消", "zh-Hant"), {}});
  const std::vector<std::int64_t> r = index.Related(1, 2);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], 3);
}

TEST(RelatedIndexTest, KIsRespected) {
  RelatedIndex index;
  AddArchive(index);
  EXPECT_EQ(index.Related(1, 3).size(), 3u);
  EXPECT_EQ(index.Related(1, 1).size(), 1u);
  EXPECT_TRUE(index.Related(1, 0).empty());
  EXPECT_TRUE(index.Related(99, 3).empty());  // unknown id
  // The archive holds five others: asking for more gives all five, each once.
  const std::vector<std::int64_t> all = index.Related(1, 10);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 5u);
}

TEST(RelatedIndexTest, ReplaceRemovesOldTerms) {
  RelatedIndex index;
  AddArchive(index);
  ASSERT_EQ(index.Related(1, 1), std::vector<std::int64_t>{2});
  // Story 2 is rewritten about the probe: it no longer relates to the quake by its terms.
  index.Add(Doc(2, kT0 + 5 * kDay, "europa probe solar arrays jupiter spacecraft"));
  std::vector<std::int64_t> r = index.Related(1, 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0], 2);
  r = index.Related(6, 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], 2);
  // Replacing does not duplicate the document.
  const std::vector<std::int64_t> all = index.Related(6, 10);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(std::count(all.begin(), all.end(), 2), 1);
}

TEST(RelatedIndexTest, FillsWithNearestInTime) {
  RelatedIndex index;
  index.Add(Doc(1, kT0, "alpha beta gamma"));
  index.Add(Doc(2, kT0 + 10 * kDay, "delta epsilon"));
  index.Add(Doc(3, kT0 - 1 * kDay, "zeta eta"));
  index.Add(Doc(4, kT0 + 2 * kDay, "theta iota"));
  index.Add(Doc(5, kT0 - 30 * kDay, "kappa lambda"));
  index.Add(Doc(6, kT0 + 40 * kDay, "gamma mu"));  // shares a term: scored first
  EXPECT_EQ(index.Related(1, 4), (std::vector<std::int64_t>{6, 3, 4, 2}));
  EXPECT_EQ(index.Related(1, 10).size(), 5u);
}

TEST(RelatedIndexTest, NearDuplicatesAreNotBothChosen) {
  RelatedIndex index;
  index.Add(Doc(1, kT0, "flood river rain town evacuate bridge"));
  index.Add(Doc(2, kT0, "flood river rain town evacuate"));
  index.Add(Doc(3, kT0, "flood river rain town evacuate"));  // copy of 2
  index.Add(Doc(4, kT0, "flood river bridge repair"));
  index.Add(Doc(5, kT0, "chess final"));
  const std::vector<std::int64_t> r = index.Related(1, 2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0] == 2 || r[0] == 3);
  EXPECT_EQ(r[1], 4);
}

TEST(RelatedIndexTest, KeysRelateAcrossLanguages) {
  RelatedIndex index;
  // English and Chinese reports of one quake share no lexical term, only keys.
  RelateDoc en = Doc(1, kT0, "turkey malatya earthquake magnitude killed injured");
  en.keys = {"country:TR", "city:malatya", "concept:earthquake", "#6.1", "#85"};
  RelateDoc zh{2, kT0, text::MatchTerms("土耳其马拉蒂亚发生6.1级地震", "zh-Hans"), {}};
  zh.keys = {"country:TR", "city:malatya", "concept:earthquake", "#6.1", "#85"};
  RelateDoc other = Doc(3, kT0, "peru arequipa earthquake magnitude killed injured");
  other.keys = {"country:PE", "concept:earthquake", "#6.4"};
  RelateDoc zh_other{4, kT0, text::MatchTerms("秘鲁发生6.4级地震", "zh-Hans"), {}};
  zh_other.keys = {"country:PE", "concept:earthquake", "#6.4"};
  for (const RelateDoc& d : {en, zh, other, zh_other}) index.Add(d);
  std::vector<std::int64_t> r = index.Related(1, 3);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], 2);  // the same event in Chinese beats a similar English event
  r = index.Related(4, 3);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0], 3);
}

TEST(RelatedIndexTest, KeysFromText) {
  const std::vector<std::string> en =
      CrossLingualKeys("A magnitude 6.1 earthquake struck eastern Turkey, killing 85.", "en");
  const std::vector<std::string> zh =
      CrossLingualKeys("土耳其东部发生6.1级地震，85人死亡。", "zh-Hans");
  int shared = 0;
  for (const std::string& k : en) shared += std::count(zh.begin(), zh.end(), k) > 0 ? 1 : 0;
  EXPECT_GE(shared, 2) << "English and Chinese keys of one report should meet";
}

TEST(RelatedIndexTest, ThreadComesFirst) {
  RelatedIndex index;
  AddArchive(index);
  // Story 7 follows up the copper strike (4) with few shared words; 8 follows 7.
  RelateDoc follow = Doc(7, kT0 + 9 * kDay, "miners return work deal signed");
  follow.follows = 4;
  index.Add(follow);
  RelateDoc later = Doc(8, kT0 + 12 * kDay, "output recovers after deal");
  later.follows = 7;
  index.Add(later);
  std::vector<std::int64_t> r = index.Related(3, 5);
  ASSERT_GE(r.size(), 2u);
  EXPECT_EQ(r[0], 4);  // the best lexical match, not in a thread with 3
  r = index.Related(4, 5);
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r[0], 7);  // its follow-up, then the follow-up's follow-up
  EXPECT_EQ(r[1], 8);
  EXPECT_EQ(r[2], 3);
  r = index.Related(8, 4);
  ASSERT_GE(r.size(), 2u);
  EXPECT_EQ(r[0], 7);
  EXPECT_EQ(r[1], 4);
  // Replacing a document without the link removes it from the thread.
  later.follows = 0;
  index.Add(later);
  r = index.Related(4, 2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], 7);
  EXPECT_NE(r[1], 8);
}

}  // namespace
}  // namespace nd::relate
