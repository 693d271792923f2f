// /metrics in the Prometheus text exposition format 0.0.4: every line of what the router
// serves is parsed back against the format's grammar.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/metrics.h"
#include "store/store.h"
#include "web/router.h"

namespace nd::web {
namespace {

namespace fs = std::filesystem;

// Checks `text` against the exposition format; returns the problems found (empty: valid).
// Also fills `samples` (series -> value) for the caller to look at.
std::vector<std::string> CheckExposition(const std::string& text,
                                         std::map<std::string, std::string>* samples) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")*\})? ([-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf))");
  std::vector<std::string> problems;
  std::set<std::string> helped, typed, finished;
  std::map<std::string, std::string> type_of;
  std::string current;  // family whose samples are being read
  std::istringstream in(text);
  std::string line;
  int n = 0;
  if (text.empty() || text.back() != '\n') problems.push_back("does not end with a newline");
  while (std::getline(in, line)) {
    ++n;
    const std::string where = "line " + std::to_string(n) + " '" + line + "': ";
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      if (!helped.insert(m[1]).second) problems.push_back(where + "second HELP");
      continue;
    }
    if (std::regex_match(line, m, kType)) {
      if (!typed.insert(m[1]).second) problems.push_back(where + "second TYPE");
      type_of[m[1]] = m[2];
      if (!current.empty()) finished.insert(current);
      current = m[1];
      if (finished.count(current)) problems.push_back(where + "family continued after another");
      continue;
    }
    if (!std::regex_match(line, m, kSample)) {
      problems.push_back(where + "not a HELP, TYPE or sample line");
      continue;
    }
    std::string family = m[1];
    if (type_of[current] == "histogram") {
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (family == current + suffix) family = current;
      }
    }
    if (family != current) problems.push_back(where + "sample outside its family's block");
    const std::string value = line.substr(line.rfind(' ') + 1);
    (*samples)[line.substr(0, line.rfind(' '))] = value;
  }
  for (const std::string& f : typed) {
    if (!helped.count(f)) problems.push_back(f + ": TYPE without HELP");
  }
  return problems;
}

TEST(MetricsFormatTest, TheCheckerRejectsBrokenExpositions) {
  std::map<std::string, std::string> samples;
  EXPECT_TRUE(CheckExposition("# HELP a A.\n# TYPE a counter\na{x=\"1\"} 2\n", &samples).empty());
  EXPECT_FALSE(CheckExposition("# HELP a A.\n# TYPE a counter\na{x=\"1\"} 2", &samples).empty());
  EXPECT_FALSE(CheckExposition("# HELP a A.\n# TYPE a counter\na{x=\"\"\"} 2\n", &samples).empty());
  EXPECT_FALSE(
      CheckExposition("# HELP a A.\n# HELP a A.\n# TYPE a counter\na 2\n", &samples).empty());
  EXPECT_FALSE(CheckExposition("# HELP a A.\n# TYPE a counter\na two\n", &samples).empty());
  EXPECT_FALSE(CheckExposition("# HELP a A.\n# TYPE a counter\nb 1\n", &samples).empty());
}

TEST(MetricsFormatTest, MetricsPageParsesBackWithEveryFamilyDeclaredOnce) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("nd_metrics_" + std::string(info->name()) + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = Store::Open((dir / "nd.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Source failing;
  failing.url = "https://example.org/feed.xml";
  failing.kind = "feed";
  auto id = (*store)->UpsertSource(failing);
  ASSERT_TRUE(id.ok());
  failing.id = *id;
  failing.last_error = "https://example.org/feed.xml: HTTP 500";
  ASSERT_TRUE((*store)->UpdateSourceState(failing).ok());
  Article a;
  a.url = "https://example.org/a";
  a.canonical_url = a.url;
  a.title = "A";
  a.blocks.push_back({BlockKind::kParagraph, "Text of the article."});
  a.content_hash = "h1";
  a.source_id = *id;
  ASSERT_TRUE((*store)->PutArticle(a).ok());

  // What stages count, with label values that need escaping.
  metrics::Count("newsdesk_fetches_total", "Fetches by result.", {{"result", "ok"}}, 3);
  metrics::Count("newsdesk_test_odd_total", "Odd \\ help\nline.", {{"v", "quote\" back\\ nl\n"}});
  metrics::Observe("newsdesk_http_request_duration_seconds", "Latency.", {{"route", "front"}},
                   0.003);

  SiteOptions site;
  Metrics requests;
  Request get;
  get.target = "/healthz";
  Handle(get, **store, site, &requests);
  get.target = "/metrics";
  const Response r = Handle(get, **store, site, &requests);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  std::map<std::string, std::string> samples;
  const std::vector<std::string> problems = CheckExposition(r.body, &samples);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems) << "\n" << r.body;
  EXPECT_EQ(samples["newsdesk_fetches_total{result=\"ok\"}"], "3");
  EXPECT_EQ(samples["newsdesk_http_requests_total{route=\"healthz\",code=\"200\"}"], "1");
  EXPECT_EQ(samples["newsdesk_pending_articles"], "1");
  EXPECT_EQ(samples["newsdesk_sources{state=\"failing\"}"], "1");
  EXPECT_EQ(samples["newsdesk_sources{state=\"ok\"}"], "0");
  EXPECT_EQ(samples["newsdesk_sources_due"], "1");  // never scheduled: due
  EXPECT_EQ(samples["newsdesk_http_request_duration_seconds_count{route=\"front\"}"], "1");
  EXPECT_EQ(samples["newsdesk_test_odd_total{v=\"quote\\\" back\\\\ nl\\n\"}"], "1");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nd::web
