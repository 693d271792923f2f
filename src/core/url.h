// URL helpers shared by the stages: resolving a link against its page, normalising a URL
// for deduplication, and telling schemes apart. Built on libcurl's URL API (CURLU), so
// parsing follows the same rules as fetching.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace nd {

// Resolves `ref` against `base` (RFC 3986). Returns `ref` unchanged when it is already
// absolute, and an empty string when neither can be parsed.
std::string ResolveUrl(std::string_view base, std::string_view ref);

// A normal form for "is this the same page": lower-case scheme and host, default port
// dropped, fragment dropped, utm_* / fbclid / gclid tracking parameters dropped.
// Returns the input unchanged when it cannot be parsed.
std::string NormalizeUrl(std::string_view url);

// "http", "https", "file", ... lower-case; empty when there is none.
std::string UrlScheme(std::string_view url);

// Host part, lower-case; empty for file:// or unparsable input.
std::string UrlHost(std::string_view url);

// Converts a local path (absolute or relative to the working directory) to a file:// URL.
std::string FileUrlFromPath(std::string_view path);

}  // namespace nd
