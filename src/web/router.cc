#include "web/router.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/metrics.h"
#include "core/time.h"
#include "feeds/feeds.h"
#include "web/api.h"
#include "web/escape.h"
#include "web/gzip.h"
#include "web/i18n.h"
#include "web/openapi.h"
#include "web/pages.h"
#include "web/search_page.h"
#include "web/site_css.h"
#include "web/web.h"

namespace nd::web {
namespace {

using nlohmann::json;

constexpr const char* kHtmlType = "text/html; charset=utf-8";
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr const char* kCsp =
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; "
    "frame-ancestors 'none'";
constexpr int kFrontPageSize = 30;
// The top page picks its lead, most-covered list and section blocks from this many.
constexpr int kTopPageScan = 60;
constexpr int kStaticFrontPageSize = 1000;
constexpr int kFeedSize = 50;
constexpr int kSearchLimit = 20;
constexpr int kMaxRelated = 6;
constexpr int kMaxVersions = 20;  // per language, newest first

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
  std::vector<std::string> sections = call.site.sections != nullptr
                                          ? call.site.sections->Get(call.store)
                                          : RecentSections(call.store);
  if (call.site.static_export) {
    // Static section pages exist only for keys that are safe as file names.
    std::erase_if(sections, [](const std::string& k) { return !Links::IsFileSafe(k); });
  }
  return sections;
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

Result<StoryPageData> LoadStory(Store& store, std::int64_t id, SectionCache* cache) {
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
  // So are the story this one follows up and the stories that follow it up.
  if (data.story.follows != 0 && data.story.follows != id) {
    auto followed = store.GetStory(data.story.follows);
    if (followed.ok() && followed->has_value()) data.follows = std::move(**followed);
  }
  // Versions too: a page without them still shows the current text.
  for (const StoryText& t : data.story.texts) {
    auto versions = store.StoryTextVersions(id, t.lang, kMaxVersions);
    if (versions.ok()) data.versions[t.lang] = std::move(*versions);
  }
  const std::vector<std::int64_t> follow_ups =
      cache != nullptr ? cache->FollowUps(store, id) : RecentFollowUps(store, id);
  for (const std::int64_t fid : follow_ups) {
    if (static_cast<int>(data.follow_ups.size()) == kMaxRelated) break;
    auto f = store.GetStory(fid);
    if (f.ok() && f->has_value()) data.follow_ups.push_back(std::move(**f));
  }
  return data;
}

// A ?since= / ?until= value: YYYY-MM-DD, ISO 8601, or Unix seconds; 0 when empty.
Result<UnixTime> TimeParam(const Call& call, const std::string& name) {
  const std::string v = call.Param(name);
  if (v.empty()) return UnixTime{0};
  UnixTime t = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), t);
  if (ec == std::errc() && ptr == v.data() + v.size() && t > 0) return t;
  t = ParseDateTime(v);
  if (t <= 0) {
    return Status::InvalidInput(name + ": not a date (YYYY-MM-DD, ISO 8601 or Unix seconds): '" +
                                v + "'");
  }
  return t;
}

struct StoryFilter {
  std::string section;
  std::string story_lang;  // en, zh-Hans, zh-Hant, zh (either script); empty: any
  UnixTime since = 0;
  UnixTime until = 0;
};

struct StoryPage {
  std::vector<Story> stories;
  std::int64_t total = 0;
};

// Stories matching `filter`, newest first, from `offset`, and how many match: the store
// filters, pages and counts.
Result<StoryPage> FilteredStories(Store& store, const StoryFilter& filter, int offset, int limit) {
  StoryPage page;
  StoryListOptions options;
  options.offset = offset;
  options.limit = limit;
  options.section = filter.section;
  options.lang = filter.story_lang;
  options.since = filter.since;
  options.until = filter.until;
  auto stories = store.ListStories(options);
  if (!stories.ok()) return stories.status();
  auto total = store.CountListedStories(options);
  if (!total.ok()) return total.status();
  page.stories = std::move(*stories);
  page.total = *total;
  return page;
}

// Runs a search (one more result than shown, to know whether there are more) and loads the
// stories of the hits: a story hit needs its texts for the reader's language; an article
// hit carries its own title and snippet.
Result<std::vector<SearchItem>> RunSearch(Store& store, const SearchOptions& options,
                                          bool* has_more) {
  SearchOptions one_more = options;
  one_more.limit = options.limit + 1;
  auto hits = store.Search(one_more);
  if (!hits.ok()) return hits.status();
  *has_more = static_cast<int>(hits->size()) > options.limit;
  if (*has_more) hits->resize(options.limit);
  std::vector<SearchItem> items;
  for (SearchHit& hit : *hits) {
    Story story;
    if (hit.article_id == 0) {
      auto loaded = store.GetStory(hit.story_id);
      if (!loaded.ok()) return loaded.status();
      if (!loaded->has_value()) continue;
      story = std::move(**loaded);
    }
    items.push_back(SearchItem{std::move(story), std::move(hit)});
  }
  return items;
}

// --- Route handlers ----------------------------------------------------------------------

Response FrontPage(Call& call) {
  call.route = "front";
  const std::string lang = call.PageLang();
  const std::string section = call.Param("section");
  auto offset = IntParam(call, "offset", 0, 0, 1000000);
  if (!offset.ok()) return PageError(call, offset.status());
  int page_size = call.site.static_export ? kStaticFrontPageSize : kFrontPageSize;
  if (section.empty() && *offset == 0 && !call.site.static_export) page_size = kTopPageScan;
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
  auto data = LoadStory(call.store, id, call.site.sections);
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
  auto form = ParseSearchForm([&call](const std::string& name) { return call.Param(name); });
  if (!form.ok()) return PageError(call, form.status());
  std::vector<SearchItem> items;
  bool has_more = false;
  if (!form->q.empty()) {
    auto found = RunSearch(call.store, SearchOptionsFor(*form, kSearchLimit), &has_more);
    if (!found.ok()) return PageError(call, found.status());
    items = std::move(*found);
  }
  auto sources = call.store.ListSources();
  if (!sources.ok()) return PageError(call, sources.status());
  const std::string query = form->q.empty() ? "" : "&" + SearchFormQuery(*form);
  PageContext ctx = MakePageContext(call, lang, [query](std::string_view l) {
    return "/search?lang=" + UrlEncode(l) + query;
  });
  return HtmlResponse(200, RenderSearchDocument(ctx, form->q,
                                                RenderSearchMain(ctx, *form, items, *sources,
                                                                 ctx.sections, has_more)));
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
  StoryFilter filter;
  filter.section = call.Param("section");
  filter.story_lang = call.Param("story_lang");
  if (!filter.story_lang.empty() && filter.story_lang != "zh") {
    filter.story_lang = CanonicalPageLang(filter.story_lang);
    if (filter.story_lang.empty()) {
      return ApiError(Status::InvalidInput("story_lang: not en, zh-Hans, zh-Hant or zh: '" +
                                           call.Param("story_lang") + "'"));
    }
  }
  auto since = TimeParam(call, "since");
  if (!since.ok()) return ApiError(since.status());
  auto until = TimeParam(call, "until");
  if (!until.ok()) return ApiError(until.status());
  filter.since = *since;
  filter.until = *until;
  auto page = FilteredStories(call.store, filter, *offset, *limit);
  if (!page.ok()) return ApiError(page.status());
  const UrlBase base = MakeUrlBase(call);
  json body = StoriesJson(page->stories, call.ApiLang(), *offset, *limit, page->total, base);
  if (*offset + static_cast<std::int64_t>(page->stories.size()) < page->total &&
      !call.site.static_export) {
    // The same query with the next offset.
    std::string next = "/api/v1/stories?offset=" + std::to_string(*offset + *limit) +
                       "&limit=" + std::to_string(*limit);
    for (const char* key : {"lang", "section", "story_lang", "since", "until"}) {
      const std::string v = call.Param(key);
      if (!v.empty()) next += std::string("&") + key + "=" + UrlEncode(v);
    }
    body["next"] = base.origin + next;
  }
  return JsonResponse(200, body);
}

// The sources newsdesk reads, with their poll state.
json SourceJson(const Source& src) {
  return json{{"id", src.id},
              {"url", src.url},
              {"title", src.title},
              {"kind", src.kind},
              {"section", src.section},
              {"lang", src.lang},
              {"last_fetch", FormatIso8601(src.last_fetch)},
              {"last_error", src.last_error},
              {"articles_taken", src.articles_taken},
              {"interval_s", src.interval_s},
              {"failures", src.failures},
              {"next_poll", src.next_poll == 0 ? "" : FormatIso8601(src.next_poll)},
              {"access", src.access}};
}

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char ca = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char cb = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= ca ^ cb;
  }
  return diff == 0;
}

// Null when the request carries the configured bearer token, else the error response.
std::optional<Response> CheckToken(const Call& call) {
  if (call.site.api_token.empty()) {
    return ApiError(403, "API writes are disabled: set [server] api_token_env in newsdesk.toml");
  }
  std::string auth = call.req.Header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  if (auth.size() <= kBearer.size() || AsciiLower(auth.substr(0, kBearer.size())) != kBearer ||
      !ConstantTimeEquals(std::string_view(auth).substr(kBearer.size()), call.site.api_token)) {
    Response r = ApiError(401, "missing or wrong bearer token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"newsdesk\"");
    return r;
  }
  return std::nullopt;
}

Response ApiSources(Call& call) {
  call.route = "api_sources";
  auto sources = call.store.ListSources();
  if (!sources.ok()) return ApiError(sources.status());
  json list = json::array();
  for (const Source& src : *sources) list.push_back(SourceJson(src));
  Response r = JsonResponse(200, json{{"sources", std::move(list)}});
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

Response ApiAddSource(Call& call) {
  call.route = "api_sources_write";
  if (auto denied = CheckToken(call)) return *denied;
  json body = json::parse(call.req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return ApiError(400, "request body: not a JSON object");
  Source src;
  src.kind = "feed";
  if (auto url = body.find("url"); url != body.end() && url->is_string()) {
    src.url = url->get<std::string>();
  } else if (url != body.end() && !url->is_null()) {
    return ApiError(400, "url: must be a string");
  }
  if (!(src.url.starts_with("http://") || src.url.starts_with("https://")) ||
      src.url.size() > 2048) {
    return ApiError(
        400, "url: must be an http(s) URL of at most 2048 bytes: '" + src.url.substr(0, 200) + "'");
  }
  // title, kind, section, lang, interval ("15m" or seconds).
  if (Status st = ApplySourceFields(body, &src); !st.ok()) return ApiError(st);
  auto id = call.store.UpsertSource(src);
  if (!id.ok()) return ApiError(id.status());
  auto sources = call.store.ListSources();
  if (!sources.ok()) return ApiError(sources.status());
  for (const Source& stored : *sources) {
    if (stored.id == *id) {
      Response r = JsonResponse(201, SourceJson(stored));
      r.headers.emplace_back("Location", "/api/v1/sources/" + std::to_string(*id));
      r.headers.emplace_back("Cache-Control", "no-store");
      return r;
    }
  }
  return ApiError(500, "internal error");
}

// PATCH /api/v1/sources/{id}: a JSON object with any of title, kind, section, lang and
// interval; the other fields stay.
Response ApiPatchSource(Call& call, std::int64_t id) {
  call.route = "api_sources_write";
  if (auto denied = CheckToken(call)) return *denied;
  json body = json::parse(call.req.body, nullptr, /*allow_exceptions=*/false);
  auto sources = call.store.ListSources();
  if (!sources.ok()) return ApiError(sources.status());
  auto it = std::find_if(sources->begin(), sources->end(),
                         [id](const Source& s) { return s.id == id; });
  if (it == sources->end()) return ApiError(404, "source " + std::to_string(id) + ": not found");
  Source src = *it;
  if (Status st = ApplySourceFields(body, &src); !st.ok()) return ApiError(st);
  auto stored = call.store.UpsertSource(src);
  if (!stored.ok()) return ApiError(stored.status());
  Response r = JsonResponse(200, SourceJson(src));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// GET /api/v1/sources.opml: the sources as OPML 2.0, for other feed readers.
Response ApiSourcesOpml(Call& call) {
  call.route = "api_sources";
  auto sources = call.store.ListSources();
  if (!sources.ok()) return ApiError(sources.status());
  Response r;
  r.content_type = "text/x-opml; charset=utf-8";
  r.body = feeds::WriteOpml(*sources, call.site.title + " sources");
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"sources.opml\"");
  return r;
}

// POST /api/v1/sources/import: an OPML body, stored all or nothing (read and checked whole
// first; a bad list is a 400 naming the line and the reason, and nothing is stored).
Response ApiImportSources(Call& call) {
  call.route = "api_sources_write";
  if (auto denied = CheckToken(call)) return *denied;
  auto parsed = feeds::ReadOpmlSources(call.req.body, "request body", /*allow_file=*/false);
  if (!parsed.ok()) return ApiError(400, parsed.status().message());
  auto imported = ImportSources(call.store, *parsed);
  if (!imported.ok()) return ApiError(imported.status());
  Response r = JsonResponse(200, json{{"added", imported->added}, {"updated", imported->updated}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response ApiRemoveSource(Call& call, std::int64_t id) {
  call.route = "api_sources_write";
  if (auto denied = CheckToken(call)) return *denied;
  Status s = call.store.RemoveSource(id);
  if (!s.ok()) return ApiError(s);
  Response r;
  r.status = 204;
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response OpenApi(Call& call) {
  call.route = "api_openapi";
  Response r;
  r.content_type = kJsonType;
  r.body = std::string(OpenApiJson());
  return r;
}

Response SourcesPage(Call& call) {
  call.route = "sources";
  const std::string lang = call.PageLang();
  auto sources = call.store.ListSources();
  if (!sources.ok()) return PageError(call, sources.status());
  Links links = call.MakeLinks();
  PageContext ctx =
      MakePageContext(call, lang, [links](std::string_view l) { return links.Sources(l); });
  return HtmlResponse(200, RenderSourcesPage(ctx, *sources));
}

Response ApiStory(Call& call, std::int64_t id) {
  call.route = "api_story";
  auto data = LoadStory(call.store, id, call.site.sections);
  if (!data.ok()) return ApiError(data.status());
  return JsonResponse(200, StoryJson(*data, call.ApiLang(), MakeUrlBase(call)));
}

Response ApiSearch(Call& call) {
  call.route = "api_search";
  auto form = ParseSearchForm([&call](const std::string& name) { return call.Param(name); });
  if (!form.ok()) return ApiError(form.status());
  if (form->q.empty()) return ApiError(Status::InvalidInput("q: missing search query"));
  auto limit = IntParam(call, "limit", kSearchLimit, 1, 100);
  if (!limit.ok()) return ApiError(limit.status());
  bool has_more = false;
  auto found = RunSearch(call.store, SearchOptionsFor(*form, *limit), &has_more);
  if (!found.ok()) return ApiError(found.status());
  json body = SearchJson(form->q, *found, call.ApiLang());
  body["offset"] = form->offset;
  body["has_more"] = has_more;
  return JsonResponse(200, body);
}

Result<std::vector<Story>> FeedStories(Store& store, const std::string& section) {
  StoryListOptions options;
  options.limit = kFeedSize;
  options.section = section;
  return store.ListStories(options);
}

Response AtomFeed(Call& call) {
  call.route = "feed_atom";
  const std::string section = call.Param("section");
  auto stories = FeedStories(call.store, section);
  if (!stories.ok()) return PageError(call, stories.status());
  Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = RenderAtom(*stories, call.ApiLang(), call.site.title, MakeUrlBase(call), section);
  return r;
}

Response JsonFeed(Call& call) {
  call.route = "feed_json";
  const std::string section = call.Param("section");
  auto stories = FeedStories(call.store, section);
  if (!stories.ok()) return ApiError(stories.status());
  Response r;
  r.content_type = "application/feed+json; charset=utf-8";
  r.body = RenderJsonFeed(*stories, call.ApiLang(), call.site.title, MakeUrlBase(call), section);
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

// Queue depths read from the store at scrape time: articles waiting to be processed and
// sources by state (failing: the last poll failed).
std::string QueueGauges(Store& store) {
  std::string body;
  if (auto pending = store.CountPendingArticles(); pending.ok()) {
    body += "# HELP newsdesk_pending_articles Articles stored but not yet processed.\n";
    body += "# TYPE newsdesk_pending_articles gauge\n";
    body += "newsdesk_pending_articles " + std::to_string(*pending) + "\n";
  }
  if (auto sources = store.ListSources(); sources.ok()) {
    std::int64_t failing = 0;
    for (const Source& s : *sources) failing += s.last_error.empty() ? 0 : 1;
    body += "# HELP newsdesk_sources Sources by the state of their last poll.\n";
    body += "# TYPE newsdesk_sources gauge\n";
    body += "newsdesk_sources{state=\"ok\"} " +
            std::to_string(static_cast<std::int64_t>(sources->size()) - failing) + "\n";
    body += "newsdesk_sources{state=\"failing\"} " + std::to_string(failing) + "\n";
    // Feed sources whose next poll time has come (never scheduled counts as due).
    const UnixTime now = SystemClock().Now();
    std::int64_t due = 0;
    for (const Source& s : *sources) due += s.kind == "feed" && s.next_poll <= now ? 1 : 0;
    body += "# HELP newsdesk_sources_due Feed sources due for a poll now.\n";
    body += "# TYPE newsdesk_sources_due gauge\n";
    body += "newsdesk_sources_due " + std::to_string(due) + "\n";
  }
  return body;
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
  body += QueueGauges(call.store);
  // What this process counted (fetches, articles stored, LLM calls, request latencies...).
  body += metrics::Global().Render();
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

Response Favicon(Call& call) {
  call.route = "static";
  Response r;
  r.content_type = "image/svg+xml";
  r.body = std::string(FaviconSvg());
  r.headers.emplace_back("Cache-Control", "public, max-age=86400");
  return r;
}

Response Dispatch(Call& call, Metrics* metrics) {
  const std::string& p = call.path;
  const bool api = p.starts_with("/api/");
  const std::string& method = call.req.method;
  if (p == "/api/v1/sources" && method == "POST") return ApiAddSource(call);
  if (p == "/api/v1/sources/import" && method == "POST") return ApiImportSources(call);
  if (p.starts_with("/api/v1/sources/") && method == "DELETE") {
    if (const std::int64_t id = IdAfter(p, "/api/v1/sources/"); id != 0) {
      return ApiRemoveSource(call, id);
    }
  }
  if (p.starts_with("/api/v1/sources/") && method == "PATCH") {
    if (const std::int64_t id = IdAfter(p, "/api/v1/sources/"); id != 0) {
      return ApiPatchSource(call, id);
    }
  }
  if (method != "GET" && method != "HEAD") {
    call.route = "method_not_allowed";
    Response r = api ? ApiError(405, "method not allowed: " + method) : PageError(call, 405, "");
    r.headers.emplace_back("Allow", p == "/api/v1/sources"              ? "GET, HEAD, POST"
                                    : p == "/api/v1/sources/import"     ? "POST"
                                    : p.starts_with("/api/v1/sources/") ? "DELETE, PATCH"
                                                                        : "GET, HEAD");
    return r;
  }
  if (p == "/" || p == "/index.html") return FrontPage(call);
  if (p.starts_with("/story/")) {
    if (const std::int64_t id = IdAfter(p, "/story/"); id != 0) return StoryPage(call, id);
  }
  if (p == "/search") return SearchPage(call);
  if (p == "/about") return AboutPage(call);
  if (p == "/sources") return SourcesPage(call);
  if (p == "/api/v1/openapi.json") return OpenApi(call);
  if (p == "/api/v1/sources") return ApiSources(call);
  if (p == "/api/v1/sources.opml") return ApiSourcesOpml(call);
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
  if (p == "/static/favicon.svg" || p == "/favicon.ico") return Favicon(call);
  call.route = "not_found";
  if (api) return ApiError(404, "no API route at " + p);
  return PageError(call, 404, "");
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

std::vector<std::int64_t> RecentFollowUps(Store& store, std::int64_t id, int scan) {
  StoryListOptions options;
  options.limit = scan;
  auto stories = store.ListStories(options);
  std::vector<std::int64_t> out;
  if (!stories.ok()) return out;
  for (const Story& s : *stories) {
    if (s.follows == id && s.id != id) out.push_back(s.id);
  }
  return out;
}

std::vector<std::int64_t> SectionCache::FollowUps(Store& store, std::int64_t id) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count() +
                           1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (follow_ups_at_ != 0 && now - follow_ups_at_ < 60) {
      auto it = follow_ups_.find(id);
      return it == follow_ups_.end() ? std::vector<std::int64_t>() : it->second;
    }
  }
  StoryListOptions options;
  options.limit = 500;
  auto stories = store.ListStories(options);
  std::map<std::int64_t, std::vector<std::int64_t>> fresh;
  if (stories.ok()) {
    for (const Story& s : *stories) {
      if (s.follows != 0 && s.follows != s.id) fresh[s.follows].push_back(s.id);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  follow_ups_ = std::move(fresh);
  follow_ups_at_ = now;
  auto it = follow_ups_.find(id);
  return it == follow_ups_.end() ? std::vector<std::int64_t>() : it->second;
}

void Metrics::Record(std::string_view route, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[{std::string(route), status}];
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [key, n] : counts_) {
    out += "newsdesk_http_requests_total{route=\"" + metrics::EscapeLabelValue(key.first) +
           "\",code=\"" +
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
  response.route = call.route;
  if (metrics != nullptr) metrics->Record(call.route, response.status);
  return response;
}

Response ResponseCache::Handle(const Request& request, Store& store, const SiteOptions& site,
                               Metrics* metrics, std::uint64_t generation) {
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (!get) return web::Handle(request, store, site, metrics);
  std::string key = request.target;
  key += '\n';
  key += request.Header("host");
  key += '\n';
  key += request.Header("x-forwarded-proto");
  key += '\n';
  key += request.Header("accept-language");
  key += AcceptsGzip(request.Header("accept-encoding")) ? "\ngz" : "\n";
  std::shared_ptr<const Response> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_) {
      entries_.clear();
      bytes_ = 0;
      generation_ = generation;
    }
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      entry = it->second;
      ++hits_;
    } else {
      ++misses_;
    }
  }
  if (entry == nullptr) {
    Request plain = request;
    plain.headers.erase("if-none-match");
    Response fresh = web::Handle(plain, store, site, nullptr);
    const bool keep = fresh.status == 200 && fresh.route != "healthz" && fresh.route != "metrics" &&
                      fresh.route != "api_sources" && fresh.route != "api_sources_write";
    entry = std::make_shared<const Response>(std::move(fresh));
    if (keep) {
      const std::size_t size = entry->body.size() + key.size() + 512;
      std::lock_guard<std::mutex> lock(mu_);
      if (generation == generation_) {
        if (bytes_ + size > max_bytes_) {
          entries_.clear();
          bytes_ = 0;
        }
        if (entries_.emplace(key, entry).second) bytes_ += size;
      }
    }
  }
  Response out = *entry;
  if (out.status == 200 && ETagMatches(request.Header("if-none-match"), out.Header("etag"))) {
    out.status = 304;
    out.body.clear();
    std::erase_if(out.headers,
                  [](const auto& h) { return AsciiLower(h.first) == "content-encoding"; });
  }
  if (metrics != nullptr) metrics->Record(out.route, out.status);
  return out;
}

std::uint64_t ResponseCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

std::uint64_t ResponseCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace nd::web
