#include "app/doctor.h"

#include <curl/curl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

#include "app/config.h"
#include "fetch/fetch.h"
#include "store/store.h"
#include "text/text.h"

namespace nd::app {
namespace {

namespace fs = std::filesystem;
using Level = DoctorCheck::Level;

DoctorCheck Check(std::string name, Level level, std::string detail) {
  return DoctorCheck{std::move(name), level, std::move(detail)};
}

// The schema version this binary migrates a new database to: that of a scratch database.
int BinarySchemaVersion() {
  std::error_code ec;
  const fs::path dir =
      fs::temp_directory_path(ec) /
      ("newsdesk-doctor-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  if (ec || !fs::create_directories(dir, ec)) return 0;
  int version = 0;
  {
    auto store = Store::Open((dir / "probe.db").string());
    if (store.ok()) version = (*store)->SchemaVersion();
  }
  fs::remove_all(dir, ec);
  return version;
}

// The highest applied migration of an existing SQLite file, read without writing to it.
Result<int> SqliteFileVersion(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    return Status::IOError(path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : "no memory"));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    std::string why = sqlite3_errmsg(db.get());
    if (why.find("no such table") != std::string::npos) return 0;
    return Status::ParseError(path + ": not a newsdesk database (" + why + ")");
  }
  int version = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return version;
}

DoctorCheck CheckSqlite(const std::string& path) {
  const int binary = BinarySchemaVersion();
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(path, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return Check("database", Level::kFail,
                   path + ": the directory " + dir.string() +
                       " does not exist; create it or set [store] db to a path that exists");
    }
    if (::access(dir.c_str(), W_OK) != 0) {
      return Check("database", Level::kFail,
                   path + ": the directory " + dir.string() +
                       " is not writable by this user; fix its owner or permissions");
    }
    return Check("database", Level::kWarn,
                 path + ": does not exist yet; the first ingest creates it (schema v" +
                     std::to_string(binary) + ")");
  }
  auto version = SqliteFileVersion(path);
  if (!version.ok()) {
    return Check("database", Level::kFail,
                 version.status().message() + "; point [store] db or --db at a newsdesk database");
  }
  if (::access(path.c_str(), W_OK) != 0 || ::access(dir.c_str(), W_OK) != 0) {
    return Check("database", Level::kFail,
                 path +
                     ": not writable by this user (the file and its directory must be, for "
                     "the write-ahead log); fix owner or permissions");
  }
  if (*version > binary) {
    return Check("database", Level::kFail,
                 path + ": schema v" + std::to_string(*version) + " is newer than this binary's v" +
                     std::to_string(binary) + "; upgrade newsdesk");
  }
  if (*version < binary) {
    return Check("database", Level::kWarn,
                 path + ": schema v" + std::to_string(*version) + ", this binary's is v" +
                     std::to_string(binary) + ": " + std::to_string(binary - *version) +
                     " migration(s) pending; they run when newsdesk next opens it (back it up "
                     "first)");
  }
  return Check("database", Level::kOk,
               path + ": SQLite, schema v" + std::to_string(*version) + " (current), writable");
}

size_t IgnoreBody(char*, size_t size, size_t n, void*) { return size * n; }

DoctorCheck CheckLlm(const Config& cfg, int timeout_s) {
  if (cfg.llm.base_url.empty()) {
    return Check("llm", Level::kOk, "not configured: stories are written by the extractive writer");
  }
  const std::string url =
      (cfg.llm.base_url.ends_with("/") ? cfg.llm.base_url.substr(0, cfg.llm.base_url.size() - 1)
                                       : cfg.llm.base_url) +
      "/models";
  std::string key;
  if (!cfg.llm.api_key_env.empty()) {
    const char* v = std::getenv(cfg.llm.api_key_env.c_str());
    if (v == nullptr || *v == '\0') {
      return Check("llm", Level::kFail,
                   "[llm] api_key_env names $" + cfg.llm.api_key_env +
                       ", which is not set in this environment; export it (or clear api_key_env "
                       "for a server without keys)");
    }
    key = v;
  }
  static const bool kInit = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == 0; }();
  (void)kInit;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return Check("llm", Level::kFail, "cannot create a curl handle");
  curl_slist* headers = nullptr;
  if (!key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + key).c_str());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_s));
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, IgnoreBody);
  if (headers) curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    return Check("llm", Level::kFail,
                 "cannot reach " + url + ": " + curl_easy_strerror(rc) +
                     "; start the model server or fix [llm] base_url (stories fall back to the "
                     "extractive writer meanwhile)");
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 401 || status == 403) {
    return Check("llm", Level::kFail,
                 url + " answered HTTP " + std::to_string(status) +
                     ": the API key was refused; check $" + cfg.llm.api_key_env);
  }
  if (status < 200 || status > 299) {
    return Check("llm", Level::kWarn,
                 url + " answered HTTP " + std::to_string(status) +
                     "; the server is up, but check [llm] base_url (it usually ends in /v1)");
  }
  return Check("llm", Level::kOk, url + " answers (model " + cfg.llm.model + ")");
}

DoctorCheck CheckRuntime() {
  std::string charset;
  // "中文" in GBK: ICU's converter data must be present.
  const std::string decoded =
      fetch::DecodeToUtf8("\xD6\xD0\xCE\xC4", "text/plain; charset=gbk", false, &charset);
  if (decoded != "中文") {
    return Check("runtime", Level::kFail,
                 "ICU cannot convert GBK (got charset '" + charset +
                     "'); install libicu72 (the full ICU data)");
  }
  if (text::ToTraditional("汉语") != "漢語") {
    return Check("runtime", Level::kFail,
                 "OpenCC cannot convert Simplified to Traditional Chinese; install "
                 "libopencc1.1 and opencc (its dictionaries)");
  }
  if (text::DetectLanguage("The government announced new measures on Tuesday to limit "
                           "the spread of the disease across the region.") != "en") {
    return Check("runtime", Level::kFail,
                 "language detection (CLD2) does not work; install libcld2-0");
  }
  return Check("runtime", Level::kOk,
               "ICU converters, OpenCC dictionaries and language detection work");
}

DoctorCheck CheckSources(Store& store) {
  auto sources = store.ListSources();
  if (!sources.ok()) return Check("sources", Level::kFail, sources.status().message());
  if (sources->empty()) {
    return Check("sources", Level::kWarn,
                 "no sources yet; add some with `newsdesk sources add URL` or `newsdesk ingest`");
  }
  int failing = 0;
  std::string example;
  for (const Source& s : *sources) {
    if (s.last_error.empty()) continue;
    if (++failing == 1) example = s.last_error;
  }
  const std::string counts =
      std::to_string(sources->size()) + " source(s), " + std::to_string(failing) + " failing";
  if (failing == 0) return Check("sources", Level::kOk, counts);
  return Check("sources", Level::kWarn,
               counts + " (e.g. " + example + "); see `newsdesk sources list`");
}

}  // namespace

std::vector<DoctorCheck> RunDoctor(const DoctorOptions& options) {
  std::vector<DoctorCheck> out;
  auto loaded = LoadConfig(options.config_path);
  Config cfg;
  if (loaded.ok()) {
    cfg = *loaded;
    out.push_back(Check("config", Level::kOk,
                        cfg.path.empty() ? "no config file: the defaults are used"
                                         : cfg.path + ": parses, every key known"));
  } else {
    out.push_back(Check("config", Level::kFail,
                        loaded.status().message() +
                            "; fix it (docs/configuration.md lists every key). The checks "
                            "below use the defaults"));
  }
  if (!options.db.empty()) cfg.db = options.db;

  const bool postgres = cfg.db.starts_with("postgresql://") || cfg.db.starts_with("postgres://");
  std::unique_ptr<Store> store;
  if (postgres) {
    auto opened = Store::Open(cfg.db);
    if (opened.ok()) {
      store = std::move(*opened);
      out.push_back(Check("database", Level::kOk,
                          HideUrlPassword(cfg.db) + ": PostgreSQL, schema v" +
                              std::to_string(store->SchemaVersion()) + " (migrated on open)"));
    } else {
      out.push_back(Check("database", Level::kFail,
                          HideUrlPassword(opened.status().message()) +
                              "; check that the server runs and the URL, user and password"));
    }
  } else {
    DoctorCheck db = CheckSqlite(cfg.db);
    if (db.level == Level::kOk) {
      // The schema is current: opening migrates nothing and writes nothing.
      auto opened = Store::Open(cfg.db);
      if (opened.ok()) store = std::move(*opened);
    }
    out.push_back(std::move(db));
  }
  out.push_back(CheckLlm(cfg, options.llm_timeout_s));
  out.push_back(CheckRuntime());
  if (store != nullptr) {
    out.push_back(CheckSources(*store));
  } else {
    out.push_back(Check("sources", Level::kWarn, "not checked: the database is not usable"));
  }
  return out;
}

int PrintDoctorReport(const std::vector<DoctorCheck>& checks, std::ostream& out) {
  int rc = 0;
  for (const DoctorCheck& c : checks) {
    const char* tag = c.level == Level::kOk ? "ok  " : c.level == Level::kWarn ? "WARN" : "FAIL";
    if (c.level == Level::kFail) rc = 1;
    out << tag << "  " << c.name << ": " << c.detail << "\n";
  }
  return rc;
}

}  // namespace nd::app
