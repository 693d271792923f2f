#include "feeds/feeds.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/time.h"

namespace nd::feeds {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(ND_TEST_DATA_DIR) + "/feeds/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ParseFeedTest, Rss2) {
  Result<Feed> feed = ParseFeed(ReadData("rss2.xml"), "https://ledger.example.com/world/rss.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->format, "rss");
  EXPECT_EQ(feed->title, "Harbor City Ledger — World");
  EXPECT_EQ(feed->link, "https://ledger.example.com/world/");
  EXPECT_EQ(feed->lang, "en-us");
  ASSERT_EQ(feed->items.size(), 4u);

  const FeedItem& a = feed->items[0];
  EXPECT_EQ(a.title, "Port authority approves new ferry terminal");
  EXPECT_EQ(a.link, "https://ledger.example.com/world/2026/11/18/ferry-terminal");
  EXPECT_EQ(a.guid, "ledger-48213");
  EXPECT_EQ(a.published, ParseDateTime("2026-11-18T09:30:00Z"));
  EXPECT_EQ(a.author, "Mara Okafor");
  EXPECT_EQ(a.summary,
            "The port authority voted 7–2 on Tuesday to build a terminal. Work starts in spring.");

  const FeedItem& b = feed->items[1];
  EXPECT_EQ(b.link, "https://ledger.example.com/world/2026/11/19/rail-strike");
  EXPECT_EQ(b.guid, b.link);
  EXPECT_EQ(b.author, "Tomás Reyes");
  EXPECT_EQ(b.summary, "Unions and operators met again & failed to agree.");  // content:encoded

  const FeedItem& c = feed->items[2];
  EXPECT_EQ(c.title, "港口新码头获批");
  EXPECT_EQ(c.link, "https://ledger.example.com/zh/2026/11/20/terminal");  // permalink guid
  EXPECT_EQ(c.published, ParseDateTime("2026-11-20T08:30:00Z"));
  EXPECT_EQ(c.summary, "港务局周二以七票对两票通过兴建新码头的计划。");

  const FeedItem& d = feed->items[3];
  EXPECT_EQ(d.link, "https://ledger.example.com/world/atom-only");
  EXPECT_EQ(d.published, ParseDateTime("2026-11-20T15:00:00Z"));
}

TEST(ParseFeedTest, Rss1Rdf) {
  Result<Feed> feed = ParseFeed(ReadData("rss1.rdf"), "http://valley.example.org/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->format, "rss");
  EXPECT_EQ(feed->title, "Valley Courier");
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[0].title, "Dam repair finished ahead of schedule");
  EXPECT_EQ(feed->items[0].published, ParseDateTime("2026-11-16T13:15:00Z"));
  EXPECT_EQ(feed->items[0].author, "Lena Hart");
  EXPECT_EQ(feed->items[0].summary, "Engineers reopened the spillway road on Monday.");
  EXPECT_EQ(feed->items[1].link, "http://valley.example.org/news/school-budget");
  EXPECT_EQ(feed->items[1].published, DaysFromCivil(2026, 11, 17) * 86400);
}

TEST(ParseFeedTest, AtomWithXmlBase) {
  Result<Feed> feed = ParseFeed(ReadData("atom.xml"), "https://mirror.example.com/atlas.atom");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->format, "atom");
  EXPECT_EQ(feed->title, "Atlas Journal");
  EXPECT_EQ(feed->lang, "fr");
  EXPECT_EQ(feed->link, "https://atlas.example.net/journal/");
  ASSERT_EQ(feed->items.size(), 2u);

  const FeedItem& a = feed->items[0];
  EXPECT_EQ(a.title, "Ministers agree on water accord");
  EXPECT_EQ(a.link, "https://atlas.example.net/journal/2026/11/water-accord.html");
  EXPECT_EQ(a.guid, "tag:atlas.example.net,2026:water-accord");
  EXPECT_EQ(a.published, ParseDateTime("2026-11-18T08:30:00Z"));  // published, not updated
  EXPECT_EQ(a.author, "Inès Morel");
  EXPECT_EQ(a.summary, "Three countries signed a water accord.");

  const FeedItem& b = feed->items[1];
  EXPECT_EQ(b.link, "https://atlas.example.net/journal/harvest");
  EXPECT_EQ(b.published, ParseDateTime("2026-11-17T16:45:00Z"));  // falls back to updated
  EXPECT_EQ(b.summary, "Growers expect a smaller crop.");
  EXPECT_EQ(b.author, "Atlas Desk");  // feed-level author
}

TEST(ParseFeedTest, JsonFeed) {
  Result<Feed> feed = ParseFeed(ReadData("jsonfeed.json"), "https://meridian.example.io/feed.json");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->format, "jsonfeed");
  EXPECT_EQ(feed->title, "Meridian Wire");
  EXPECT_EQ(feed->link, "https://meridian.example.io/");
  EXPECT_EQ(feed->lang, "en-GB");
  ASSERT_EQ(feed->items.size(), 3u);
  EXPECT_EQ(feed->items[0].link, "https://meridian.example.io/stories/bridge-reopens");
  EXPECT_EQ(feed->items[0].guid, "mw-1001");
  EXPECT_EQ(feed->items[0].summary, "The river crossing reopened to traffic on Wednesday.");
  EXPECT_EQ(feed->items[0].author, "Priya Nair");
  EXPECT_EQ(feed->items[0].published, ParseDateTime("2026-11-18T07:00:00Z"));
  EXPECT_EQ(feed->items[1].guid, "1002");
  EXPECT_EQ(feed->items[1].link, "https://elsewhere.example.com/report");
  EXPECT_EQ(feed->items[1].summary, "Air quality improved in October.");
  EXPECT_EQ(feed->items[1].author, "Meridian Staff");
  EXPECT_EQ(feed->items[1].published, ParseDateTime("2026-11-17T10:00:00Z"));
  EXPECT_EQ(feed->items[2].author, "Old Style");
  EXPECT_EQ(feed->items[2].summary, "Written with a JSON Feed 1.0 author.");
}

TEST(ParseFeedTest, BrokenRssStillYieldsItems) {
  Result<Feed> feed = ParseFeed(ReadData("broken_rss.xml"), "https://coast.example.com/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->title, "Coast & Country News");
  ASSERT_GE(feed->items.size(), 2u);
  const FeedItem& a = feed->items[0];
  EXPECT_EQ(a.title, "AT&T and R&D budgets rise &bogus; today");
  EXPECT_EQ(a.link, "https://coast.example.com/story?id=12&ref=rss");
  EXPECT_EQ(a.summary, "Profits rose 5% — analysts were surprised.");
  EXPECT_EQ(a.published, ParseDateTime("2026-11-16T09:00:00Z"));
  EXPECT_EQ(feed->items[1].title, "Storm closes coastal road");
  EXPECT_EQ(feed->items[1].link, "https://coast.example.com/storm");
}

TEST(ParseFeedTest, HtmlIsNotAFeed) {
  Result<Feed> feed = ParseFeed(ReadData("page_with_feeds.html"), "https://ledger.example.com/");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.status().code(), StatusCode::kParseError);
  EXPECT_EQ(feed.status().message(),
            "https://ledger.example.com/: not a feed (root element <html>)");
  // Without a doctype too, and in upper case.
  feed = ParseFeed("<HTML><body>hi</body></HTML>", "https://x.example/");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.status().message(), "https://x.example/: not a feed (root element <html>)");
}

TEST(ParseFeedTest, OtherFailuresNameTheInput) {
  for (const char* bad : {"", "   ", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "{\"a\": 1}",
                          "{not json", "plain text"}) {
    Result<Feed> feed = ParseFeed(bad, "https://bad.example/feed");
    ASSERT_FALSE(feed.ok()) << bad;
    EXPECT_EQ(feed.status().code(), StatusCode::kParseError) << bad;
    EXPECT_EQ(feed.status().message().rfind("https://bad.example/feed: ", 0), 0u)
        << feed.status().message();
  }
}

TEST(ParseFeedTest, NoExternalEntities) {
  // XXE: the external entity must not be loaded; the item still parses.
  std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<rss><channel><item><title>a&x;b</title><link>https://e.example/1</link></item>"
      "</channel></rss>";
  Result<Feed> feed = ParseFeed(xxe, "https://e.example/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title.find("root:"), std::string::npos);
  EXPECT_EQ(feed->items[0].title, "ab");
}

TEST(LooksLikeFeedTest, Kinds) {
  EXPECT_TRUE(LooksLikeFeed(ReadData("rss2.xml")));
  EXPECT_TRUE(LooksLikeFeed(ReadData("rss1.rdf")));
  EXPECT_TRUE(LooksLikeFeed(ReadData("atom.xml")));
  EXPECT_TRUE(LooksLikeFeed(ReadData("jsonfeed.json")));
  EXPECT_TRUE(LooksLikeFeed("\xEF\xBB\xBF <!-- c --><rss version=\"0.91\"></rss>"));
  EXPECT_FALSE(LooksLikeFeed(ReadData("page_with_feeds.html")));
  EXPECT_FALSE(LooksLikeFeed(ReadData("subscriptions.opml")));
  EXPECT_FALSE(LooksLikeFeed("{\"items\": []}"));
  EXPECT_FALSE(LooksLikeFeed(""));
}

TEST(ParseOpmlTest, NestedCategories) {
  Result<std::vector<OpmlOutline>> r =
      ParseOpml(ReadData("subscriptions.opml"), "https://desk.example.com/export.opml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].title, "Uncategorised feed");
  EXPECT_EQ((*r)[0].category, "");
  EXPECT_EQ((*r)[1].title, "Harbor City Ledger");
  EXPECT_EQ((*r)[1].xml_url, "https://ledger.example.com/world/rss.xml");
  EXPECT_EQ((*r)[1].html_url, "https://ledger.example.com/world/");
  EXPECT_EQ((*r)[1].category, "World");
  EXPECT_EQ((*r)[2].title, "Atlas Journal (FR)");
  EXPECT_EQ((*r)[2].xml_url, "https://desk.example.com/feeds/atlas.atom");
  EXPECT_EQ((*r)[2].category, "Europe");
  EXPECT_EQ((*r)[3].category, "Tech");  // explicit category attribute wins
}

TEST(ParseOpmlTest, NotOpml) {
  Result<std::vector<OpmlOutline>> r = ParseOpml(ReadData("rss2.xml"), "subs.opml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "subs.opml: not OPML (root element <rss>)");
}

TEST(WriteOpmlTest, RoundTrip) {
  std::vector<Source> sources(4);
  sources[0].url = "https://a.example/rss?x=1&y=2";
  sources[0].title = "A <&> \"Paper\"";
  sources[0].section = "world";
  sources[1].url = "https://b.example/feed";
  sources[2].url = "https://c.example/atom";
  sources[2].title = "C";
  sources[2].section = "business";
  sources[3].url = "https://d.example/page";
  sources[3].kind = "page";
  sources[3].section = "world";
  std::string opml = WriteOpml(sources, "My & desk");
  EXPECT_NE(opml.find("<title>My &amp; desk</title>"), std::string::npos) << opml;
  Result<std::vector<OpmlOutline>> r = ParseOpml(opml, "https://desk.example/");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u) << opml;  // the page source is a link outline, not a feed
  EXPECT_EQ((*r)[0].xml_url, "https://b.example/feed");
  EXPECT_EQ((*r)[0].title, "https://b.example/feed");
  EXPECT_EQ((*r)[0].category, "");
  EXPECT_EQ((*r)[1].xml_url, "https://a.example/rss?x=1&y=2");
  EXPECT_EQ((*r)[1].title, "A <&> \"Paper\"");
  EXPECT_EQ((*r)[1].category, "world");
  EXPECT_EQ((*r)[2].category, "business");
}

TEST(DiscoverFeedsTest, AlternateLinks) {
  std::vector<std::string> feeds = DiscoverFeeds(ReadData("page_with_feeds.html"),
                                                 "https://ledger.example.com/world/index.html");
  ASSERT_EQ(feeds.size(), 3u);
  EXPECT_EQ(feeds[0], "https://ledger.example.com/world/rss.xml");
  EXPECT_EQ(feeds[1], "https://ledger.example.com/all.atom");
  EXPECT_EQ(feeds[2], "https://ledger.example.com/world/feed.json");
}

TEST(DiscoverFeedsTest, BaseElementAndNothing) {
  std::string html =
      "<html><head><base href=\"https://cdn.example.org/site/\">"
      "<link rel=\"alternate feed\" type=\"application/atom+xml; charset=utf-8\" href=\"a.xml\">"
      "</head></html>";
  std::vector<std::string> feeds = DiscoverFeeds(html, "https://example.org/");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0], "https://cdn.example.org/site/a.xml");
  EXPECT_TRUE(DiscoverFeeds("<p>no feeds here</p>", "https://example.org/").empty());
  EXPECT_TRUE(DiscoverFeeds("", "https://example.org/").empty());
}

}  // namespace
}  // namespace nd::feeds
