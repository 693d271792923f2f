// PoliteFetcher tests with a fake inner fetcher: robots.txt, TDMRep, Retry-After and
// back-off, plus the robots/TDM parsers.

#include "fetch/polite.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace nd::fetch {
namespace {

// Serves canned results by URL; counts requests.
class FakeFetcher : public Fetcher {
 public:
  std::map<std::string, Result<FetchResponse>> routes;
  std::vector<std::string> requested;

  Result<FetchResponse> Fetch(const std::string& url, const FetchOptions&) override {
    requested.push_back(url);
    auto it = routes.find(url);
    if (it == routes.end()) return Status::NotFound(url + ": HTTP 404");
    return it->second;
  }
};

FetchResponse Ok(std::string body, std::string tdm = "") {
  FetchResponse r;
  r.status = 200;
  r.body = std::move(body);
  r.tdm_reservation = std::move(tdm);
  return r;
}

TEST(RobotsRulesTest, GroupsAndLongestMatch) {
  const char* text =
      "User-agent: *\nDisallow: /private/\n\n"
      "User-agent: newsdesk\nUser-agent: other\nDisallow: /news/drafts\n"
      "Allow: /news/drafts/public$\nDisallow: /*.pdf$\n";
  RobotsRules mine = RobotsRules::Parse(text, "newsdesk");
  EXPECT_TRUE(mine.Allowed("/private/x"));  // our group replaces "*"
  EXPECT_FALSE(mine.Allowed("/news/drafts/1"));
  EXPECT_TRUE(mine.Allowed("/news/drafts/public"));
  EXPECT_FALSE(mine.Allowed("/news/drafts/public/2"));
  EXPECT_FALSE(mine.Allowed("/a/b.pdf"));
  EXPECT_TRUE(mine.Allowed("/a/b.pdf?x=1"));
  RobotsRules other = RobotsRules::Parse(text, "somebot");
  EXPECT_FALSE(other.Allowed("/private/x"));
  EXPECT_TRUE(other.Allowed("/news/drafts/1"));
  EXPECT_TRUE(RobotsRules::Parse("User-agent: *\nDisallow:\n", "newsdesk").Allowed("/x"));
  EXPECT_FALSE(RobotsRules::Parse("user-agent: *\ndisallow: /\n", "newsdesk").Allowed("/x"));
  EXPECT_TRUE(RobotsRules::Parse("garbage\n\x01\x02: :\n", "newsdesk").Allowed("/x"));
}

TEST(PathPatternTest, Wildcards) {
  EXPECT_TRUE(PathPatternMatches("/a", "/abc"));
  EXPECT_TRUE(PathPatternMatches("/*/c", "/a/b/c"));
  EXPECT_TRUE(PathPatternMatches("*", "/"));
  EXPECT_FALSE(PathPatternMatches("/a$", "/ab"));
  EXPECT_TRUE(PathPatternMatches("/a*$", "/ab"));
  EXPECT_FALSE(PathPatternMatches("/b", "/a"));
}

TEST(TdmTest, HtmlMeta) {
  EXPECT_TRUE(HtmlReservesTdm("<head><META name=\"tdm-reservation\" content=\"1\"></head>"));
  EXPECT_TRUE(HtmlReservesTdm("<meta content='1' name='tdm-reservation'>"));
  EXPECT_FALSE(HtmlReservesTdm("<meta name=\"tdm-reservation\" content=\"0\">"));
  EXPECT_FALSE(HtmlReservesTdm("<p>we discuss tdm-reservation content=1 here</p>"));
}

TEST(RetryAfterTest, FromMessage) {
  EXPECT_EQ(RetryAfterFromMessage("u: HTTP 429 (Retry-After: 120 s)"), 120);
  EXPECT_EQ(RetryAfterFromMessage("u: HTTP 503"), -1);
}

class PoliteFetcherTest : public ::testing::Test {
 protected:
  PoliteFetcherTest() : gate_(Options()), polite_(fake_, gate_) {}
  static PoliteOptions Options() {
    PoliteOptions o;
    o.min_delay_ms = 0;
    return o;
  }
  FakeFetcher fake_;
  HostGate gate_;
  PoliteFetcher polite_;
  FetchOptions options_;
};

TEST_F(PoliteFetcherTest, RobotsDisallowRefusesWithoutFetching) {
  fake_.routes.emplace("https://news.example:443/robots.txt",
                       Ok("User-agent: *\nDisallow: /secret\n"));
  fake_.routes.emplace("https://news.example/open", Ok("fine"));
  auto r = polite_.Fetch("https://news.example/secret/page", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRefused);
  EXPECT_NE(r.status().message().find("robots.txt"), std::string::npos);
  EXPECT_TRUE(polite_.Fetch("https://news.example/open", options_).ok());
  // robots.txt and tdmrep.json once for the host, then only /open.
  EXPECT_EQ(fake_.requested.size(), 3u);
}

TEST_F(PoliteFetcherTest, TdmReservationHeaderMetaAndTdmrep) {
  fake_.routes.emplace("https://a.example/h", Ok("x", "1"));
  fake_.routes.emplace("https://a.example/m",
                       Ok("<html><head><meta name=\"tdm-reservation\" content=\"1\">"));
  fake_.routes.emplace("https://a.example:443/.well-known/tdmrep.json",
                       Ok(R"([{"location":"/reserved/*","tdm-reservation":1},
                              {"location":"/reserved/free","tdm-reservation":0}])"));
  fake_.routes.emplace("https://a.example/reserved/free", Ok("ok"));
  fake_.routes.emplace("https://a.example/open", Ok("ok"));
  EXPECT_EQ(polite_.Fetch("https://a.example/h", options_).status().code(), StatusCode::kRefused);
  EXPECT_EQ(polite_.Fetch("https://a.example/m", options_).status().code(), StatusCode::kRefused);
  auto reserved = polite_.Fetch("https://a.example/reserved/x", options_);
  EXPECT_EQ(reserved.status().code(), StatusCode::kRefused);
  EXPECT_NE(reserved.status().message().find("tdmrep.json"), std::string::npos);
  EXPECT_TRUE(polite_.Fetch("https://a.example/reserved/free", options_).ok());
  EXPECT_TRUE(polite_.Fetch("https://a.example/open", options_).ok());
}

TEST_F(PoliteFetcherTest, RetryAfterBlocksTheHost) {
  fake_.routes.emplace(
      "https://b.example/feed",
      Status::Unavailable("https://b.example/feed: HTTP 429 (Retry-After: 300 s)"));
  EXPECT_FALSE(polite_.Fetch("https://b.example/feed", options_).ok());
  std::size_t before = fake_.requested.size();
  auto again = polite_.Fetch("https://b.example/other", options_);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("backing off"), std::string::npos);
  EXPECT_EQ(fake_.requested.size(), before);  // no network request
  // Another host is unaffected.
  fake_.routes.emplace("https://c.example/x", Ok("ok"));
  EXPECT_TRUE(polite_.Fetch("https://c.example/x", options_).ok());
  auto snapshot = gate_.Snapshot();
  bool found = false;
  for (const HostStatus& h : snapshot) {
    if (h.host == "https://b.example:443") {
      found = true;
      EXPECT_GT(h.backoff_remaining_s, 250);
      EXPECT_NE(h.last_reason.find("Retry-After"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(PoliteFetcherTest, ConsecutiveFailuresBackOffAndNotFoundDoesNot) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        polite_.Fetch("https://d.example/missing" + std::to_string(i), options_).status().code(),
        StatusCode::kNotFound);
  }
  fake_.routes.emplace("https://d.example/boom", Status::Unavailable("HTTP 500"));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(polite_.Fetch("https://d.example/boom", options_).ok());
  std::size_t before = fake_.requested.size();
  auto r = polite_.Fetch("https://d.example/boom", options_);
  EXPECT_NE(r.status().message().find("backing off"), std::string::npos);
  EXPECT_EQ(fake_.requested.size(), before);
}

TEST_F(PoliteFetcherTest, FileUrlsPassThrough) {
  fake_.routes.emplace("file:///tmp/x.xml", Ok("<rss/>"));
  EXPECT_TRUE(polite_.Fetch("file:///tmp/x.xml", options_).ok());
  EXPECT_EQ(fake_.requested.size(), 1u);
}

}  // namespace
}  // namespace nd::fetch
