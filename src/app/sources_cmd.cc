#include "app/sources_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/config.h"
#include "app/ingest.h"
#include "core/json.h"
#include "core/time.h"
#include "core/url.h"
#include "feeds/feeds.h"
#include "fetch/fetch.h"
#include "fetch/polite.h"
#include "web/web.h"

namespace nd::app {
namespace {

// Exit statuses.
constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;
// Shortest poll interval an editor may set.
constexpr int kMinIntervalS = 10;

bool IsBadInput(const Status& st) {
  return st.code() == StatusCode::kInvalidInput || st.code() == StatusCode::kParseError ||
         st.code() == StatusCode::kNotFound;
}

// One line on stderr; 2 for bad input, else 1.
int Report(const Status& st) {
  std::cerr << "newsdesk: sources: " << st.message() << "\n";
  return IsBadInput(st) ? kBadInput : kFailed;
}

struct Opened {
  Config config;
  std::unique_ptr<Store> store;
};

struct Options {
  std::string config_path;
  std::string db;
};

Result<Opened> Open(const Options& o) {
  auto cfg = LoadConfig(o.config_path);
  if (!cfg.ok()) return cfg.status();
  if (!o.db.empty()) cfg->db = o.db;
  auto store = Store::Open(cfg->db);
  if (!store.ok()) return store.status();
  return Opened{std::move(*cfg), std::move(*store)};
}

void AddStoreOptions(CLI::App* cmd, Options& o) {
  cmd->add_option("--config", o.config_path,
                  "Config file (else $NEWSDESK_CONFIG, else ./newsdesk.toml if present)");
  cmd->add_option("--db", o.db, "SQLite file path or postgresql:// URL (default: [store] db)");
}

// BCP 47-ish: a 2-3 letter primary tag, then subtags of 1-8 letters or digits.
bool PlausibleLang(const std::string& tag) {
  std::size_t i = 0, part = 0;
  while (i <= tag.size()) {
    std::size_t j = tag.find('-', i);
    if (j == std::string::npos) j = tag.size();
    const std::size_t n = j - i;
    if (part == 0 ? (n < 2 || n > 3) : (n < 1 || n > 8)) return false;
    for (std::size_t k = i; k < j; ++k) {
      const auto c = static_cast<unsigned char>(tag[k]);
      if (part == 0 ? !std::isalpha(c) : !std::isalnum(c)) return false;
    }
    ++part;
    i = j + 1;
  }
  return true;
}

Status CheckSection(const std::string& section) {
  if (section.size() > 64) {
    return Status::InvalidInput("--section '" + section.substr(0, 64) +
                                "...': longer than 64 bytes");
  }
  for (char c : section) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == ',') {
      return Status::InvalidInput("--section '" + section +
                                  "': control characters, '/' and ',' are not allowed");
    }
  }
  return Status::Ok();
}

Result<int> ParseInterval(const std::string& text) {
  auto seconds = ParseDuration(text);
  if (!seconds.ok()) return Status::InvalidInput("--interval: " + seconds.status().message());
  if (*seconds < kMinIntervalS) {
    return Status::InvalidInput("--interval '" + text + "': shorter than " +
                                FormatDuration(kMinIntervalS) +
                                " (leave it out for the [poll] interval_s default)");
  }
  return *seconds;
}

std::optional<Source> FindById(const std::vector<Source>& all, std::int64_t id) {
  for (const Source& s : all) {
    if (s.id == id) return s;
  }
  return std::nullopt;
}

std::optional<Source> FindByUrl(const std::vector<Source>& all, const std::string& url) {
  const std::string norm = NormalizeUrl(url);
  for (const Source& s : all) {
    if (s.url == url || (!norm.empty() && NormalizeUrl(s.url) == norm)) return s;
  }
  return std::nullopt;
}

// "3m ago", "in 2h", "-" for 0.
std::string Relative(UnixTime t, UnixTime now) {
  if (t == 0) return "-";
  if (t <= now) {
    const int ago = static_cast<int>(std::min<UnixTime>(now - t, 1 << 30));
    return ago < 60 ? "just now" : FormatDuration(ago / 60 * 60) + " ago";
  }
  const int in = static_cast<int>(std::min<UnixTime>(t - now, 1 << 30));
  return "in " + FormatDuration(in < 60 ? in : in / 60 * 60);
}

struct AddArgs {
  std::string url, section, lang, interval, title, kind;
};

int DoAdd(const Options& o, const AddArgs& a) {
  // Validate everything the operator typed before touching the network or the store.
  const std::string given_scheme = UrlScheme(a.url);
  const std::string url = InputToUrl(a.url);
  const std::string scheme = UrlScheme(url);
  if ((!given_scheme.empty() && given_scheme != scheme) ||
      (scheme != "http" && scheme != "https" && scheme != "file")) {
    return Report(Status::InvalidInput("'" + a.url + "': not an http(s) URL or a file path"));
  }
  if (given_scheme.empty() && !std::filesystem::exists(a.url)) {
    return Report(Status::InvalidInput("'" + a.url + "': no such file"));
  }
  if (Status st = CheckSection(a.section); !st.ok()) return Report(st);
  if (!a.lang.empty() && !PlausibleLang(a.lang)) {
    return Report(Status::InvalidInput("--lang '" + a.lang +
                                       "': not a language tag (e.g. en, zh-Hans, zh-Hant, fr)"));
  }
  int interval_s = 0;
  if (!a.interval.empty()) {
    auto seconds = ParseInterval(a.interval);
    if (!seconds.ok()) return Report(seconds.status());
    interval_s = *seconds;
  }
  auto opened = Open(o);
  if (!opened.ok()) return Report(opened.status());
  Store& store = *opened->store;

  feeds::FeedDiscovery found{url, a.kind, "", "as given (--kind " + a.kind + ")"};
  auto fetcher = fetch::NewPoliteFetcher(fetch::NewCurlFetcher());
  const Config& cfg = opened->config;
  if (a.kind.empty()) {
    auto fetch_text = [&](const std::string& u) -> Result<feeds::FetchedText> {
      auto resp = fetcher->Fetch(u, FetchOptionsFor(cfg, u));
      if (!resp.ok()) return resp.status();
      const bool feed = feeds::LooksLikeFeed(resp->body);
      return feeds::FetchedText{resp->url,
                                fetch::DecodeToUtf8(resp->body, resp->content_type, !feed)};
    };
    auto discovered = feeds::DiscoverFeed(url, fetch_text);
    if (!discovered.ok()) {
      // Nothing stored: `--kind feed` stores a feed that is down today without reading it.
      return Report(Status(discovered.status().code(),
                           discovered.status().message() +
                               " (nothing stored; --kind feed adds it without fetching)"));
    }
    found = std::move(*discovered);
  }

  auto before = store.ListSources();
  if (!before.ok()) return Report(before.status());
  const std::optional<Source> known = FindByUrl(*before, found.url);
  Source s = known.value_or(Source{});
  s.url = found.url;
  s.kind = found.kind;
  if (!a.title.empty()) {
    s.title = a.title;
  } else if (s.title.empty()) {
    s.title = found.title;
  }
  if (!a.section.empty()) s.section = a.section;
  if (!a.lang.empty()) s.lang = a.lang;
  if (interval_s > 0) s.interval_s = interval_s;
  auto id = store.UpsertSource(s);
  if (!id.ok()) return Report(id.status());
  std::cout << (known ? "updated" : "added") << " source " << *id << ": " << s.url << " (" << s.kind
            << "; " << found.how << ")\n";
  if (a.kind.empty() && found.kind == "page") {
    // `run` polls feeds; a page source is read now, as `ingest --url` reads it.
    Ingester ingester(cfg, store, *fetcher,
                      [](const std::string& line) { std::cerr << "error: " << line << "\n"; });
    IngestStats stats = ingester.Run({{IngestInput::Kind::kUrl, url}});
    std::cout << "read the page: " << stats.articles_stored << " new articles\n";
    (void)store.UpsertSource(s);  // the page's title, section and language as given here
  }
  return kOk;
}

int DoList(const Options& o, bool as_json) {
  auto opened = Open(o);
  if (!opened.ok()) return Report(opened.status());
  auto sources = opened->store->ListSources();
  if (!sources.ok()) return Report(sources.status());
  const UnixTime now = SystemClock().Now();
  const int default_interval = opened->config.poll.interval_s;
  if (as_json) {
    for (const Source& s : *sources) {
      std::cout << SourceListJson(s, default_interval, now)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    }
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "STATE", "KIND", "SECTION", "LANG", "EVERY", "LAST FETCH", "NEXT POLL",
                  "TAKEN", "ROBOTS/TDM", "URL", "TITLE"});
  for (const Source& s : *sources) {
    rows.push_back({std::to_string(s.id), SourceState(s, now), s.kind,
                    s.section.empty() ? "-" : s.section, s.lang.empty() ? "-" : s.lang,
                    FormatDuration(s.interval_s > 0 ? s.interval_s : default_interval) +
                        (s.interval_s > 0 ? "" : "*"),
                    Relative(s.last_fetch, now), Relative(s.next_poll, now),
                    std::to_string(s.articles_taken), s.access.empty() ? "-" : s.access, s.url,
                    s.title});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      line += rows[r][c];
      if (c + 1 < rows[r].size()) line += std::string(width[c] - rows[r][c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
    if (r > 0 && !(*sources)[r - 1].last_error.empty()) {
      std::cout << "    last error: " << (*sources)[r - 1].last_error << "\n";
    }
  }
  if (sources->empty()) std::cout << "(no sources: add one with `newsdesk sources add URL`)\n";
  if (isatty(STDOUT_FILENO) == 1 && !sources->empty()) {
    std::cout << "* the [poll] interval_s default\n";
  }
  return kOk;
}

int DoRemove(const Options& o, const std::string& which) {
  auto opened = Open(o);
  if (!opened.ok()) return Report(opened.status());
  auto sources = opened->store->ListSources();
  if (!sources.ok()) return Report(sources.status());
  std::optional<Source> target;
  const bool numeric =
      !which.empty() && which.size() < 19 &&
      std::all_of(which.begin(), which.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) {
    target = FindById(*sources, std::stoll(which));
    if (!target) return Report(Status::NotFound("remove " + which + ": no source with this id"));
  } else {
    target = FindByUrl(*sources, which);
    if (!target) target = FindByUrl(*sources, InputToUrl(which));
    if (!target) {
      return Report(Status::NotFound("remove '" + which + "': no source with this URL"));
    }
  }
  Status st = opened->store->RemoveSource(target->id);
  if (!st.ok()) return Report(st);
  std::cout << "removed source " << target->id << ": " << target->url
            << " (its articles stay in the archive)\n";
  return kOk;
}

int DoImport(const Options& o, const std::string& file) {
  auto bytes = fetch::ReadFile(file, std::size_t{16} << 20);
  if (!bytes.ok()) return Report(Status::InvalidInput(bytes.status().message()));
  const std::string text = fetch::DecodeToUtf8(*bytes, "", false);
  // Parse and validate before opening the store: a bad file changes nothing.
  auto parsed = feeds::ReadOpmlSources(text, file, /*allow_file=*/true);
  if (!parsed.ok()) return Report(parsed.status());
  auto opened = Open(o);
  if (!opened.ok()) return Report(opened.status());
  auto result = web::ImportSources(*opened->store, *parsed);
  if (!result.ok()) return Report(result.status());
  std::cout << "imported " << file << ": " << result->added << " sources added, " << result->updated
            << " updated\n";
  return kOk;
}

int DoExport(const Options& o, const std::string& out) {
  auto opened = Open(o);
  if (!opened.ok()) return Report(opened.status());
  auto opml = ExportOpml(*opened->store, opened->config.site.title);
  if (!opml.ok()) return Report(opml.status());
  if (out.empty() || out == "-") {
    std::cout << *opml;
    return kOk;
  }
  // Written beside the target and renamed over it: never a half-written file.
  const std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << *opml;
    f.close();
    if (!f) return Report(Status::IOError(out + ": cannot write"));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Report(Status::IOError(out + ": cannot write: " + ec.message()));
  }
  std::cerr << "export: sources written to " << out << "\n";
  return kOk;
}

}  // namespace

std::string SourceState(const Source& source, UnixTime now) {
  if (source.last_fetch == 0 && source.last_error.empty()) return "new";
  if (source.last_error.empty() && source.failures == 0) return "ok";
  return source.next_poll > now ? "backing off" : "failing";
}

nlohmann::json SourceListJson(const Source& s, int default_interval_s, UnixTime now) {
  const int interval = s.interval_s > 0 ? s.interval_s : default_interval_s;
  auto time_or_null = [](UnixTime t) {
    return t == 0 ? nlohmann::json(nullptr) : nlohmann::json(FormatIso8601(t));
  };
  return nlohmann::json{{"id", s.id},
                        {"url", s.url},
                        {"title", s.title},
                        {"kind", s.kind},
                        {"section", s.section},
                        {"lang", s.lang},
                        {"interval", FormatDuration(interval)},
                        {"interval_s", interval},
                        {"interval_default", s.interval_s == 0},
                        {"state", SourceState(s, now)},
                        {"last_fetch", time_or_null(s.last_fetch)},
                        {"last_error", s.last_error},
                        {"failures", s.failures},
                        {"next_poll", time_or_null(s.next_poll)},
                        {"articles_taken", s.articles_taken},
                        {"access", s.access}};
}

Result<std::string> ExportOpml(Store& store, std::string_view title) {
  auto sources = store.ListSources();
  if (!sources.ok()) return sources.status();
  return feeds::WriteOpml(*sources, std::string(title) + " sources");
}

void AddSourcesCommand(CLI::App& app, int* rc) {
  auto* sources = app.add_subcommand("sources", "Add, list, remove, import and export sources");
  sources->require_subcommand(1);

  // Each subcommand keeps its arguments alive for the callback.
  auto add_args = std::make_shared<AddArgs>();
  auto add_opts = std::make_shared<Options>();
  auto* add = sources->add_subcommand(
      "add", "Add a feed, or a page whose feed is discovered (else kept as a page source)");
  AddStoreOptions(add, *add_opts);
  add->add_option("url", add_args->url, "Feed or page URL, or a local file")->required();
  add->add_option("--section", add_args->section, "Section key, e.g. world");
  add->add_option("--lang", add_args->lang, "Language hint: en, zh-Hans, zh-Hant, ...");
  add->add_option("--interval", add_args->interval,
                  "Poll interval: 90s, 15m, 2h, 1d, 1h30m (default: [poll] interval_s)");
  add->add_option("--title", add_args->title, "Name shown for the source");
  add->add_option("--kind", add_args->kind,
                  "feed or page: store the URL as that kind without fetching it")
      ->check(CLI::IsMember({"feed", "page"}));
  add->callback([=] { *rc = DoAdd(*add_opts, *add_args); });

  auto list_opts = std::make_shared<Options>();
  auto as_json = std::make_shared<bool>(false);
  auto* list = sources->add_subcommand("list", "The sources with their poll state");
  AddStoreOptions(list, *list_opts);
  list->add_flag("--json", *as_json, "JSON lines, one source each");
  list->callback([=] { *rc = DoList(*list_opts, *as_json); });

  auto remove_opts = std::make_shared<Options>();
  auto which = std::make_shared<std::string>();
  auto* remove = sources->add_subcommand("remove", "Stop polling a source (its articles stay)");
  AddStoreOptions(remove, *remove_opts);
  remove->add_option("source", *which, "Source id or URL")->required();
  remove->callback([=] { *rc = DoRemove(*remove_opts, *which); });

  auto import_opts = std::make_shared<Options>();
  auto file = std::make_shared<std::string>();
  auto* import = sources->add_subcommand(
      "import", "Add the sources of an OPML file (all or nothing; folders become sections)");
  AddStoreOptions(import, *import_opts);
  import->add_option("file", *file, "OPML file")->required();
  import->callback([=] { *rc = DoImport(*import_opts, *file);
});

auto export_opts = std::make_shared<Options>();
auto out = std::make_shared<std::string>();
auto* exp = sources->add_subcommand("export", "Write the sources as OPML 2.0");
AddStoreOptions(exp, *export_opts);
exp->add_option("-o,--out", *out, "Output file (default: stdout)");
exp->callback([=] { *rc = DoExport(*export_opts, *out); });
}  // namespace nd::app

}  // namespace nd::app
