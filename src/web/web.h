// web: store -> HTTP. Server-rendered HTML pages (front page, story page, search), the
// JSON API under /api/v1, the Atom feed, /healthz and /metrics, and the static export.
// Pages are in en, zh-Hans or zh-Hant (?lang=, else Accept-Language); every string that
// comes from a source is HTML-escaped.
//
// Thread-safety: Serve runs its own threads; each opens its own Store.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace nd::web {

struct ServeOptions {
  std::string db;  // passed to Store::Open, one per thread
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string site_title = "newsdesk";
  // Bearer token that API writes (POST/DELETE /api/v1/sources) must carry; empty: the API
  // is read-only.
  std::string api_token;
  // Called once the socket is bound, with the actual address ("127.0.0.1:41234"; port 0
  // in `listen` picks a free port).
  std::function<void(const std::string&)> on_listening;
};

// Serves until `stop` becomes true (checked a few times per second) or a fatal error.
Status Serve(const ServeOptions& options, const std::atomic<bool>& stop);

// Writes the whole site as static files under `out_dir` (index.html, story/<id>.html per
// language, feed.atom, api JSON) that work from any web server. `progress`, when given, is
// called after each story with the stories written so far and the total.
Status ExportSite(Store& store, const std::string& out_dir, const std::string& site_title,
                  const std::function<void(std::size_t done, std::size_t total)>& progress = {});

// How many sources ImportSources added and how many it updated.
struct SourceImport {
  std::size_t added = 0;
  std::size_t updated = 0;  // the URL was stored already
};

// Stores the sources of an OPML list read and validated whole beforehand
// (feeds::ReadOpmlSources returns nothing when any entry is bad), for `newsdesk sources
// import` and POST /api/v1/sources/import. A source whose URL is stored already is updated
// (title, kind, section, lang, interval; what the list leaves empty stays as stored).
Result<SourceImport> ImportSources(Store& store, const std::vector<Source>& sources);

}  // namespace nd::web
