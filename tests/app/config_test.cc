#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

TEST(ConfigTest, DocsListEveryKnownKey) {
  std::ifstream in(std::string(ND_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  const std::vector<std::string> keys = KnownConfigKeys();
  EXPECT_GE(keys.size(), 20u);
  for (const std::string& key : keys) {
    EXPECT_NE(doc.str().find("`" + key + "`"), std::string::npos)
        << key << " is read by config.cc but not documented in docs/configuration.md";
  }
}

TEST(ConfigTest, ShowPrintsEveryKeyAndReadsBack) {
  auto c = ParseConfig(R"(
[store]
db = "postgresql://desk:s3cret@db.example/news"
[fetch]
allow_networks = ["10.0.0.0/8"]
[site]
title = "Desk \"quoted\""
languages = ["zh-Hant"]
[llm]
base_url = "http://127.0.0.1:8000/v1"
api_key_env = "DESK_KEY"
[log]
format = "json"
)",
                       "a.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const std::string shown = ConfigToToml(*c);
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("postgresql://desk:***@db.example/news"), std::string::npos) << shown;
  EXPECT_NE(shown.find("DESK_KEY"), std::string::npos);
  for (const std::string& key : KnownConfigKeys()) {
    const std::string name = key.substr(key.find('.') + 1);
    EXPECT_NE(shown.find("\n" + name + " = "), std::string::npos) << key << " not shown";
  }
  auto back = ParseConfig(shown, "shown.toml");
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << shown;
  EXPECT_EQ(back->site.title, "Desk \"quoted\"");
  EXPECT_EQ(back->site.languages, std::vector<std::string>{"zh-Hant"});
  EXPECT_EQ(back->fetch.allow_networks, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(back->log.format, "json");
  EXPECT_EQ(back->llm.base_url, c->llm.base_url);
}

TEST(ConfigTest, HideUrlPasswordHidesOnlyThePassword) {
  EXPECT_EQ(HideUrlPassword("postgresql://u:p@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(HideUrlPassword("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(HideUrlPassword("postgresql://h/db?user=u&password=p&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(HideUrlPassword("host=h password=p dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(HideUrlPassword("/var/lib/newsdesk/newsdesk.db"), "/var/lib/newsdesk/newsdesk.db");
}

TEST(ConfigTest, LogFormatAndLevelAreChecked) {
  auto c = ParseConfig("[log]\nformat = \"xml\"\n", "a.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("log.format"), std::string::npos);
  auto d = ParseConfig("[log]\nlevel = \"loud\"\n", "a.toml");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("log.level"), std::string::npos);
  auto e = ParseConfig("[log]\nformat = 1\n", "a.toml");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("must be a string"), std::string::npos);
}

TEST(IngestTest, InputToUrlKeepsUrlsAndConvertsPaths) {
  EXPECT_EQ(InputToUrl("https://example.org/feed.xml"), "https://example.org/feed.xml");
  EXPECT_EQ(InputToUrl("file:///tmp/x.xml"), "file:///tmp/x.xml");
  EXPECT_EQ(InputToUrl("/srv/feeds/a.xml"), "file:///srv/feeds/a.xml");
}

}  // namespace
}  // namespace nd::app
