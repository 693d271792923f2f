#include "core/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <system_error>

namespace nd {
namespace {

struct CurluDeleter {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using CurluPtr = std::unique_ptr<CURLU, CurluDeleter>;

constexpr unsigned int kParseFlags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE;

std::string ToLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses an absolute URL; null when curl rejects it.
CurluPtr Parse(std::string_view url) {
  CurluPtr h(curl_url());
  if (!h) return nullptr;
  std::string s(url);
  if (curl_url_set(h.get(), CURLUPART_URL, s.c_str(), kParseFlags) != CURLUE_OK) return nullptr;
  return h;
}

std::string GetPart(CURLU* h, CURLUPart part, unsigned int flags = 0) {
  char* out = nullptr;
  if (curl_url_get(h, part, &out, flags) != CURLUE_OK || out == nullptr) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

// The scheme of `url` by RFC 3986 syntax: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
std::string_view SchemeOf(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return {};
  for (std::size_t i = 1; i < url.size(); ++i) {
    unsigned char c = url[i];
    if (c == ':') return url.substr(0, i);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return {};
}

bool IsTrackingParam(std::string_view param) {
  std::string_view key = param.substr(0, param.find('='));
  std::string k = ToLower(std::string(key));
  return k.rfind("utm_", 0) == 0 || k == "fbclid" || k == "gclid";
}

}  // namespace

std::string ResolveUrl(std::string_view base, std::string_view ref) {
  ref = Trim(ref);
  base = Trim(base);
  if (!SchemeOf(ref).empty()) return std::string(ref);
  CurluPtr h = Parse(base);
  if (!h) return {};
  // curl treats a bare fragment or an empty reference like a path; RFC 3986 keeps the
  // base's path and query for both.
  if (ref.empty() || ref.front() == '#') {
    if (ref.size() > 1) {
      std::string fragment(ref.substr(1));
      curl_url_set(h.get(), CURLUPART_FRAGMENT, fragment.c_str(), CURLU_URLENCODE);
    } else {
      curl_url_set(h.get(), CURLUPART_FRAGMENT, nullptr, 0);
    }
    return GetPart(h.get(), CURLUPART_URL);
  }
  std::string r(ref);
  if (curl_url_set(h.get(), CURLUPART_URL, r.c_str(), kParseFlags) != CURLUE_OK) return {};
  return GetPart(h.get(), CURLUPART_URL);
}

std::string NormalizeUrl(std::string_view url) {
  CurluPtr h = Parse(Trim(url));
  if (!h) return std::string(url);
  std::string host = GetPart(h.get(), CURLUPART_HOST);
  if (!host.empty()) {
    host = ToLower(host);
    curl_url_set(h.get(), CURLUPART_HOST, host.c_str(), 0);
  }
  curl_url_set(h.get(), CURLUPART_FRAGMENT, nullptr, 0);
  std::string query = GetPart(h.get(), CURLUPART_QUERY);
  if (!query.empty()) {
    std::string kept;
    std::size_t pos = 0;
    while (pos <= query.size()) {
      std::size_t amp = query.find('&', pos);
      if (amp == std::string::npos) amp = query.size();
      std::string_view param(query.data() + pos, amp - pos);
      if (!param.empty() && !IsTrackingParam(param)) {
        if (!kept.empty()) kept += '&';
        kept += param;
      }
      pos = amp + 1;
    }
    curl_url_set(h.get(), CURLUPART_QUERY, kept.empty() ? nullptr : kept.c_str(), 0);
  }
  std::string out = GetPart(h.get(), CURLUPART_URL, CURLU_NO_DEFAULT_PORT);
  return out.empty() ? std::string(url) : out;
}

std::string UrlScheme(std::string_view url) { return ToLower(std::string(SchemeOf(Trim(url)))); }

std::string UrlHost(std::string_view url) {
  CurluPtr h = Parse(Trim(url));
  if (!h) return {};
  if (ToLower(GetPart(h.get(), CURLUPART_SCHEME)) == "file") return {};
  return ToLower(GetPart(h.get(), CURLUPART_HOST));
}

std::string FileUrlFromPath(std::string_view path) {
  std::error_code ec;
  std::filesystem::path p(path);
  std::filesystem::path abs = std::filesystem::absolute(p, ec);
  if (ec) abs = p;
  std::string s = abs.lexically_normal().generic_string();
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace nd
