// gzip compression of response bodies (zlib). Private to src/web.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nd::web {

// `data` as a gzip member (RFC 1952); nullopt if zlib fails.
std::optional<std::string> Gzip(std::string_view data);

// True when an Accept-Encoding header value allows gzip (and does not set q=0 for it).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace nd::web
