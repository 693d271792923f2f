// feeds: bytes -> feed items. RSS 0.9x/1.0/2.0, Atom and JSON Feed, OPML import, and feed
// discovery in HTML pages. XML is parsed with libxml2 in recover mode, so feeds with
// small errors (unescaped &, bad entities) still yield their items.
//
// Thread-safety: pure functions.
#pragma once

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

// True when the bytes look like a feed rather than HTML.
bool LooksLikeFeed(std::string_view utf8);

}  // namespace nd::feeds
