// One suite for every Store backend: each test runs once per backend. This file builds
// twice: store_test instantiates the suite for "sqlite"; store_pg_test (compiled with
// ND_STORE_TEST_POSTGRES=1) for "postgres", against the private cluster that ctest starts
// with tests/support/pg_cluster.sh (its admin URL is read from $ND_TEST_PG_STATE/url, or
// taken from $ND_TEST_PG_URL). Each PostgreSQL test gets a database of its own. Without a
// server the PostgreSQL tests fail; they never skip.
#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/pg_test_db.h"

#ifndef ND_STORE_TEST_POSTGRES
#define ND_STORE_TEST_POSTGRES 0
#endif

namespace nd {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh directory per test, removed afterwards.
fs::path MakeTempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  fs::path dir =
      fs::path(::testing::TempDir()) /
      ("nd_store_" + name + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs a single-integer query against a SQLite file, for checks the interface doesn't expose.
std::int64_t SqliteScalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

using pgtest::PgAdminUrl;
using pgtest::PgDatabaseUrl;
using pgtest::PgValue;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    if (GetParam() == "postgres") {
      std::string why;
      pg_admin_ = PgAdminUrl(&why);
      ASSERT_FALSE(pg_admin_.empty()) << "PostgreSQL tests need a server: " << why;
      static std::atomic<int> counter{0};
      pg_database_ = "nd_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
      std::string error;
      PgValue(pg_admin_, "DROP DATABASE IF EXISTS " + pg_database_, &error);
      PgValue(pg_admin_, "CREATE DATABASE " + pg_database_, &error);
      ASSERT_TRUE(error.empty()) << "cannot create a test database: " << error;
    }
    ASSERT_NO_FATAL_FAILURE(Reopen());
  }
  void TearDown() override {
    store_.reset();
    if (!pg_database_.empty()) {
      std::string error;
      PgValue(pg_admin_, "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)", &error);
      EXPECT_TRUE(error.empty()) << error;
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The database name for this test's backend.
  std::string Db() const {
    if (GetParam() == "sqlite") return (dir_ / "newsdesk.db").string();
    if (GetParam() == "postgres") return PgDatabaseUrl(pg_admin_, pg_database_);
    return {};
  }

  // A single integer from SQL run on this test's database (either backend).
  std::int64_t Scalar(const std::string& sql) {
    if (GetParam() == "sqlite") return SqliteScalar(Db(), sql);
    std::string error;
    std::string v = PgValue(Db(), sql, &error);
    EXPECT_TRUE(error.empty()) << sql << ": " << error;
    return v.empty() ? -1 : std::stoll(v);
  }

  std::unique_ptr<Store> OpenAnother() {
    auto opened = Store::Open(Db());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  void Reopen() {
    store_.reset();
    auto opened = Store::Open(Db());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // How many versions of a story's text in `lang` are kept.
  std::int64_t CountTextVersions(std::int64_t story_id, const std::string& lang) {
    return Scalar("SELECT COUNT(*) FROM story_texts WHERE story_id = " + std::to_string(story_id) +
                  " AND lang = '" + lang + "'");
  }

  std::int64_t Put(const Article& a) {
    auto r = store_->PutArticle(a);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r.ok() && r->inserted) << a.url;
    return r.ok() ? r->id : 0;
  }

  std::int64_t NewStory() {
    auto id = store_->CreateStory();
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  fs::path dir_;
  std::string pg_admin_;     // postgres: the cluster's admin URL
  std::string pg_database_;  // postgres: this test's database
  std::unique_ptr<Store> store_;
};

Article MakeArticle(const std::string& url, const std::string& hash, UnixTime published = 100) {
  Article a;
  a.url = url;
  a.canonical_url = url;
  a.title = "Title of " + url;
  a.lang = "en";
  a.published = published;
  a.content_hash = hash;
  a.blocks = {{BlockKind::kParagraph, "Body of " + url}};
  return a;
}

CitedSentence Sentence(const std::string& text, std::vector<int> cites = {0}) {
  CitedSentence s;
  s.text = text;
  s.cites = std::move(cites);
  return s;
}

StoryText MakeText(const std::string& lang, const std::string& headline, const std::string& dek,
                   const std::string& body) {
  StoryText t;
  t.lang = lang;
  t.headline = headline;
  t.dek = {Sentence(dek)};
  t.body = {Paragraph{{Sentence(body)}}};
  t.writer = "extractive";
  t.source_lang = lang;
  return t;
}

TEST_P(StoreTest, MigrationsApplyOnNewStoreAndAreNotReappliedOnReopen) {
  const int version = store_->SchemaVersion();
  EXPECT_GE(version, 1);
  const std::int64_t id = Put(MakeArticle("https://example.com/a", "h1"));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(store_->SchemaVersion(), version);
  auto count = store_->CountArticles();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  EXPECT_TRUE(store_->GetArticle(id).ok());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"), version);
  EXPECT_EQ(Scalar("SELECT MAX(version) FROM schema_migrations"), version);
}

TEST_P(StoreTest, PutArticleTwiceReturnsTheSameId) {
  Article a = MakeArticle("https://example.com/news/1", "hash-1");
  auto first = store_->PutArticle(a);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->inserted);
  EXPECT_GT(first->id, 0);
  auto second = store_->PutArticle(a);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->inserted);
  EXPECT_EQ(second->id, first->id);
  // The same page behind tracking parameters and another host case.
  Article tracked = MakeArticle("https://EXAMPLE.com/news/1?utm_source=rss#top", "hash-2");
  auto third = store_->PutArticle(tracked);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->inserted);
  EXPECT_EQ(third->id, first->id);
  EXPECT_EQ(*store_->CountArticles(), 1);
}

TEST_P(StoreTest, SameCanonicalUrlIsDeduplicated) {
  Article a = MakeArticle("https://example.com/amp/story", "h-a");
  a.canonical_url = "https://example.com/story";
  const std::int64_t id = Put(a);
  Article b = MakeArticle("https://m.example.com/story", "h-b");
  b.canonical_url = "https://example.com/story";
  auto r = store_->PutArticle(b);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->inserted);
  EXPECT_EQ(r->id, id);
  // A new article whose URL is the first one's canonical URL is the same page too.
  auto c = store_->PutArticle(MakeArticle("https://example.com/story", "h-c"));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->inserted);
  EXPECT_EQ(c->id, id);
}

TEST_P(StoreTest, SameContentHashDifferentUrlIsDeduplicated) {
  const std::int64_t id = Put(MakeArticle("https://a.example/x", "same-hash"));
  auto r = store_->PutArticle(MakeArticle("https://b.example/y", "same-hash"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->inserted);
  EXPECT_EQ(r->id, id);
  // An empty hash is no evidence of sameness.
  const std::int64_t c = Put(MakeArticle("https://c.example/1", ""));
  const std::int64_t d = Put(MakeArticle("https://c.example/2", ""));
  EXPECT_NE(c, d);
  EXPECT_EQ(*store_->CountArticles(), 3);
}

TEST_P(StoreTest, ArticlesSurviveReopenWithAllFields) {
  Source feed;
  feed.url = "https://example.com/feed.xml";
  auto source_id = store_->UpsertSource(feed);
  ASSERT_TRUE(source_id.ok());
  Article a;
  a.source_id = *source_id;
  a.url = "https://example.com/2026/11/18/port?ref=rss";
  a.canonical_url = "https://example.com/2026/11/18/port";
  a.site_name = "Example News";
  a.title = "Port reopens after storm";
  a.byline = "A. Writer";
  a.description = "The port reopened on Tuesday.";
  a.image = "https://example.com/img.jpg";
  a.published = 1'795'000'000;
  a.updated = 1'795'000'600;
  a.fetched = 1'795'001'000;
  a.lang = "en";
  a.section = "world";
  a.paywalled = true;
  a.content_hash = "abcdef0123";
  a.blocks = {{BlockKind::kHeading, "What happened"},
              {BlockKind::kParagraph, "Ships moved again on Tuesday, \"finally\"."},
              {BlockKind::kListItem, "Item one"},
              {BlockKind::kQuote, "引用：港口重新開放。"},
              {BlockKind::kTableRow, "a | b"}};
  const std::int64_t id = Put(a);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto got = store_->GetArticle(id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->source_id, a.source_id);
  EXPECT_EQ(got->url, a.url);
  EXPECT_EQ(got->canonical_url, a.canonical_url);
  EXPECT_EQ(got->site_name, a.site_name);
  EXPECT_EQ(got->title, a.title);
  EXPECT_EQ(got->byline, a.byline);
  EXPECT_EQ(got->description, a.description);
  EXPECT_EQ(got->image, a.image);
  EXPECT_EQ(got->published, a.published);
  EXPECT_EQ(got->updated, a.updated);
  EXPECT_EQ(got->fetched, a.fetched);
  EXPECT_EQ(got->lang, a.lang);
  EXPECT_EQ(got->section, a.section);
  EXPECT_TRUE(got->paywalled);
  EXPECT_EQ(got->content_hash, a.content_hash);
  ASSERT_EQ(got->blocks.size(), a.blocks.size());
  for (size_t i = 0; i < a.blocks.size(); ++i) {
    EXPECT_EQ(got->blocks[i].kind, a.blocks[i].kind) << i;
    EXPECT_EQ(got->blocks[i].text, a.blocks[i].text) << i;
  }
  EXPECT_EQ(got->duplicate_of, 0);
  EXPECT_EQ(got->story_id, 0);

  auto has = store_->HasArticleUrl("https://example.com/2026/11/18/port");
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  has = store_->HasArticleUrl("https://example.com/2026/11/18/port?ref=rss");
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  has = store_->HasArticleUrl("https://example.com/other");
  ASSERT_TRUE(has.ok());
  EXPECT_FALSE(*has);

  auto missing = store_->GetArticle(id + 100);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, PendingArticlesOldestFirstUntilAssigned) {
  const std::int64_t late = Put(MakeArticle("https://e.x/late", "1", 300));
  const std::int64_t early = Put(MakeArticle("https://e.x/early", "2", 100));
  const std::int64_t mid = Put(MakeArticle("https://e.x/mid", "3", 200));
  auto pending = store_->PendingArticles(10);
  ASSERT_TRUE(pending.ok());
  std::vector<std::int64_t> ids;
  for (const Article& a : *pending) ids.push_back(a.id);
  EXPECT_THAT(ids, ElementsAre(early, mid, late));

  const std::int64_t story = NewStory();
  ASSERT_TRUE(store_->AssignArticle(early, story, 0).ok());
  ASSERT_TRUE(store_->AssignArticle(mid, 0, early).ok());
  pending = store_->PendingArticles(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().id, late);
  EXPECT_EQ(store_->GetArticle(early)->story_id, story);
  EXPECT_EQ(store_->GetArticle(mid)->duplicate_of, early);
  EXPECT_EQ(store_->AssignArticle(9999, story, 0).code(), StatusCode::kNotFound);

  auto limited = store_->PendingArticles(0);
  ASSERT_TRUE(limited.ok());
  EXPECT_TRUE(limited->empty());
}

TEST_P(StoreTest, SourcesUpsertListAndPollState) {
  Source s;
  s.url = "https://example.com/rss";
  s.title = "Example";
  s.kind = "feed";
  auto id = store_->UpsertSource(s);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  s.title = "Example News";
  s.section = "world";
  auto again = store_->UpsertSource(s);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);
  s.id = *id;
  s.last_fetch = 1234;
  s.last_error = "timeout";
  s.etag = "\"v1\"";
  s.last_modified = "Wed, 18 Nov 2026 09:30:00 GMT";
  s.articles_taken = 7;
  ASSERT_TRUE(store_->UpdateSourceState(s).ok());
  auto list = store_->ListSources();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const Source& got = list->front();
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(got.title, "Example News");
  EXPECT_EQ(got.kind, "feed");
  EXPECT_EQ(got.section, "world");
  EXPECT_EQ(got.last_fetch, 1234);
  EXPECT_EQ(got.last_error, "timeout");
  EXPECT_EQ(got.etag, "\"v1\"");
  EXPECT_EQ(got.last_modified, s.last_modified);
  EXPECT_EQ(got.articles_taken, 7);
  Source unknown;
  unknown.id = 999;
  unknown.url = "https://nowhere.example/";
  EXPECT_EQ(store_->UpdateSourceState(unknown).code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, RemoveSourceDeletesOnlyThatSource) {
  Source a;
  a.url = "https://a.example/rss";
  a.kind = "feed";
  Source b;
  b.url = "https://b.example/rss";
  b.kind = "feed";
  auto ida = store_->UpsertSource(a);
  auto idb = store_->UpsertSource(b);
  ASSERT_TRUE(ida.ok() && idb.ok());
  ASSERT_TRUE(store_->RemoveSource(*ida).ok());
  auto list = store_->ListSources();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, *idb);
  EXPECT_EQ(store_->RemoveSource(*ida).code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, CachedAnswersRoundTripAndUpdate) {
  auto miss = store_->GetCachedAnswer("prompt-hash-1");
  ASSERT_TRUE(miss.ok()) << miss.status().ToString();
  EXPECT_FALSE(miss->has_value());
  ASSERT_TRUE(store_->PutCachedAnswer("prompt-hash-1", "{\"headline\":\"a\"}", 10).ok());
  ASSERT_TRUE(store_->PutCachedAnswer("prompt-hash-1", "{\"headline\":\"b\"}", 12).ok());
  auto hit = store_->GetCachedAnswer("prompt-hash-1");
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ(**hit, "{\"headline\":\"b\"}");
  auto other = store_->GetCachedAnswer("prompt-hash-2");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_P(StoreTest, SaveStoryKeepsEarlierTextVersions) {
  const std::int64_t a1 = Put(MakeArticle("https://e.x/1", "1", 100));
  const std::int64_t a2 = Put(MakeArticle("https://e.x/2", "2", 200));
  Story story;
  story.id = NewStory();
  story.article_ids = {a2, a1};
  story.section = "business";
  story.lang = "en";
  story.first_published = 100;
  story.updated = 500;
  story.first_article_id = a1;
  story.texts = {MakeText("en", "Port reopens", "Ships moved again.", "The port said so.")};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  auto got = store_->GetStory(story.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 1);

  // Saving the same text again is no new version.
  ASSERT_TRUE(store_->SaveStory(story).ok());
  EXPECT_EQ(CountTextVersions(story.id, "en"), 1);

  story.texts[0].headline = "Port reopens after three-day closure";
  story.texts.push_back(MakeText("zh-Hans", "港口重新开放", "船只恢复航行。", "港口方面表示。"));
  ASSERT_TRUE(store_->SaveStory(story).ok());
  EXPECT_EQ(CountTextVersions(story.id, "en"), 2);
  EXPECT_EQ(CountTextVersions(story.id, "zh-Hans"), 1);

  ASSERT_NO_FATAL_FAILURE(Reopen());
  got = store_->GetStory(story.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  const Story& s = **got;
  EXPECT_EQ(s.version, 2);
  EXPECT_EQ(s.section, "business");
  EXPECT_EQ(s.lang, "en");
  EXPECT_EQ(s.first_published, 100);
  EXPECT_EQ(s.updated, 500);
  EXPECT_EQ(s.first_article_id, a1);
  EXPECT_THAT(s.article_ids, ElementsAre(a2, a1));
  ASSERT_EQ(s.texts.size(), 2u);
  EXPECT_EQ(s.texts[0].lang, "en");
  EXPECT_EQ(s.texts[0].headline, "Port reopens after three-day closure");
  ASSERT_EQ(s.texts[0].dek.size(), 1u);
  EXPECT_EQ(s.texts[0].dek[0].text, "Ships moved again.");
  EXPECT_THAT(s.texts[0].dek[0].cites, ElementsAre(0));
  ASSERT_EQ(s.texts[0].body.size(), 1u);
  EXPECT_EQ(s.texts[0].body[0].sentences[0].text, "The port said so.");
  EXPECT_EQ(s.texts[1].lang, "zh-Hans");
  EXPECT_EQ(s.texts[1].headline, "港口重新开放");

  auto none = store_->GetStory(story.id + 100);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, StoryTextVersionsNewestFirst) {
  const std::int64_t a1 = Put(MakeArticle("https://e.x/v1", "v1", 100));
  Story story;
  story.id = NewStory();
  story.article_ids = {a1};
  story.first_article_id = a1;
  story.texts = {MakeText("en", "Port closes", "Ships wait.", "The port said so.")};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  story.texts[0].headline = "Port reopens";
  ASSERT_TRUE(store_->SaveStory(story).ok());
  story.texts[0].headline = "Port reopens after three days";
  ASSERT_TRUE(store_->SaveStory(story).ok());

  auto all = store_->StoryTextVersions(story.id, "en", 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].version, 3);
  EXPECT_EQ((*all)[0].text.headline, "Port reopens after three days");
  EXPECT_EQ((*all)[2].version, 1);
  EXPECT_EQ((*all)[2].text.headline, "Port closes");
  auto two = store_->StoryTextVersions(story.id, "en", 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].text.headline, "Port reopens");
  auto none = store_->StoryTextVersions(story.id, "zh-Hans", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreTest, RelatedAndMembersRoundTrip) {
  const std::int64_t a = Put(MakeArticle("https://e.x/a", "a"));
  const std::int64_t s1 = NewStory();
  const std::int64_t s2 = NewStory();
  const std::int64_t s3 = NewStory();
  Story story;
  story.id = s1;
  story.article_ids = {a};
  story.related = {s3, s2};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  auto got = store_->GetStory(s1);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_THAT((*got)->related, ElementsAre(s3, s2));
  EXPECT_THAT((*got)->article_ids, ElementsAre(a));

  story.related = {s2};
  story.article_ids = {};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  got = store_->GetStory(s1);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_THAT((*got)->related, ElementsAre(s2));
  EXPECT_TRUE((*got)->article_ids.empty());
}

TEST_P(StoreTest, FailedSaveStoryWritesNothing) {
  const std::int64_t a = Put(MakeArticle("https://e.x/a", "a"));
  Story story;
  story.id = NewStory();
  story.section = "world";
  story.article_ids = {a};
  story.texts = {MakeText("en", "First", "Dek.", "Body.")};
  ASSERT_TRUE(store_->SaveStory(story).ok());

  Story bad = story;
  bad.section = "sports";
  bad.texts[0].headline = "Second";
  bad.article_ids = {a, a + 1000};  // no such article
  Status s = store_->SaveStory(bad);
  EXPECT_FALSE(s.ok());
  auto got = store_->GetStory(story.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->section, "world");
  EXPECT_EQ((*got)->texts.at(0).headline, "First");
  EXPECT_THAT((*got)->article_ids, ElementsAre(a));
  EXPECT_EQ(CountTextVersions(story.id, "en"), 1);

  Story uncreated;
  EXPECT_EQ(store_->SaveStory(uncreated).code(), StatusCode::kInvalidInput);
  uncreated.id = 12345;
  EXPECT_EQ(store_->SaveStory(uncreated).code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, ListStoriesNewestFirstWithPagingAndSection) {
  std::vector<std::int64_t> ids;
  // first_published: 100, 300, 200, 300 (ties broken by id, newest id first).
  const std::vector<UnixTime> times = {100, 300, 200, 300};
  for (size_t i = 0; i < times.size(); ++i) {
    Story s;
    s.id = NewStory();
    s.first_published = times[i];
    s.section = i % 2 == 0 ? "world" : "tech";
    ASSERT_TRUE(store_->SaveStory(s).ok());
    ids.push_back(s.id);
  }
  auto all = store_->ListStories({});
  ASSERT_TRUE(all.ok());
  std::vector<std::int64_t> got;
  for (const Story& s : *all) got.push_back(s.id);
  EXPECT_THAT(got, ElementsAre(ids[3], ids[1], ids[2], ids[0]));

  StoryListOptions paging;
  paging.offset = 1;
  paging.limit = 2;
  auto page = store_->ListStories(paging);
  ASSERT_TRUE(page.ok());
  got.clear();
  for (const Story& s : *page) got.push_back(s.id);
  EXPECT_THAT(got, ElementsAre(ids[1], ids[2]));

  StoryListOptions world_only;
  world_only.section = "world";
  auto world = store_->ListStories(world_only);
  ASSERT_TRUE(world.ok());
  got.clear();
  for (const Story& s : *world) got.push_back(s.id);
  EXPECT_THAT(got, ElementsAre(ids[2], ids[0]));

  auto count = store_->CountStories();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4);
}

TEST_P(StoreTest, StoriesActiveSinceFindsStoriesWithRecentMembers) {
  const std::int64_t old_article = Put(MakeArticle("https://e.x/old", "o", 100));
  const std::int64_t new_article = Put(MakeArticle("https://e.x/new", "n", 1000));
  const std::int64_t old_story = NewStory();
  const std::int64_t new_story = NewStory();
  ASSERT_TRUE(store_->AssignArticle(old_article, old_story, 0).ok());
  ASSERT_TRUE(store_->AssignArticle(new_article, new_story, 0).ok());
  auto active = store_->StoriesActiveSince(500);
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(active->front().id, new_story);
  active = store_->StoriesActiveSince(0);
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 2u);
}

TEST_P(StoreTest, SearchEnglishWithStemming) {
  Story trade;
  trade.id = NewStory();
  trade.texts = {MakeText("en", "Tariffs rise on steel imports",
                          "The government raised tariffs on imported steel.",
                          "Importers said prices would climb.")};
  ASSERT_TRUE(store_->SaveStory(trade).ok());
  Story weather;
  weather.id = NewStory();
  weather.texts = {MakeText("en", "Storm closes the port", "Ships waited offshore.",
                            "The harbour master said the port would reopen.")};
  ASSERT_TRUE(store_->SaveStory(weather).ok());

  auto hits = store_->Search("tariff", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().story_id, trade.id);
  EXPECT_THAT(hits->front().snippet, HasSubstr("Tariffs rise on steel imports"));

  hits = store_->Search("harbour master", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().story_id, weather.id);
  EXPECT_THAT(hits->front().snippet, HasSubstr("harbour master"));

  // Both match; the one with more matching terms ranks first; one hit per story.
  hits = store_->Search("port steel imports", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ(hits->at(0).story_id, trade.id);
  EXPECT_GE(hits->at(0).score, hits->at(1).score);
  hits = store_->Search("port steel imports", 1);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);

  hits = store_->Search("volcano", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  hits = store_->Search("\"\" OR (", 10);  // FTS syntax in the query is only text
  EXPECT_TRUE(hits.ok()) << hits.status().ToString();

  // A new text replaces the story's search rows.
  trade.texts = {MakeText("en", "Grain exports slow", "Harvest was late.", "Farmers waited.")};
  ASSERT_TRUE(store_->SaveStory(trade).ok());
  hits = store_->Search("tariff", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  hits = store_->Search("grain", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().story_id, trade.id);
}

TEST_P(StoreTest, SearchChineseAcrossScripts) {
  Story hant;
  hant.id = NewStory();
  hant.texts = {MakeText("zh-Hant", "美國宣布提高鋼鐵關稅", "政府週二宣布新的關稅措施。",
                         "進口商表示價格將上漲。")};
  ASSERT_TRUE(store_->SaveStory(hant).ok());
  Story other;
  other.id = NewStory();
  other.texts = {MakeText("zh-Hans", "台风登陆沿海城市", "港口暂停作业。", "居民已经撤离。")};
  ASSERT_TRUE(store_->SaveStory(other).ok());

  auto hits = store_->Search("关税", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().story_id, hant.id);
  EXPECT_THAT(hits->front().snippet, HasSubstr("美國宣布提高鋼鐵關稅"));

  hits = store_->Search("颱風", 10);  // Traditional query, Simplified story
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().story_id, other.id);
}

TEST_P(StoreTest, SourceLeasesGoToOneWorkerAtATimeAndExpire) {
  for (const char* url : {"https://a.example/feed", "https://b.example/feed"}) {
    Source s;
    s.url = url;
    s.kind = "feed";
    ASSERT_TRUE(store_->UpsertSource(s).ok());
  }
  Source page;
  page.url = "https://c.example/page";
  page.kind = "page";  // pages are not polled
  ASSERT_TRUE(store_->UpsertSource(page).ok());
  std::unique_ptr<Store> other = OpenAnother();
  ASSERT_NE(other, nullptr);

  auto first = store_->LeaseDueSource("w1", 1000, 60, 1000);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  auto second = other->LeaseDueSource("w2", 1000, 60, 1000);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->has_value());
  EXPECT_NE((*first)->id, (*second)->id);
  auto none = store_->LeaseDueSource("w3", 1001, 60, 1001);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // w1 finishes its poll (last_fetch moves on) and releases; w2 dies holding its lease.
  Source polled = **first;
  polled.last_fetch = 1005;
  ASSERT_TRUE(store_->UpdateSourceState(polled).ok());
  ASSERT_TRUE(store_->ReleaseSource(polled.id, "w1").ok());
  none = store_->LeaseDueSource("w3", 1010, 60, 1000);  // polled too recently to be due
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // After w2's lease expired, w3 takes its source over.
  auto taken = store_->LeaseDueSource("w3", 1061, 60, 1000);
  ASSERT_TRUE(taken.ok());
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->id, (*second)->id);
  // Releasing what one does not hold changes nothing.
  ASSERT_TRUE(store_->ReleaseSource((*second)->id, "w2").ok());
  none = other->LeaseDueSource("w4", 1062, 60, 1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// Issue 10 (scheduling) / issue 9 (per-source back-off): the schedule is persisted.
TEST_P(StoreTest, SourceScheduleFieldsRoundTripAndIntervalIsKeptWhenNotGiven) {
  Source s;
  s.url = "https://example.com/feed";
  s.kind = "feed";
  s.interval_s = 900;
  auto id = store_->UpsertSource(s);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  s.id = *id;
  s.failures = 3;
  s.next_poll = 5000;
  s.access = "robots-disallowed";
  s.last_error = "https://example.com/feed: disallowed by robots.txt for newsdesk";
  ASSERT_TRUE(store_->UpdateSourceState(s).ok());
  // Registering the URL again without an interval (e.g. `ingest --feed`) keeps it.
  Source again;
  again.url = s.url;
  again.kind = "feed";
  ASSERT_TRUE(store_->UpsertSource(again).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto list = store_->ListSources();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().interval_s, 900);
  EXPECT_EQ(list->front().failures, 3);
  EXPECT_EQ(list->front().next_poll, 5000);
  EXPECT_EQ(list->front().access, "robots-disallowed");
  // A new interval replaces the old one.
  again.interval_s = 60;
  ASSERT_TRUE(store_->UpsertSource(again).ok());
  list = store_->ListSources();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->front().interval_s, 60);
  EXPECT_EQ(list->front().failures, 3);
}

TEST_P(StoreTest, LeaseDueSourceFollowsNextPoll) {
  std::vector<Source> sources;
  for (const char* url : {"https://a.example/feed", "https://b.example/feed"}) {
    Source s;
    s.url = url;
    s.kind = "feed";
    auto id = store_->UpsertSource(s);
    ASSERT_TRUE(id.ok());
    s.id = *id;
    sources.push_back(s);
  }
  // a: backing off until 2000 although its last poll is old; b: due at 1500.
  sources[0].last_fetch = 100;
  sources[0].failures = 2;
  sources[0].next_poll = 2000;
  sources[1].last_fetch = 1000;
  sources[1].next_poll = 1500;
  for (const Source& s : sources) ASSERT_TRUE(store_->UpdateSourceState(s).ok());

  auto none = store_->LeaseDueSource("w", 1499, 60, 999);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value()) << "a source with a future next_poll is not due";
  // A failing source is not due before its next_poll, however old its last poll.
  none = store_->LeaseDueSource("w", 1499, 60, 200);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // A shorter default interval (due_before moved past b's last poll) applies at once to a
  // source on the default interval that is not failing.
  auto early = store_->LeaseDueSource("w", 1200, 60, 1000);
  ASSERT_TRUE(early.ok());
  ASSERT_TRUE(early->has_value());
  EXPECT_EQ((*early)->id, sources[1].id);
  ASSERT_TRUE(store_->ReleaseSource((*early)->id, "w").ok());
  auto b = store_->LeaseDueSource("w", 1500, 60, 0);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->id, sources[1].id);
  EXPECT_EQ((*b)->next_poll, 1500);
  ASSERT_TRUE(store_->ReleaseSource((*b)->id, "w").ok());
  // At 2100 both are due (b's lease was released); the earliest next_poll comes first.
  auto first = store_->LeaseDueSource("w", 2100, 60, 0);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, sources[1].id);
  auto second = store_->LeaseDueSource("w", 2100, 60, 0);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->id, sources[0].id);
  EXPECT_EQ((*second)->failures, 2);
}

// A database made before the schedule columns existed is migrated, its sources kept and due.
TEST_P(StoreTest, ScheduleMigrationUpgradesAnOlderDatabase) {
  Source s;
  s.url = "https://old.example/feed";
  s.kind = "feed";
  s.title = "Old";
  ASSERT_TRUE(store_->UpsertSource(s).ok());
  const int version = store_->SchemaVersion();
  // The migration that added the schedule (v5 on both backends). Both apply every version
  // not recorded, so undoing this one alone is enough.
  const int schedule_version = 5;
  ASSERT_GE(version, schedule_version);
  store_.reset();
  // Undo the schedule migration, as if the file were written by the previous release.
  const std::string undo =
      "DROP INDEX sources_due; ALTER TABLE sources DROP COLUMN interval_s; "
      "ALTER TABLE sources DROP COLUMN failures; ALTER TABLE sources DROP COLUMN next_poll; "
      "ALTER TABLE sources DROP COLUMN access; DELETE FROM schema_migrations WHERE version = " +
      std::to_string(schedule_version) + ";";
  if (GetParam() == "sqlite") {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Db().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, undo.c_str(), nullptr, nullptr, &err);
    std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  } else {
    std::string error;
    PgValue(Db(), undo, &error);
    ASSERT_TRUE(error.empty()) << error;
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = " +
                   std::to_string(schedule_version)),
            0);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(store_->SchemaVersion(), version);
  auto list = store_->ListSources();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().title, "Old");
  EXPECT_EQ(list->front().next_poll, 0);
  EXPECT_EQ(list->front().failures, 0);
  auto due = store_->LeaseDueSource("w", 10, 60, 10);
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->has_value());
}

TEST_P(StoreTest, NamedLeaseHasOneHolderUntilItExpires) {
  std::unique_ptr<Store> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  auto got = store_->AcquireLease("process", "w1", 100, 30);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got);
  got = other->AcquireLease("process", "w2", 110, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  got = store_->AcquireLease("process", "w1", 120, 30);  // renewal: until 150
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  got = other->AcquireLease("process", "w2", 140, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  got = other->AcquireLease("process", "w2", 151, 30);  // w1 died: expired, taken over
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  got = store_->AcquireLease("process", "w1", 152, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  ASSERT_TRUE(store_->ReleaseLease("process", "w1").ok());  // not w1's: no effect
  got = store_->AcquireLease("process", "w1", 153, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  ASSERT_TRUE(other->ReleaseLease("process", "w2").ok());
  got = store_->AcquireLease("process", "w1", 154, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  // Another name is another lease.
  got = other->AcquireLease("other", "w2", 154, 30);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
}

TEST_P(StoreTest, UnsavedStoryMembersFindsInterruptedWrites) {
  const std::int64_t a1 = Put(MakeArticle("https://e.x/1", "1"));
  const std::int64_t a2 = Put(MakeArticle("https://e.x/2", "2"));
  Story story;
  story.id = NewStory();
  story.article_ids = {a1};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  ASSERT_TRUE(store_->AssignArticle(a1, story.id, 0).ok());
  auto stale = store_->UnsavedStoryMembers();
  ASSERT_TRUE(stale.ok()) << stale.status().ToString();
  EXPECT_TRUE(stale->empty());
  // Assigned, then the processor stopped before writing the story.
  ASSERT_TRUE(store_->AssignArticle(a2, story.id, 0).ok());
  stale = store_->UnsavedStoryMembers();
  ASSERT_TRUE(stale.ok());
  EXPECT_THAT(*stale, ElementsAre(std::make_pair(story.id, a2)));
  story.article_ids = {a1, a2};
  ASSERT_TRUE(store_->SaveStory(story).ok());
  stale = store_->UnsavedStoryMembers();
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->empty());
}

// Issue 8: workers storing the same report at once (same URL, same canonical URL or same
// text under another URL) must store it once.
TEST_P(StoreTest, ConcurrentPutsOfOneReportStoreItOnce) {
  constexpr int kThreads = 4;
  constexpr int kReports = 20;
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) {
    stores.push_back(OpenAnother());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReports; ++i) {
        // Each thread finds report i under its own URL; the text (hash) is the same.
        Article a =
            MakeArticle("https://site" + std::to_string(t) + ".example/r" + std::to_string(i),
                        "hash-" + std::to_string(i));
        auto r = stores[t]->PutArticle(a);
        if (!r.ok()) {
          errors[t] = r.status().ToString();
          return;
        }
        ids[t].push_back(r->id);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(errors[t].empty()) << errors[t];
    EXPECT_EQ(ids[t], ids[0]) << "thread " << t;
  }
  EXPECT_EQ(*store_->CountArticles(), kReports);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(ND_STORE_TEST_POSTGRES ? "postgres" : "sqlite"),
                         [](const auto& info) { return info.param; });

#if ND_STORE_TEST_POSTGRES

TEST(PostgresOpenTest, UnreachableServerIsUnavailableWithoutThePassword) {
  auto r = Store::Open("postgresql://news:secret@127.0.0.1:1/newsdesk?connect_timeout=5");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("127.0.0.1:1/newsdesk"));
  EXPECT_THAT(r.status().message(), HasSubstr("cannot connect"));
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("secret")));
}

TEST(PostgresOpenTest, ConcurrentOpensOfANewDatabaseMigrateOnce) {
  std::string why;
  const std::string admin = PgAdminUrl(&why);
  ASSERT_FALSE(admin.empty()) << why;
  const std::string name = "nd_test_open_" + std::to_string(getpid());
  std::string error;
  PgValue(admin, "DROP DATABASE IF EXISTS " + name, &error);
  PgValue(admin, "CREATE DATABASE " + name, &error);
  ASSERT_TRUE(error.empty()) << error;
  const std::string url = PgDatabaseUrl(admin, name);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto s = Store::Open(url);
      results[t] = s.ok() ? "ok" : s.status().ToString();
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& r : results) EXPECT_EQ(r, "ok");
  const std::string applied = PgValue(url, "SELECT COUNT(*) FROM schema_migrations", &error);
  EXPECT_TRUE(error.empty()) << error;
  auto s = Store::Open(url);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(applied, std::to_string((*s)->SchemaVersion()));
  s->reset();
  PgValue(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", &error);
}

// migrate: a SQLite archive moved into PostgreSQL reads back the same.
TEST(PostgresMigrateTest, SqliteArchiveMovesWithIdsTextsAndSearch) {
  std::string why;
  const std::string admin = PgAdminUrl(&why);
  ASSERT_FALSE(admin.empty()) << why;
  const fs::path dir = MakeTempDir();
  const std::string file = (dir / "archive.db").string();
  std::int64_t story_id = 0, a1 = 0, a2 = 0;
  {
    auto lite = Store::Open(file);
    ASSERT_TRUE(lite.ok()) << lite.status().ToString();
    Source src;
    src.url = "https://e.x/feed";
    src.kind = "feed";
    src.title = "E\tX\nnews";  // tab and newline survive COPY
    ASSERT_TRUE((*lite)->UpsertSource(src).ok());
    Article first = MakeArticle("https://e.x/1", "h1", 100);
    first.blocks.push_back({BlockKind::kQuote, "back\\slash\ttab\nline 引用"});
    a1 = (*lite)->PutArticle(first)->id;
    (void)(*lite)->PutArticle(MakeArticle("https://e.x/gap", "hg", 150));
    a2 = (*lite)->PutArticle(MakeArticle("https://e.x/2", "h2", 200))->id;
    story_id = *(*lite)->CreateStory();
    Story story;
    story.id = story_id;
    story.article_ids = {a1, a2};
    story.section = "world";
    story.texts = {MakeText("en", "Port reopens", "Ships moved.", "The port said so.")};
    ASSERT_TRUE((*lite)->SaveStory(story).ok());
    story.texts = {MakeText("en", "Port reopens after storm", "Ships moved.", "Said so."),
                   MakeText("zh-Hant", "港口重新開放", "船隻恢復航行。", "港口表示。")};
    ASSERT_TRUE((*lite)->SaveStory(story).ok());
    ASSERT_TRUE((*lite)->AssignArticle(a1, story_id, 0).ok());
    ASSERT_TRUE((*lite)->AssignArticle(a2, story_id, 0).ok());
  }
  const std::string name = "nd_test_migrate_" + std::to_string(getpid());
  std::string error;
  PgValue(admin, "DROP DATABASE IF EXISTS " + name, &error);
  PgValue(admin, "CREATE DATABASE " + name, &error);
  ASSERT_TRUE(error.empty()) << error;
  const std::string url = PgDatabaseUrl(admin, name);
  std::vector<std::string> lines;
  Status st = MigrateStore(file, url, [&](const std::string& l) { lines.push_back(l); });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr("articles: 3 rows")));
  {
    auto pg = Store::Open(url);
    ASSERT_TRUE(pg.ok()) << pg.status().ToString();
    auto article = (*pg)->GetArticle(a1);
    ASSERT_TRUE(article.ok()) << article.status().ToString();
    EXPECT_EQ(article->blocks.back().text, "back\\slash\ttab\nline 引用");
    EXPECT_EQ(article->story_id, story_id);
    auto sources = (*pg)->ListSources();
    ASSERT_TRUE(sources.ok());
    ASSERT_EQ(sources->size(), 1u);
    EXPECT_EQ(sources->front().title, "E\tX\nnews");
    auto story = (*pg)->GetStory(story_id);
    ASSERT_TRUE(story.ok() && story->has_value());
    EXPECT_EQ((*story)->version, 2);
    EXPECT_THAT((*story)->article_ids, ElementsAre(a1, a2));
    ASSERT_EQ((*story)->texts.size(), 2u);
    EXPECT_EQ((*story)->texts[0].headline, "Port reopens after storm");
    EXPECT_EQ(PgValue(url, "SELECT COUNT(*) FROM story_texts WHERE lang = 'en'", &error), "2");
    auto hits = (*pg)->Search("港口", 10);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ(hits->front().story_id, story_id);
    // New rows get ids after the copied ones.
    auto next = (*pg)->PutArticle(MakeArticle("https://e.x/3", "h3"));
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_GT(next->id, a2);
    // A second migration into a database that holds an archive is refused.
    Status again = MigrateStore(file, url, nullptr);
    EXPECT_EQ(again.code(), StatusCode::kInvalidInput);
    EXPECT_THAT(again.message(), HasSubstr("empty database"));
  }
  PgValue(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", &error);
  fs::remove_all(dir);
}

#else  // SQLite-only tests

TEST(StoreOpenTest, PostgresUrlWithoutAServerIsUnavailableWithoutThePassword) {
  auto r = Store::Open("postgresql://news:secret@127.0.0.1:1/newsdesk?connect_timeout=5");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("127.0.0.1:1/newsdesk"));
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("secret")));
}

// Opening errors are about files, so they are SQLite-only.
class SqliteOpenTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

TEST_F(SqliteOpenTest, MissingDirectoryIsAClearError) {
  const std::string path = (dir_ / "no-such-dir" / "newsdesk.db").string();
  auto r = Store::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr(path));
  EXPECT_THAT(r.status().message(), HasSubstr("unable to open"));
}

TEST_F(SqliteOpenTest, FileThatIsNotADatabaseIsAnError) {
  const std::string path = (dir_ / "notes.txt").string();
  {
    std::ofstream out(path);
    out << "This is a plain text file, not a database. It is long enough to have a header "
           "that SQLite reads and rejects.\n";
  }
  auto r = Store::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr(path));
  EXPECT_THAT(r.status().message(), HasSubstr("not a database"));
}

TEST_F(SqliteOpenTest, EmptyPathIsInvalid) {
  auto r = Store::Open("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST_F(SqliteOpenTest, TwoConnectionsShareOneFile) {
  const std::string path = (dir_ / "shared.db").string();
  auto a = Store::Open(path);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = Store::Open(path);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto put = (*a)->PutArticle(MakeArticle("https://e.x/shared", "s"));
  ASSERT_TRUE(put.ok());
  auto has = (*b)->HasArticleUrl("https://e.x/shared");
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  EXPECT_EQ((*b)->SchemaVersion(), (*a)->SchemaVersion());
  EXPECT_TRUE(fs::exists(path + "-wal"));  // WAL mode
}

#endif  // ND_STORE_TEST_POSTGRES

}  // namespace
}  // namespace nd
