#include "app/cli.h"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/batch.h"
#include "app/config.h"
#include "app/doctor.h"
#include "app/ingest.h"
#include "app/logging.h"
#include "app/migrate.h"
#include "app/process.h"
#include "app/progress.h"
#include "app/sources_cmd.h"
#include "app/worker.h"
#include "fetch/fetch.h"
#include "fetch/polite.h"
#include "store/store.h"
#include "web/web.h"

namespace nd::app {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_abort{false};   // a second SIGINT/SIGTERM: `run` stops processing too
std::atomic<bool> g_reload{false};  // SIGHUP: `run` re-reads its configuration

void OnSignal(int) {
  if (g_stop.exchange(true)) g_abort = true;
}

void OnHangUp(int) { g_reload = true; }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int Fail(const Status& st) {
  if (log::JsonMode()) {
    log::Event("command_failed").Error(st.message());
  } else {
    std::cerr << "newsdesk: " << st.message() << "\n";
  }
  return 1;
}

// A configuration that cannot be used (unreadable, unknown key, wrong type) is bad input:
// one line, exit status 2.
int FailConfig(const Status& st) {
  Fail(st);
  return 2;
}

// Options shared by the commands that touch the store.
struct Common {
  std::string config_path;
  std::string db;
  std::string log_format;  // --log-format; empty: [log] format
  std::string log_level;   // --log-level; empty: [log] level
};

Result<Config> Configure(const Common& c) {
  auto cfg = LoadConfig(c.config_path);
  if (!cfg.ok()) return cfg.status();
  if (!c.db.empty()) cfg->db = c.db;
  if (!c.log_format.empty()) cfg->log.format = c.log_format;
  if (!c.log_level.empty()) cfg->log.level = c.log_level;
  if (Status st = log::Setup(cfg->log.format, cfg->log.level); !st.ok()) return st;
  return cfg;
}

// The first word of an ingest error line: the URL or path it is about.
std::string InputOf(const std::string& line) {
  const std::size_t end = line.find(": ", line.find("://") == std::string::npos ? 0 : 8);
  return line.substr(0, end == std::string::npos ? 0 : end);
}

void ReportIngestError(const std::string& line) {
  log::Event("ingest_failed").Field("input", InputOf(line)).Error(line);
}

Result<std::unique_ptr<Store>> OpenStore(const Config& cfg) { return Store::Open(cfg.db); }

void PrintIngestSummary(const IngestStats& s) {
  log::Note("ingest: " + std::to_string(s.sources_ok) + " sources read, " +
            std::to_string(s.sources_failed) + " failed; " + std::to_string(s.articles_stored) +
            " new articles, " + std::to_string(s.articles_known) + " already stored, " +
            std::to_string(s.articles_failed) + " failed");
}

void PrintProcessSummary(const ProcessStats& s) {
  log::Note("process: " + std::to_string(s.articles) + " articles (" +
            std::to_string(s.duplicates) + " near-duplicates), " +
            std::to_string(s.stories_created) + " new stories, " +
            std::to_string(s.stories_written) + " stories written");
}

int DoIngest(const Common& common, const std::vector<IngestInput>& inputs,
             bool register_only = false) {
  auto cfg = Configure(common);
  if (!cfg.ok()) return FailConfig(cfg.status());
  auto store = OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  auto fetcher = fetch::NewPoliteFetcher(fetch::NewCurlFetcher());
  Ingester ingester(*cfg, **store, *fetcher, ReportIngestError);
  ingester.set_register_only(register_only);
  IngestStats stats = ingester.Run(inputs);
  PrintIngestSummary(stats);
  bool nothing = stats.sources_ok == 0 && stats.articles_stored == 0 && stats.articles_known == 0;
  return nothing ? 1 : 0;
}

int DoProcess(const Common& common) {
  auto cfg = Configure(common);
  if (!cfg.ok()) return FailConfig(cfg.status());
  auto store = OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  Processor processor(*cfg, **store);
  auto stats = processor.Run();
  if (!stats.ok()) return Fail(stats.status());
  PrintProcessSummary(*stats);
  return 0;
}

int DoServe(const Common& common, const std::string& listen) {
  auto cfg = Configure(common);
  if (!cfg.ok()) return FailConfig(cfg.status());
  // Open once first so a bad --db is reported before the server starts.
  auto store = OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  store->reset();
  web::ServeOptions opts;
  opts.db = cfg->db;
  opts.listen = listen.empty() ? cfg->server.listen : listen;
  opts.threads = cfg->server.threads;
  opts.site_title = cfg->site.title;
  if (!cfg->server.api_token_env.empty()) {
    const char* token = std::getenv(cfg->server.api_token_env.c_str());
    opts.api_token = token != nullptr ? token : "";
  }
  opts.on_listening = [](const std::string& addr) {
    std::cout << "newsdesk: serving on http://" << addr << "/" << std::endl;
  };
  InstallSignalHandlers();
  Status st = web::Serve(opts, g_stop);
  if (!st.ok()) return Fail(st);
  return 0;
}

// `run --role`: "all" polls, processes and serves; "worker" polls and processes; "web"
// serves (as `serve`). Any number of each may share one database (app/worker.h).
int DoRun(const Common& common, const std::string& listen, const std::string& role = "all",
          WorkerOptions worker = {}) {
  if (role == "web") return DoServe(common, listen);
  auto cfg = Configure(common);
  if (!cfg.ok()) return FailConfig(cfg.status());
  auto store = OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  InstallSignalHandlers();
  {
    struct sigaction hup {};
    hup.sa_handler = OnHangUp;
    sigemptyset(&hup.sa_mask);
    sigaction(SIGHUP, &hup, nullptr);
  }
  std::string bound;  // the address the server listens on (port 0 resolved)
  auto web_options = [&](const Config& c) {
    web::ServeOptions o;
    o.db = c.db;
    o.listen = listen.empty() ? c.server.listen : listen;
    o.threads = c.server.threads;
    o.site_title = c.site.title;
    if (!c.server.api_token_env.empty()) {
      const char* token = std::getenv(c.server.api_token_env.c_str());
      o.api_token = token != nullptr ? token : "";
    }
    o.on_listening = [&bound](const std::string& addr) {
      bound = addr;  // read only after the server thread is joined
      std::cout << "newsdesk: serving on http://" << addr << "/" << std::endl;
    };
    return o;
  };
  web::ServeOptions opts = web_options(*cfg);
  std::string configured_listen = opts.listen;
  // The web server stops after the worker's last round (it serves while work finishes),
  // and restarts when a reload changes what it serves.
  std::atomic<bool> web_stop{false};
  Status serve_status;
  std::thread server;
  auto start_server = [&] {
    if (role == "all") server = std::thread([&] { serve_status = web::Serve(opts, web_stop); });
  };
  auto stop_server = [&] {
    web_stop = true;
    if (server.joinable()) server.join();
    web_stop = false;
  };
  start_server();
  auto fetcher = fetch::NewPoliteFetcher(fetch::NewCurlFetcher());
  if (worker.owner.empty()) worker.owner = DefaultWorkerName();
  worker.stop = &g_stop;
  worker.abort = &g_abort;
  log::Note("newsdesk: " + role + " " + worker.owner + " started");
  while (!g_stop) {
    if (g_reload.exchange(false)) {
      // A config that does not load is reported and the running one kept.
      auto fresh = Configure(common);
      if (!fresh.ok()) {
        spdlog::error("reload: {}; keeping the running configuration", fresh.status().message());
      } else {
        if (fresh->db != cfg->db) {
          spdlog::warn("reload: [store] db changes at the next start; still using {}", cfg->db);
          fresh->db = cfg->db;
        }
        web::ServeOptions next = web_options(*fresh);
        const bool web_changed = next.listen != configured_listen || next.threads != opts.threads ||
                                 next.site_title != opts.site_title ||
                                 next.api_token != opts.api_token;
        *cfg = std::move(*fresh);
        if (web_changed && role == "all") {
          stop_server();
          configured_listen = next.listen;
          // The same address again (a port picked by the system stays the same).
          if (next.listen == opts.listen && !bound.empty()) next.listen = bound;
          opts = std::move(next);
          start_server();
        }
        log::Note("newsdesk: configuration reloaded from " +
                  (cfg->path.empty() ? std::string("defaults") : cfg->path));
      }
    }
    auto round = WorkRound(*cfg, **store, *fetcher, worker, ReportIngestError);
    bool busy = false;
    if (!round.ok()) {
      spdlog::error("work: {}", round.status().message());
    } else {
      if (round->sources_polled > 0) PrintIngestSummary(round->ingest);
      if (round->processed && (round->process.articles > 0 || round->process.stories_written > 0)) {
        PrintProcessSummary(round->process);
      }
      if (round->sources_handed_back > 0) {
        log::Note("newsdesk: stopping; a feed being read was handed back (due again)");
      }
      busy = round->sources_polled > 0 || round->process.articles > 0;
    }
    // Sources fall due one by one (each on its own schedule): look again soon.
    const int idle_tenths = busy ? 0 : std::min(cfg->poll.interval_s, 5) * 10;
    for (int i = 0; i < idle_tenths && !g_stop && !g_reload; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  stop_server();
  log::Note("newsdesk: " + worker.owner + " stopped");
  if (!serve_status.ok()) return Fail(serve_status);
  return 0;
}

int DoExport(const Common& common, const std::string& out) {
  auto cfg = Configure(common);
  if (!cfg.ok()) return FailConfig(cfg.status());
  auto store = OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  Progress progress("export", 0);
  Status st = web::ExportSite(**store, out, cfg->site.title,
                              [&progress](std::size_t done, std::size_t total) {
                                progress.SetTotal(total);
                                progress.Tick();
                                (void)done;
                              });
  progress.Finish();
  if (!st.ok()) return Fail(st);
  log::Note("export: site written to " + out);
  return 0;
}

void AddCommon(CLI::App* cmd, Common& c, bool with_db) {
  cmd->add_option("--config", c.config_path,
                  "Config file (else $NEWSDESK_CONFIG, else ./newsdesk.toml if present)");
  if (with_db) {
    cmd->add_option("--db", c.db, "SQLite file path or postgresql:// URL (default: [store] db)");
  }
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{
      "newsdesk: reads the news sources you choose, groups reports into stories, writes a "
      "short cited article per story and publishes it as a web site, a JSON API and feeds."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "newsdesk 0.1.0");
  Common common;
  int rc = 0;
  // Global options, accepted before or after the subcommand.
  app.fallthrough();
  app.add_option("--log-format", common.log_format,
                 "Log lines as text (readable) or json (one object per line); default: [log] "
                 "format")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-level", common.log_level, "trace, debug, info, warn or error (default: [log] level)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  // Logs go to stderr in the chosen format from the start; Configure() applies [log].
  app.parse_complete_callback([&] {
    (void)log::Setup(common.log_format.empty() ? "text" : common.log_format,
                     common.log_level.empty() ? "info" : common.log_level);
  });

  // ingest
  std::vector<std::string> feeds_in, opml_in, url_in, dir_in;
  auto* ingest = app.add_subcommand("ingest", "Read sources and store their new articles");
  AddCommon(ingest, common, true);
  ingest->add_option("--feed", feeds_in, "Feed URL or file (RSS, Atom, JSON Feed)");
  ingest->add_option("--opml", opml_in, "OPML subscription list (URL or file)");
  ingest->add_option("--url", url_in, "A single article page URL or file");
  ingest->add_option("--dir", dir_in, "A directory of saved HTML pages");
  bool register_only = false;
  ingest->add_flag("--register-only", register_only,
                   "Store the feeds (and OPML entries) as sources without reading them; "
                   "`run` workers poll them");
  ingest->callback([&] {
    std::vector<IngestInput> inputs;
    for (auto& v : feeds_in) inputs.push_back({IngestInput::Kind::kFeed, v});
    for (auto& v : opml_in) inputs.push_back({IngestInput::Kind::kOpml, v});
    for (auto& v : url_in) inputs.push_back({IngestInput::Kind::kUrl, v});
    for (auto& v : dir_in) inputs.push_back({IngestInput::Kind::kDir, v});
    if (inputs.empty()) throw CLI::ValidationError("ingest", "give at least one --feed, --opml, --url or --dir");
    rc = DoIngest(common, inputs, register_only);
  });

  auto* process = app.add_subcommand("process", "Cluster, write and relate pending articles");
  AddCommon(process, common, true);
  process->callback([&] { rc = DoProcess(common); });

  std::string listen;
  auto* serve = app.add_subcommand("serve", "Serve the site, the API and the feeds");
  AddCommon(serve, common, true);
  serve->add_option("--listen", listen, "Address to listen on, e.g. 127.0.0.1:8080");
  serve->callback([&] { rc = DoServe(common, listen); });

  auto* run = app.add_subcommand("run", "Daemon: poll the stored sources, process and serve");
  AddCommon(run, common, true);
  run->add_option("--listen", listen, "Address to listen on");
  std::string role = "all";
  WorkerOptions worker;
  run->add_option("--role", role,
                  "all: poll, process and serve; worker: poll and process; web: serve. Any "
                  "number of workers and web processes may share one database")
      ->check(CLI::IsMember({"all", "worker", "web"}));
  run->add_option("--lease-seconds", worker.lease_seconds,
                  "How long a source or processing lease outlives a worker that died")
      ->check(CLI::Range(2, 86400));
  run->add_option("--worker-name", worker.owner, "Lease holder name (default host:pid:random)");
  run->callback([&] { rc = DoRun(common, listen, role, worker); });

  std::string migrate_from, migrate_to;
  auto* migrate =
      app.add_subcommand("migrate", "Move a SQLite archive into an empty PostgreSQL database");
  migrate->add_option("--from", migrate_from, "SQLite file")->required();
  migrate->add_option("--to", migrate_to, "postgresql:// URL of an empty database")->required();
  migrate->callback([&] {
    Status st = MigrateArchive(migrate_from, migrate_to, std::cerr);
    rc = st.ok() ? 0 : Fail(st);
    if (st.ok()) std::cerr << "migrate: done\n";
  });

  std::string out_dir;
  auto* exp = app.add_subcommand("export", "Write the whole site as static files");
  AddCommon(exp, common, true);
  exp->add_option("--out", out_dir, "Output directory")->required();
  exp->callback([&] { rc = DoExport(common, out_dir); });

  // Batch tools.
  std::string file, url, batch_dir, in_path, base;
  int words = 60, k = 5;
  auto* extract = app.add_subcommand("extract", "Extract the article from HTML; JSON out");
  AddCommon(extract, common, false);
  extract->add_option("--url", url, "URL the page came from (resolves links)");
  extract->add_option("--batch", batch_dir, "Extract every .html file in DIR, JSONL out");
  extract->add_option("file", file, "HTML file, or - for stdin");
  extract->callback([&] {
    Status st;
    if (!batch_dir.empty()) {
      st = ExtractBatch(batch_dir, std::cout, std::cerr);
    } else if (!file.empty()) {
      st = ExtractOne(file, url, std::cout);
    } else {
      throw CLI::ValidationError("extract", "give FILE, - or --batch DIR");
    }
    rc = st.ok() ? 0 : Fail(st);
  });

  auto* cluster = app.add_subcommand("cluster", "Cluster articles (JSONL) into stories");
  AddCommon(cluster, common, false);
  cluster->add_option("--in", in_path, "Articles JSONL: id, title, text, lang?, published?")
      ->required();
  cluster->callback([&] {
    Status st = ClusterJsonl(in_path, std::cout, std::cerr);
    rc = st.ok() ? 0 : Fail(st);
  });

  auto* summarize = app.add_subcommand("summarize", "Extractive summaries of documents (JSONL)");
  AddCommon(summarize, common, false);
  summarize->add_option("--in", in_path, "JSONL: {id, text} or {id, texts:[...]}")->required();
  summarize->add_option("--words", words, "Word budget per summary")->check(CLI::PositiveNumber);
  summarize->callback([&] {
    Status st = SummarizeJsonl(in_path, words, std::cout, std::cerr);
    rc = st.ok() ? 0 : Fail(st);
  });

  auto* related = app.add_subcommand("related", "Related articles for each article (JSONL)");
  AddCommon(related, common, false);
  related->add_option("--in", in_path, "Articles JSONL: id, title, text, lang?, published?")
      ->required();
  related->add_option("-k", k, "How many related items")->check(CLI::PositiveNumber);
  related->callback([&] {
    Status st = RelatedJsonl(in_path, k, std::cout, std::cerr);
    rc = st.ok() ? 0 : Fail(st);
  });

  auto* feed = app.add_subcommand("feed", "Print what newsdesk reads in one feed file");
  AddCommon(feed, common, false);
  feed->add_option("--base", base, "URL the feed came from (resolves relative links)");
  feed->add_option("file", file, "Feed or HTML file, or - for stdin")->required();
  feed->callback([&] {
    Status st = FeedOne(file, base, std::cout);
    rc = st.ok() ? 0 : Fail(st);
  });

  AddSourcesCommand(app, &rc);

  // doctor
  DoctorOptions doctor_options;
  auto* doctor = app.add_subcommand(
      "doctor", "Check the config, the database, the LLM endpoint and the runtime; say what to fix");
  doctor->add_option("--config", doctor_options.config_path,
                     "Config file (else $NEWSDESK_CONFIG, else ./newsdesk.toml if present)");
  doctor->add_option("--db", doctor_options.db, "SQLite file path or postgresql:// URL");
  doctor->callback([&] { rc = PrintDoctorReport(RunDoctor(doctor_options), std::cout); });

  // config show
  auto* config = app.add_subcommand("config", "Show the configuration");
  config->require_subcommand(1);
  auto* config_show = config->add_subcommand(
      "show", "Print the effective configuration (defaults + file + command line) as TOML, "
              "secrets hidden");
  AddCommon(config_show, common, true);
  config_show->callback([&] {
    auto cfg = Configure(common);
    if (!cfg.ok()) {
      rc = FailConfig(cfg.status());
      return;
    }
    std::cout << ConfigToToml(*cfg);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; bad usage prints one line and exits 2.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::string what = e.what();
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    std::cerr << "newsdesk: " << what << " (see --help)\n";
    return 2;
  }
  return rc;
}

}  // namespace nd::app
