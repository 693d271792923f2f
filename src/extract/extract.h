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

// REQUIRES: `html` is UTF-8 (decode with fetch::DecodeToUtf8 first); invalid byte
// sequences are replaced with U+FFFD rather than rejected, and <meta charset> is ignored.
// `url` is where the page came from (used to resolve links; may be empty).
//
// Errors name `url` and the reason: empty input and binary data (a NUL byte, or mostly
// control characters) are kInvalidInput; input over 50 MB is kTooLarge; a page with neither
// body text nor a title is kParseError "<url>: no article text found: <reason>". A page
// with a title but no body text (a live page, an app shell) returns the Article with empty
// blocks and `reason` saying what the page has instead ("no article body found (page has
// 3 short paragraphs, 80% link text, 240 bytes of text)"); `reason` is "" otherwise.
// Nesting deeper than libxml2's depth limit stops the parse there; what came before is
// used (100,000 nested <div>s: under a second). Text nodes and attributes may be huge
// (XML_PARSE_HUGE), so a page whose bulk is an inline script still yields its article.
//
// Bounds: time is linear in the input (about 5 MB/s on element-dense pages on one core,
// Release; 50 MB of short paragraphs took about 10 s); peak memory is about 15 times the
// input for element-dense pages (the libxml2 tree plus our node index: 50 MB of short
// paragraphs peaked at about 680 MB) and a little over the input size for text-heavy
// ones. Callers bound both through the 50 MB input cap (fetch caps decoded bytes
// earlier still).
//
// Fields: metadata from JSON-LD first, then OpenGraph/<meta>, then the DOM (<time>, a
// date written in the byline area; such a date on a Chinese page without a zone is taken
// as UTC+8). `lang` comes from text::DetectLanguage over the title and body with the
// page's tag as the hint. `content_hash`, `fetched`, ids and `section` are left empty/0.
// When JSON-LD articleBody is more than twice as long as the DOM body (a paywall teaser),
// it becomes the body. Dropped from the body: hidden elements, elements whose class/id/tag
// mark them as navigation, share/newsletter/cookie boxes, comments, related lists, ads,
// captions and pull quotes (class pullquote / pull-quote), hover cards (tooltip, popover,
// rollover blocks), and short teaser/boilerplate lines ("Read more", "Share this").
Result<Article> ExtractArticle(std::string_view html, std::string_view url);

}  // namespace nd::extract
