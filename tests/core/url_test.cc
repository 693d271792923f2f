#include "core/url.h"

#include <gtest/gtest.h>

namespace nd {
namespace {

TEST(ResolveUrlTest, RelativePaths) {
  EXPECT_EQ(ResolveUrl("https://news.example.com/world/feed.xml", "story-1.html"),
            "https://news.example.com/world/story-1.html");
  EXPECT_EQ(ResolveUrl("https://news.example.com/world/feed.xml", "../biz/a.html"),
            "https://news.example.com/biz/a.html");
  EXPECT_EQ(ResolveUrl("https://news.example.com/world/feed.xml", "/top"),
            "https://news.example.com/top");
  EXPECT_EQ(ResolveUrl("https://news.example.com/world/feed.xml", "//cdn.example.net/x.jpg"),
            "https://cdn.example.net/x.jpg");
  EXPECT_EQ(ResolveUrl("https://news.example.com/a/b?x=1", "?page=2"),
            "https://news.example.com/a/b?page=2");
}

TEST(ResolveUrlTest, FragmentAndEmptyKeepBase) {
  EXPECT_EQ(ResolveUrl("https://news.example.com/a/b?x=1#top", "#part2"),
            "https://news.example.com/a/b?x=1#part2");
  EXPECT_EQ(ResolveUrl("https://news.example.com/a/b?x=1#top", ""),
            "https://news.example.com/a/b?x=1");
}

TEST(ResolveUrlTest, AbsoluteRefUnchanged) {
  EXPECT_EQ(ResolveUrl("https://a.example/", "http://b.example/x"), "http://b.example/x");
  EXPECT_EQ(ResolveUrl("not a url", "https://b.example/x"), "https://b.example/x");
  EXPECT_EQ(ResolveUrl("https://a.example/", "mailto:desk@a.example"), "mailto:desk@a.example");
}

TEST(ResolveUrlTest, WhitespaceAndSpacesEncoded) {
  EXPECT_EQ(ResolveUrl("https://a.example/dir/", "  new story.html\n"),
            "https://a.example/dir/new%20story.html");
}

TEST(ResolveUrlTest, FileBase) {
  EXPECT_EQ(ResolveUrl("file:///data/feeds/world.xml", "items/one.html"),
            "file:///data/feeds/items/one.html");
  EXPECT_EQ(ResolveUrl("file:///data/feeds/world.xml", "../pages/two.html"),
            "file:///data/pages/two.html");
}

TEST(ResolveUrlTest, Unparsable) {
  EXPECT_EQ(ResolveUrl("", "relative.html"), "");
  EXPECT_EQ(ResolveUrl("nonsense", "relative.html"), "");
}

TEST(NormalizeUrlTest, LowercasesAndDropsDefaults) {
  EXPECT_EQ(NormalizeUrl("HTTPS://News.Example.COM:443/World/A?id=3#comments"),
            "https://news.example.com/World/A?id=3");
  EXPECT_EQ(NormalizeUrl("http://example.com:80"), "http://example.com/");
  EXPECT_EQ(NormalizeUrl("http://example.com:8080/x"), "http://example.com:8080/x");
}

TEST(NormalizeUrlTest, DropsTrackingParameters) {
  EXPECT_EQ(NormalizeUrl("https://e.com/a?utm_source=rss&id=7&UTM_medium=x&fbclid=abc&gclid=z"),
            "https://e.com/a?id=7");
  EXPECT_EQ(NormalizeUrl("https://e.com/a?utm_source=rss"), "https://e.com/a");
}

TEST(NormalizeUrlTest, UnparsableUnchanged) {
  EXPECT_EQ(NormalizeUrl("no scheme here"), "no scheme here");
}

TEST(UrlSchemeTest, Schemes) {
  EXPECT_EQ(UrlScheme("HTTPS://x.com/"), "https");
  EXPECT_EQ(UrlScheme("file:///tmp/x"), "file");
  EXPECT_EQ(UrlScheme("/relative/path"), "");
  EXPECT_EQ(UrlScheme("1http://x"), "");
  EXPECT_EQ(UrlScheme(""), "");
}

TEST(UrlHostTest, Hosts) {
  EXPECT_EQ(UrlHost("https://News.Example.com:8443/x"), "news.example.com");
  EXPECT_EQ(UrlHost("file:///etc/hosts"), "");
  EXPECT_EQ(UrlHost("garbage"), "");
}

TEST(FileUrlFromPathTest, AbsoluteAndEscaped) {
  EXPECT_EQ(FileUrlFromPath("/data/feeds/a b.xml"), "file:///data/feeds/a%20b.xml");
  EXPECT_EQ(FileUrlFromPath("/data/./feeds/../x.xml"), "file:///data/x.xml");
  std::string rel = FileUrlFromPath("some/file.xml");
  EXPECT_EQ(rel.rfind("file:///", 0), 0u) << rel;
  EXPECT_NE(rel.find("/some/file.xml"), std::string::npos) << rel;
}

TEST(FileUrlFromPathTest, RoundTripsThroughResolve) {
  std::string base = FileUrlFromPath("/srv/feeds/world.xml");
  EXPECT_EQ(ResolveUrl(base, "a.html"), "file:///srv/feeds/a.html");
  EXPECT_EQ(UrlScheme(base), "file");
}

}  // namespace
}  // namespace nd
