// Ingest: sources -> stored articles. Reads feeds, OPML lists, single page URLs and
// directories of saved pages; fetches every item it has not stored yet; extracts it; stores
// it in one transaction. One bad source never stops the others: each failure is reported
// as one line naming the input and the reason, and counted.
//
// Thread-safety: an Ingester is used from one thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/types.h"
#include "fetch/fetch.h"
#include "store/store.h"

namespace nd::app {

struct IngestInput {
  enum class Kind { kFeed, kOpml, kUrl, kDir };
  Kind kind;
  std::string value;  // URL or path as the operator typed it
};

struct IngestStats {
  std::size_t sources_ok = 0;
  std::size_t sources_failed = 0;
  std::size_t items_seen = 0;
  std::size_t articles_stored = 0;
  std::size_t articles_known = 0;  // already stored (idempotent re-ingest)
  std::size_t articles_failed = 0;
  // A stop (set_stop) interrupted a feed between items: its poll state was not advanced,
  // so the source is due again at once.
  bool interrupted = false;
  std::vector<std::string> errors;  // one line each: "<input>: <reason>"
};

class Ingester {
 public:
  // `report` receives each error line as it happens (e.g. to print it).
  Ingester(const Config& config, Store& store, fetch::Fetcher& fetcher,
           std::function<void(const std::string&)> report = {});

  // Ingests each input; never stops at the first failure.
  IngestStats Run(const std::vector<IngestInput>& inputs);

  // Polls every source already in the store (for `newsdesk run`).
  IngestStats PollStoredSources();

  // Polls one stored feed source (a `run` worker polls the source it leased).
  IngestStats PollSource(const Source& source);

  // When set, Run stores the feeds it is given (and those an OPML list names) as sources
  // without reading them: `run` workers poll them later.
  void set_register_only(bool value) { register_only_ = value; }

  // When set and true, a feed being read stops between items (IngestStats::interrupted).
  void set_stop(const std::atomic<bool>* stop) { stop_ = stop; }

 private:
  struct Impl;
  void IngestFeedSource(Source source, IngestStats& stats);
  void IngestOpml(const std::string& where, IngestStats& stats);
  void IngestPage(const std::string& url, const Source& source, const FeedItem* item,
                  IngestStats& stats);
  void IngestDir(const std::string& dir, IngestStats& stats);
  void Fail(IngestStats& stats, const std::string& line);
  fetch::FetchOptions OptionsFor(const std::string& url) const;

  const Config& config_;
  Store& store_;
  fetch::Fetcher& fetcher_;
  std::function<void(const std::string&)> report_;
  bool register_only_ = false;
  const std::atomic<bool>* stop_ = nullptr;
};

// Turns what the operator typed (a path or a URL) into a URL: paths become file:// URLs.
std::string InputToUrl(const std::string& value);

// Fetch options from the [fetch] config for `url` (file:// allowed only when `url` is one:
// what the operator names).
fetch::FetchOptions FetchOptionsFor(const Config& config, const std::string& url);

}  // namespace nd::app
