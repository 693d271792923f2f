#include "app/config.h"

#include <gtest/gtest.h>

#include "app/ingest.h"

namespace nd::app {
namespace {

TEST(ConfigTest, DefaultsRunTheDemo) {
  auto c = ParseConfig("", "empty.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(c->site.languages.size(), 3u);
  EXPECT_TRUE(c->fetch.allow_networks.empty());
  EXPECT_TRUE(c->llm.base_url.empty());
}

TEST(ConfigTest, ReadsEverySection) {
  auto c = ParseConfig(R"(
[store]
db = "x.db"
[fetch]
allow_networks = ["127.0.0.0/8", "10.0.0.0/8"]
timeout_s = 5
[server]
listen = "0.0.0.0:9000"
threads = 4
[site]
title = "Desk"
languages = ["en", "zh-Hant"]
[llm]
base_url = "http://127.0.0.1:8000/v1"
model = "m"
api_key_env = "KEY"
daily_token_budget = 100000
[poll]
interval_s = 60
)",
                       "full.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->db, "x.db");
  EXPECT_EQ(c->fetch.allow_networks.size(), 2u);
  EXPECT_EQ(c->fetch.timeout_s, 5);
  EXPECT_EQ(c->server.threads, 4);
  EXPECT_EQ(c->site.languages.back(), "zh-Hant");
  EXPECT_EQ(c->llm.daily_token_budget, 100000);
  EXPECT_EQ(c->poll.interval_s, 60);
}

TEST(ConfigTest, UnknownKeyNamesKeyAndFile) {
  auto c = ParseConfig("[server]\nlisen = \"x\"\n", "/etc/newsdesk.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("server.lisen"), std::string::npos);
  EXPECT_NE(c.status().message().find("/etc/newsdesk.toml"), std::string::npos);
  auto d = ParseConfig("[sever]\nlisten = \"x\"\n", "a.toml");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("sever"), std::string::npos);
}

TEST(ConfigTest, WrongTypeIsAnError) {
  auto c = ParseConfig("[server]\nthreads = \"two\"\n", "a.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("server.threads"), std::string::npos);
  EXPECT_NE(c.status().message().find("integer"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorGivesLine) {
  auto c = ParseConfig("[server]\nlisten = \n", "bad.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bad.toml:"), std::string::npos);
}

TEST(ConfigTest, UnsupportedLanguageIsRejected) {
  auto c = ParseConfig("[site]\nlanguages = [\"en\", \"klingon\"]\n", "a.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("klingon"), std::string::npos);
}

TEST(ConfigTest, MissingExplicitFileIsAnError) {
  auto c = LoadConfig("/nonexistent/newsdesk.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("/nonexistent/newsdesk.toml"), std::string::npos);
}

TEST(IngestTest, InputToUrlKeepsUrlsAndConvertsPaths) {
  EXPECT_EQ(InputToUrl("https://example.org/feed.xml"), "https://example.org/feed.xml");
  EXPECT_EQ(InputToUrl("file:///tmp/x.xml"), "file:///tmp/x.xml");
  EXPECT_EQ(InputToUrl("/srv/feeds/a.xml"), "file:///srv/feeds/a.xml");
}

}  // namespace
}  // namespace nd::app
