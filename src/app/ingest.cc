#include "app/ingest.h"

#include <algorithm>
#include <filesystem>
#include <random>

#include "app/logging.h"
#include "app/progress.h"
#include "app/schedule.h"
#include "core/metrics.h"
#include "core/time.h"
#include "core/url.h"
#include "dedup/dedup.h"
#include "extract/extract.h"
#include "feeds/feeds.h"

namespace nd::app {
namespace fs = std::filesystem;

std::string InputToUrl(const std::string& value) {
  std::string scheme = UrlScheme(value);
  if (scheme == "http" || scheme == "https" || scheme == "file") return value;
  return FileUrlFromPath(value);
}

Ingester::Ingester(const Config& config, Store& store, fetch::Fetcher& fetcher,
                   std::function<void(const std::string&)> report)
    : config_(config), store_(store), fetcher_(fetcher), report_(std::move(report)) {}

namespace {

// "<input>: <reason>", without naming the input twice when the stage already did.
std::string Line(const std::string& input, const Status& st) {
  const std::string& m = st.message();
  if (m.find(input) != std::string::npos) return m;
  if (UrlScheme(input) == "file" && input.size() > 7 &&
      m.find(input.substr(7)) != std::string::npos) {
    return m;
  }
  return input + ": " + m;
}

// Records the outcome of a poll of `source` (Ok when it worked) with its schedule: failure
// count, next poll time with back-off and jitter, robots/TDM access (app/schedule.h).
void RecordPoll(Store& store, const Config& config, Source& source, const Status& outcome) {
  thread_local std::mt19937_64 random(std::random_device{}());
  ScheduleOptions options;
  options.default_interval_s = config.poll.interval_s;
  ScheduleAfterPoll(source, outcome, source.last_fetch, options, random());
  (void)store.UpdateSourceState(source);
}

}  // namespace

void Ingester::Fail(IngestStats& stats, const std::string& line) {
  stats.errors.push_back(line);
  if (report_) report_(line);
}

fetch::FetchOptions FetchOptionsFor(const Config& config, const std::string& url) {
  fetch::FetchOptions o;
  o.connect_timeout_ms = config.fetch.connect_timeout_s * 1000L;
  o.total_timeout_ms = config.fetch.timeout_s * 1000L;
  o.max_bytes = static_cast<std::size_t>(config.fetch.max_bytes);
  o.max_redirects = config.fetch.max_redirects;
  o.user_agent = config.fetch.user_agent;
  o.allow_networks = config.fetch.allow_networks;
  // file:// is for what the operator names; the caller narrows it for fetched links.
  o.allow_file = UrlScheme(url) == "file";
  return o;
}

fetch::FetchOptions Ingester::OptionsFor(const std::string& url) const {
  return FetchOptionsFor(config_, url);
}

IngestStats Ingester::Run(const std::vector<IngestInput>& inputs) {
  IngestStats stats;
  for (const IngestInput& in : inputs) {
    switch (in.kind) {
      case IngestInput::Kind::kOpml:
        IngestOpml(in.value, stats);
        break;
      case IngestInput::Kind::kFeed: {
        Source s;
        s.url = InputToUrl(in.value);
        s.kind = "feed";
        IngestFeedSource(s, stats);
        break;
      }
      case IngestInput::Kind::kUrl: {
        Source s;
        s.url = InputToUrl(in.value);
        s.kind = "page";
        auto id = store_.UpsertSource(s);
        if (!id.ok()) {
          Fail(stats, Line(in.value, id.status()));
          ++stats.sources_failed;
          break;
        }
        s.id = *id;
        std::size_t before = stats.errors.size();
        IngestPage(s.url, s, nullptr, stats);
        if (stats.errors.size() == before) {
          ++stats.sources_ok;
        } else {
          ++stats.sources_failed;
        }
        break;
      }
      case IngestInput::Kind::kDir:
        IngestDir(in.value, stats);
        break;
    }
  }
  return stats;
}

IngestStats Ingester::PollStoredSources() {
  IngestStats stats;
  auto sources = store_.ListSources();
  if (!sources.ok()) {
    Fail(stats, "store: " + sources.status().message());
    return stats;
  }
  for (const Source& s : *sources) {
    if (s.kind == "feed") IngestFeedSource(s, stats);
  }
  return stats;
}

IngestStats Ingester::PollSource(const Source& source) {
  IngestStats stats;
  IngestFeedSource(source, stats);
  return stats;
}

void Ingester::IngestOpml(const std::string& where, IngestStats& stats) {
  std::string url = InputToUrl(where);
  auto resp = fetcher_.Fetch(url, OptionsFor(url));
  if (!resp.ok()) {
    Fail(stats, Line(where, resp.status()));
    ++stats.sources_failed;
    return;
  }
  std::string text = fetch::DecodeToUtf8(resp->body, resp->content_type, false);
  auto outlines = feeds::ParseOpml(text, resp->url);
  if (!outlines.ok()) {
    Fail(stats, Line(where, outlines.status()));
    ++stats.sources_failed;
    return;
  }
  for (const OpmlOutline& o : *outlines) {
    Source s;
    s.url = o.xml_url;
    s.title = o.title;
    s.kind = "feed";
    s.section = o.category;
    // A remote OPML list may not point us at local files.
    if (UrlScheme(s.url) == "file" && UrlScheme(url) != "file") {
      Fail(stats, s.url + ": refused: a file:// feed listed in a remote OPML file");
      ++stats.sources_failed;
      continue;
    }
    IngestFeedSource(s, stats);
  }
}

void Ingester::IngestFeedSource(Source source, IngestStats& stats) {
  auto id = store_.UpsertSource(source);
  if (!id.ok()) {
    Fail(stats, Line(source.url, id.status()));
    ++stats.sources_failed;
    return;
  }
  source.id = *id;
  if (register_only_) {
    ++stats.sources_ok;
    return;
  }
  // Keep the stored poll state (validators) when the source was known.
  if (auto all = store_.ListSources(); all.ok()) {
    for (const Source& s : *all) {
      if (s.id == source.id) {
        source.etag = s.etag;
        source.last_modified = s.last_modified;
        source.articles_taken = s.articles_taken;
        source.interval_s = s.interval_s;
        source.failures = s.failures;
        source.next_poll = s.next_poll;
        source.access = s.access;
        if (source.section.empty()) source.section = s.section;
        if (source.title.empty()) source.title = s.title;
      }
    }
  }

  fetch::FetchOptions opts = OptionsFor(source.url);
  opts.etag = source.etag;
  opts.last_modified = source.last_modified;
  auto resp = fetcher_.Fetch(source.url, opts);
  source.last_fetch = SystemClock().Now();
  if (!resp.ok()) {
    source.last_error = resp.status().message();
    RecordPoll(store_, config_, source, resp.status());
    Fail(stats, Line(source.url, resp.status()));
    ++stats.sources_failed;
    return;
  }
  if (resp->not_modified) {
    source.last_error.clear();
    RecordPoll(store_, config_, source, Status::Ok());
    ++stats.sources_ok;
    return;
  }
  std::string text = fetch::DecodeToUtf8(resp->body, resp->content_type, false);
  if (!feeds::LooksLikeFeed(text)) {
    // A page: follow the feed it advertises, once.
    std::string html = fetch::DecodeToUtf8(resp->body, resp->content_type, true);
    auto found = feeds::DiscoverFeeds(html, resp->url);
    if (!found.empty() && found.front() != source.url) {
      auto again = fetcher_.Fetch(found.front(), OptionsFor(found.front()));
      if (again.ok()) {
        resp = std::move(again);
        text = fetch::DecodeToUtf8(resp->body, resp->content_type, false);
      }
    }
  }
  auto feed = feeds::ParseFeed(text, resp->url);
  if (!feed.ok()) {
    source.last_error = feed.status().message();
    RecordPoll(store_, config_, source, feed.status());
    Fail(stats, Line(source.url, feed.status()));
    ++stats.sources_failed;
    return;
  }
  if (source.title.empty()) source.title = feed->title;
  // A hostile feed may send a title of megabytes; keep a readable name (UTF-8 safe cut).
  if (source.title.size() > 300) {
    std::size_t cut = 300;
    while (cut > 0 && (static_cast<unsigned char>(source.title[cut]) & 0xC0) == 0x80) --cut;
    source.title.resize(cut);
  }
  (void)store_.UpsertSource(source);

  Progress progress(source.title.empty() ? source.url : source.title, feed->items.size());
  std::size_t stored_before = stats.articles_stored;
  // A hostile or runaway feed (100,000 items) may not tie up a poll: at most this many new
  // pages are fetched per source per poll; the rest wait for the next poll.
  constexpr std::size_t kMaxNewPagesPerPoll = 500;
  std::size_t new_pages = 0;
  bool truncated = false;  // items left for the next poll
  for (const FeedItem& item : feed->items) {
    if (stop_ != nullptr && stop_->load()) {
      // Handed back: the poll state (validators, schedule) is left as it was, so the
      // source is due again and the items not read yet are read at the next start.
      progress.Finish();
      stats.interrupted = true;
      return;
    }
    ++stats.items_seen;
    progress.Tick();
    if (item.link.empty()) continue;
    // Links found inside fetched content never lead to local files, unless the feed itself
    // is a local file the operator named.
    if (UrlScheme(item.link) == "file" && UrlScheme(resp->url) != "file") {
      Fail(stats, item.link + ": refused: file:// link inside a remote feed");
      ++stats.articles_failed;
      continue;
    }
    auto known = store_.HasArticleUrl(item.link);
    if (known.ok() && *known) {
      ++stats.articles_known;
      continue;
    }
    if (new_pages == kMaxNewPagesPerPoll) {
      Fail(stats, source.url + ": more than " + std::to_string(kMaxNewPagesPerPoll) +
                      " new items; the rest wait for the next poll");
      truncated = true;
      break;
    }
    ++new_pages;
    IngestPage(item.link, source, &item, stats);
  }
  progress.Finish();
  source.articles_taken += static_cast<int>(stats.articles_stored - stored_before);
  source.last_error.clear();
  // Broken XML that the parser recovered into nothing is worth telling the operator.
  if (std::none_of(feed->items.begin(), feed->items.end(),
                   [](const FeedItem& i) { return !i.link.empty(); })) {
    source.last_error = source.url + ": the feed lists no items with links";
  }
  // Validators are kept only when every item was read: else the next poll would get a 304
  // and never see the items left over.
  source.etag = truncated ? "" : resp->etag;
  source.last_modified = truncated ? "" : resp->last_modified;
  RecordPoll(store_, config_, source, Status::Ok());
  ++stats.sources_ok;
  log::Event("source_polled")
      .Source(source.url)
      .Info(source.url + ": " + std::to_string(feed->items.size()) + " items, " +
            std::to_string(stats.articles_stored - stored_before) + " new articles");
}

void Ingester::IngestPage(const std::string& url, const Source& source, const FeedItem* item,
                          IngestStats& stats) {
  auto resp = fetcher_.Fetch(url, OptionsFor(url));
  if (!resp.ok()) {
    Fail(stats, Line(url, resp.status()));
    ++stats.articles_failed;
    return;
  }
  std::string html = fetch::DecodeToUtf8(resp->body, resp->content_type, true);
  auto article = extract::ExtractArticle(html, resp->url);
  if (!article.ok() || article->blocks.empty()) {
    metrics::Count("newsdesk_extraction_failures_total", "Fetched pages with no article found.");
  }
  if (!article.ok()) {
    Fail(stats, Line(url, article.status()));
    ++stats.articles_failed;
    return;
  }
  Article& a = *article;
  if (a.blocks.empty()) {
    Fail(stats, url + ": no article text found");
    ++stats.articles_failed;
    return;
  }
  a.source_id = source.id;
  a.url = url;
  if (a.canonical_url.empty()) a.canonical_url = resp->url;
  if (a.section.empty()) a.section = source.section;
  if (item) {
    if (a.title.empty()) a.title = item->title;
    if (a.published == 0) a.published = item->published;
    if (a.byline.empty()) a.byline = item->author;
  }
  if (a.site_name.empty()) a.site_name = source.title;
  a.fetched = SystemClock().Now();
  if (a.published == 0) a.published = a.fetched;
  a.content_hash = dedup::ContentHash(a.Text());
  auto put = store_.PutArticle(a);
  if (!put.ok()) {
    Fail(stats, Line(url, put.status()));
    ++stats.articles_failed;
    return;
  }
  metrics::Count("newsdesk_articles_total", "Articles extracted, by what the store did with them.",
                 {{"result", put->inserted ? "stored" : "known"}});
  if (put->inserted) {
    log::Event("article_stored").Source(source.url).Article(url).Debug(a.title);
    ++stats.articles_stored;
  } else {
    ++stats.articles_known;
  }
}

void Ingester::IngestDir(const std::string& dir, IngestStats& stats) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    Fail(stats, dir + ": not a directory");
    ++stats.sources_failed;
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".html" || ext == ".htm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  Source s;
  s.url = FileUrlFromPath(dir);
  s.kind = "dir";
  s.title = fs::path(dir).filename().string();
  auto id = store_.UpsertSource(s);
  if (!id.ok()) {
    Fail(stats, Line(dir, id.status()));
    ++stats.sources_failed;
    return;
  }
  s.id = *id;
  Progress progress(dir, files.size());
  for (const fs::path& p : files) {
    progress.Tick();
    std::string url = FileUrlFromPath(p.string());
    auto known = store_.HasArticleUrl(url);
    if (known.ok() && *known) {
      ++stats.articles_known;
      continue;
    }
    IngestPage(url, s, nullptr, stats);
  }
  ++stats.sources_ok;
}

}  // namespace nd::app
