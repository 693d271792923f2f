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
  TableReader(const toml::table* table, std::string section, const std::string& file,
              std::vector<std::string>* keys)
      : table_(table), section_(std::move(section)), file_(file), keys_(keys) {}

  template <typename T>
  Status Read(const char* key, T& out) {
    seen_.insert(key);
    if (keys_ != nullptr) keys_->push_back(Qualified(key));
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
  std::vector<std::string>* keys_;  // collects every key read; may be null
  std::set<std::string> seen_;
};

#define ND_RETURN_IF_ERROR(expr) \
  do {                           \
    ::nd::Status _st = (expr);   \
    if (!_st.ok()) return _st;   \
  } while (0)

}  // namespace

namespace {

// Reads `root` into a Config; `keys`, when not null, receives every key read.
Result<Config> ReadConfig(const toml::table& root, const std::string& name,
                          std::vector<std::string>* keys) {
  Config c;
  c.path = name;
  static const std::set<std::string> kSections = {"store", "fetch", "server", "site",
                                                  "llm",   "poll",  "log"};
  for (const auto& [k, v] : root) {
    std::string key(k.str());
    if (!kSections.count(key)) {
      return Status::InvalidInput(name + ": unknown key '" + key + "'");
    }
    if (!v.is_table()) return Status::InvalidInput(name + ": '" + key + "' must be a table");
  }

  TableReader store(root["store"].as_table(), "store", name, keys);
  ND_RETURN_IF_ERROR(store.Read("db", c.db));
  ND_RETURN_IF_ERROR(store.CheckUnknown());

  TableReader fetch(root["fetch"].as_table(), "fetch", name, keys);
  ND_RETURN_IF_ERROR(fetch.Read("allow_networks", c.fetch.allow_networks));
  ND_RETURN_IF_ERROR(fetch.Read("timeout_s", c.fetch.timeout_s));
  ND_RETURN_IF_ERROR(fetch.Read("connect_timeout_s", c.fetch.connect_timeout_s));
  ND_RETURN_IF_ERROR(fetch.Read("max_bytes", c.fetch.max_bytes));
  ND_RETURN_IF_ERROR(fetch.Read("max_redirects", c.fetch.max_redirects));
  ND_RETURN_IF_ERROR(fetch.Read("user_agent", c.fetch.user_agent));
  ND_RETURN_IF_ERROR(fetch.CheckUnknown());

  TableReader server(root["server"].as_table(), "server", name, keys);
  ND_RETURN_IF_ERROR(server.Read("listen", c.server.listen));
  ND_RETURN_IF_ERROR(server.Read("threads", c.server.threads));
  ND_RETURN_IF_ERROR(server.Read("api_token_env", c.server.api_token_env));
  ND_RETURN_IF_ERROR(server.CheckUnknown());

  TableReader site(root["site"].as_table(), "site", name, keys);
  ND_RETURN_IF_ERROR(site.Read("title", c.site.title));
  ND_RETURN_IF_ERROR(site.Read("languages", c.site.languages));
  ND_RETURN_IF_ERROR(site.Read("sections", c.site.sections));
  ND_RETURN_IF_ERROR(site.CheckUnknown());

  TableReader llm(root["llm"].as_table(), "llm", name, keys);
  ND_RETURN_IF_ERROR(llm.Read("base_url", c.llm.base_url));
  ND_RETURN_IF_ERROR(llm.Read("model", c.llm.model));
  ND_RETURN_IF_ERROR(llm.Read("api_key_env", c.llm.api_key_env));
  ND_RETURN_IF_ERROR(llm.Read("timeout_s", c.llm.timeout_s));
  ND_RETURN_IF_ERROR(llm.Read("max_concurrency", c.llm.max_concurrency));
  ND_RETURN_IF_ERROR(llm.Read("daily_token_budget", c.llm.daily_token_budget));
  ND_RETURN_IF_ERROR(llm.CheckUnknown());

  TableReader poll(root["poll"].as_table(), "poll", name, keys);
  ND_RETURN_IF_ERROR(poll.Read("interval_s", c.poll.interval_s));
  ND_RETURN_IF_ERROR(poll.CheckUnknown());

  TableReader log(root["log"].as_table(), "log", name, keys);
  ND_RETURN_IF_ERROR(log.Read("format", c.log.format));
  ND_RETURN_IF_ERROR(log.Read("level", c.log.level));
  ND_RETURN_IF_ERROR(log.CheckUnknown());

  if (c.log.format != "text" && c.log.format != "json") {
    return Status::InvalidInput(name + ": log.format: '" + c.log.format +
                                "' is not a log format (use text or json)");
  }
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
  if (!kLevels.count(c.log.level)) {
    return Status::InvalidInput(name + ": log.level: '" + c.log.level +
                                "' is not a level (use trace, debug, info, warn or error)");
  }
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
  return ReadConfig(root, name, nullptr);
}

std::vector<std::string> KnownConfigKeys() {
  std::vector<std::string> keys;
  (void)ReadConfig(toml::table{}, "", &keys);
  return keys;
}

std::string HideUrlPassword(const std::string& url) {
  std::string out = url;
  // user:password@ in the authority.
  if (std::size_t scheme = out.find("://"); scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t end = out.find_first_of("/?#", start);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a URL query parameter or a libpq key=value word.
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && std::isalnum(static_cast<unsigned char>(out[pos - 1]))) continue;
    const std::size_t value = pos + 9;
    const std::size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

std::string ConfigToToml(const Config& c) {
  auto strings = [](const std::vector<std::string>& v) {
    toml::array a;
    for (const std::string& s : v) a.push_back(s);
    return a;
  };
  toml::table root;
  root.insert("store", toml::table{{"db", HideUrlPassword(c.db)}});
  root.insert("fetch", toml::table{{"allow_networks", strings(c.fetch.allow_networks)},
                                   {"timeout_s", c.fetch.timeout_s},
                                   {"connect_timeout_s", c.fetch.connect_timeout_s},
                                   {"max_bytes", c.fetch.max_bytes},
                                   {"max_redirects", c.fetch.max_redirects},
                                   {"user_agent", c.fetch.user_agent}});
  root.insert("server", toml::table{{"listen", c.server.listen},
                                    {"threads", c.server.threads},
                                    {"api_token_env", c.server.api_token_env}});
  root.insert("site", toml::table{{"title", c.site.title},
                                  {"languages", strings(c.site.languages)},
                                  {"sections", strings(c.site.sections)}});
  root.insert("llm", toml::table{{"base_url", HideUrlPassword(c.llm.base_url)},
                                 {"model", c.llm.model},
                                 {"api_key_env", c.llm.api_key_env},
                                 {"timeout_s", c.llm.timeout_s},
                                 {"max_concurrency", c.llm.max_concurrency},
                                 {"daily_token_budget", c.llm.daily_token_budget}});
  root.insert("poll", toml::table{{"interval_s", c.poll.interval_s}});
  root.insert("log", toml::table{{"format", c.log.format}, {"level", c.log.level}});
  std::ostringstream out;
  out << "# newsdesk: effective configuration (defaults, then "
      << (c.path.empty() ? std::string("no config file") : c.path)
      << ", then the command line); secrets hidden\n\n";
  out << root << "\n";
  return out.str();
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
