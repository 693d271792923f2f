// JSON renderers for /api/v1 and the syndication feeds (Atom 1.0, JSON Feed 1.1). They
// take data already read from the store. Private to src/web.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "store/store.h"
#include "web/pages.h"

namespace nd::web {

// Absolute URL prefix ("http://host:8080") for links in API bodies and feeds; empty in a
// static export, where links stay relative to the site root.
struct UrlBase {
  std::string origin;                      // "http://example.org" or ""
  std::string tag_authority = "newsdesk";  // host name for tag: URIs
  Links links = Links::Server();           // root-relative (server) or file links (static)

  std::string Story(std::int64_t id, std::string_view lang) const {
    return origin + links.Story(id, lang);
  }
};

// One entry of /api/v1/stories.
nlohmann::json StorySummaryJson(const Story& story, std::string_view lang, const UrlBase& base);

// /api/v1/stories body.
nlohmann::json StoriesJson(const std::vector<Story>& stories, std::string_view lang, int offset,
                           int limit, std::int64_t total, const UrlBase& base);

// /api/v1/stories/{id} body. `data` as for the story page.
nlohmann::json StoryJson(const StoryPageData& data, std::string_view lang, const UrlBase& base);

// /api/v1/search body.
nlohmann::json SearchJson(std::string_view query, const std::vector<SearchItem>& items,
                          std::string_view lang);

// Atom 1.0 document for `stories` (newest first) in `lang`.
// `section` (may be empty) names the section the feed is for.
std::string RenderAtom(const std::vector<Story>& stories, std::string_view lang,
                       std::string_view site_title, const UrlBase& base,
                       std::string_view section = "");

// JSON Feed 1.1 document.
std::string RenderJsonFeed(const std::vector<Story>& stories, std::string_view lang,
                           std::string_view site_title, const UrlBase& base,
                           std::string_view section = "");

// Sources API (POST, PATCH /api/v1/sources[/{id}]): sets on `source` the fields the JSON
// object `body` carries: title, kind ("feed" or "page"), section, lang (strings; null or
// absent leaves the field as it is) and interval (a duration "15m", "1h30m", or seconds;
// 10 s to 10 years). Errors (InvalidInput) name the field and the reason; `source` is then
// unchanged.
Status ApplySourceFields(const nlohmann::json& body, Source* source);

}  // namespace nd::web
