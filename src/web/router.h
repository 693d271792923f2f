// The router: one pure function from an HTTP request to a response, given a Store. The
// server calls it for every request; the static export calls it with
// SiteOptions::static_export set, which makes pages link to files instead of routes.
// Also the one place that maps nd::Status to HTTP status codes, and the request metrics.
// Private to src/web.
//
// Thread-safety: Handle is reentrant; the Store it is given must not be used by another
// thread at the same time. Metrics is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace nd::web {

struct Request {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query
  // Header names in lower case.
  std::map<std::string, std::string> headers;

  std::string Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string body;

  // The value of a header set in `headers` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// The sections shown in the nav: those of recent stories, most common first. Computing
// them reads a page of stories, so the server keeps them for a minute. Thread-safe.
class SectionCache {
 public:
  // The cached list, recomputed from `store` when older than a minute.
  std::vector<std::string> Get(Store& store);

 private:
  std::mutex mu_;
  std::vector<std::string> sections_;
  std::int64_t computed_at_ = 0;  // steady-clock seconds; 0: never
};

// Sections of recent stories, most common first, at most 8 (empty if the store fails).
std::vector<std::string> RecentSections(Store& store);

struct SiteOptions {
  std::string title = "newsdesk";
  // Where nav sections come from; null: computed for each page.
  SectionCache* sections = nullptr;
  // Links point at static files (index.zh-Hans.html, story/3.html) instead of routes.
  // `static_prefix` is the path from the page being rendered back to the site root.
  bool static_export = false;
  std::string static_prefix;
};

// Request counts by route and status code, for /metrics.
class Metrics {
 public:
  void Record(std::string_view route, int status);
  // Prometheus text lines for newsdesk_http_requests_total.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> counts_;
};

// The HTTP status for a failed Status: kNotFound -> 404, kInvalidInput -> 400, else 500.
// The only place in newsdesk that maps Status to HTTP.
int HttpStatusFor(const Status& status);

// Answers one request. `metrics` may be null (no counting, /metrics shows only gauges).
// Handles GET and HEAD alike (the server drops the body for HEAD); other methods get 405.
Response Handle(const Request& request, Store& store, const SiteOptions& site, Metrics* metrics);

}  // namespace nd::web
