// DecodeToUtf8: charset choice and conversion with ICU.

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fetch/fetch.h"

namespace nd::fetch {
namespace {

constexpr std::size_t kSniffBytes = 4096;
constexpr int kDetectorMinConfidence = 50;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view TrimLabel(std::string_view s) {
  auto junk = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'';
  };
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

// Maps a declared label to the ICU converter name we decode with, following the WHATWG
// Encoding Standard where it differs from the label's literal meaning (latin1 is really
// windows-1252 on the web; GB2312 pages are really GBK, decoded as its superset GB18030).
std::string CanonicalCharset(std::string_view label) {
  std::string l = Lower(TrimLabel(label));
  if (l.empty()) return {};
  if (l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8") return "UTF-8";
  if (l == "gb2312" || l == "gbk" || l == "x-gbk" || l == "cp936" || l == "gb_2312-80" ||
      l == "chinese" || l == "euc-cn" || l == "windows-936" || l == "gb18030" || l == "csgb2312" ||
      l == "iso-ir-58") {
    return "GB18030";
  }
  if (l == "big5" || l == "big5-hkscs" || l == "x-x-big5" || l == "cn-big5" || l == "csbig5" ||
      l == "cp950" || l == "windows-950") {
    return "Big5-HKSCS";
  }
  if (l == "shift_jis" || l == "shift-jis" || l == "sjis" || l == "x-sjis" || l == "ms_kanji" ||
      l == "windows-31j" || l == "cp932" || l == "csshiftjis" || l == "ms932") {
    return "windows-31j";
  }
  if (l == "euc-kr" || l == "ks_c_5601-1987" || l == "windows-949" || l == "cseuckr" ||
      l == "korean" || l == "cp949") {
    return "windows-949";
  }
  if (l == "iso-8859-1" || l == "latin1" || l == "l1" || l == "iso8859-1" || l == "ascii" ||
      l == "us-ascii" || l == "windows-1252" || l == "cp1252" || l == "iso_8859-1" ||
      l == "cp819" || l == "ibm819") {
    return "windows-1252";
  }
  if (l == "utf-16" || l == "utf-16le") return "UTF-16LE";
  if (l == "utf-16be") return "UTF-16BE";
  // Anything else ICU knows (euc-jp, koi8-r, windows-1251, iso-8859-2, ...).
  UErrorCode err = U_ZERO_ERROR;
  UConverter* c = ucnv_open(l.c_str(), &err);
  if (U_FAILURE(err) || c == nullptr) return {};
  ucnv_close(c);
  return l;
}

// The charset parameter of a Content-Type-like value ("text/html; charset=GBK").
std::string_view CharsetParam(std::string_view value) {
  std::string lower = Lower(value);
  std::size_t pos = lower.find("charset");
  while (pos != std::string::npos) {
    std::size_t i = pos + 7;
    while (i < lower.size() && std::isspace(static_cast<unsigned char>(lower[i]))) ++i;
    if (i < lower.size() && lower[i] == '=') {
      ++i;
      while (i < lower.size() && (std::isspace(static_cast<unsigned char>(lower[i])) ||
                                  lower[i] == '"' || lower[i] == '\'')) {
        ++i;
      }
      std::size_t end = i;
      while (end < lower.size() &&
             (std::isalnum(static_cast<unsigned char>(lower[end])) || lower[end] == '-' ||
              lower[end] == '_' || lower[end] == '.' || lower[end] == ':')) {
        ++end;
      }
      return value.substr(i, end - i);
    }
    pos = lower.find("charset", pos + 7);
  }
  return {};
}

// <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">.
std::string_view MetaCharset(std::string_view bytes) {
  std::string_view head = bytes.substr(0, kSniffBytes);
  std::string lower = Lower(head);
  std::size_t pos = lower.find("<meta");
  while (pos != std::string::npos) {
    std::size_t end = lower.find('>', pos);
    if (end == std::string::npos) end = lower.size();
    std::string_view tag = head.substr(pos, end - pos);
    std::string_view cs = CharsetParam(tag);
    if (!cs.empty()) return cs;
    pos = lower.find("<meta", end);
  }
  return {};
}

// <?xml version="1.0" encoding="GB2312"?>
std::string_view XmlDeclCharset(std::string_view bytes) {
  if (bytes.substr(0, 5) != "<?xml") return {};
  std::size_t end = bytes.find("?>");
  if (end == std::string_view::npos || end > 512) return {};
  std::string_view decl = bytes.substr(0, end);
  std::size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return {};
  std::size_t q = decl.find_first_of("\"'", pos);
  if (q == std::string_view::npos) return {};
  std::size_t close = decl.find(decl[q], q + 1);
  if (close == std::string_view::npos) return {};
  return decl.substr(q + 1, close - q - 1);
}

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    // ASCII runs (most of any HTML page) eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string Detect(std::string_view bytes) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> det(ucsdet_open(&err),
                                                                     &ucsdet_close);
  if (U_FAILURE(err)) return {};
  std::string_view sample = bytes.substr(0, 64 * 1024);
  ucsdet_setText(det.get(), sample.data(), static_cast<int32_t>(sample.size()), &err);
  const UCharsetMatch* match = ucsdet_detect(det.get(), &err);
  if (U_FAILURE(err) || match == nullptr) return {};
  int32_t confidence = ucsdet_getConfidence(match, &err);
  const char* name = ucsdet_getName(match, &err);
  if (U_FAILURE(err) || name == nullptr || confidence < kDetectorMinConfidence) return {};
  return CanonicalCharset(name);
}

// Writes U+FFFD for every undecodable sequence (ICU's default substitutes U+001A for
// some single-byte and Shift_JIS converters).
void ToUReplacement(const void*, UConverterToUnicodeArgs* args, const char*, int32_t,
                    UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset/close/clone: nothing to write
  static const UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

// Converts with `charset`; returns false when ICU cannot open it.
bool Convert(std::string_view bytes, const std::string& charset, std::string* out) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> conv(ucnv_open(charset.c_str(), &err),
                                                          &ucnv_close);
  if (U_FAILURE(err) || !conv) return false;
  ucnv_setToUCallBack(conv.get(), ToUReplacement, nullptr, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return false;
  std::vector<UChar> utf16(bytes.size() * 2 + 16);
  err = U_ZERO_ERROR;
  int32_t n = ucnv_toUChars(conv.get(), utf16.data(), static_cast<int32_t>(utf16.size()),
                            bytes.data(), static_cast<int32_t>(bytes.size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    utf16.resize(static_cast<std::size_t>(n) + 1);
    err = U_ZERO_ERROR;
    n = ucnv_toUChars(conv.get(), utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                      static_cast<int32_t>(bytes.size()), &err);
  }
  if (U_FAILURE(err)) return false;
  out->assign(static_cast<std::size_t>(n) * 3 + 4, '\0');
  int32_t len = 0;
  err = U_ZERO_ERROR;
  u_strToUTF8WithSub(out->data(), static_cast<int32_t>(out->size()), &len, utf16.data(), n, 0xFFFD,
                     nullptr, &err);
  if (U_FAILURE(err)) return false;
  out->resize(static_cast<std::size_t>(len));
  return true;
}

}  // namespace

std::string DecodeToUtf8(std::string_view bytes, std::string_view content_type, bool is_html,
                         std::string* charset_out) {
  std::string charset;
  std::string_view body = bytes;
  // A byte order mark is unambiguous and wins over any declaration (as browsers do).
  if (body.substr(0, 3) == "\xEF\xBB\xBF") {
    charset = "UTF-8";
    body.remove_prefix(3);
  } else if (body.substr(0, 2) == "\xFF\xFE") {
    charset = "UTF-16LE";
    body.remove_prefix(2);
  } else if (body.substr(0, 2) == "\xFE\xFF") {
    charset = "UTF-16BE";
    body.remove_prefix(2);
  }
  if (charset.empty()) charset = CanonicalCharset(CharsetParam(content_type));
  if (charset.empty()) {
    std::string declared;
    if (is_html) declared = CanonicalCharset(MetaCharset(body));
    if (declared.empty()) declared = CanonicalCharset(XmlDeclCharset(body));
    // An in-document UTF-16 declaration is wrong by construction: it was readable as ASCII.
    if (declared.rfind("UTF-16", 0) != 0) charset = declared;
  }
  bool valid_utf8 = false;  // known valid: no need to check twice
  if (charset.empty()) {
    if (IsValidUtf8(body)) {
      charset = "UTF-8";
      valid_utf8 = true;
    } else {
      charset = Detect(body);
      if (charset.empty()) charset = "UTF-8";  // invalid bytes become U+FFFD
    }
  }
  std::string out;
  if (charset == "UTF-8" && (valid_utf8 || IsValidUtf8(body))) {
    out.assign(body);  // nothing to convert
  } else if (!Convert(body, charset, &out)) {
    charset = "UTF-8";
    if (!Convert(body, charset, &out)) out.clear();
  }
  if (charset_out) *charset_out = charset;
  return out;
}

}  // namespace nd::fetch
