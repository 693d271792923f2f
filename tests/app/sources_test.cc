// `newsdesk sources`: feed discovery (through a fake fetch), OPML import validation and the
// export -> import round trip through a real SQLite store.

#include "app/sources_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/time.h"
#include "feeds/feeds.h"
#include "store/store.h"
#include "web/web.h"

namespace nd::app {
namespace {

namespace fs = std::filesystem;

constexpr char kRss[] =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbor Ledger</title>"
    "<link>https://ledger.example/</link><item><title>One</title>"
    "<link>https://ledger.example/a/1</link></item></channel></rss>";
constexpr char kAtom[] =
    "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atlas</title>"
    "<entry><title>E</title><link href=\"https://atlas.example/e\"/><id>e</id></entry></feed>";

// A fake web: URL -> body; everything else fails like a 404. Records what was fetched.
struct FakeWeb {
  std::map<std::string, std::string> pages;
  std::vector<std::string> fetched;

  feeds::FetchText Fetch() {
    return [this](const std::string& url) -> Result<feeds::FetchedText> {
      fetched.push_back(url);
      auto it = pages.find(url);
      if (it == pages.end()) return Status::NotFound(url + ": HTTP 404");
      return feeds::FetchedText{url, it->second};
    };
  }
};

TEST(DiscoverFeedTest, AFeedUrlIsTakenAsItIs) {
  FakeWeb web;
  web.pages["https://ledger.example/rss.xml"] = kRss;
  auto r = feeds::DiscoverFeed("https://ledger.example/rss.xml", web.Fetch());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, "feed");
  EXPECT_EQ(r->url, "https://ledger.example/rss.xml");
  EXPECT_EQ(r->title, "Harbor Ledger");
  EXPECT_EQ(web.fetched.size(), 1u);
}

TEST(DiscoverFeedTest, AdvertisedRelativeLinkIsResolvedAndChecked) {
  FakeWeb web;
  // The first advertised feed is broken (404): the second is taken.
  web.pages["https://ledger.example/world/"] =
      "<html><head><title>World</title>"
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/gone.xml\">"
      "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"atom.xml\">"
      "</head><body>x</body></html>";
  web.pages["https://ledger.example/world/atom.xml"] = kAtom;
  auto r = feeds::DiscoverFeed("https://ledger.example/world/", web.Fetch());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, "feed");
  EXPECT_EQ(r->url, "https://ledger.example/world/atom.xml");
  EXPECT_EQ(r->title, "Atlas");
  EXPECT_NE(r->how.find("advertised"), std::string::npos) << r->how;
}

TEST(DiscoverFeedTest, CommonPathsOnTheSameHostOnly) {
  FakeWeb web;
  web.pages["https://atlas.example:8443/news/today.html"] =
      "<html><head><title>Today</title></head><body><a href=\"https://other.example/feed\">"
      "</a></body></html>";
  web.pages["https://atlas.example:8443/atom.xml"] = kAtom;
  auto r = feeds::DiscoverFeed("https://atlas.example:8443/news/today.html", web.Fetch());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, "feed");
  EXPECT_EQ(r->url, "https://atlas.example:8443/atom.xml");
  EXPECT_EQ(r->how, "found at /atom.xml");
  for (const std::string& u : web.fetched) {
    EXPECT_EQ(u.rfind("https://atlas.example:8443/", 0), 0u) << u;
  }
}

TEST(DiscoverFeedTest, NoFeedKeepsThePage) {
  FakeWeb web;
  web.pages["https://plain.example/story.html"] =
      "<html><head><title> A  plain   page </title>"
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"file:///etc/passwd\">"
      "</head><body><p>Text.</p></body></html>";
  auto r = feeds::DiscoverFeed("https://plain.example/story.html", web.Fetch());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, "page");
  EXPECT_EQ(r->url, "https://plain.example/story.html");
  EXPECT_EQ(r->title, "A plain page");
  EXPECT_NE(r->how.find("no feed found"), std::string::npos);
  for (const std::string& u : web.fetched) EXPECT_NE(u.substr(0, 5), "file:") << u;
  EXPECT_EQ(web.fetched.size(), 5u);  // the page and four common paths
}

TEST(DiscoverFeedTest, UnreachableUrlIsAnError) {
  FakeWeb web;
  auto r = feeds::DiscoverFeed("https://down.example/", web.Fetch());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("https://down.example/"), std::string::npos);
}

TEST(ReadOpmlSourcesTest, NestedFoldersBecomeSections) {
  const std::string opml =
      "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>t</title></head><body>"
      "<outline text=\"Loose\" type=\"rss\" xmlUrl=\"https://a.example/rss\"/>"
      "<outline text=\"World\"><outline text=\"Asia\">"
      "<outline text=\"B\" title=\"B paper\" type=\"rss\" xmlUrl=\"https://b.example/feed\" "
      "language=\"zh-Hant\" pollInterval=\"1h30m\"/></outline>"
      "<outline text=\"C\" type=\"rss\" xmlUrl=\"https://c.example/atom\" category=\"/Tech/AI\"/>"
      "<outline text=\"D\" type=\"link\" url=\"https://d.example/page\"/></outline>"
      "</body></opml>";
  auto r = feeds::ReadOpmlSources(opml, "subs.opml", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].section, "");
  EXPECT_EQ((*r)[0].title, "Loose");
  EXPECT_EQ((*r)[1].section, "Asia");  // the innermost folder
  EXPECT_EQ((*r)[1].title, "B paper");
  EXPECT_EQ((*r)[1].lang, "zh-Hant");
  EXPECT_EQ((*r)[1].interval_s, 5400);
  EXPECT_EQ((*r)[2].section, "AI");  // the category attribute wins
  EXPECT_EQ((*r)[3].kind, "page");
  EXPECT_EQ((*r)[3].url, "https://d.example/page");
  EXPECT_EQ((*r)[3].section, "World");
}

TEST(ReadOpmlSourcesTest, BadListsAreRejectedWhole) {
  struct Case {
    std::string opml;
    std::string reason;
  };
  const std::string head = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>";
  const std::string good = "<outline text=\"A\" xmlUrl=\"https://a.example/rss\"/>";
  const Case cases[] = {
      {head + good + "<outline text=\"B\" xmlUrl=\"https://b.exa", "not well-formed XML"},
      {head + good + "</body>", "not well-formed XML"},
      {"<rss version=\"2.0\"></rss>", "not OPML (root element <rss>)"},
      {head + good + "<outline xmlUrl=\"javascript:alert(1)\"/></body></opml>",
       "line 1: 'javascript:alert(1)': not an http(s) URL"},
      {head + good + "<outline xmlUrl=\"file:///etc/passwd\"/></body></opml>",
       "not an http(s) URL"},
      {head + good + "<outline xmlUrl=\"https://c.example/\" pollInterval=\"soon\"/></body></opml>",
       "pollInterval: duration 'soon'"},
      {head + "<outline text=\"empty folder\"/></body></opml>", "no subscriptions"},
      {"", "not well-formed XML"},
  };
  for (const Case& c : cases) {
    auto r = feeds::ReadOpmlSources(c.opml, "subs.opml", false);
    ASSERT_FALSE(r.ok()) << c.opml;
    EXPECT_EQ(r.status().message().rfind("subs.opml: ", 0), 0u) << r.status().message();
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << r.status().message();
  }
}

class SourcesStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("nd_sources_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> OpenStore(const std::string& name) {
    auto store = Store::Open((dir_ / name).string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  fs::path dir_;
};

Source MakeSource(const std::string& url, const std::string& title, const std::string& kind,
                  const std::string& section, const std::string& lang, int interval_s) {
  Source s;
  s.url = url;
  s.title = title;
  s.kind = kind;
  s.section = section;
  s.lang = lang;
  s.interval_s = interval_s;
  return s;
}

// The fields an OPML list carries, for comparing two stores' sources.
std::vector<std::string> Described(const std::vector<Source>& sources) {
  std::vector<std::string> out;
  for (const Source& s : sources) {
    out.push_back(s.url + "|" + s.title + "|" + s.kind + "|" + s.section + "|" + s.lang + "|" +
                  std::to_string(s.interval_s));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(SourcesStoreTest, ExportThenImportIntoAnEmptyStoreGivesTheSameSources) {
  auto a = OpenStore("a.db");
  ASSERT_NE(a, nullptr);
  const std::vector<Source> given = {
      MakeSource("https://a.example/rss?x=1&y=2", "A <&> \"Paper\"", "feed", "world", "en", 0),
      MakeSource("https://b.example/feed", "", "feed", "", "", 0),
      MakeSource("https://c.example/atom", "C 日报", "feed", "business", "zh-Hans", 5400),
      MakeSource("https://d.example/page.html", "D", "page", "world", "", 0),
      MakeSource("https://e.example/feed.json", "E", "feed", "asia", "zh-Hant", 900),
  };
  for (const Source& s : given) ASSERT_TRUE(a->UpsertSource(s).ok());

  auto opml = ExportOpml(*a, "Desk");
  ASSERT_TRUE(opml.ok()) << opml.status().ToString();
  auto parsed = feeds::ReadOpmlSources(*opml, "export.opml", false);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << *opml;

  auto b = OpenStore("b.db");
  ASSERT_NE(b, nullptr);
  auto imported = web::ImportSources(*b, *parsed);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->added, 5u);
  EXPECT_EQ(imported->updated, 0u);

  auto from_a = a->ListSources();
  auto from_b = b->ListSources();
  ASSERT_TRUE(from_a.ok() && from_b.ok());
  EXPECT_EQ(Described(*from_b), Described(*from_a)) << *opml;

  // Importing the same list again changes nothing and adds nothing.
  auto again = web::ImportSources(*b, *parsed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0u);
  EXPECT_EQ(again->updated, 5u);
  auto after = b->ListSources();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Described(*after), Described(*from_a));
}

TEST(SourceStateTest, FromPollState) {
  const UnixTime now = 1'800'000'000;
  Source s;
  EXPECT_EQ(SourceState(s, now), "new");
  s.last_fetch = now - 60;
  EXPECT_EQ(SourceState(s, now), "ok");
  s.last_error = "HTTP 503";
  s.failures = 1;
  s.next_poll = now - 1;
  EXPECT_EQ(SourceState(s, now), "failing");
  s.failures = 3;
  s.next_poll = now + 3600;
  EXPECT_EQ(SourceState(s, now), "backing off");

  nlohmann::json j = SourceListJson(s, 900, now);
  EXPECT_EQ(j["state"], "backing off");
  EXPECT_EQ(j["interval"], "15m");
  EXPECT_EQ(j["interval_default"], true);
  EXPECT_EQ(j["next_poll"], FormatIso8601(now + 3600));
  EXPECT_TRUE(SourceListJson(Source{}, 900, now)["last_fetch"].is_null());
}

}  // namespace
}  // namespace nd::app
