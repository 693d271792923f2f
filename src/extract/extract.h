// extract: HTML -> Article. The main text as ordered blocks (paragraphs, subheadings, list
// items, quotes, table rows) and the metadata: title, byline, published/updated time,
// language, canonical URL, site name, lead image, paywall flag. JSON-LD, OpenGraph and
// <meta> come first; the body is found by scoring the DOM (libxml2's HTML parser).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"

namespace nd::extract {

// REQUIRES: `html` is UTF-8 (decode with fetch::DecodeToUtf8 first).
// `url` is where the page came from (used to resolve links; may be empty).
// An unparsable input or a page with no article text is an error naming `url` and saying
// why; a page with metadata but no body returns the Article with empty blocks.
Result<Article> ExtractArticle(std::string_view html, std::string_view url);

}  // namespace nd::extract
