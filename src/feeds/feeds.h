// feeds: bytes -> feed items. RSS 0.9x/1.0/2.0, Atom and JSON Feed, OPML import, and feed
// discovery in HTML pages. XML is parsed with libxml2 in recover mode, so feeds with
// small errors (unescaped &, bad entities) still yield their items.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace nd::feeds {

// Parses a feed. `base_url` is the URL the feed was fetched from; relative links are
// resolved against it (and against xml:base in Atom). Errors name `base_url` and say why
// ("not a feed: root element <html>").
Result<Feed> ParseFeed(std::string_view utf8, std::string_view base_url);

// Parses an OPML subscription list; outlines with xmlUrl, nested categories flattened
// (the enclosing outline's text becomes the category when no category attribute is set).
Result<std::vector<OpmlOutline>> ParseOpml(std::string_view utf8, std::string_view base_url);

// Writes OPML 2.0 for the given sources.
std::string WriteOpml(const std::vector<Source>& sources, std::string_view title);

// Feed URLs an HTML page advertises (<link rel="alternate" type="application/rss+xml" ...>),
// absolute.
std::vector<std::string> DiscoverFeeds(std::string_view html_utf8, std::string_view base_url);

// Reads an OPML subscription list for an import that must be all or nothing: the XML must
// be well-formed (after the entity repairs ParseOpml also makes: a bare '&', HTML named
// entities) and every subscription must carry a usable URL, else nothing is returned.
// Feeds are outlines with xmlUrl (kind "feed"); pages are type="link" outlines with url
// (kind "page", as WriteOpml writes them). section = the category attribute's first path,
// else the enclosing folder outline's text; lang = the language attribute; interval_s =
// the pollInterval attribute (a duration, as ParseDuration reads it) when present.
// Relative URLs resolve against `base_url`. URLs must be http(s), or file:// when
// `allow_file`. Errors name `base_url`, the line and the reason.
Result<std::vector<Source>> ReadOpmlSources(std::string_view utf8, std::string_view base_url,
                                            bool allow_file);

// A document fetched for discovery: the final URL (after redirects) and the body as UTF-8.
struct FetchedText {
  std::string url;
  std::string text;
};
using FetchText = std::function<Result<FetchedText>(const std::string& url)>;

// What a URL the operator adds stands for.
struct FeedDiscovery {
  std::string url;    // the feed's URL; the URL itself when kind is "page"
  std::string kind;   // "feed" or "page"
  std::string title;  // the feed's title, or the page's <title>; may be empty
  std::string how;    // for the operator: "the URL is a feed", "found at /feed", ...
};

// Fetches `url` through `fetch`: a feed is taken as it is; a page's advertised feeds
// (<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">, relative hrefs
// resolved) are tried in order, then /feed, /rss.xml, /atom.xml and /feed.json on the
// page's own host; a candidate counts only when it fetches and parses as a feed. When none
// does, the URL is kept as a "page" source. Errors: `url` cannot be fetched, or it looks
// like a feed but does not parse (the fetcher's or parser's message, naming the URL).
Result<FeedDiscovery> DiscoverFeed(const std::string& url, const FetchText& fetch);

// True when the bytes look like a feed rather than HTML.
bool LooksLikeFeed(std::string_view utf8);

}  // namespace nd::feeds
