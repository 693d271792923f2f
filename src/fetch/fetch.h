// fetch: URL -> bytes + headers, and bytes -> UTF-8.
//
// Fetcher is the network seam: the app uses the libcurl implementation, tests may pass a
// fake. It fetches http, https and file:// URLs with timeouts, a size cap, a redirect cap
// and conditional GET. DecodeToUtf8 turns fetched bytes into UTF-8 with ICU, choosing the
// charset from the HTTP Content-Type, then a BOM, then <meta charset>/http-equiv, then
// ICU's detector (GBK, GB18030, Big5, Shift_JIS, EUC-KR, Windows-125x included).
//
// Thread-safety: a Fetcher may be used from one thread at a time; DecodeToUtf8 is pure.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace nd::fetch {

struct FetchOptions {
  long connect_timeout_ms = 10'000;
  long total_timeout_ms = 30'000;
  std::size_t max_bytes = 16u << 20;  // body cap, after decompression
  int max_redirects = 5;
  std::string user_agent = "newsdesk/0.1 (+https://github.com/newsdesk)";
  bool allow_file = true;  // file:// URLs (only for sources the operator names)
  // CIDR ranges that may be fetched although private/loopback ("127.0.0.0/8").
  std::vector<std::string> allow_networks;
  // Conditional GET validators from the previous fetch; empty for none.
  std::string etag;
  std::string last_modified;
};

struct FetchResponse {
  std::string url;  // final URL after redirects
  long status = 0;  // HTTP status; 200 for file://
  std::string content_type;  // header value as sent, may be empty
  std::string body;          // raw bytes (not yet decoded)
  std::string etag;
  std::string last_modified;
  bool not_modified = false;  // 304: body is empty
  std::string tdm_reservation;  // "tdm-reservation" header ("1": mining rights reserved)
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Non-2xx HTTP statuses (other than 304) are errors naming the URL and the status.
  virtual Result<FetchResponse> Fetch(const std::string& url, const FetchOptions& options) = 0;
};

// libcurl-backed fetcher. REQUIRES: curl_global_init done (NewCurlFetcher does it once).
std::unique_ptr<Fetcher> NewCurlFetcher();

// Converts `bytes` to UTF-8. `content_type` is the HTTP header value (may be empty);
// `is_html` enables <meta> sniffing. Invalid sequences become U+FFFD.
// Returns the decoded text; `charset_out`, if given, receives the charset used.
std::string DecodeToUtf8(std::string_view bytes, std::string_view content_type, bool is_html,
                         std::string* charset_out = nullptr);

// Reads a local file (no size cap beyond `max_bytes`). Errors name the path.
Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes = 64u << 20);

}  // namespace nd::fetch
