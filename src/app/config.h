// Configuration: newsdesk.toml, found through --config, else $NEWSDESK_CONFIG, else
// ./newsdesk.toml when present; without one, defaults that run the demo. Unknown keys and
// wrong types are errors naming the key and the file, so a typo never silently does nothing.
//
// Thread-safety: a Config is a plain value.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace nd::app {

struct Config {
  std::string path;  // the file it was read from; empty for defaults

  std::string db = "newsdesk.db";  // [store] db

  struct Fetch {
    std::vector<std::string> allow_networks;  // CIDRs allowed although private
    int timeout_s = 30;
    int connect_timeout_s = 10;
    long long max_bytes = 16ll << 20;
    int max_redirects = 5;
    std::string user_agent = "newsdesk/0.1";
  } fetch;

  struct Server {
    std::string listen = "127.0.0.1:8080";
    int threads = 2;
    // Environment variable holding the bearer token for API writes (POST/DELETE
    // /api/v1/sources); empty or unset: the API is read-only.
    std::string api_token_env;
  } server;

  struct Site {
    std::string title = "newsdesk";
    std::vector<std::string> languages = {"en", "zh-Hans", "zh-Hant"};
    std::vector<std::string> sections = {"world", "business", "science", "asia"};
  } site;

  struct Llm {
    std::string base_url;  // empty: no model, the extractive writer
    std::string model;
    std::string api_key_env;
    int timeout_s = 60;
    int max_concurrency = 2;
    long long daily_token_budget = 0;
  } llm;

  struct Poll {
    int interval_s = 900;  // how often `run` polls every source
  } poll;

  struct Log {
    std::string format = "text";  // "text" (readable) or "json" (one object per line)
    std::string level = "info";   // trace, debug, info, warn, error
  } log;
};

// Loads the configuration. `explicit_path` is the --config value (may be empty).
Result<Config> LoadConfig(const std::string& explicit_path);

// Parses TOML text; `name` is used in error messages.
Result<Config> ParseConfig(const std::string& toml_text, const std::string& name);

// Every key the parser reads, as "section.key", in the order it reads them
// (docs/configuration.md documents each; a test checks it).
std::vector<std::string> KnownConfigKeys();

// The configuration as TOML, every key included, with secrets hidden: a password in the
// database URL becomes ***. (API keys and tokens are never in the file, only the names of
// the environment variables that hold them.) ParseConfig reads the output back.
std::string ConfigToToml(const Config& config);

// `url` with the password of its user-info replaced by *** ("postgresql://u:***@h/db"),
// and a password=... query or key=value parameter likewise; other text unchanged.
std::string HideUrlPassword(const std::string& url);

}  // namespace nd::app
