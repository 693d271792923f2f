#include "app/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace nd::app {
namespace {

// Reads typed values out of one TOML table, remembering which keys were used so the
// unknown ones can be reported.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string section, const std::string& file)
      : table_(table), section_(std::move(section)), file_(file) {}

  template <typename T>
  Status Read(const char* key, T& out) {
    seen_.insert(key);
    if (!table_) return Status::Ok();
    const toml::node* node = table_->get(key);
    if (!node) return Status::Ok();
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      const toml::array* arr = node->as_array();
      if (!arr) return TypeError(key, "an array of strings");
      out.clear();
      for (const toml::node& el : *arr) {
        auto s = el.value<std::string>();
        if (!s) return TypeError(key, "an array of strings");
        out.push_back(*s);
      }
      return Status::Ok();
    } else if constexpr (std::is_same_v<T, std::string>) {
      auto v = node->value<std::string>();
      if (!v) return TypeError(key, "a string");
      out = *v;
      return Status::Ok();
    } else {
      auto v = node->value<long long>();
      if (!v || !node->is_integer()) return TypeError(key, "an integer");
      out = static_cast<T>(*v);
      return Status::Ok();
    }
  }

  Status CheckUnknown() const {
    if (!table_) return Status::Ok();
    for (const auto& [k, v] : *table_) {
      if (!seen_.count(std::string(k.str()))) {
        return Status::InvalidInput(file_ + ": unknown key '" + Qualified(std::string(k.str())) +
                                    "'");
      }
    }
    return Status::Ok();
  }

 private:
  std::string Qualified(const std::string& key) const {
    return section_.empty() ? key : section_ + "." + key;
  }
  Status TypeError(const char* key, const char* want) const {
    return Status::InvalidInput(file_ + ": '" + Qualified(key) + "' must be " + want);
  }

  const toml::table* table_;
  std::string section_;
  const std::string& file_;
  std::set<std::string> seen_;
};

#define ND_RETURN_IF_ERROR(expr)  \
  do {                            \
    ::nd::Status _st = (expr);    \
    if (!_st.ok()) return _st;    \
  } while (0)

}  // namespace

Result<Config> ParseConfig(const std::string& toml_text, const std::string& name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << name << ":" << e.source().begin.line << ": " << e.description();
    return Status::ParseError(msg.str());
  }
  Config c;
  c.path = name;
  static const std::set<std::string> kSections = {"store", "fetch", "server", "site", "llm",
                                                  "poll"};
  for (const auto& [k, v] : root) {
    std::string key(k.str());
    if (!kSections.count(key)) {
      return Status::InvalidInput(name + ": unknown key '" + key + "'");
    }
    if (!v.is_table()) return Status::InvalidInput(name + ": '" + key + "' must be a table");
  }

  TableReader store(root["store"].as_table(), "store", name);
  ND_RETURN_IF_ERROR(store.Read("db", c.db));
  ND_RETURN_IF_ERROR(store.CheckUnknown());

  TableReader fetch(root["fetch"].as_table(), "fetch", name);
  ND_RETURN_IF_ERROR(fetch.Read("allow_networks", c.fetch.allow_networks));
  ND_RETURN_IF_ERROR(fetch.Read("timeout_s", c.fetch.timeout_s));
  ND_RETURN_IF_ERROR(fetch.Read("connect_timeout_s", c.fetch.connect_timeout_s));
  ND_RETURN_IF_ERROR(fetch.Read("max_bytes", c.fetch.max_bytes));
  ND_RETURN_IF_ERROR(fetch.Read("max_redirects", c.fetch.max_redirects));
  ND_RETURN_IF_ERROR(fetch.Read("user_agent", c.fetch.user_agent));
  ND_RETURN_IF_ERROR(fetch.CheckUnknown());

  TableReader server(root["server"].as_table(), "server", name);
  ND_RETURN_IF_ERROR(server.Read("listen", c.server.listen));
  ND_RETURN_IF_ERROR(server.Read("threads", c.server.threads));
  ND_RETURN_IF_ERROR(server.Read("api_token_env", c.server.api_token_env));
  ND_RETURN_IF_ERROR(server.CheckUnknown());

  TableReader site(root["site"].as_table(), "site", name);
  ND_RETURN_IF_ERROR(site.Read("title", c.site.title));
  ND_RETURN_IF_ERROR(site.Read("languages", c.site.languages));
  ND_RETURN_IF_ERROR(site.Read("sections", c.site.sections));
  ND_RETURN_IF_ERROR(site.CheckUnknown());

  TableReader llm(root["llm"].as_table(), "llm", name);
  ND_RETURN_IF_ERROR(llm.Read("base_url", c.llm.base_url));
  ND_RETURN_IF_ERROR(llm.Read("model", c.llm.model));
  ND_RETURN_IF_ERROR(llm.Read("api_key_env", c.llm.api_key_env));
  ND_RETURN_IF_ERROR(llm.Read("timeout_s", c.llm.timeout_s));
  ND_RETURN_IF_ERROR(llm.Read("max_concurrency", c.llm.max_concurrency));
  ND_RETURN_IF_ERROR(llm.Read("daily_token_budget", c.llm.daily_token_budget));
  ND_RETURN_IF_ERROR(llm.CheckUnknown());

  TableReader poll(root["poll"].as_table(), "poll", name);
  ND_RETURN_IF_ERROR(poll.Read("interval_s", c.poll.interval_s));
  ND_RETURN_IF_ERROR(poll.CheckUnknown());

  for (const std::string& lang : c.site.languages) {
    if (lang != "en" && lang != "zh-Hans" && lang != "zh-Hant") {
      return Status::InvalidInput(name + ": site.languages: unsupported language '" + lang +
                                  "' (use en, zh-Hans, zh-Hant)");
    }
  }
  if (c.server.threads < 1) {
    return Status::InvalidInput(name + ": server.threads must be at least 1");
  }
  return c;
}

Result<Config> LoadConfig(const std::string& explicit_path) {
  std::string path = explicit_path;
  if (path.empty()) {
    if (const char* env = std::getenv("NEWSDESK_CONFIG"); env && *env) path = env;
  }
  if (path.empty() && std::filesystem::exists("newsdesk.toml")) path = "newsdesk.toml";
  if (path.empty()) return Config{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open config file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), path);
}

}  // namespace nd::app
