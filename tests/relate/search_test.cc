// Search quality on a small fixed archive: expected top results for English, Simplified
// and Traditional Chinese, mixed-script and misspelled English queries; filters; article
// search; highlighted snippets. Runs once per Store backend: search_test for "sqlite";
// search_pg_test (compiled with ND_SEARCH_TEST_POSTGRES=1) for "postgres", each test on a
// database of its own on the cluster ctest starts (tests/support/pg_test_db.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/pg_test_db.h"

#ifndef ND_SEARCH_TEST_POSTGRES
#define ND_SEARCH_TEST_POSTGRES 0
#endif

namespace nd {
namespace {

namespace fs = std::filesystem;

constexpr UnixTime kDay = 86400;
constexpr UnixTime kT0 = 1772409600;  // 2026-03-02T00:00:00Z

fs::path MakeTempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  fs::path dir =
      fs::path(::testing::TempDir()) /
      ("nd_search_" + name + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

StoryText Text(const std::string& lang, const std::string& headline, const std::string& dek,
               const std::string& body) {
  StoryText t;
  t.lang = lang;
  t.headline = headline;
  t.dek.push_back({dek, {0}});
  t.body.push_back(Paragraph{{{body, {0}}}});
  return t;
}

// One story per event, each with a source article.
struct Fixture {
  std::string key;
  std::string lang;
  std::string section;
  UnixTime published;
  int source;  // 1 or 2
  StoryText text;
};

std::vector<Fixture> Archive() {
  return {
      {"tariff", "en", "business", kT0, 1,
       Text("en", "Steel tariffs raised to 25 percent",
            "The government raised tariffs on imported steel and aluminium.",
            "Importers said the tariff increase would lift prices for carmakers. Trade "
            "partners threatened to answer with duties on farm goods.")},
      {"quake", "en", "world", kT0 + kDay, 2,
       Text("en", "Earthquake shakes Valparaiso",
            "A magnitude 6.8 earthquake damaged homes along the Chilean coast.",
            "Aftershocks continued overnight while rescuers searched collapsed buildings "
            "in the port city.")},
      {"election", "en", "politics", kT0 + 2 * kDay, 1,
       Text("en", "Parliament calls early election",
            "Lawmakers voted to dissolve parliament and hold an election in June.",
            "The governing coalition collapsed after a budget dispute over pensions.")},
      {"typhoon", "zh-Hans", "world", kT0 + 3 * kDay, 2,
       Text("zh-Hans", "台风海鸥在福建登陆", "台风海鸥今晨在福建沿海登陆，厦门机场取消全部航班。",
            "气象部门发布红色预警，沿海居民已撤离。")},
      {"zh_tariff", "zh-Hant", "business", kT0 + 4 * kDay, 1,
       Text("zh-Hant", "美國宣布提高鋼鐵關稅", "美國政府宣布對進口鋼鐵加徵關稅。",
            "貿易夥伴表示將採取反制措施，汽車製造商擔心成本上升。")},
      {"rail", "zh-Hans", "china", kT0 + 5 * kDay, 2,
       Text("zh-Hans", "成渝中线高铁开通", "成都至重庆最快五十分钟。",
            "新线路设计时速三百五十公里，沿线设有多个车站。")},
      {"vaccine", "en", "health", kT0 + 6 * kDay, 1,
       Text("en", "Malaria vaccine rollout expands",
            "Health ministers approved wider use of the malaria vaccine for children.",
            "Clinics in twelve countries will receive doses before the rainy season.")},
  };
}

class SearchTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    std::string db;
    if (GetParam() == "sqlite") db = (dir_ / "newsdesk.db").string();
    if (GetParam() == "postgres") {
      const std::string error = pg_.Create("nd_search_");
      ASSERT_TRUE(error.empty()) << error;
      db = pg_.url();
    }
    auto opened = Store::Open(db);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Source s1;
    s1.url = "https://one.example/feed";
    Source s2;
    s2.url = "https://two.example/feed";
    auto id1 = store_->UpsertSource(s1);
    auto id2 = store_->UpsertSource(s2);
    ASSERT_TRUE(id1.ok() && id2.ok());
    for (const Fixture& f : Archive()) {
      Article a;
      a.url = "https://example.com/" + f.key;
      a.source_id = f.source == 1 ? *id1 : *id2;
      a.title = f.text.headline;
      a.lang = f.lang;
      a.section = f.section;
      a.published = f.published;
      a.blocks.push_back({BlockKind::kParagraph, f.text.dek.front().text});
      a.blocks.push_back({BlockKind::kParagraph, f.text.body.front().sentences.front().text});
      auto put = store_->PutArticle(a);
      ASSERT_TRUE(put.ok()) << put.status().ToString();
      auto story_id = store_->CreateStory();
      ASSERT_TRUE(story_id.ok());
      Story story;
      story.id = *story_id;
      story.lang = f.lang;
      story.section = f.section;
      story.first_published = f.published;
      story.first_article_id = put->id;
      story.article_ids = {put->id};
      story.texts = {f.text};
      ASSERT_TRUE(store_->SaveStory(story).ok());
      ASSERT_TRUE(store_->AssignArticle(put->id, story.id, 0).ok());
      story_of_[f.key] = story.id;
      article_of_[f.key] = put->id;
      source_ids_[f.source] = a.source_id;
    }
  }
  void TearDown() override {
    store_.reset();
    const std::string dropped = pg_.Drop();
    EXPECT_TRUE(dropped.empty()) << dropped;
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::vector<SearchHit> Find(SearchOptions o) {
    auto hits = store_->Search(o);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    return hits.ok() ? *hits : std::vector<SearchHit>{};
  }
  std::vector<SearchHit> Find(const std::string& q) {
    SearchOptions o;
    o.query = q;
    return Find(o);
  }
  // The story key of the top hit, or "" when none.
  std::string Top(const std::string& q) {
    const std::vector<SearchHit> hits = Find(q);
    if (hits.empty()) return "";
    for (const auto& [key, id] : story_of_) {
      if (id == hits.front().story_id) return key;
    }
    return "?";
  }

  fs::path dir_;
  pgtest::TestDatabase pg_;  // postgres: this test's database
  std::unique_ptr<Store> store_;
  std::map<std::string, std::int64_t> story_of_;
  std::map<std::string, std::int64_t> article_of_;
  std::map<int, std::int64_t> source_ids_;
};

TEST_P(SearchTest, EnglishStemmedQueries) {
  EXPECT_EQ(Top("tariff"), "tariff");
  EXPECT_EQ(Top("earthquakes Chile"), "quake");
  EXPECT_EQ(Top("elections parliament"), "election");
  EXPECT_EQ(Top("vaccinated children malaria"), "vaccine");
  EXPECT_TRUE(Find("volcano eruption").empty());
}

TEST_P(SearchTest, SimplifiedAndTraditionalQueriesFindBothScripts) {
  EXPECT_EQ(Top("关税"), "zh_tariff");     // Simplified query, Traditional story
  EXPECT_EQ(Top("關稅"), "zh_tariff");     // Traditional query
  EXPECT_EQ(Top("颱風 福建"), "typhoon");  // Traditional query, Simplified story
  EXPECT_EQ(Top("台风"), "typhoon");
  EXPECT_EQ(Top("高鐵 成都"), "rail");
}

TEST_P(SearchTest, MixedScriptQueries) {
  // Traditional and Simplified in one query, and Chinese with English.
  EXPECT_EQ(Top("鋼鐵关税"), "zh_tariff");
  EXPECT_EQ(Top("Valparaiso 地震 earthquake"), "quake");
  EXPECT_EQ(Top("厦门 機場 typhoon"), "typhoon");
}

TEST_P(SearchTest, MisspelledEnglishQueries) {
  EXPECT_EQ(Top("tarrifs"), "tariff");
  EXPECT_EQ(Top("earthqauke"), "quake");
  EXPECT_EQ(Top("parliment"), "election");
  EXPECT_EQ(Top("malria vacine"), "vaccine");
  // A correctly spelled word is not "corrected" to a neighbour.
  EXPECT_TRUE(Find("pension").size() == 1u);
}

TEST_P(SearchTest, Filters) {
  SearchOptions o;
  o.query = "tariff 关税 earthquake 台风";
  o.lang = "en";
  for (const SearchHit& h : Find(o)) EXPECT_EQ(h.lang, "en");
  o.lang = "zh";
  std::vector<SearchHit> zh = Find(o);
  ASSERT_EQ(zh.size(), 2u);  // the Traditional tariff story and the typhoon
  o.lang = "zh-Hant";
  zh = Find(o);
  ASSERT_EQ(zh.size(), 1u);
  EXPECT_EQ(zh[0].story_id, story_of_["zh_tariff"]);

  o.lang.clear();
  o.section = "business";
  std::vector<SearchHit> business = Find(o);
  ASSERT_EQ(business.size(), 2u);
  for (const SearchHit& h : business) {
    EXPECT_TRUE(h.story_id == story_of_["tariff"] || h.story_id == story_of_["zh_tariff"]);
  }

  o.section.clear();
  o.since = kT0 + kDay;
  o.until = kT0 + 4 * kDay;  // quake and typhoon; the zh tariff story is at the bound
  std::vector<SearchHit> dated = Find(o);
  ASSERT_EQ(dated.size(), 2u);
  for (const SearchHit& h : dated) {
    EXPECT_GE(h.published, o.since);
    EXPECT_LT(h.published, o.until);
  }

  o.since = o.until = 0;
  o.source_id = source_ids_[2];
  std::vector<SearchHit> from_two = Find(o);
  ASSERT_EQ(from_two.size(), 2u);  // quake and typhoon come from source 2
  for (const SearchHit& h : from_two) {
    EXPECT_TRUE(h.story_id == story_of_["quake"] || h.story_id == story_of_["typhoon"]);
  }
}

TEST_P(SearchTest, ArticlesAreSearchedAndIndexedIncrementally) {
  SearchOptions o;
  o.query = "aftershocks";
  o.stories = false;
  o.articles = true;
  std::vector<SearchHit> hits = Find(o);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].article_id, article_of_["quake"]);
  EXPECT_EQ(hits[0].story_id, story_of_["quake"]);
  EXPECT_EQ(hits[0].title, "Earthquake shakes Valparaiso");

  // A new article is found by the next search without any rebuild.
  Article a;
  a.url = "https://example.com/quake-2";
  a.title = "Aftershocks keep Valparaiso awake";
  a.lang = "en";
  a.published = kT0 + 7 * kDay;
  a.blocks.push_back({BlockKind::kParagraph, "Residents slept outside as aftershocks went on."});
  auto put = store_->PutArticle(a);
  ASSERT_TRUE(put.ok());
  hits = Find(o);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE(hits[0].article_id == put->id || hits[1].article_id == put->id);

  // Stories and articles together.
  o.stories = true;
  hits = Find(o);
  EXPECT_EQ(hits.size(), 3u);
}

TEST_P(SearchTest, SnippetsMarkTheMatchedWords) {
  std::vector<SearchHit> hits = Find("carmakers");
  ASSERT_EQ(hits.size(), 1u);
  const SearchHit& h = hits[0];
  ASSERT_EQ(h.highlights.size(), 1u);
  EXPECT_EQ(h.snippet.substr(h.highlights[0].first, h.highlights[0].second), "carmakers");

  // Stemmed and folded matches are marked as the words of the text.
  hits = Find("tarrif");
  ASSERT_FALSE(hits.empty());
  ASSERT_FALSE(hits[0].highlights.empty());
  for (const auto& [at, len] : hits[0].highlights) {
    const std::string word = hits[0].snippet.substr(at, len);
    EXPECT_TRUE(word == "tariff" || word == "tariffs") << word;
  }
  hits = Find("关税");
  ASSERT_FALSE(hits.empty());
  ASSERT_FALSE(hits[0].highlights.empty());
  EXPECT_EQ(hits[0].snippet.substr(hits[0].highlights[0].first, hits[0].highlights[0].second),
            "關稅");
  // Ranges lie inside the snippet, ascending.
  int end = 0;
  for (const auto& [at, len] : hits[0].highlights) {
    EXPECT_GE(at, end);
    end = at + len;
    EXPECT_LE(end, static_cast<int>(hits[0].snippet.size()));
  }
}

TEST_P(SearchTest, LimitAndOffsetPage) {
  SearchOptions o;
  o.query = "tariff earthquake election malaria";
  const std::vector<SearchHit> all = Find(o);
  ASSERT_EQ(all.size(), 4u);
  o.limit = 2;
  o.offset = 1;
  const std::vector<SearchHit> page = Find(o);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].story_id, all[1].story_id);
  EXPECT_EQ(page[1].story_id, all[2].story_id);
  o.offset = 10;
  EXPECT_TRUE(Find(o).empty());
  // FTS syntax is only text.
  EXPECT_TRUE(Find("\"\" OR ( NEAR").empty());
}

// The story listing (the API's /api/v1/stories) filters, pages and counts in the store, so
// the filters hold over the whole archive.
TEST_P(SearchTest, StoryListsAreFilteredPagedAndCountedByTheStore) {
  auto keys = [&](const StoryListOptions& o) {
    std::vector<std::string> out;
    auto stories = store_->ListStories(o);
    EXPECT_TRUE(stories.ok()) << stories.status().ToString();
    if (!stories.ok()) return out;
    for (const Story& s : *stories) {
      for (const auto& [key, id] : story_of_) {
        if (id == s.id) out.push_back(key);
      }
    }
    return out;
  };
  auto count = [&](const StoryListOptions& o) {
    auto n = store_->CountListedStories(o);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  };
  StoryListOptions o;
  EXPECT_EQ(count(o), 7);
  o.lang = "zh";
  EXPECT_EQ(keys(o), (std::vector<std::string>{"rail", "zh_tariff", "typhoon"}));
  EXPECT_EQ(count(o), 3);
  o.lang = "zh-Hans";
  o.section = "world";
  EXPECT_EQ(keys(o), (std::vector<std::string>{"typhoon"}));
  EXPECT_EQ(count(o), 1);
  o = StoryListOptions{};
  o.since = kT0 + kDay;
  o.until = kT0 + 4 * kDay;  // the zh tariff story is at the bound
  EXPECT_EQ(keys(o), (std::vector<std::string>{"typhoon", "election", "quake"}));
  EXPECT_EQ(count(o), 3);
  o = StoryListOptions{};
  o.lang = "en";
  o.offset = 1;
  o.limit = 2;
  EXPECT_EQ(keys(o), (std::vector<std::string>{"election", "quake"}));
  EXPECT_EQ(count(o), 4);  // paging does not change the count
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchTest,
                         ::testing::Values(ND_SEARCH_TEST_POSTGRES ? "postgres" : "sqlite"),
                         [](const auto& info) { return info.param; });

#if !ND_SEARCH_TEST_POSTGRES
// On a large archive SQLite ranks the rows of the newest stories first when the query's
// terms are in very many rows, and all rows when those give too few hits (filters).
TEST(SqliteLargeArchiveSearchTest, CommonTermsRankNewestFirstAndFiltersWiden) {
  const fs::path dir = MakeTempDir();
  auto opened = Store::Open((dir / "newsdesk.db").string());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<Store> store = std::move(opened).value();
  constexpr int kStories = 5000;
  constexpr int kArchived = 100;  // the oldest, in section "archive", say "common" twice
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kStories; ++i) {
    auto id = store->CreateStory();
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    const bool archived = i < kArchived;
    const std::string n = std::to_string(i);
    Story s;
    s.id = *id;
    s.lang = "en";
    s.section = archived ? "archive" : "news";
    s.first_published = kT0 + i * 60;
    const std::string body = archived ? "common common report " + n : "common report " + n;
    s.texts = {Text("en", "Harbour bulletin " + n, "Ships and cargo.", body),
               Text("zh-Hans", "港口简报 " + n, "船舶与货物。", body)};
    ASSERT_TRUE(store->SaveStory(s).ok());
    ids.push_back(*id);
  }
  SearchOptions o;
  o.query = "common";
  o.limit = 20;
  auto hits = store->Search(o);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 20u);
  // The archived stories match best over all rows (the word twice), but are the oldest.
  for (const SearchHit& h : *hits) EXPECT_GT(h.story_id, ids[kArchived - 1]);

  o.section = "archive";
  hits = store->Search(o);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 20u);
  for (const SearchHit& h : *hits) EXPECT_LE(h.story_id, ids[kArchived - 1]);

  // A rare term is ranked over all rows.
  o = SearchOptions{};
  o.query = "common bulletin 17";
  o.limit = 5;
  hits = store->Search(o);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().story_id, ids[17]);
}
#endif

}  // namespace
}  // namespace nd
