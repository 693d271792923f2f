#include "extract/extract.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/scan.h"

namespace nd::extract {
namespace {

std::string ReadPage(const std::string& name) {
  std::ifstream f(std::string(ND_TEST_DATA_DIR) + "/extract/" + name, std::ios::binary);
  EXPECT_TRUE(f.good()) << name;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Article MustExtract(const std::string& name, const std::string& url) {
  Result<Article> r = ExtractArticle(ReadPage(name), url);
  EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString();
  return r.ok() ? std::move(r).value() : Article{};
}

// The first block whose text contains `needle`, or nullptr.
const Block* FindBlock(const Article& a, const std::string& needle) {
  for (const Block& b : a.blocks) {
    if (b.text.find(needle) != std::string::npos) return &b;
  }
  return nullptr;
}

void ExpectPresent(const Article& a, const std::vector<std::string>& needles) {
  for (const std::string& n : needles) {
    EXPECT_NE(FindBlock(a, n), nullptr) << "missing: " << n << "\n---\n" << a.Text();
  }
}

void ExpectAbsent(const Article& a, const std::vector<std::string>& needles) {
  std::string text = a.Text();
  for (const std::string& n : needles) {
    EXPECT_EQ(text.find(n), std::string::npos) << "boilerplate kept: " << n << "\n---\n" << text;
  }
}

TEST(ExtractTest, EnglishNewsWithJsonLdAndBoilerplate) {
  Article a =
      MustExtract("en_news_jsonld.html",
                  "https://coastalherald.example/news/2026/11/harbour-bridge-reopens?ref=x");
  EXPECT_EQ(a.title, "Harbour bridge reopens after eight months of repairs");
  EXPECT_EQ(a.published, 1794994200);  // 2026-11-18T09:30:00Z from JSON-LD, not the <time>
  EXPECT_EQ(a.updated, 1794999600);
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.canonical_url, "https://coastalherald.example/news/2026/11/harbour-bridge-reopens");
  EXPECT_EQ(a.site_name, "The Coastal Herald");
  EXPECT_EQ(a.byline, "Mara Ellison, Tom Reyes");
  EXPECT_EQ(a.image, "https://coastalherald.example/img/bridge-lead.jpg");
  EXPECT_EQ(a.description, "The bridge closed for eight months is open to traffic again.");
  EXPECT_FALSE(a.paywalled);
  EXPECT_EQ(a.fetched, 0);
  EXPECT_TRUE(a.content_hash.empty());
  ExpectPresent(a, {"The harbour bridge reopened to traffic on Tuesday morning",
                    "Commuters queued from before six o'clock", "The work cost 38 million pounds",
                    "Council leader Anita Osei said", "Cyclists will have a separate lane"});
  ExpectAbsent(a, {"We use cookies", "Advertisement", "Buy our premium widgets",
                   "Share on Facebook", "Share this article", "The bridge at dawn", "Read more",
                   "Bridge closed after", "Sign up for the Morning Briefing",
                   "top stories delivered", "Ferry timetable", "Related stories", "About time too",
                   "Comments (2)", "Copyright", "About us", "Sport", "Mara Ellison"});
  // The headline is the title, not a block.
  EXPECT_EQ(FindBlock(a, "Harbour bridge reopens"), nullptr);

  const Block* heading = FindBlock(a, "What the repairs cost");
  ASSERT_NE(heading, nullptr);
  EXPECT_EQ(heading->kind, BlockKind::kHeading);
  EXPECT_EQ(heading->text, "What the repairs cost");
  const Block* item = FindBlock(a, "Two steel supports");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->kind, BlockKind::kListItem);
  EXPECT_EQ(item->text, "Two steel supports were replaced in full.");
  const Block* quote = FindBlock(a, "We would rather open a safe bridge");
  ASSERT_NE(quote, nullptr);
  EXPECT_EQ(quote->kind, BlockKind::kQuote);
  const Block* para = FindBlock(a, "The harbour bridge reopened");
  ASSERT_NE(para, nullptr);
  EXPECT_EQ(para->kind, BlockKind::kParagraph);

  // Reading order.
  std::string text = a.Text();
  EXPECT_LT(text.find("The harbour bridge reopened"), text.find("What the repairs cost"));
  EXPECT_LT(text.find("What the repairs cost"), text.find("Two steel supports"));
  EXPECT_LT(text.find("We would rather"), text.find("Cyclists will have"));
}

TEST(ExtractTest, PaywallTeaserUsesJsonLdArticleBody) {
  Article a = MustExtract("en_paywall.html", "https://ledger.example/t/123");
  EXPECT_TRUE(a.paywalled);
  EXPECT_EQ(a.title, "Chip maker doubles output at its northern plant");
  EXPECT_EQ(a.published, 1794913200);  // 2026-11-17T06:00:00-05:00
  EXPECT_EQ(a.canonical_url, "https://ledger.example/tech/chip-maker-doubles-output");
  EXPECT_EQ(a.site_name, "Ledger Weekly");
  EXPECT_EQ(a.byline, "Priya Natarajan");
  EXPECT_EQ(a.lang, "en");
  ASSERT_EQ(a.blocks.size(), 4u) << a.Text();
  EXPECT_EQ(a.blocks[1].text.rfind("The company now makes about 60,000 wafers a month", 0), 0u);
  ExpectPresent(a, {"hire 800 more", "weigh on margins"});
  ExpectAbsent(a, {"Subscribe to keep reading", "less than a coffee", "Market Street"});
}

TEST(ExtractTest, DateFromTimeElementNearTheArticle) {
  Article a = MustExtract("en_time_only.html", "https://riverside.example/local/library-hours");
  EXPECT_EQ(a.title, "Library extends weekend opening hours");
  EXPECT_EQ(a.published, 1795097100);  // the byline <time>, not the archive one below
  EXPECT_EQ(a.canonical_url, "https://riverside.example/local/library-hours");
  EXPECT_EQ(a.site_name, "Riverside Gazette");
  EXPECT_EQ(a.byline, "Jon Park");
  EXPECT_EQ(a.lang, "en");
  ExpectPresent(a, {"The central library will stay open until eight",
                    "Head librarian Sofia Grant said", "The study rooms on the second floor"});
  ExpectAbsent(a, {"Log in", "Most popular", "Road works", "Listings and events", "Posted by",
                   "independent community newspaper", "library council"});
}

TEST(ExtractTest, DateWrittenInBylineTextAndTableRows) {
  Article a = MustExtract("en_text_date.html", "https://valleytimes.example/2026/rain");
  EXPECT_EQ(a.title, "Rainfall record broken in the valley");
  EXPECT_EQ(a.published, 1794960000);  // "Published 18 November 2026"
  EXPECT_EQ(a.site_name, "valleytimes.example");
  EXPECT_EQ(a.canonical_url, "https://valleytimes.example/2026/rain");
  ExpectPresent(a, {"More rain fell on the valley", "Gauges at the airport recorded 212",
                    "Farmers said fields in the lower valley"});
  ExpectAbsent(a, {"Published 18 November", "Weather", "Farming", "all rights reserved"});
  const Block* row = FindBlock(a, "October 1903 |");
  ASSERT_NE(row, nullptr) << a.Text();
  EXPECT_EQ(row->kind, BlockKind::kTableRow);
  EXPECT_EQ(row->text, "October 1903 | 183");
  const Block* heading = FindBlock(a, "Wettest months");
  ASSERT_NE(heading, nullptr);
  EXPECT_EQ(heading->kind, BlockKind::kHeading);
}

TEST(ExtractTest, ChineseSimplifiedWithDateInByline) {
  Article a = MustExtract("zh_hans_byline.html", "https://dongfang.example/news/20261120/metro");
  EXPECT_EQ(a.title, "城市地铁新线路今日开通运营");
  // "2026年11月20日 08:30", Chinese page time without a zone: UTC+8.
  EXPECT_EQ(a.published, 1795134600);
  EXPECT_EQ(a.lang, "zh-Hans");
  EXPECT_EQ(a.site_name, "dongfang.example");
  EXPECT_EQ(a.canonical_url, "https://dongfang.example/news/20261120/metro");
  ExpectPresent(a, {"地铁五号线今日上午正式开通运营", "从东部新区到市中心的通勤时间",
                    "五号线采用全自动驾驶系统", "不少市民一早就来到车站体验新线路"});
  ExpectAbsent(a, {"广告", "相关阅读", "四号线延长线", "责任编辑", "分享到", "热门新闻", "大幅降温",
                   "版权所有", "首页", "2026年11月20日"});
  // Ideographic indentation is trimmed.
  const Block* first = FindBlock(a, "地铁五号线今日上午");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->text.rfind("本报讯 地铁五号线", 0), 0u) << first->text;
}

TEST(ExtractTest, ChineseTraditionalDecidedByCharacters) {
  Article a = MustExtract("zh_hant.html", "https://harbour-news.example/a?id=20261121");
  EXPECT_EQ(a.title, "颱風逼近 港口暫停貨櫃作業");
  EXPECT_EQ(a.lang, "zh-Hant");  // <html lang="zh"> alone would not say which script
  EXPECT_EQ(a.published, 1795227300);
  EXPECT_EQ(a.canonical_url, "https://harbour-news.example/article/20261121-typhoon");
  EXPECT_EQ(a.site_name, "海港新聞網");
  EXPECT_EQ(a.byline, "記者陳志強／報導");
  ExpectPresent(a, {"強烈颱風預計明天清晨最接近本島", "目前仍有十二艘貨輪停靠在港區",
                    "颱風外圍環流已經開始影響北部地區", "往返離島的客輪今天下午起全部停航"});
  ExpectAbsent(a, {"延伸閱讀", "去年颱風", "港區的貨櫃起重機", "分享", "熱門新聞", "夜市攤商",
                   "版權所有", "首頁"});
}

TEST(ExtractTest, LayoutTableWithBrParagraphs) {
  Article a = MustExtract("en_br_paragraphs.html", "http://millbrook.example/news/choir.html");
  EXPECT_EQ(a.title, "Town choir wins regional contest");
  EXPECT_EQ(a.published, 0);
  EXPECT_EQ(a.lang, "en");
  ASSERT_EQ(a.blocks.size(), 3u) << a.Text();
  EXPECT_EQ(a.blocks[0].text.rfind("The Millbrook town choir won first prize", 0), 0u);
  EXPECT_EQ(a.blocks[1].text.rfind("The forty singers", 0), 0u);
  EXPECT_EQ(a.blocks[2].text.rfind("Director Helen Marsh said", 0), 0u);
  ExpectAbsent(a, {"Letters", "12 High Street"});
}

TEST(ExtractTest, MetadataOnlyPageHasEmptyBlocks) {
  Article a = MustExtract("metadata_only.html", "https://metro.example/live");
  EXPECT_EQ(a.title, "Live: election results as they come in");
  EXPECT_EQ(a.site_name, "Metro Daily");
  EXPECT_TRUE(a.blocks.empty()) << a.Text();
  EXPECT_EQ(a.reason,
            "no article body found (page has no paragraphs, 100% link text, 4 bytes of text)");
}

TEST(ExtractTest, LinkOnlyPageHasEmptyBodyWithReason) {
  Article a = MustExtract("en_landing_links.html", "https://courier.example/weather");
  EXPECT_EQ(a.title, "Weather desk");
  EXPECT_TRUE(a.blocks.empty()) << a.Text();
  EXPECT_EQ(a.reason.rfind("no article body found (page has 3 short paragraphs, ", 0), 0u)
      << a.reason;
  EXPECT_NE(a.reason.find("% link text"), std::string::npos) << a.reason;
}

TEST(ExtractTest, ArticleWithBodyHasNoReason) {
  Article a = MustExtract("en_embed_promo.html", "https://ledger.example/news/night-room");
  EXPECT_FALSE(a.blocks.empty());
  EXPECT_EQ(a.reason, "");
}

TEST(ExtractTest, NoTextAndNoTitleIsParseError) {
  Result<Article> r = ExtractArticle(ReadPage("no_text.html"), "https://x.example/empty");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_NE(r.status().message().find("https://x.example/empty"), std::string::npos);
  EXPECT_NE(r.status().message().find("no article text found"), std::string::npos);
  EXPECT_NE(r.status().message().find("page has no paragraphs"), std::string::npos)
      << r.status().message();
}

TEST(ExtractTest, EmptyInputIsInvalid) {
  Result<Article> r = ExtractArticle("", "https://x.example/a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("https://x.example/a"), std::string::npos);
  EXPECT_NE(r.status().message().find("empty input"), std::string::npos);
}

TEST(ExtractTest, BinaryInputIsInvalid) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06", 24);
  Result<Article> r = ExtractArticle(png, "https://x.example/logo.png");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("binary data (not HTML"), std::string::npos)
      << r.status().message();

  std::string noise;
  for (int i = 0; i < 4000; ++i) noise.push_back(static_cast<char>(1 + (i * 7) % 30));
  r = ExtractArticle(noise, "https://x.example/noise");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST(ExtractTest, OversizedInputIsTooLarge) {
  std::string big(50u * 1024 * 1024 + 1, 'a');
  Result<Article> r = ExtractArticle(big, "https://x.example/big");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(r.status().message().find("larger than the 50 MB limit"), std::string::npos)
      << r.status().message();
}

TEST(ExtractTest, FiftyMegabytePageIsExtracted) {
  // Just under the 50 MB cap: a page whose bulk is inline data, then the article.
  std::string html = "<html><head><title>Large page</title><script>var data = \"";
  html.append(49u * 1024 * 1024, 'x');
  html.append(
      "\";</script></head><body><article><p>The article after a very large inline script "
      "is still found, and its paragraph is kept as the body of the page.</p></article>"
      "</body></html>");
  ASSERT_LE(html.size(), 50u * 1024 * 1024);
  Result<Article> r = ExtractArticle(html, "https://x.example/large");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Large page");
  ExpectPresent(*r, {"The article after a very large inline script is still found"});
}

TEST(ExtractTest, PullQuotesAndHoverCardsAreDropped) {
  std::string html =
      "<html><head><title>Council votes on the new park</title></head><body><article>"
      "<p>The council voted on Monday to turn the old rail yard into a park, after two years "
      "of public meetings and a long debate about the cost of cleaning the soil.</p>"
      "<div class=\"pullquote\">Two years of public meetings</div>"
      "<aside class=\"wp-block-pull-quote\"><p>a long debate about the cost</p></aside>"
      "<p>Mayor <span class=\"person\"><a href=\"/p/1\">Lena Ortiz</a><span "
      "class=\"person-tooltip\">Lena Ortiz: latest stories about the mayor</span></span> said the "
      "park would open in the spring, with a playground, a pond and paths for cyclists.</p>"
      "<p>Work on the soil starts next month and will take about twenty weeks to finish.</p>"
      "</article></body></html>";
  Result<Article> r = ExtractArticle(html, "https://x.example/park");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->blocks.size(), 3u) << r->Text();
  EXPECT_EQ(r->blocks[1].text.rfind("Mayor Lena Ortiz said the park would open", 0), 0u)
      << r->blocks[1].text;
  ExpectAbsent(*r, {"latest stories about the mayor"});
}

TEST(ExtractTest, EmbeddedPostsKeptPromoLinesDropped) {
  Article a = MustExtract("en_embed_promo.html", "https://ledger.example/news/night-room");
  EXPECT_EQ(a.title, "Town library opens a night reading room");
  ExpectPresent(a, {"The Riverside town library opened a reading room on Tuesday",
                    // A sentence that is mostly one link is still prose.
                    "The plan was approved by the council in a narrow vote last spring.",
                    "The library will review the opening hours in March"});
  // The embedded post sits in the body flow inside a "social-media-embed" wrapper.
  const Block* post = FindBlock(a, "Finished my whole novel chapter");
  ASSERT_NE(post, nullptr) << a.Text();
  EXPECT_EQ(post->kind, BlockKind::kQuote);
  ExpectPresent(a, {"Nadia Brook (@nadiabrook)"});
  // Share bar, newsletter pitch, the reporter's contact line, "follow us", the link list.
  ExpectAbsent(a, {"Facebook", "inbox", "newsletter", "jperez@", "Have a tip",
                   "Follow the Riverside", "Bridge repairs", "All rights reserved"});
  // Datelines: a byline with a date, "Updated at ...", a date alone.
  ExpectAbsent(a, {"By Jon Perez", "9:15 PM", "Updated at"});
  for (const Block& b : a.blocks) EXPECT_NE(b.text, "November 24, 2026");
  EXPECT_EQ(a.blocks[0].text.rfind("The Riverside town library opened", 0), 0u) << a.blocks[0].text;
}

TEST(ExtractTest, DeepNestingIsBoundedAndDoesNotCrash) {
  std::string html = "<html><head><title>Deep page</title></head><body>";
  for (int i = 0; i < 100000; ++i) html.append("<div>");
  html.append("<p>Deep text that sits at the bottom of a very deep tree of elements.</p>");
  for (int i = 0; i < 100000; ++i) html.append("</div>");
  html.append("</body></html>");
  auto start = std::chrono::steady_clock::now();
  Result<Article> r = ExtractArticle(html, "https://x.example/deep");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 10.0);
  // The parser stops at its depth limit; the title is still there.
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Deep page");
}

TEST(ExtractTest, InvalidUtf8IsRepairedNotMisdecoded) {
  std::string html =
      "<html><head><title>Bad bytes</title></head><body><article>"
      "<p>First paragraph with a broken byte \xFF\xFE here, and more words after it so "
      "that it counts as body text for the scorer.</p>"
      "<p>第二段落包含中文字符，确认后面的文字没有被错误地按照其他编码解码，仍然保持正确。</p>"
      "</article></body></html>";
  Article a;
  Result<Article> r = ExtractArticle(html, "https://x.example/bad");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  a = std::move(r).value();
  ExpectPresent(a, {"broken byte \xEF\xBF\xBD\xEF\xBF\xBD here",
                    "第二段落包含中文字符，确认后面的文字没有被错误地按照其他编码解码"});
}

TEST(ExtractTest, MalformedJsonLdIsTolerated) {
  std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
      "\"headline\":\"Broken but readable\",\"datePublished\":\"2026-11-18T09:30:00Z\","
      "\"articleBody\":\"line one\nline two\"};garbage</script>"
      "<script type=\"application/ld+json\">{not json at all</script></head>"
      "<body><p>A short paragraph of body text that is long enough to be kept by the "
      "scorer of paragraphs.</p></body></html>";
  Result<Article> r = ExtractArticle(html, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "Broken but readable");
  EXPECT_EQ(r->published, 1794994200);
  EXPECT_EQ(r->canonical_url, "");
}

TEST(ScanTest, FindsDatesWrittenInText) {
  using internal::FindDateInText;
  EXPECT_EQ(FindDateInText("来源：新华社 2026年11月20日 08:30"), "2026-11-20T08:30:00");
  EXPECT_EQ(FindDateInText("2026年1月5日"), "2026-01-05");
  EXPECT_EQ(FindDateInText("Updated 2026-11-20 08:30 GMT"), "2026-11-20T08:30:00");
  EXPECT_EQ(FindDateInText("on 2026/11/20."), "2026-11-20");
  EXPECT_EQ(FindDateInText("Published 18 November 2026"), "2026-11-18");
  EXPECT_EQ(FindDateInText("November 18, 2026 at noon"), "2026-11-18");
  EXPECT_EQ(FindDateInText("Nov. 3rd, 2026"), "2026-11-03");
  EXPECT_EQ(FindDateInText("Sept 9 2026"), "2026-09-09");
  EXPECT_EQ(FindDateInText("May 2026 was warm; 12345-11-20 is not a date"), "");
  EXPECT_EQ(FindDateInText("no date here, 42 May"), "");
}

TEST(ScanTest, StripsSiteFromTitles) {
  using internal::StripTitleSite;
  EXPECT_EQ(StripTitleSite("Headline here | The Site", "The Site"), "Headline here");
  EXPECT_EQ(StripTitleSite("A long headline about things - Site", ""),
            "A long headline about things");
  EXPECT_EQ(StripTitleSite("城市新闻今日要点_东方网", ""), "城市新闻今日要点");
  EXPECT_EQ(StripTitleSite("The Site | Headline here", "The Site"), "Headline here");
  EXPECT_EQ(StripTitleSite("Plain headline", "Site"), "Plain headline");
  EXPECT_EQ(StripTitleSite("Cats - and dogs - living together", "Site"),
            "Cats - and dogs - living together");
}

TEST(ScanTest, CollapsesWhitespaceAndValidatesUtf8) {
  EXPECT_EQ(internal::CollapseWhitespace("  a \n\t b\xC2\xA0\xC2\xA0"
                                         "c\xE2\x80\x8B  "),
            "a b c");
  EXPECT_EQ(internal::CollapseWhitespace("\xE3\x80\x80\xE3\x80\x80正文"), "正文");
  EXPECT_TRUE(internal::IsValidUtf8("plain ascii and 中文"));
  EXPECT_FALSE(internal::IsValidUtf8("bad \xC0\xAF overlong"));
  EXPECT_FALSE(internal::IsValidUtf8("cut \xE4\xB8"));
  EXPECT_EQ(internal::SanitizeUtf8("a\xFF"
                                   "b"),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace nd::extract
