#include "web/router.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>

#include <nlohmann/json.hpp>

#include "web/api.h"
#include "web/escape.h"
#include "web/gzip.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/site_css.h"

namespace nd::web {
namespace {

using nlohmann::json;

constexpr const char* kHtmlType = "text/html; charset=utf-8";
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr const char* kCsp =
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; "
    "frame-ancestors 'none'";
constexpr int kFrontPageSize = 30;
constexpr int kStaticFrontPageSize = 1000;
constexpr int kFeedSize = 50;
constexpr int kSearchLimit = 20;
constexpr int kMaxRelated = 6;

// Everything a route handler needs about the request.
struct Call {
  const Request& req;
  Store& store;
  const SiteOptions& site;
  std::string path;
  std::map<std::string, std::string> query;
  std::string route = "not_found";

  std::string Param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  std::string PageLang() const { return PickLang(Param("lang"), req.Header("accept-language")); }
  // API responses default to English rather than following Accept-Language.
  std::string ApiLang() const {
    std::string lang = CanonicalPageLang(Param("lang"));
    return lang.empty() ? std::string(kLangEnglish) : lang;
  }
  Links MakeLinks() const {
    return site.static_export ? Links::Static(site.static_prefix) : Links::Server();
  }
};

std::string HexHash(std::string_view data) {
  // FNV-1a 64: a stable body hash for ETags (not a security boundary).
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The Host header if it looks like a host[:port], else "localhost".
std::string SafeHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return "localhost";
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return "localhost";
  }
  return std::string(host);
}

UrlBase MakeUrlBase(const Call& call) {
  UrlBase base;
  base.links = call.MakeLinks();
  if (call.site.static_export) return base;
  const std::string host = SafeHost(call.req.Header("host"));
  const std::string proto = AsciiLower(call.req.Header("x-forwarded-proto"));
  base.origin = (proto == "https" ? "https://" : "http://") + host;
  std::string authority = host;
  if (authority.starts_with('[')) {
    authority = "localhost";  // tag: URIs want a DNS name
  } else {
    authority = AsciiLower(authority.substr(0, authority.find(':')));
  }
  base.tag_authority = authority;
  return base;
}

Response HtmlResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = kHtmlType;
  r.body = std::move(body);
  return r;
}

Response JsonResponse(int status, const json& j) {
  Response r;
  r.status = status;
  r.content_type = kJsonType;
  r.body = j.dump(2, ' ', false, json::error_handler_t::replace);
  r.body += '\n';
  return r;
}

Response ApiError(int status, std::string_view message) {
  return JsonResponse(status, json{{"error", message}, {"status", status}});
}

// Message shown to readers for a failed Status: store internals stay in the server.
std::string PublicMessage(const Status& status) {
  const int code = HttpStatusFor(status);
  return code == 500 ? std::string("internal error") : status.message();
}

Result<int> IntParam(const Call& call, const std::string& name, int fallback, int min, int max) {
  const std::string v = call.Param(name);
  if (v.empty()) return fallback;
  int out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) {
    return Status::InvalidInput(name + ": not a number: '" + v + "'");
  }
  return std::clamp(out, min, max);
}

// "/story/12" with prefix "/story/" -> 12; 0 when the rest is not a positive id.
std::int64_t IdAfter(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return 0;
  path.remove_prefix(prefix.size());
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(path.data(), path.data() + path.size(), id);
  if (ec != std::errc() || ptr != path.data() + path.size() || id <= 0) return 0;
  return id;
}

std::vector<std::string> NavSections(const Call& call) {
  if (call.site.static_export) return {};
  if (call.site.sections != nullptr) return call.site.sections->Get(call.store);
  return RecentSections(call.store);
}

PageContext MakePageContext(const Call& call, const std::string& lang,
                            std::function<std::string(std::string_view)> self_link) {
  PageContext ctx;
  ctx.lang = lang;
  ctx.site_title = call.site.title;
  ctx.links = call.MakeLinks();
  ctx.self_link = std::move(self_link);
  ctx.sections = NavSections(call);
  return ctx;
}

Response PageError(const Call& call, int status, std::string_view detail) {
  const std::string lang = call.PageLang();
  Links links = call.MakeLinks();
  PageContext ctx =
      MakePageContext(call, lang, [links](std::string_view l) { return links.Home(l); });
  return HtmlResponse(status, RenderErrorPage(ctx, status, detail));
}

Response PageError(const Call& call, const Status& status) {
  return PageError(call, HttpStatusFor(status), PublicMessage(status));
}

Response ApiError(const Status& status) {
  return ApiError(HttpStatusFor(status), PublicMessage(status));
}

Result<StoryPageData> LoadStory(Store& store, std::int64_t id) {
  auto story = store.GetStory(id);
  if (!story.ok()) return story.status();
  if (!story->has_value()) return Status::NotFound("story " + std::to_string(id) + ": not found");
  StoryPageData data;
  data.story = std::move(**story);
  std::vector<std::int64_t> ids = data.story.article_ids;
  if (data.story.first_article_id != 0 &&
      std::find(ids.begin(), ids.end(), data.story.first_article_id) == ids.end()) {
    ids.push_back(data.story.first_article_id);
  }
  if (!ids.empty()) {
    auto articles = store.GetArticles(ids);
    if (!articles.ok()) return articles.status();
    for (Article& a : *articles) data.articles.emplace(a.id, std::move(a));
  }
  // Related stories are a courtesy: one that cannot be read is left out.
  for (const std::int64_t rid : data.story.related) {
    if (static_cast<int>(data.related.size()) == kMaxRelated) break;
    if (rid == id) continue;
    auto related = store.GetStory(rid);
    if (related.ok() && related->has_value()) data.related.push_back(std::move(**related));
  }
  return data;
}

Result<std::vector<SearchItem>> RunSearch(Store& store, const std::string& q) {
  auto hits = store.Search(q, kSearchLimit);
  if (!hits.ok()) return hits.status();
  std::vector<SearchItem> items;
  for (SearchHit& hit : *hits) {
    auto story = store.GetStory(hit.story_id);
    if (!story.ok()) return story.status();
    if (!story->has_value()) continue;
    items.push_back(SearchItem{std::move(**story), std::move(hit)});
  }
  return items;
}

std::string Trimmed(std::string s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// --- Route handlers ----------------------------------------------------------------------

Response FrontPage(Call& call) {
  call.route = "front";
  const std::string lang = call.PageLang();
  const std::string section = call.Param("section");
  auto offset = IntParam(call, "offset", 0, 0, 1000000);
  if (!offset.ok()) return PageError(call, offset.status());
  const int page_size = call.site.static_export ? kStaticFrontPageSize : kFrontPageSize;
  StoryListOptions options;
  options.offset = *offset;
  options.limit = page_size + 1;
  options.section = section;
  auto stories = call.store.ListStories(options);
  if (!stories.ok()) return PageError(call, stories.status());
  const bool has_more = static_cast<int>(stories->size()) > page_size;
  if (has_more) stories->resize(page_size);
  Links links = call.MakeLinks();
  const int off = *offset;
  PageContext ctx = MakePageContext(call, lang, [links, section, off](std::string_view l) {
    return links.Home(l, section, off);
  });
  ctx.current_section = section;
  return HtmlResponse(200, RenderFrontPage(ctx, *stories, *offset, has_more));
}

Response StoryPage(Call& call, std::int64_t id) {
  call.route = "story";
  auto data = LoadStory(call.store, id);
  if (!data.ok()) return PageError(call, data.status());
  const std::string lang = call.PageLang();
  Links links = call.MakeLinks();
  PageContext ctx =
      MakePageContext(call, lang, [links, id](std::string_view l) { return links.Story(id, l); });
  return HtmlResponse(200, RenderStoryPage(ctx, *data));
}

Response SearchPage(Call& call) {
  call.route = "search";
  const std::string lang = call.PageLang();
  const std::string q = Trimmed(call.Param("q"));
  std::vector<SearchItem> items;
  if (!q.empty()) {
    auto found = RunSearch(call.store, q);
    if (!found.ok()) return PageError(call, found.status());
    items = std::move(*found);
  }
  PageContext ctx = MakePageContext(call, lang, [q](std::string_view l) {
    std::string url = "/search?lang=" + UrlEncode(l);
    if (!q.empty()) url += "&q=" + UrlEncode(q);
    return url;
  });
  return HtmlResponse(200, RenderSearchPage(ctx, q, items));
}

Response AboutPage(Call& call) {
  call.route = "about";
  const std::string lang = call.PageLang();
  Links links = call.MakeLinks();
  PageContext ctx =
      MakePageContext(call, lang, [links](std::string_view l) { return links.About(l); });
  return HtmlResponse(200, RenderAboutPage(ctx));
}

Response ApiStories(Call& call) {
  call.route = "api_stories";
  auto offset = IntParam(call, "offset", 0, 0, 1000000);
  if (!offset.ok()) return ApiError(offset.status());
  auto limit = IntParam(call, "limit", 20, 1, call.site.static_export ? 100000 : 100);
  if (!limit.ok()) return ApiError(limit.status());
  StoryListOptions options;
  options.offset = *offset;
  options.limit = *limit;
  options.section = call.Param("section");
  auto stories = call.store.ListStories(options);
  if (!stories.ok()) return ApiError(stories.status());
  auto total = call.store.CountStories();
  if (!total.ok()) return ApiError(total.status());
  return JsonResponse(
      200, StoriesJson(*stories, call.ApiLang(), *offset, *limit, *total, MakeUrlBase(call)));
}

Response ApiStory(Call& call, std::int64_t id) {
  call.route = "api_story";
  auto data = LoadStory(call.store, id);
  if (!data.ok()) return ApiError(data.status());
  return JsonResponse(200, StoryJson(*data, call.ApiLang(), MakeUrlBase(call)));
}

Response ApiSearch(Call& call) {
  call.route = "api_search";
  const std::string q = Trimmed(call.Param("q"));
  if (q.empty()) return ApiError(Status::InvalidInput("q: missing search query"));
  auto found = RunSearch(call.store, q);
  if (!found.ok()) return ApiError(found.status());
  return JsonResponse(200, SearchJson(q, *found, call.ApiLang()));
}

Result<std::vector<Story>> FeedStories(Store& store) {
  StoryListOptions options;
  options.limit = kFeedSize;
  return store.ListStories(options);
}

Response AtomFeed(Call& call) {
  call.route = "feed_atom";
  auto stories = FeedStories(call.store);
  if (!stories.ok()) return PageError(call, stories.status());
  Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = RenderAtom(*stories, call.ApiLang(), call.site.title, MakeUrlBase(call));
  return r;
}

Response JsonFeed(Call& call) {
  call.route = "feed_json";
  auto stories = FeedStories(call.store);
  if (!stories.ok()) return ApiError(stories.status());
  Response r;
  r.content_type = "application/feed+json; charset=utf-8";
  r.body = RenderJsonFeed(*stories, call.ApiLang(), call.site.title, MakeUrlBase(call));
  return r;
}

Response Healthz(Call& call) {
  call.route = "healthz";
  auto stories = call.store.CountStories();
  auto articles = stories.ok() ? call.store.CountArticles() : Result<std::int64_t>(0);
  Response r;
  if (!stories.ok() || !articles.ok()) {
    const Status& bad = !stories.ok() ? stories.status() : articles.status();
    // Health is its own contract: any store failure means "unavailable".
    r = JsonResponse(503, json{{"status", "unavailable"}, {"error", bad.ToString()}});
  } else {
    r = JsonResponse(200, json{{"status", "ok"}, {"stories", *stories}, {"articles", *articles}});
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response MetricsPage(Call& call, Metrics* metrics) {
  call.route = "metrics";
  std::string body;
  body += "# HELP newsdesk_http_requests_total HTTP requests answered, by route and code.\n";
  body += "# TYPE newsdesk_http_requests_total counter\n";
  if (metrics != nullptr) body += metrics->Render();
  auto stories = call.store.CountStories();
  auto articles = call.store.CountArticles();
  body += "# HELP newsdesk_store_up 1 when the store answered this scrape.\n";
  body += "# TYPE newsdesk_store_up gauge\n";
  body += std::string("newsdesk_store_up ") + (stories.ok() && articles.ok() ? "1" : "0") + "\n";
  if (stories.ok()) {
    body += "# HELP newsdesk_stories Stories in the store.\n# TYPE newsdesk_stories gauge\n";
    body += "newsdesk_stories " + std::to_string(*stories) + "\n";
  }
  if (articles.ok()) {
    body += "# HELP newsdesk_articles Articles in the store.\n# TYPE newsdesk_articles gauge\n";
    body += "newsdesk_articles " + std::to_string(*articles) + "\n";
  }
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Css(Call& call) {
  call.route = "static";
  Response r;
  r.content_type = "text/css; charset=utf-8";
  r.body = std::string(SiteCss());
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

Response Dispatch(Call& call, Metrics* metrics) {
  const std::string& p = call.path;
  const bool api = p.starts_with("/api/");
  if (call.req.method != "GET" && call.req.method != "HEAD") {
    call.route = "method_not_allowed";
    Response r =
        api ? ApiError(405, "method not allowed: " + call.req.method) : PageError(call, 405, "");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (p == "/" || p == "/index.html") return FrontPage(call);
  if (p.starts_with("/story/")) {
    if (const std::int64_t id = IdAfter(p, "/story/"); id != 0) return StoryPage(call, id);
  }
  if (p == "/search") return SearchPage(call);
  if (p == "/about") return AboutPage(call);
  if (p == "/api/v1/stories") return ApiStories(call);
  if (p.starts_with("/api/v1/stories/")) {
    if (const std::int64_t id = IdAfter(p, "/api/v1/stories/"); id != 0) {
      return ApiStory(call, id);
    }
    call.route = "api_story";
    return ApiError(404, "no story at " + p);
  }
  if (p == "/api/v1/search") return ApiSearch(call);
  if (p == "/feed.atom") return AtomFeed(call);
  if (p == "/feed.json") return JsonFeed(call);
  if (p == "/healthz") return Healthz(call);
  if (p == "/metrics") return MetricsPage(call, metrics);
  if (p == "/static/site.css") return Css(call);
  call.route = "not_found";
  if (api) return ApiError(404, "no API route at " + p);
  return PageError(call, 404, "");
}

bool ETagMatches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

void Finalize(const Request& req, Response& r) {
  auto has = [&r](std::string_view name) { return !r.Header(name).empty(); };
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "strict-origin-when-cross-origin");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  if (r.content_type.starts_with("application/json") ||
      r.content_type.starts_with("application/feed+json")) {
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  }
  if (!has("Cache-Control")) {
    r.headers.emplace_back("Cache-Control", r.status < 400 ? "public, max-age=60" : "no-cache");
  }
  if (r.status != 200) return;
  // Text bodies of some size go gzip-compressed when the client allows it; the
  // compressed variant has its own ETag.
  const bool compressible =
      r.content_type.starts_with("text/") || r.content_type.starts_with("application/");
  const bool gzip =
      compressible && r.body.size() >= 1024 && AcceptsGzip(req.Header("accept-encoding"));
  r.headers.emplace_back(
      "Vary", r.content_type == kHtmlType ? "Accept-Language, Accept-Encoding" : "Accept-Encoding");
  const std::string hash = HexHash(r.body);
  std::string etag = "\"" + hash + (gzip ? "-gz" : "") + "\"";
  if (ETagMatches(req.Header("if-none-match"), etag)) {
    r.headers.emplace_back("ETag", etag);
    r.status = 304;
    r.body.clear();
    return;
  }
  if (gzip) {
    if (std::optional<std::string> z = Gzip(r.body)) {
      r.body = std::move(*z);
      r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
      etag = "\"" + hash + "\"";
    }
  }
  r.headers.emplace_back("ETag", etag);
}

}  // namespace

std::string Request::Header(std::string_view name) const {
  auto it = headers.find(AsciiLower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string Response::Header(std::string_view name) const {
  const std::string want = AsciiLower(name);
  for (const auto& [k, v] : headers) {
    if (AsciiLower(k) == want) return v;
  }
  return "";
}

std::vector<std::string> RecentSections(Store& store) {
  StoryListOptions options;
  options.limit = 100;
  auto stories = store.ListStories(options);
  if (!stories.ok()) return {};
  std::map<std::string, int> counts;
  for (const Story& s : *stories) {
    if (!s.section.empty()) ++counts[s.section];
  }
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (const auto& [section, n] : sorted) {
    if (out.size() == 8) break;
    out.push_back(section);
  }
  return out;
}

std::vector<std::string> SectionCache::Get(Store& store) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count() +
                           1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (computed_at_ != 0 && now - computed_at_ < 60) return sections_;
  }
  // Computed outside the lock: two threads may both refresh, which is harmless.
  std::vector<std::string> fresh = RecentSections(store);
  std::lock_guard<std::mutex> lock(mu_);
  sections_ = fresh;
  computed_at_ = now;
  return fresh;
}

void Metrics::Record(std::string_view route, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[{std::string(route), status}];
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [key, n] : counts_) {
    out += "newsdesk_http_requests_total{route=\"" + key.first + "\",code=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  return out;
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kInvalidInput:
      return 400;
    default:
      return 500;
  }
}

Response Handle(const Request& request, Store& store, const SiteOptions& site, Metrics* metrics) {
  std::string_view target = request.target;
  const size_t qmark = target.find('?');
  Call call{request, store, site, std::string(target.substr(0, qmark)),
            qmark == std::string_view::npos ? std::map<std::string, std::string>()
                                            : ParseQuery(target.substr(qmark + 1))};
  Response response;
  if (!call.path.starts_with('/')) {
    call.route = "bad_request";
    response = PageError(call, 400, "request target must start with '/'");
  } else {
    try {
      response = Dispatch(call, metrics);
    } catch (const std::exception& e) {
      // A throwing dependency (JSON, ICU, allocation) must not take the server down.
      call.route = call.route.empty() ? "error" : call.route;
      response = HtmlResponse(500, "internal error\n");
      response.content_type = "text/plain; charset=utf-8";
    }
  }
  Finalize(request, response);
  if (metrics != nullptr) metrics->Record(call.route, response.status);
  return response;
}

}  // namespace nd::web
