// The libcurl Fetcher, file:// reads, and ReadFile.

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "core/url.h"
#include "fetch/fetch.h"
#include "fetch/net_policy.h"

namespace nd::fetch {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurluDeleter {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};

// Per-transfer state the callbacks see.
struct Transfer {
  const NetPolicy* policy = nullptr;
  std::size_t max_bytes = 0;
  std::string body;
  bool too_large = false;
  std::string refused_address;  // set when the policy refused a connection
};

std::size_t OnWrite(char* data, std::size_t size, std::size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * nmemb;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

// Runs before every connection curl makes (first request, redirects, happy-eyeballs
// attempts), on the address actually about to be connected to, so DNS tricks and
// redirects to internal hosts are caught alike.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const auto* sa = reinterpret_cast<const sockaddr*>(&address->addr);
  if (!t->policy->Allows(sa)) {
    t->refused_address = NetPolicy::AddressString(sa);
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::string LastHeader(CURL* h, const char* name) {
  curl_header* header = nullptr;
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || !header) {
    return {};
  }
  return header->value;
}

std::string GuessFileContentType(const std::string& path) {
  auto ends_with = [&](std::string_view suffix) {
    if (path.size() < suffix.size()) return false;
    std::string tail = path.substr(path.size() - suffix.size());
    std::transform(tail.begin(), tail.end(), tail.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return tail == suffix;
  };
  if (ends_with(".html") || ends_with(".htm")) return "text/html";
  if (ends_with(".xml") || ends_with(".rss") || ends_with(".atom") || ends_with(".opml")) {
    return "application/xml";
  }
  if (ends_with(".json")) return "application/json";
  return {};
}

Result<FetchResponse> FetchFile(const std::string& url, const FetchOptions& options) {
  if (!options.allow_file) return Status::Refused(url + ": file:// URLs are not allowed");
  std::unique_ptr<CURLU, CurluDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Status::InvalidInput(url + ": malformed file URL");
  }
  char* host = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK && host != nullptr) {
    std::string h(host);
    curl_free(host);
    if (!h.empty() && h != "localhost") {
      return Status::InvalidInput(url + ": file URL names a remote host");
    }
  }
  char* raw_path = nullptr;
  if (curl_url_get(u.get(), CURLUPART_PATH, &raw_path, CURLU_URLDECODE) != CURLUE_OK ||
      raw_path == nullptr) {
    return Status::InvalidInput(url + ": file URL without a path");
  }
  std::string path(raw_path);
  curl_free(raw_path);
  Result<std::string> bytes = ReadFile(path, options.max_bytes);
  if (!bytes.ok()) return Status(bytes.status().code(), url + ": " + bytes.status().message());
  FetchResponse response;
  response.url = url;
  response.status = 200;
  response.content_type = GuessFileContentType(path);
  response.body = std::move(bytes).value();
  return response;
}

class CurlFetcher : public Fetcher {
 public:
  CurlFetcher() : easy_(curl_easy_init()) {}

  Result<FetchResponse> Fetch(const std::string& url, const FetchOptions& options) override {
    std::string scheme = UrlScheme(url);
    if (scheme == "file") return FetchFile(url, options);
    if (scheme != "http" && scheme != "https") {
      return Status::InvalidInput(url + ": unsupported URL scheme '" + scheme + "'");
    }
    Result<NetPolicy> policy = NetPolicy::Parse(options.allow_networks);
    if (!policy.ok())
      return Status::InvalidInput(url + ": allow_networks: " + policy.status().message());
    if (!easy_) return Status::Internal(url + ": curl_easy_init failed");
    CURL* h = easy_.get();
    curl_easy_reset(h);  // keeps the connection cache, drops all options

    Transfer transfer;
    transfer.policy = &*policy;
    transfer.max_bytes = options.max_bytes;

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next) {
        headers.release();
        headers.reset(next);
      }
    };
    if (!options.etag.empty()) add_header("If-None-Match: " + options.etag);
    if (!options.last_modified.empty()) add_header("If-Modified-Since: " + options.last_modified);

    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
    // A server trickling bytes below 64 B/s for 15 s (or a third of the budget) is stalled.
    long low_speed_seconds = std::clamp(options.total_timeout_ms / 3000, 1L, 15L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 64L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, low_speed_seconds);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // all curl can decode
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    // A declared length over the cap fails early; decoded bytes are capped in OnWrite.
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
    if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnWrite);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);

    CURLcode rc = curl_easy_perform(h);

    if (!transfer.refused_address.empty() && rc != CURLE_OK) {
      return Status::Refused(url + ": refusing to connect to non-public address " +
                             transfer.refused_address + " (not in allow_networks)");
    }
    if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return Status::TooLarge(url + ": body exceeds the cap of " +
                              std::to_string(options.max_bytes) + " bytes");
    }
    if (rc != CURLE_OK) {
      std::string reason = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      if (rc == CURLE_OPERATION_TIMEDOUT) return Status::Timeout(url + ": " + reason);
      return Status::Unavailable(url + ": " + reason);
    }

    FetchResponse response;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = status;
    char* effective = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
      response.url = effective;
    } else {
      response.url = url;
    }
    char* content_type = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
      response.content_type = content_type;
    }
    response.etag = LastHeader(h, "ETag");
    response.last_modified = LastHeader(h, "Last-Modified");
    response.tdm_reservation = LastHeader(h, "tdm-reservation");

    if (status == 304) {
      response.not_modified = true;
      // A 304 may omit validators; keep the ones the caller sent.
      if (response.etag.empty()) response.etag = options.etag;
      if (response.last_modified.empty()) response.last_modified = options.last_modified;
      return response;
    }
    if (status < 200 || status > 299) {
      std::string message = url + ": HTTP " + std::to_string(status);
      if (response.url != url) message += " (at " + response.url + ")";
      if (status == 404 || status == 410) return Status::NotFound(message);
      if (status == 429 || status == 503) {
        // Retry-After: delta-seconds or an HTTP-date; the polite fetcher reads it back.
        std::string retry = LastHeader(h, "Retry-After");
        long seconds = -1;
        if (!retry.empty() && std::all_of(retry.begin(), retry.end(), ::isdigit)) {
          seconds = retry.size() > 9 ? 999'999'999L : std::stol(retry);
        } else if (!retry.empty()) {
          time_t when = curl_getdate(retry.c_str(), nullptr);
          if (when > 0) seconds = std::max<long>(0, static_cast<long>(when - time(nullptr)));
        }
        if (seconds >= 0) message += " (Retry-After: " + std::to_string(seconds) + " s)";
      }
      return Status::Unavailable(message);
    }
    response.body = std::move(transfer.body);
    return response;
  }

 private:
  std::unique_ptr<CURL, EasyDeleter> easy_;
};

}  // namespace

std::unique_ptr<Fetcher> NewCurlFetcher() {
  static const bool kInitialized = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == 0; }();
  (void)kInitialized;
  return std::make_unique<CurlFetcher>();
}

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    int err = errno;
    std::string message = path + ": " + std::strerror(err);
    if (err == ENOENT) return Status::NotFound(message);
    return Status::IOError(message);
  }
  std::string out;
  char buf[1 << 16];
  while (true) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
    if (n > 0) {
      if (out.size() + n > max_bytes) {
        return Status::TooLarge(path + ": file exceeds the cap of " + std::to_string(max_bytes) +
                                " bytes");
      }
      out.append(buf, n);
    }
    if (n < sizeof buf) {
      if (std::ferror(f.get())) return Status::IOError(path + ": read error");
      break;
    }
  }
  return out;
}

}  // namespace nd::fetch
