// Tests for the web stage: the router answering requests against a real SQLite store
// (pages in three languages, escaping, language choice, errors, ETags, JSON API, feeds),
// the HTTP server on 127.0.0.1, and the static export.
#include "web/web.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "web/escape.h"
#include "web/i18n.h"
#include "web/openapi.h"
#include "web/pages.h"
#include "web/router.h"
#include "web/server.h"

namespace nd::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr UnixTime kNov18 = 1794994200;  // 2026-11-18T09:30:00Z
constexpr const char* kEvil = "<script>alert(1)</script>";

fs::path MakeTempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(::testing::TempDir()) /
                 ("nd_web_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
                  std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

CitedSentence S(std::string text, std::vector<int> cites) {
  CitedSentence s;
  s.text = std::move(text);
  s.cites = std::move(cites);
  return s;
}

StoryText Text(const std::string& lang, const std::string& headline, const std::string& dek) {
  StoryText t;
  t.lang = lang;
  t.headline = headline;
  t.dek = {S(dek, {0})};
  t.writer = "extractive";
  t.source_lang = lang;
  return t;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// The part of `html` matched by the first group of `pattern`, or "".
std::string Capture(const std::string& html, const std::string& pattern) {
  std::smatch m;
  const std::regex re(pattern);
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    db_ = (dir_ / "newsdesk.db").string();
    auto opened = Store::Open(db_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ASSERT_NO_FATAL_FAILURE(Seed());
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::int64_t PutArticle(const std::string& url, const std::string& site, const std::string& title,
                          const std::string& lang, UnixTime published) {
    Article a;
    a.url = url;
    a.canonical_url = url;
    a.site_name = site;
    a.title = title;
    a.lang = lang;
    a.published = published;
    a.fetched = published;
    a.blocks = {Block{BlockKind::kParagraph, "Body of " + title}};
    a.content_hash = "hash-" + url;
    auto put = store_->PutArticle(a);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
    return put.ok() ? put->id : 0;
  }

  // Story 1: the full story (three sources, one of them hostile, timeline, analysis in en,
  // four related stories). Stories 2-5: plain related stories. Story 6: a hostile headline.
  // Story 7: a zh-Hans text shown from English (untranslated).
  void Seed() {
    a1_ = PutArticle("https://harbor.example/news/typhoon", "Harbor Courier",
                     "Typhoon Marlo closes Manila airport", "en", kNov18 - 3600);
    a2_ = PutArticle("https://huaxia.example/a/2", "华夏财经", "台风马洛关闭马尼拉机场", "zh-Hans",
                     kNov18 - 1800);
    a3_ = PutArticle("javascript:alert(1)", kEvil, std::string(kEvil) + " report", "en", kNov18);
    for (int i = 0; i < 7; ++i) {
      auto id = store_->CreateStory();
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ids_.push_back(*id);
    }
    // Related stories first: SaveStory wants related ids to exist.
    for (int i = 1; i <= 4; ++i) {
      Story s;
      s.id = ids_[i];
      s.section = i % 2 ? "business" : "world";
      s.article_ids = {a1_};
      s.first_article_id = a1_;
      s.first_published = kNov18 - 86400 * i;
      s.updated = s.first_published;
      s.version = 1;
      const std::string n = std::to_string(i);
      s.texts = {Text("en", "Related story " + n, "Related dek " + n + "."),
                 Text("zh-Hans", "相关报道" + n, "相关摘要" + n + "。"),
                 Text("zh-Hant", "相關報導" + n, "相關摘要" + n + "。")};
      ASSERT_TRUE(store_->SaveStory(s).ok());
    }
    Story main;
    main.id = ids_[0];
    main.section = "world";
    main.lang = "en";
    main.article_ids = {a1_, a2_, a3_};
    main.first_article_id = a1_;
    main.first_published = kNov18;
    main.updated = kNov18 + 600;
    main.version = 2;
    main.related = {ids_[1], ids_[2], ids_[3], ids_[4]};
    StoryText en = Text("en", "Typhoon shuts Manila airport for 19 hours",
                        "Flights resumed after the storm passed.");
    en.body = {Paragraph{{S("The airport closed on Tuesday.", {0}),
                          S("Airlines cancelled 300 flights.", {0, 1})}},
               Paragraph{{S("Officials said damage was light.", {2})}}};
    en.timeline = {TimelineEntry{kNov18 - 86400, "Nov 17", "The storm made landfall.", {0}}};
    en.analysis = {Paragraph{{S("The closure shows how exposed the hub is.", {1})}}};
    StoryText hans = Text("zh-Hans", "台风致马尼拉机场关闭19小时", "风暴过后航班恢复。");
    hans.body = {Paragraph{{S("机场周二关闭。", {0}), S("航空公司取消300个航班。", {1})}}};
    hans.timeline = {TimelineEntry{kNov18 - 86400, "11月17日", "台风登陆。", {0}}};
    StoryText hant = Text("zh-Hant", "颱風致馬尼拉機場關閉19小時", "風暴過後航班恢復。");
    hant.body = {Paragraph{{S("機場週二關閉。", {0}), S("航空公司取消300個航班。", {1})}}};
    hant.timeline = {TimelineEntry{kNov18 - 86400, "11月17日", "颱風登陸。", {0}}};
    main.texts = {en, hans, hant};
    ASSERT_TRUE(store_->SaveStory(main).ok());

    Story evil;
    evil.id = ids_[5];
    evil.section = "world";
    evil.article_ids = {a3_};
    evil.first_article_id = a3_;
    evil.first_published = kNov18 - 60;
    evil.updated = kNov18 - 60;
    evil.texts = {Text("en", std::string(kEvil) + " headline", std::string(kEvil) + " dek."),
                  Text("zh-Hans", kEvil, "摘要。"), Text("zh-Hant", kEvil, "摘要。")};
    evil.texts[0].body = {Paragraph{{S("Text with \"quotes\" & <b>tags</b>.", {0})}}};
    ASSERT_TRUE(store_->SaveStory(evil).ok());

    Story untranslated;
    untranslated.id = ids_[6];
    untranslated.section = "technology";
    untranslated.article_ids = {a1_};
    untranslated.first_article_id = a1_;
    untranslated.first_published = kNov18 - 120;
    untranslated.updated = kNov18 - 120;
    StoryText ut_en = Text("en", "Chip plant planned in Japan", "A new plant is planned.");
    ut_en.body = {Paragraph{{S("The plant will cost $8.6 billion.", {0})}}};
    StoryText ut_hans = ut_en;
    ut_hans.lang = "zh-Hans";
    ut_hans.untranslated = true;
    ut_hans.source_lang = "en";
    StoryText ut_hant = ut_hans;
    ut_hant.lang = "zh-Hant";
    untranslated.texts = {ut_en, ut_hans, ut_hant};
    ASSERT_TRUE(store_->SaveStory(untranslated).ok());
  }

  Response Get(const std::string& target,
               std::map<std::string, std::string> headers = {{"host", "news.example:8080"}}) {
    Request req;
    req.target = target;
    req.headers = std::move(headers);
    return Handle(req, *store_, site_, &metrics_);
  }

  std::string StoryPath(int index, const std::string& lang) {
    return "/story/" + std::to_string(ids_[index]) + "?lang=" + lang;
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
  std::vector<std::int64_t> ids_;
  std::int64_t a1_ = 0, a2_ = 0, a3_ = 0;
  SiteOptions site_;
  Metrics metrics_;
};

TEST_F(WebTest, FrontPageListsEveryHeadlineNewestFirst) {
  const Response r = Get("/?lang=en");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("<html lang=\"en\">"));
  for (const char* h : {"Typhoon shuts Manila airport for 19 hours", "Related story 1",
                        "Related story 4", "Chip plant planned in Japan"}) {
    EXPECT_THAT(r.body, HasSubstr(h));
  }
  EXPECT_LT(r.body.find("Typhoon shuts"), r.body.find("Related story 1"));
  EXPECT_THAT(r.body, HasSubstr("href=\"/story/" + std::to_string(ids_[0]) + "?lang=en\""));
  EXPECT_THAT(r.body, HasSubstr("3 sources"));
  EXPECT_THAT(r.body, HasSubstr("Nov 18, 2026"));
  EXPECT_THAT(r.body, HasSubstr("<header class=\"masthead\">"));
  EXPECT_THAT(r.body, HasSubstr("<main id=\"main\""));
  EXPECT_THAT(r.body, HasSubstr("<footer"));
  EXPECT_THAT(r.body, HasSubstr(">English</a> | <a"));
  EXPECT_THAT(r.body, HasSubstr(">简体中文</a>"));
  EXPECT_THAT(r.body, HasSubstr(">繁體中文</a>"));
  EXPECT_THAT(r.body, Not(HasSubstr("<script")));

  const Response zh = Get("/?lang=zh-Hans");
  EXPECT_THAT(zh.body, HasSubstr("台风致马尼拉机场关闭19小时"));
  EXPECT_THAT(zh.body, HasSubstr("3 个来源"));
  EXPECT_THAT(zh.body, HasSubstr("2026年11月18日"));
  const Response hant = Get("/?lang=zh-Hant");
  EXPECT_THAT(hant.body, HasSubstr("颱風致馬尼拉機場關閉19小時"));
  EXPECT_THAT(hant.body, HasSubstr("3 個來源"));
}

TEST_F(WebTest, StoryPageHasEveryHookInEachLanguage) {
  const std::map<std::string, std::string> disclaimers = {
      {"en",
       "This story was written by software from the original reports listed below. It "
       "may contain errors: check the original reports before relying on it."},
      {"zh-Hans", "本文由软件根据下列原始报道自动撰写，可能存在错误，请以原始报道为准并加以核实。"},
      {"zh-Hant", "本文由軟體根據下列原始報導自動撰寫，可能有誤，請以原始報導為準並加以查證。"}};
  for (const auto& [lang, disclaimer] : disclaimers) {
    SCOPED_TRACE(lang);
    const Response r = Get(StoryPath(0, lang));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string& b = r.body;
    EXPECT_THAT(b, HasSubstr("<html lang=\"" + lang + "\">"));
    EXPECT_FALSE(Capture(b, R"(<h1 class="headline">([^<]+)</h1>)").empty());
    EXPECT_THAT(b, HasSubstr("<p class=\"dek\">"));
    const std::string body = Capture(b, R"(<div class="story-body">([\s\S]+?)</div>)");
    ASSERT_FALSE(body.empty());
    EXPECT_THAT(body, HasSubstr("<p>"));
    EXPECT_THAT(body, HasSubstr("<sup class=\"cite\"><a href=\"#src-1\">[1]</a></sup>"));
    EXPECT_THAT(body, HasSubstr("<sup class=\"cite\"><a href=\"#src-2\">[2]</a></sup>"));
    EXPECT_THAT(b, HasSubstr("<section class=\"timeline\""));
    const std::string sources =
        Capture(b, R"(<section id="sources" class="sources"[^>]*>([\s\S]+?)</section>)");
    ASSERT_FALSE(sources.empty());
    EXPECT_THAT(sources, HasSubstr("<li id=\"src-1\">"));
    EXPECT_THAT(sources, HasSubstr("<li id=\"src-3\">"));
    EXPECT_THAT(sources, HasSubstr("<span class=\"outlet\">Harbor Courier</span>"));
    EXPECT_THAT(sources, HasSubstr("<a href=\"https://harbor.example/news/typhoon\" rel=\"nofollow "
                                   "noopener\""));
    EXPECT_THAT(sources, HasSubstr(">Typhoon Marlo closes Manila airport</a>"));
    const std::string aside =
        Capture(b, "<aside class=\"disclaimer\" lang=\"" + lang + "\">([\\s\\S]+?)</aside>");
    EXPECT_THAT(aside, HasSubstr(disclaimer));
    EXPECT_THAT(aside, HasSubstr("href=\"#sources\""));
    EXPECT_THAT(aside, HasSubstr("href=\"/about?lang=" + lang + "\""));
    const std::string related = Capture(b, R"(<section class="related"[^>]*>([\s\S]+?)</section>)");
    EXPECT_EQ(Count(related, "<li>"), 4);
    EXPECT_THAT(related, HasSubstr("href=\"/story/" + std::to_string(ids_[1]) + "?lang=" + lang));
    EXPECT_THAT(b, HasSubstr("Harbor Courier</a>"));  // first reported by
    EXPECT_THAT(b, Not(HasSubstr("class=\"note untranslated\"")));
  }
  const Response en = Get(StoryPath(0, "en"));
  EXPECT_THAT(en.body,
              HasSubstr("First reported by <a href=\"https://harbor.example/news/typhoon\""));
  EXPECT_THAT(en.body, HasSubstr("Updated <time"));
  EXPECT_THAT(en.body, HasSubstr("<section class=\"analysis\""));
  EXPECT_THAT(en.body, HasSubstr("The closure shows how exposed the hub is."));
  EXPECT_THAT(en.body, HasSubstr("Related dek 1.</p>"));
  // The zh-Hans source title carries its own language on an English page.
  EXPECT_THAT(en.body, HasSubstr("lang=\"zh-Hans\">台风马洛关闭马尼拉机场</a>"));
  const Response hans = Get(StoryPath(0, "zh-Hans"));
  EXPECT_THAT(hans.body, Not(HasSubstr("<section class=\"analysis\"")));
  EXPECT_THAT(hans.body, HasSubstr("最先报道：<a href="));
  EXPECT_THAT(hans.body, HasSubstr("相关摘要1。</p>"));
  // Chinese sentences are joined without spaces.
  EXPECT_THAT(hans.body, HasSubstr("</sup>航空公司"));
}

TEST_F(WebTest, UntranslatedTextIsShownWithItsLanguageAndANote) {
  const Response r = Get(StoryPath(6, "zh-Hans"));
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<h1 class=\"headline\" lang=\"en\">Chip plant planned in Japan"));
  EXPECT_THAT(r.body, HasSubstr("<div class=\"story-body\" lang=\"en\">"));
  EXPECT_THAT(r.body, HasSubstr("本报道暂无中文版本，以下为原文。"));
  const Response hant = Get(StoryPath(6, "zh-Hant"));
  EXPECT_THAT(hant.body, HasSubstr("本報導暫無中文版本，以下為原文。"));
  const Response en = Get(StoryPath(6, "en"));
  EXPECT_THAT(en.body, Not(HasSubstr("class=\"note untranslated\"")));
  EXPECT_THAT(en.body, HasSubstr("<h1 class=\"headline\">Chip plant"));
}

TEST_F(WebTest, SourceTextIsEscapedAndJavascriptLinksAreDropped) {
  for (const std::string& target :
       std::vector<std::string>{StoryPath(5, "en"), StoryPath(0, "en"), std::string("/?lang=en"),
                                StoryPath(5, "zh-Hans"), std::string("/search?q=script")}) {
    SCOPED_TRACE(target);
    const Response r = Get(target);
    ASSERT_EQ(r.status, 200);
    EXPECT_THAT(r.body, Not(HasSubstr("<script")));
    EXPECT_THAT(r.body, Not(HasSubstr("javascript:")));
  }
  const Response story = Get(StoryPath(5, "en"));
  EXPECT_THAT(story.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; headline"));
  EXPECT_THAT(story.body, HasSubstr("Text with &quot;quotes&quot; &amp; &lt;b&gt;tags&lt;/b&gt;."));
  EXPECT_THAT(story.body,
              HasSubstr("<span class=\"outlet\">&lt;script&gt;alert(1)&lt;/script&gt;</span> "
                        "<a href=\"#\" rel=\"nofollow noopener\">"));
  // The title element and the meta description are escaped as well.
  EXPECT_THAT(story.body, HasSubstr("<title>&lt;script&gt;"));
}

TEST(EscapeTest, EscapesMarkupAndFiltersSchemes) {
  EXPECT_EQ(Escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c'");
  EXPECT_EQ(Escape(std::string("x\x01y\x7fz")), "xyz");
  EXPECT_EQ(Escape("bad \xff byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(Escape("中文"), "中文");
  EXPECT_EQ(SafeHref("https://a.example/?q=1&r=\"2\""),
            "https://a.example/?q=1&amp;r=&quot;2&quot;");
  EXPECT_EQ(SafeHref("HTTP://A.example/"), "HTTP://A.example/");
  EXPECT_EQ(SafeHref("javascript:alert(1)"), "#");
  EXPECT_EQ(SafeHref(" \tJaVaScRiPt:alert(1)"), "#");
  EXPECT_EQ(SafeHref("data:text/html,<script>"), "#");
  EXPECT_EQ(SafeHref("/relative"), "#");
  EXPECT_EQ(UrlDecode("a+b%20c%2"), "a b c%2");
  EXPECT_EQ(UrlEncode("中 a&b"), "%E4%B8%AD%20a%26b");
}

TEST(EscapeTest, MarkQueryEscapesFirstThenMarks) {
  EXPECT_EQ(MarkQuery("Typhoon <hits> the TYPHOON coast", "typhoon"),
            "<mark>Typhoon</mark> &lt;hits&gt; the <mark>TYPHOON</mark> coast");
  EXPECT_EQ(MarkQuery("a & b", "amp"), "a &amp; b");
  EXPECT_EQ(MarkQuery("最低工资上调", "最低工资"), "<mark>最低工资</mark>上调");
  EXPECT_EQ(MarkQuery("x<y", "<"), "x<mark>&lt;</mark>y");
}

TEST(I18nTest, PicksLanguageFromQueryThenAcceptLanguage) {
  EXPECT_EQ(PickLang("zh-Hant", "en"), "zh-Hant");
  EXPECT_EQ(PickLang("zh-hans", ""), "zh-Hans");
  EXPECT_EQ(PickLang("fr", "zh-TW,zh;q=0.9"), "zh-Hant");
  EXPECT_EQ(PickLang("", "zh-HK"), "zh-Hant");
  EXPECT_EQ(PickLang("", "zh-Hant-TW"), "zh-Hant");
  EXPECT_EQ(PickLang("", "zh-CN,en;q=0.5"), "zh-Hans");
  EXPECT_EQ(PickLang("", "zh"), "zh-Hans");
  EXPECT_EQ(PickLang("", "fr-FR,de;q=0.8"), "en");
  EXPECT_EQ(PickLang("", "en;q=0.3, zh-TW;q=0.8"), "zh-Hant");
  EXPECT_EQ(PickLang("", "zh;q=0, en"), "en");
  EXPECT_EQ(PickLang("", ""), "en");
  EXPECT_EQ(FormatDate("en", kNov18), "Nov 18, 2026");
  EXPECT_EQ(FormatDate("zh-Hans", kNov18), "2026年11月18日");
  EXPECT_EQ(FormatDate("zh-Hant", kNov18), "2026年11月18日");
  EXPECT_EQ(FormatDateTime("en", kNov18), "Nov 18, 2026, 09:30 UTC");
  EXPECT_EQ(SourcesCount("en", 1), "1 source");
}

TEST_F(WebTest, LanguageComesFromQueryThenAcceptLanguage) {
  auto lang_of = [](const Response& r) { return Capture(r.body, "<html lang=\"([^\"]+)\">"); };
  EXPECT_EQ(lang_of(Get("/", {{"accept-language", "zh-TW,zh;q=0.9"}})), "zh-Hant");
  EXPECT_EQ(lang_of(Get("/", {{"accept-language", "zh-CN"}})), "zh-Hans");
  EXPECT_EQ(lang_of(Get("/", {{"accept-language", "de"}})), "en");
  EXPECT_EQ(lang_of(Get("/?lang=en", {{"accept-language", "zh-CN"}})), "en");
  EXPECT_EQ(lang_of(Get(StoryPath(0, "zh-Hant"), {{"accept-language", "en"}})), "zh-Hant");
  const Response r = Get("/", {{"accept-language", "zh-CN"}});
  EXPECT_THAT(r.Header("Vary"), HasSubstr("Accept-Language"));
  // The language switch links to the same page in each language.
  const Response story = Get(StoryPath(0, "en"));
  EXPECT_THAT(story.body, HasSubstr("href=\"" + StoryPath(0, "zh-Hant") + "\" lang=\"zh-Hant\""));
}

TEST_F(WebTest, ErrorsMapToHttpStatus) {
  EXPECT_EQ(Get("/story/999999").status, 404);
  EXPECT_THAT(Get("/story/999999?lang=zh-Hans").body, HasSubstr("页面不存在"));
  EXPECT_EQ(Get("/story/abc").status, 404);
  EXPECT_EQ(Get("/nowhere").status, 404);
  const Response api = Get("/api/v1/stories/999999");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.content_type, "application/json; charset=utf-8");
  EXPECT_TRUE(json::parse(api.body).contains("error"));
  EXPECT_EQ(Get("/api/v1/stories?limit=ten").status, 400);
  EXPECT_EQ(Get("/api/v1/search").status, 400);
  Request post;
  post.method = "POST";
  post.target = "/";
  const Response r = Handle(post, *store_, site_, &metrics_);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(HttpStatusFor(Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status::InvalidInput("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::IOError("x")), 500);
}

TEST_F(WebTest, ETagAnswers304AndSecurityHeadersAreSet) {
  const Response r = Get("/?lang=en");
  const std::string etag = r.Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("Referrer-Policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(r.Header("Content-Security-Policy"),
            "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
            "script-src 'none'; frame-ancestors 'none'");
  const Response again = Get("/?lang=en", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/?lang=en", {{"if-none-match", "\"other\""}}).status, 200);
  EXPECT_NE(Get("/?lang=zh-Hans").Header("ETag"), etag);
}

TEST_F(WebTest, GzipWhenTheClientAcceptsIt) {
  const Response plain = Get("/?lang=en");
  const Response z = Get("/?lang=en", {{"accept-encoding", "gzip, br"}});
  ASSERT_EQ(z.Header("Content-Encoding"), "gzip");
  EXPECT_NE(z.Header("ETag"), plain.Header("ETag"));
  std::string out(plain.body.size() + 16, '\0');
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.body.data()));
  zs.avail_in = static_cast<uInt>(z.body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(out, plain.body);
  EXPECT_TRUE(
      Get("/?lang=en", {{"accept-encoding", "gzip;q=0"}}).Header("Content-Encoding").empty());
}

TEST_F(WebTest, JsonApiShapes) {
  const Response list = Get("/api/v1/stories?limit=3&offset=1&lang=zh-Hans");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.content_type, "application/json; charset=utf-8");
  const json j = json::parse(list.body);
  EXPECT_EQ(j["offset"], 1);
  EXPECT_EQ(j["limit"], 3);
  EXPECT_EQ(j["total"], 7);
  ASSERT_EQ(j["stories"].size(), 3u);
  for (const char* key :
       {"id", "headline", "dek", "section", "sources", "first_published", "updated", "url"}) {
    EXPECT_TRUE(j["stories"][0].contains(key)) << key;
  }
  const json all = json::parse(Get("/api/v1/stories?lang=en").body);
  ASSERT_EQ(all["stories"].size(), 7u);
  const json& first = all["stories"][0];
  EXPECT_EQ(first["id"], ids_[0]);
  EXPECT_EQ(first["headline"], "Typhoon shuts Manila airport for 19 hours");
  EXPECT_EQ(first["sources"], 3);
  EXPECT_EQ(first["first_published"], "2026-11-18T09:30:00Z");
  EXPECT_EQ(first["url"], "http://news.example:8080/story/" + std::to_string(ids_[0]) + "?lang=en");

  const json story =
      json::parse(Get("/api/v1/stories/" + std::to_string(ids_[0]) + "?lang=zh-Hant").body);
  EXPECT_EQ(story["id"], ids_[0]);
  EXPECT_EQ(story["section"], "world");
  EXPECT_GE(story["version"].get<int>(), 1);  // the store numbers versions
  EXPECT_EQ(story["first_reported_by"]["outlet"], "Harbor Courier");
  EXPECT_EQ(story["first_reported_by"]["url"], "https://harbor.example/news/typhoon");
  EXPECT_EQ(story["text"]["headline"], "颱風致馬尼拉機場關閉19小時");
  EXPECT_EQ(story["text"]["untranslated"], false);
  EXPECT_TRUE(story["text"]["dek"].is_array());
  EXPECT_TRUE(story["text"]["dek"][0].contains("cites"));
  EXPECT_TRUE(story["text"]["body"].is_array());
  ASSERT_EQ(story["sources"].size(), 3u);
  EXPECT_EQ(story["sources"][0]["n"], 1);
  EXPECT_EQ(story["sources"][0]["outlet"], "Harbor Courier");
  EXPECT_EQ(story["sources"][2]["url"], "");  // javascript: is not passed on
  ASSERT_EQ(story["related"].size(), 4u);
  EXPECT_EQ(story["related"][0]["headline"], "相關報導1");

  const Response search = Get("/api/v1/search?q=typhoon");
  ASSERT_EQ(search.status, 200) << search.body;
  const json s = json::parse(search.body);
  EXPECT_EQ(s["query"], "typhoon");
  ASSERT_FALSE(s["results"].empty());
  for (const char* key : {"id", "headline", "snippet", "score"}) {
    EXPECT_TRUE(s["results"][0].contains(key)) << key;
  }
}

TEST_F(WebTest, SearchPageMarksMatches) {
  const Response empty = Get("/search?lang=en");
  EXPECT_EQ(empty.status, 200);
  EXPECT_THAT(empty.body, HasSubstr("name=\"q\""));
  EXPECT_THAT(empty.body, Not(HasSubstr("class=\"result-count\"")));
  const Response r = Get("/search?q=typhoon&lang=en");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<mark>"));
  EXPECT_THAT(r.body, HasSubstr("class=\"result-count\""));
  EXPECT_THAT(r.body, HasSubstr("Typhoon shuts Manila airport"));
  EXPECT_THAT(Get("/search?q=%3Cscript%3E").body, Not(HasSubstr("<script")));
}

// Parses `xml` with libxml2 and returns the number of <entry> elements, -1 on error.
int AtomEntries(const std::string& xml, std::string* root_name) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.atom", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return -1;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  *root_name = reinterpret_cast<const char*>(root->name);
  int n = 0;
  for (xmlNodePtr c = root->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, BAD_CAST "entry") == 0) ++n;
  }
  xmlFreeDoc(doc);
  return n;
}

TEST_F(WebTest, FeedsParse) {
  const Response atom = Get("/feed.atom?lang=zh-Hant");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.content_type, "application/atom+xml; charset=utf-8");
  std::string root;
  EXPECT_EQ(AtomEntries(atom.body, &root), 7);
  EXPECT_EQ(root, "feed");
  EXPECT_THAT(atom.body, HasSubstr("<id>tag:news.example,2026:story:"));
  EXPECT_THAT(atom.body, HasSubstr("href=\"http://news.example:8080/feed.atom?lang=zh-Hant\""));
  EXPECT_THAT(atom.body, HasSubstr("<title>颱風致馬尼拉機場關閉19小時</title>"));
  EXPECT_THAT(Get("/feed.atom").body, Not(HasSubstr("<script")));

  const Response feed = Get("/feed.json?lang=en");
  ASSERT_EQ(feed.status, 200);
  const json j = json::parse(feed.body);
  EXPECT_EQ(j["version"], "https://jsonfeed.org/version/1.1");
  ASSERT_EQ(j["items"].size(), 7u);
  EXPECT_EQ(j["items"][0]["title"], "Typhoon shuts Manila airport for 19 hours");
  EXPECT_TRUE(j["items"][0].contains("url"));
}

TEST_F(WebTest, HealthMetricsCssAndAbout) {
  const Response h = Get("/healthz");
  ASSERT_EQ(h.status, 200);
  const json j = json::parse(h.body);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["stories"], 7);
  EXPECT_EQ(j["articles"], 3);
  Get("/nowhere");
  const Response m = Get("/metrics");
  EXPECT_THAT(m.body, HasSubstr("newsdesk_http_requests_total{route=\"healthz\",code=\"200\"} 1"));
  EXPECT_THAT(m.body,
              HasSubstr("newsdesk_http_requests_total{route=\"not_found\",code=\"404\"} 1"));
  EXPECT_THAT(m.body, HasSubstr("newsdesk_stories 7"));
  EXPECT_THAT(m.body, HasSubstr("newsdesk_articles 3"));
  const Response css = Get("/static/site.css");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_THAT(css.body, HasSubstr(":focus-visible"));
  for (const char* lang : {"en", "zh-Hans", "zh-Hant"}) {
    const Response about = Get(std::string("/about?lang=") + lang);
    EXPECT_EQ(about.status, 200);
    EXPECT_THAT(about.body,
                HasSubstr("<h1 class=\"page-title\">" + std::string(StringsFor(lang).about_title)));
  }
}

TEST_F(WebTest, NavShowsSectionsOfRecentStoriesAndTheServerCachesThem) {
  EXPECT_THAT(RecentSections(*store_), ::testing::ElementsAre("world", "business", "technology"));
  const Response r = Get("/?lang=zh-Hans&section=business");
  EXPECT_THAT(r.body, HasSubstr("<a href=\"/?lang=zh-Hans&amp;section=business\" "
                                "aria-current=\"page\">商业</a>"));
  EXPECT_THAT(r.body, HasSubstr("相关报道1"));
  EXPECT_THAT(r.body, Not(HasSubstr("相关报道2")));  // a world story
  SectionCache cache;
  EXPECT_EQ(cache.Get(*store_).size(), 3u);
  Story s;
  s.id = *store_->CreateStory();
  s.section = "science";
  s.texts = {Text("en", "New section", "Dek.")};
  ASSERT_TRUE(store_->SaveStory(s).ok());
  EXPECT_EQ(cache.Get(*store_).size(), 3u);  // cached for a minute
  EXPECT_EQ(RecentSections(*store_).size(), 4u);
}

// A store whose every call fails, for the 503 health answer.
class BrokenStore : public Store {
 public:
  Status Fail() { return Status::IOError("broken.db: disk I/O error"); }
  int SchemaVersion() override { return 0; }
  Result<std::int64_t> UpsertSource(const Source&) override { return Fail(); }
  Result<std::vector<Source>> ListSources() override { return Fail(); }
  Status UpdateSourceState(const Source&) override { return Fail(); }
  Result<bool> HasArticleUrl(const std::string&) override { return Fail(); }
  Result<PutResult> PutArticle(const Article&) override { return Fail(); }
  Result<Article> GetArticle(std::int64_t) override { return Fail(); }
  Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>&) override {
    return Fail();
  }
  Result<std::vector<Article>> PendingArticles(int) override { return Fail(); }
  Status AssignArticle(std::int64_t, std::int64_t, std::int64_t) override { return Fail(); }
  Result<std::int64_t> CountArticles() override { return Fail(); }
  Result<std::int64_t> CreateStory() override { return Fail(); }
  Status SaveStory(const Story&) override { return Fail(); }
  Result<std::optional<Story>> GetStory(std::int64_t) override { return Fail(); }
  Result<std::vector<Story>> ListStories(const StoryListOptions&) override { return Fail(); }
  Result<std::vector<Story>> StoriesActiveSince(UnixTime) override { return Fail(); }
  Result<std::int64_t> CountStories() override { return Fail(); }
  Result<std::vector<SearchHit>> Search(const std::string&, int) override { return Fail(); }
  Result<std::optional<Source>> LeaseDueSource(const std::string&, UnixTime, int,
                                               UnixTime) override {
    return Fail();
  }
  Status ReleaseSource(std::int64_t, const std::string&) override { return Fail(); }
  Result<bool> AcquireLease(const std::string&, const std::string&, UnixTime, int) override {
    return Fail();
  }
  Status ReleaseLease(const std::string&, const std::string&) override { return Fail(); }
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> UnsavedStoryMembers() override {
    return Fail();
  }
};

TEST(WebBrokenStoreTest, StoreFailuresAre503ForHealthAnd500ForPages) {
  BrokenStore store;
  SiteOptions site;
  Request req;
  req.target = "/healthz";
  const Response h = Handle(req, store, site, nullptr);
  EXPECT_EQ(h.status, 503);
  EXPECT_EQ(json::parse(h.body)["status"], "unavailable");
  req.target = "/";
  const Response page = Handle(req, store, site, nullptr);
  EXPECT_EQ(page.status, 500);
  EXPECT_THAT(page.body, Not(HasSubstr("disk I/O")));
  req.target = "/api/v1/stories";
  EXPECT_EQ(Handle(req, store, site, nullptr).status, 500);
}

// Sends one raw HTTP/1.1 request to 127.0.0.1:port and returns the whole response.
std::string HttpExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return response;
}

TEST_F(WebTest, ServeAnswersOverHttpAndStopsOnTheFlag) {
  store_.reset();  // the server opens its own stores
  std::atomic<bool> stop{false};
  std::atomic<int> port{0};
  ServeOptions options;
  options.db = db_;
  options.listen = "127.0.0.1:0";
  options.threads = 2;
  options.on_listening = [&port](const std::string& addr) {
    port = std::stoi(addr.substr(addr.rfind(':') + 1));
  };
  Status result;
  std::thread server([&] { result = Serve(options, stop); });
  for (int i = 0; i < 500 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(port.load(), 0) << "server did not start";
  const std::string health =
      HttpExchange(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(health, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(health, HasSubstr("\"status\": \"ok\""));
  EXPECT_THAT(health, HasSubstr("\"stories\": 7"));
  // Two requests on one keep-alive connection.
  const std::string two =
      HttpExchange(port,
                   "GET /static/site.css HTTP/1.1\r\nHost: x\r\n\r\n"
                   "HEAD /?lang=en HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(Count(two, "HTTP/1.1 200 OK"), 2);
  EXPECT_THAT(two, Not(HasSubstr("<html")));  // HEAD has no body
  const std::string big =
      HttpExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                             std::string(100000, 'x'));
  EXPECT_THAT(big, HasSubstr("413"));
  stop = true;
  server.join();
  EXPECT_TRUE(result.ok()) << result.ToString();
}

TEST(ServeTest, BadListenAddressAndBadDatabaseAreErrors) {
  std::atomic<bool> stop{true};
  ServeOptions options;
  options.db = (MakeTempDir() / "nd.db").string();
  options.listen = "not an address";
  Status s = Serve(options, stop);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not an address"));
  options.listen = "127.0.0.1:0";
  options.db = (MakeTempDir() / "missing" / "dir" / "nd.db").string();
  EXPECT_FALSE(Serve(options, stop).ok());
}

TEST_F(WebTest, ExportSiteWritesALinkedStaticSite) {
  const fs::path out = dir_ / "site";
  ASSERT_TRUE(ExportSite(*store_, out.string(), "Test Desk").ok());
  const std::string id = std::to_string(ids_[0]);
  for (const std::string& f : std::vector<std::string>{
           "index.html", "index.zh-Hans.html", "index.zh-Hant.html", "about.html",
           "static/site.css", "feed.atom", "feed.zh-Hans.atom", "api/v1/stories.json",
           "story/" + id + ".html", "story/" + id + ".zh-Hans.html",
           "story/" + id + ".zh-Hant.html", "api/v1/stories/" + id + ".json"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  const std::string index = ReadFile(out / "index.html");
  EXPECT_THAT(index, HasSubstr("href=\"story/" + id + ".html\""));
  EXPECT_THAT(index, HasSubstr("href=\"static/site.css\""));
  EXPECT_THAT(index, HasSubstr("href=\"index.zh-Hant.html\""));
  EXPECT_THAT(index, HasSubstr("Test Desk"));
  EXPECT_THAT(index, Not(HasSubstr("href=\"/")));
  const std::string story = ReadFile(out / ("story/" + id + ".zh-Hans.html"));
  EXPECT_THAT(story, HasSubstr("href=\"../static/site.css\""));
  EXPECT_THAT(story, HasSubstr("href=\"../story/" + std::to_string(ids_[1]) + ".zh-Hans.html\""));
  EXPECT_THAT(story, HasSubstr("href=\"../story/" + id + ".html\" lang=\"en\""));
  EXPECT_THAT(story, Not(HasSubstr("href=\"/")));
  const json api = json::parse(ReadFile(out / "api/v1/stories.json"));
  EXPECT_EQ(api["stories"].size(), 7u);
  std::string root;
  EXPECT_EQ(AtomEntries(ReadFile(out / "feed.atom"), &root), 7);

  // A file where the directory should be: the error names it.
  const fs::path blocker = dir_ / "blocker";
  std::ofstream(blocker) << "x";
  Status s = ExportSite(*store_, blocker.string(), "Test Desk");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(blocker.string()));
}

// --- OpenAPI: a validator for the subset of JSON Schema the document uses ----------------

// Checks `v` against `schema` (type, nullable, enum, required, properties, items, $ref,
// allOf) resolving $ref in `doc`; appends a message per violation to `errors`.
void Validate(const json& doc, const json& schema, const json& v, const std::string& where,
              std::vector<std::string>* errors) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    ASSERT_TRUE(ref.starts_with("#/")) << ref;
    const json* target = &doc;
    std::string rest = ref.substr(2);
    while (!rest.empty()) {
      const size_t slash = rest.find('/');
      const std::string part = rest.substr(0, slash);
      ASSERT_TRUE(target->contains(part)) << "dangling $ref " << ref;
      target = &(*target)[part];
      rest = slash == std::string::npos ? "" : rest.substr(slash + 1);
    }
    Validate(doc, *target, v, where, errors);
    return;
  }
  if (v.is_null() && schema.value("nullable", false)) return;
  if (schema.contains("allOf")) {
    for (const json& sub : schema["allOf"]) Validate(doc, sub, v, where, errors);
  }
  if (schema.contains("type")) {
    const std::string type = schema["type"];
    bool ok = false;
    if (type == "object") ok = v.is_object();
    if (type == "array") ok = v.is_array();
    if (type == "string") ok = v.is_string();
    if (type == "integer") ok = v.is_number_integer();
    if (type == "number") ok = v.is_number();
    if (type == "boolean") ok = v.is_boolean();
    if (!ok) {
      errors->push_back(where + ": expected " + type + ", got " + v.dump().substr(0, 80));
      return;
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found |= e == v;
    if (!found) errors->push_back(where + ": " + v.dump() + " not in enum");
  }
  if (schema.contains("required")) {
    for (const json& key : schema["required"]) {
      if (!v.contains(key.get<std::string>())) {
        errors->push_back(where + ": missing " + key.get<std::string>());
      }
    }
  }
  if (schema.contains("properties") && v.is_object()) {
    for (const auto& [key, sub] : schema["properties"].items()) {
      if (v.contains(key)) Validate(doc, sub, v[key], where + "." + key, errors);
    }
  }
  if (schema.contains("items") && v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      Validate(doc, schema["items"], v[i], where + "[" + std::to_string(i) + "]", errors);
    }
  }
}

class ApiContractTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    const Response r = Get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    doc_ = json::parse(r.body);
  }

  // Validates `r` against the schema the document gives for (path, method, status).
  void ExpectConforms(const std::string& path, const std::string& method, const Response& r) {
    SCOPED_TRACE(method + " " + path + " -> " + std::to_string(r.status));
    ASSERT_TRUE(doc_["paths"].contains(path)) << "undocumented path " << path;
    const json& op = doc_["paths"][path][method];
    ASSERT_TRUE(op.is_object()) << "undocumented method";
    const std::string code = std::to_string(r.status);
    ASSERT_TRUE(op["responses"].contains(code)) << "undocumented status, body: " << r.body;
    const json& resp = op["responses"][code];
    if (!resp.contains("content")) {
      EXPECT_TRUE(r.body.empty());
      return;
    }
    EXPECT_THAT(r.content_type, HasSubstr("application/json"));
    const json body = json::parse(r.body);
    std::vector<std::string> errors;
    Validate(doc_, resp["content"]["application/json"]["schema"], body, "$", &errors);
    EXPECT_THAT(errors, ::testing::IsEmpty());
  }

  Response Send(const std::string& method, const std::string& target, const std::string& body,
                const std::string& token) {
    Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers["host"] = "news.example";
    if (!token.empty()) req.headers["authorization"] = "Bearer " + token;
    return Handle(req, *store_, site_, &metrics_);
  }

  json doc_;
};

TEST_F(ApiContractTest, DocumentIsOpenApi3AndEveryRefResolves) {
  EXPECT_TRUE(doc_["openapi"].get<std::string>().starts_with("3."));
  EXPECT_TRUE(doc_["info"].contains("title"));
  // Every $ref anywhere in the document resolves.
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        // "#/a/b/c" -> doc_["a"]["b"]["c"]
        const std::string ref = j["$ref"];
        EXPECT_TRUE(ref.starts_with("#/")) << ref;
        EXPECT_TRUE(doc_.contains(json::json_pointer(ref.substr(1)))) << "dangling " << ref;
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const json& v : j) walk(v);
    }
  };
  walk(doc_);
}

TEST_F(ApiContractTest, ResponsesConformToTheDocument) {
  for (const std::string lang : {"en", "zh-Hans", "zh-Hant"}) {
    ExpectConforms("/api/v1/stories", "get", Get("/api/v1/stories?lang=" + lang));
    for (const std::int64_t id : ids_) {
      ExpectConforms("/api/v1/stories/{id}", "get",
                     Get("/api/v1/stories/" + std::to_string(id) + "?lang=" + lang));
    }
  }
  ExpectConforms("/api/v1/stories", "get", Get("/api/v1/stories?since=not-a-date"));
  ExpectConforms("/api/v1/stories/{id}", "get", Get("/api/v1/stories/999999"));
  ExpectConforms("/api/v1/search", "get", Get("/api/v1/search?q=typhoon"));
  ExpectConforms("/api/v1/search", "get", Get("/api/v1/search?q="));
  ExpectConforms("/api/v1/sources", "get", Get("/api/v1/sources"));
}

TEST_F(ApiContractTest, StoriesPageAndFilter) {
  json all = json::parse(Get("/api/v1/stories?limit=3").body);
  EXPECT_EQ(all["total"], 7);
  ASSERT_EQ(all["stories"].size(), 3u);
  ASSERT_TRUE(all.contains("next"));
  EXPECT_THAT(all["next"].get<std::string>(), HasSubstr("offset=3&limit=3"));
  // Paging walks every story once, newest first.
  std::vector<std::int64_t> seen;
  for (int offset = 0; offset < 7; offset += 3) {
    json page = json::parse(Get("/api/v1/stories?limit=3&offset=" + std::to_string(offset)).body);
    for (const json& s : page["stories"]) seen.push_back(s["id"]);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 7u);

  json world = json::parse(Get("/api/v1/stories?section=world").body);
  EXPECT_EQ(world["total"], 4);  // stories 0, 2, 4 and the hostile one
  for (const json& s : world["stories"]) EXPECT_EQ(s["section"], "world");

  // Date range: the related stories are 1-4 days before Nov 18 09:30.
  json range = json::parse(Get("/api/v1/stories?since=2026-11-15&until=2026-11-17").body);
  ASSERT_EQ(range["total"], 2);  // Nov 16 and Nov 15 09:30
  for (const json& s : range["stories"]) {
    EXPECT_GE(s["first_published"].get<std::string>(), "2026-11-15");
    EXPECT_LT(s["first_published"].get<std::string>(), "2026-11-17");
  }
  json unix_since = json::parse(Get("/api/v1/stories?since=" + std::to_string(kNov18 - 100)).body);
  EXPECT_EQ(unix_since["total"], 2);  // the main story and the hostile one (-60 s)

  json en = json::parse(Get("/api/v1/stories?story_lang=en").body);
  ASSERT_EQ(en["total"], 1);
  EXPECT_EQ(en["stories"][0]["id"], ids_[0]);
  EXPECT_EQ(Get("/api/v1/stories?story_lang=fr").status, 400);
  EXPECT_EQ(Get("/api/v1/stories?until=yesterday-ish").status, 400);
}

TEST_F(ApiContractTest, SourcesWritesNeedTheBearerToken) {
  const std::string body =
      R"({"url":"https://wire.example/feed.xml","title":"Wire","section":"world"})";
  // No token configured: writes are off.
  Response r = Send("POST", "/api/v1/sources", body, "secret");
  EXPECT_EQ(r.status, 403);
  ExpectConforms("/api/v1/sources", "post", r);

  site_.api_token = "s3cret-token";
  r = Send("POST", "/api/v1/sources", body, "");
  EXPECT_EQ(r.status, 401);
  ExpectConforms("/api/v1/sources", "post", r);
  r = Send("POST", "/api/v1/sources", body, "s3cret-tokeX");
  EXPECT_EQ(r.status, 401);
  r = Send("POST", "/api/v1/sources", body, "s3cret-token-longer");
  EXPECT_EQ(r.status, 401);
  r = Send("POST", "/api/v1/sources", "{not json", "s3cret-token");
  EXPECT_EQ(r.status, 400);
  ExpectConforms("/api/v1/sources", "post", r);
  r = Send("POST", "/api/v1/sources", R"j({"url":"javascript:alert(1)"})j", "s3cret-token");
  EXPECT_EQ(r.status, 400);

  r = Send("POST", "/api/v1/sources", body, "s3cret-token");
  ASSERT_EQ(r.status, 201) << r.body;
  ExpectConforms("/api/v1/sources", "post", r);
  const std::int64_t id = json::parse(r.body)["id"];
  auto listed = json::parse(Get("/api/v1/sources").body)["sources"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["url"], "https://wire.example/feed.xml");

  const std::string target = "/api/v1/sources/" + std::to_string(id);
  EXPECT_EQ(Send("DELETE", target, "", "").status, 401);
  r = Send("DELETE", target, "", "s3cret-token");
  EXPECT_EQ(r.status, 204);
  ExpectConforms("/api/v1/sources/{id}", "delete", r);
  EXPECT_TRUE(json::parse(Get("/api/v1/sources").body)["sources"].empty());
  r = Send("DELETE", target, "", "s3cret-token");
  EXPECT_EQ(r.status, 404);
  ExpectConforms("/api/v1/sources/{id}", "delete", r);
  // Other write methods stay refused.
  EXPECT_EQ(Send("PUT", "/api/v1/sources", body, "s3cret-token").status, 405);
  EXPECT_EQ(Send("POST", "/api/v1/stories", body, "s3cret-token").status, 405);
}

TEST_F(ApiContractTest, SourcesIntervalPatchImportAndOpml) {
  site_.api_token = "s3cret-token";
  // POST with an interval as a duration.
  Response r = Send("POST", "/api/v1/sources",
                    R"({"url":"https://wire.example/feed.xml","section":"world","interval":"1h30m"})",
                    "s3cret-token");
  ASSERT_EQ(r.status, 201) << r.body;
  ExpectConforms("/api/v1/sources", "post", r);
  const std::int64_t id = json::parse(r.body)["id"];
  auto stored = [this] {
    auto all = store_->ListSources();
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<Source>{};
  };
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(stored()[0].interval_s, 5400);
  for (const char* bad : {R"({"url":"https://x.example/","interval":"5x"})",
                          R"({"url":"https://x.example/","interval":3})",
                          R"({"url":"https://x.example/","interval":[1]})",
                          R"({"url":"https://x.example/","kind":"podcast"})"}) {
    r = Send("POST", "/api/v1/sources", bad, "s3cret-token");
    EXPECT_EQ(r.status, 400) << bad;
    ExpectConforms("/api/v1/sources", "post", r);
  }
  EXPECT_THAT(json::parse(Send("POST", "/api/v1/sources",
                               R"({"url":"https://x.example/","interval":"5x"})", "s3cret-token")
                              .body)["error"]
                  .get<std::string>(),
              HasSubstr("interval: duration '5x'"));
  ASSERT_EQ(stored().size(), 1u);  // nothing stored by the refused requests

  // PATCH changes what it names and keeps the rest.
  const std::string target = "/api/v1/sources/" + std::to_string(id);
  EXPECT_EQ(Send("PATCH", target, R"({"section":"asia"})", "").status, 401);
  r = Send("PATCH", target, R"({"section":"asia","interval":900,"title":"Wire"})", "s3cret-token");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectConforms("/api/v1/sources/{id}", "patch", r);
  EXPECT_EQ(stored()[0].section, "asia");
  EXPECT_EQ(stored()[0].title, "Wire");
  EXPECT_EQ(stored()[0].interval_s, 900);
  EXPECT_EQ(stored()[0].url, "https://wire.example/feed.xml");
  r = Send("PATCH", target, R"({"lang":7})", "s3cret-token");
  EXPECT_EQ(r.status, 400);
  ExpectConforms("/api/v1/sources/{id}", "patch", r);
  r = Send("PATCH", "/api/v1/sources/999", R"({"lang":"en"})", "s3cret-token");
  EXPECT_EQ(r.status, 404);
  ExpectConforms("/api/v1/sources/{id}", "patch", r);

  // OPML import is all or nothing; export lists what is stored.
  const std::string good =
      "<?xml version=\"1.0\"?><opml version=\"2.0\"><body><outline text=\"Asia\">"
      "<outline text=\"Ledger\" type=\"rss\" xmlUrl=\"https://ledger.example/rss\"/></outline>"
      "<outline text=\"Wire again\" type=\"rss\" xmlUrl=\"https://wire.example/feed.xml\"/>"
      "</body></opml>";
  const std::string bad = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>"
                          "<outline text=\"New\" type=\"rss\" xmlUrl=\"https://new.example/rss\"/>\n"
                          "<outline text=\"Local\" type=\"rss\" xmlUrl=\"file:///etc/passwd\"/>"
                          "</body></opml>";
  EXPECT_EQ(Send("POST", "/api/v1/sources/import", good, "").status, 401);
  r = Send("POST", "/api/v1/sources/import", bad, "s3cret-token");
  EXPECT_EQ(r.status, 400);
  ExpectConforms("/api/v1/sources/import", "post", r);
  EXPECT_THAT(json::parse(r.body)["error"].get<std::string>(), HasSubstr("line 2"));
  r = Send("POST", "/api/v1/sources/import", "<opml><body>", "s3cret-token");
  EXPECT_EQ(r.status, 400);
  ASSERT_EQ(stored().size(), 1u);  // nothing from the bad lists
  r = Send("POST", "/api/v1/sources/import", good, "s3cret-token");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectConforms("/api/v1/sources/import", "post", r);
  EXPECT_EQ(json::parse(r.body)["added"], 1);
  EXPECT_EQ(json::parse(r.body)["updated"], 1);
  ASSERT_EQ(stored().size(), 2u);
  EXPECT_EQ(stored()[1].section, "Asia");
  EXPECT_EQ(stored()[0].interval_s, 900);  // kept: the list gives no interval

  r = Get("/api/v1/sources.opml");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.content_type, HasSubstr("text/x-opml"));
  EXPECT_THAT(r.body, HasSubstr("xmlUrl=\"https://ledger.example/rss\""));
  EXPECT_THAT(r.body, HasSubstr("pollInterval=\"15m\""));
  EXPECT_EQ(Send("DELETE", "/api/v1/sources/import", "", "s3cret-token").status, 405);
}

TEST_F(WebTest, SourcesPageShowsWhatIsTakenAndRobotsStatus) {
  Source ok;
  ok.url = "https://harbor.example/feed.xml";
  ok.title = "Harbor Courier";
  ok.kind = "feed";
  ok.section = "world";
  Source refused;
  refused.url = "https://closed.example/rss";
  refused.title = std::string(kEvil) + " Closed";
  refused.kind = "feed";
  auto id_ok = store_->UpsertSource(ok);
  auto id_refused = store_->UpsertSource(refused);
  ASSERT_TRUE(id_ok.ok() && id_refused.ok());
  ok.id = *id_ok;
  ok.last_fetch = kNov18;
  ok.articles_taken = 12345;
  ASSERT_TRUE(store_->UpdateSourceState(ok).ok());
  refused.id = *id_refused;
  refused.last_fetch = kNov18;
  refused.last_error = "https://closed.example/rss: refused by robots.txt";
  ASSERT_TRUE(store_->UpdateSourceState(refused).ok());

  const Response en = Get("/sources?lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_THAT(en.body, HasSubstr("Harbor Courier"));
  EXPECT_THAT(en.body, HasSubstr("12,345"));  // ICU grouping
  EXPECT_THAT(en.body, HasSubstr("Allowed; last fetch succeeded"));
  EXPECT_THAT(en.body, HasSubstr("Refused by robots.txt"));
  EXPECT_THAT(en.body, Not(HasSubstr(kEvil)));
  const Response hant = Get("/sources?lang=zh-Hant");
  EXPECT_THAT(hant.body, HasSubstr("robots.txt 禁止"));
  EXPECT_THAT(hant.body, HasSubstr("<html lang=\"zh-Hant\">"));
}

TEST_F(WebTest, FrontPageHasLeadMostCoveredAndSectionBlocks) {
  const Response r = Get("/?lang=en");
  ASSERT_EQ(r.status, 200);
  // The lead is the most covered story written in English: the main story (3 sources).
  const std::string lead = Capture(r.body, "<li class=\"story-item lead\">([\\s\\S]*?)</li>");
  EXPECT_THAT(lead, HasSubstr("Typhoon shuts Manila airport"));
  EXPECT_THAT(r.body, HasSubstr("id=\"most-covered-title\""));
  EXPECT_THAT(r.body, HasSubstr("class=\"section-block\""));
  EXPECT_THAT(r.body, HasSubstr("href=\"/?lang=en&amp;section=business\""));
  // A section page lists only that section and links its feeds.
  const Response business = Get("/?lang=en&section=business");
  EXPECT_THAT(business.body, HasSubstr("Related story 1"));
  EXPECT_THAT(business.body, Not(HasSubstr("Related story 2")));
  EXPECT_THAT(business.body, HasSubstr("/feed.atom?lang=en&amp;section=business"));
}

TEST_F(WebTest, FeedsPerSection) {
  std::string root;
  const Response atom = Get("/feed.atom?lang=zh-Hans&section=business");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(AtomEntries(atom.body, &root), 2);  // stories 1 and 3
  EXPECT_THAT(atom.body, HasSubstr("feed:zh-Hans:business"));
  const json feed = json::parse(Get("/feed.json?section=world").body);
  EXPECT_EQ(feed["items"].size(), 4u);
  EXPECT_THAT(feed["feed_url"].get<std::string>(), HasSubstr("section=world"));
}

TEST_F(WebTest, FollowUpsLinkBothWays) {
  auto got = store_->GetStory(ids_[2]);
  ASSERT_TRUE(got.ok() && got->has_value());
  Story follow = **got;
  follow.follows = ids_[0];
  ASSERT_TRUE(store_->SaveStory(follow).ok());
  const Response later = Get(StoryPath(2, "en"));
  EXPECT_THAT(later.body, HasSubstr("class=\"follows\""));
  EXPECT_THAT(later.body, HasSubstr("Typhoon shuts Manila airport for 19 hours</a>"));
  const Response first = Get(StoryPath(0, "zh-Hant"));
  const std::string follow_ups =
      Capture(first.body, "(<section class=\"follow-ups\"[\\s\\S]*?</section>)");
  EXPECT_THAT(follow_ups, HasSubstr("後續報導"));
  EXPECT_THAT(follow_ups, HasSubstr("相關報導2</a>"));
  const json api = json::parse(Get("/api/v1/stories/" + std::to_string(ids_[0])).body);
  ASSERT_EQ(api["follow_ups"].size(), 1u);
  EXPECT_EQ(api["follow_ups"][0]["id"], ids_[2]);
  const json api2 = json::parse(Get("/api/v1/stories/" + std::to_string(ids_[2])).body);
  EXPECT_EQ(api2["follows"]["id"], ids_[0]);
}

TEST_F(WebTest, ResponseCacheServesUntilTheGenerationChanges) {
  ResponseCache cache;
  Request req;
  req.target = StoryPath(0, "en");
  req.headers["host"] = "news.example";
  const Response first = cache.Handle(req, *store_, site_, &metrics_, 1);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(cache.misses(), 1u);
  const Response second = cache.Handle(req, *store_, site_, &metrics_, 1);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(second.body, first.body);
  // A conditional request is answered 304 from the cache.
  Request cond = req;
  cond.headers["if-none-match"] = first.Header("ETag");
  EXPECT_EQ(cache.Handle(cond, *store_, site_, &metrics_, 1).status, 304);
  // Other variants are other entries: language, gzip.
  Request zh = req;
  zh.target = StoryPath(0, "zh-Hant");
  EXPECT_THAT(cache.Handle(zh, *store_, site_, &metrics_, 1).body, HasSubstr("颱風"));
  Request gz = req;
  gz.headers["accept-encoding"] = "gzip";
  EXPECT_EQ(cache.Handle(gz, *store_, site_, &metrics_, 1).Header("Content-Encoding"), "gzip");
  // A write changes the generation: the new text is served.
  auto got = store_->GetStory(ids_[0]);
  ASSERT_TRUE(got.ok() && got->has_value());
  Story s = **got;
  s.texts[0].headline = "Airport reopens after typhoon";
  ASSERT_TRUE(store_->SaveStory(s).ok());
  EXPECT_THAT(cache.Handle(req, *store_, site_, &metrics_, 1).body,
              Not(HasSubstr("Airport reopens")));
  EXPECT_THAT(cache.Handle(req, *store_, site_, &metrics_, 2).body,
              HasSubstr("Airport reopens after typhoon"));
  // Health and metrics are never cached.
  Request health;
  health.target = "/healthz";
  const std::uint64_t hits = cache.hits();
  cache.Handle(health, *store_, site_, &metrics_, 2);
  cache.Handle(health, *store_, site_, &metrics_, 2);
  EXPECT_EQ(cache.hits(), hits);
}

TEST_F(WebTest, ExportHasSectionAndSourcesPagesWhoseLinksResolve) {
  const fs::path out = dir_ / "site";
  ASSERT_TRUE(ExportSite(*store_, out.string(), "Test Desk").ok());
  for (const std::string& f :
       std::vector<std::string>{"sources.html", "sources.zh-Hant.html", "section/world.html",
                                "section/business.zh-Hans.html", "feed/world.atom",
                                "feed/world.zh-Hant.json", "feed.json", "static/favicon.svg"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  // Every relative link in every exported HTML page points at an exported file.
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (entry.path().extension() != ".html") continue;
    const std::string html = ReadFile(entry.path());
    const std::regex href("(?:href|src)=\"([^\"#]*)[\"#]");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it) {
      const std::string link = (*it)[1].str();
      if (link.empty() || link.starts_with("http") || link.starts_with("javascript")) continue;
      EXPECT_FALSE(link.starts_with("/")) << entry.path() << ": " << link;
      const std::string path = link.substr(0, link.find('?'));
      EXPECT_TRUE(fs::exists(entry.path().parent_path() / path))
          << entry.path() << " links to missing " << link;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace nd::web
