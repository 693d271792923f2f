// Escaping and URL helpers for the web stage: the one HTML/XML escaper every renderer
// uses, the href filter that lets only http/https links through, and query-string
// encoding. Private to src/web.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace nd::web {

// Escapes text for HTML and XML, in element content and in double-quoted attribute values
// (every attribute newsdesk writes is double-quoted): & < > " become entities, while '
// stays as it is so text reads the same in the page source; C0 control characters other than tab,
// LF and CR are dropped (XML 1.0 forbids them) and invalid UTF-8 becomes U+FFFD.
std::string Escape(std::string_view text);

// An href value for a link taken from a source: the escaped URL when its scheme is http
// or https, otherwise "#". Leading whitespace and control characters are ignored when
// the scheme is checked, as browsers ignore them.
std::string SafeHref(std::string_view url);

// True when `url` has an http or https scheme (case-insensitive).
bool IsHttpUrl(std::string_view url);

// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string UrlEncode(std::string_view text);

// Decodes %XX and '+' (query-string form). Malformed escapes are kept as written.
std::string UrlDecode(std::string_view text);

// Parses "a=1&b=x+y" into decoded pairs; the first occurrence of a key wins.
std::map<std::string, std::string> ParseQuery(std::string_view query);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view text);

}  // namespace nd::web
