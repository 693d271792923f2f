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
#include <memory>
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
  std::string body;  // POST bodies (the server caps their size)

  std::string Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string body;
  std::string route;  // set by Handle: the route name used in metrics

  // The value of a header set in `headers` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// The sections shown in the nav: those of recent stories, most common first; and which
// recent stories follow up which (Story::follows, read backwards). Computing them reads
// pages of stories, so the server keeps them for a minute. Thread-safe.
class SectionCache {
 public:
  // The cached list, recomputed from `store` when older than a minute.
  std::vector<std::string> Get(Store& store);
  // Ids of recent stories whose `follows` is `id`, newest first.
  std::vector<std::int64_t> FollowUps(Store& store, std::int64_t id);

 private:
  std::mutex mu_;
  std::vector<std::string> sections_;
  std::int64_t computed_at_ = 0;  // steady-clock seconds; 0: never
  std::map<std::int64_t, std::vector<std::int64_t>> follow_ups_;
  std::int64_t follow_ups_at_ = 0;
};

// Ids of the newest `scan` stories whose `follows` is `id`, newest first.
std::vector<std::int64_t> RecentFollowUps(Store& store, std::int64_t id, int scan = 500);

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
  // Bearer token for API writes (POST/DELETE /api/v1/sources); empty: writes disabled.
  std::string api_token;
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

// True when an If-None-Match value names `etag` (or is "*"); weak tags compare equal.
bool ETagMatches(std::string_view if_none_match, std::string_view etag);

// Rendered responses kept by the server, so a page is rendered once per store state
// instead of once per request. Keyed by the request target, the request headers a response
// depends on (Host, X-Forwarded-Proto, Accept-Language, gzip or not) and the store
// generation: a value the caller derives from the store that changes whenever it is
// written. Only 200 answers to GET/HEAD of read-only routes are kept (not /healthz,
// /metrics or /api/v1/sources). When full, the cache is emptied. Thread-safe.
class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_bytes = std::size_t{64} << 20) : max_bytes_(max_bytes) {}

  // The answer to `request`: from the cache when rendered for `generation`, else from
  // Handle (and then kept). If-None-Match is answered with 304 either way.
  Response Handle(const Request& request, Store& store, const SiteOptions& site, Metrics* metrics,
                  std::uint64_t generation);

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Response>> entries_;
  std::uint64_t generation_ = 0;
  std::size_t bytes_ = 0;
  std::size_t max_bytes_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

// Answers one request. `metrics` may be null (no counting, /metrics shows only gauges).
// Handles GET and HEAD alike (the server drops the body for HEAD); POST and DELETE only on
// /api/v1/sources with the bearer token; other methods get 405.
Response Handle(const Request& request, Store& store, const SiteOptions& site, Metrics* metrics);

}  // namespace nd::web
