#include "extract/scan.h"

#include <array>
#include <cstdio>
#include <cstring>

namespace nd::extract::internal {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
size_t Utf8SeqLen(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  unsigned char c = p[i];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    return (i + 1 < n && (p[i + 1] & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c < 0xF0) {
    if (i + 2 >= n) return 0;
    unsigned char c1 = p[i + 1];
    if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c < 0xF5) {
    if (i + 3 >= n) return 0;
    unsigned char c1 = p[i + 1];
    if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 || (p[i + 3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_len digits at s[*i]; returns -1 when there is none.
int ReadNumber(std::string_view s, size_t* i, int max_len) {
  int v = 0, len = 0;
  while (*i < s.size() && IsDigit(s[*i]) && len < max_len) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++len;
  }
  if (len == 0 || (*i < s.size() && IsDigit(s[*i]))) return -1;
  return v;
}

void SkipSpaces(std::string_view s, size_t* i) {
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r')) ++*i;
}

// Optional " HH:MM[:SS]" after a date.
bool ReadClock(std::string_view s, size_t i, int* h, int* m, int* sec) {
  SkipSpaces(s, &i);
  if (i < s.size() && s[i] == 'T') ++i;
  int hh = ReadNumber(s, &i, 2);
  if (hh < 0 || hh > 23 || i >= s.size() || (s[i] != ':' && s.substr(i, 3) != "\xEF\xBC\x9A")) {
    return false;
  }
  i += s[i] == ':' ? 1 : 3;
  int mm = ReadNumber(s, &i, 2);
  if (mm < 0 || mm > 59) return false;
  int ss = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    ss = ReadNumber(s, &i, 2);
    if (ss < 0 || ss > 59) ss = 0;
  }
  *h = hh;
  *m = mm;
  *sec = ss;
  return true;
}

std::string FormatDate(int y, int mo, int d, bool has_time, int h, int mi, int s) {
  char buf[40];
  if (has_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  }
  return buf;
}

bool ValidDate(int y, int mo, int d) {
  return y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

// Month number for an English month name or abbreviation starting at s[i] (case-
// insensitive); advances *i past it and an optional '.'.
int ReadMonthName(std::string_view s, size_t* i) {
  static constexpr std::array<const char*, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  size_t j = *i;
  char word[12];
  size_t len = 0;
  while (j < s.size() && len < sizeof word && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')) {
    word[len++] = static_cast<char>(s[j] | 0x20);
    ++j;
  }
  if (len < 3 || (j < s.size() && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))) return 0;
  for (size_t m = 0; m < kNames.size(); ++m) {
    size_t full = std::strlen(kNames[m]);
    bool match = false;
    if (len == full && std::memcmp(word, kNames[m], len) == 0) match = true;
    if (len == 3 && std::memcmp(word, kNames[m], 3) == 0) match = true;
    if (len == 4 && m == 8 && std::memcmp(word, "sept", 4) == 0) match = true;
    if (match) {
      if (j < s.size() && s[j] == '.') ++j;
      *i = j;
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

void SkipOrdinal(std::string_view s, size_t* i) {
  if (*i + 1 < s.size()) {
    std::string_view two = s.substr(*i, 2);
    if (two == "st" || two == "nd" || two == "rd" || two == "th") *i += 2;
  }
}

// Tries every pattern at position i; returns the ISO text or "".
std::string DateAt(std::string_view s, size_t i) {
  if (IsDigit(s[i]) && (i == 0 || !IsDigit(s[i - 1]))) {
    size_t j = i;
    int first = ReadNumber(s, &j, 4);
    if (first >= 1990 && first <= 2100 && j - i == 4 && j < s.size()) {
      // 2026年11月20日 or 2026-11-20 / 2026/11/20 / 2026.11.20
      int y = first, mo = -1, d = -1;
      if (s.substr(j, 3) == "\xE5\xB9\xB4") {  // 年
        j += 3;
        SkipSpaces(s, &j);
        mo = ReadNumber(s, &j, 2);
        SkipSpaces(s, &j);
        if (mo < 0 || s.substr(j, 3) != "\xE6\x9C\x88") return "";  // 月
        j += 3;
        SkipSpaces(s, &j);
        d = ReadNumber(s, &j, 2);
        SkipSpaces(s, &j);
        if (d < 0 || (s.substr(j, 3) != "\xE6\x97\xA5" && s.substr(j, 3) != "\xE5\x8F\xB7")) {
          return "";  // 日 / 号
        }
        j += 3;
      } else if (s[j] == '-' || s[j] == '/' || s[j] == '.') {
        char sep = s[j++];
        mo = ReadNumber(s, &j, 2);
        if (mo < 0 || j >= s.size() || s[j] != sep) return "";
        ++j;
        d = ReadNumber(s, &j, 2);
      }
      if (!ValidDate(y, mo, d)) return "";
      int h = 0, mi = 0, sec = 0;
      bool has_time = ReadClock(s, j, &h, &mi, &sec);
      return FormatDate(y, mo, d, has_time, h, mi, sec);
    }
    // 18 November 2026
    j = i;
    int d = ReadNumber(s, &j, 2);
    if (d < 1 || d > 31) return "";
    SkipOrdinal(s, &j);
    SkipSpaces(s, &j);
    int mo = ReadMonthName(s, &j);
    if (mo == 0) return "";
    SkipSpaces(s, &j);
    if (j < s.size() && s[j] == ',') ++j;
    SkipSpaces(s, &j);
    size_t ys = j;
    int y = ReadNumber(s, &j, 4);
    if (j - ys != 4 || !ValidDate(y, mo, d)) return "";
    return FormatDate(y, mo, d, false, 0, 0, 0);
  }
  char c = static_cast<char>(s[i] | 0x20);
  if (c >= 'a' && c <= 'z' && (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'))) {
    // November 18, 2026
    size_t j = i;
    int mo = ReadMonthName(s, &j);
    if (mo == 0) return "";
    SkipSpaces(s, &j);
    int d = ReadNumber(s, &j, 2);
    if (d < 1) return "";
    SkipOrdinal(s, &j);
    if (j < s.size() && s[j] == ',') ++j;
    SkipSpaces(s, &j);
    size_t ys = j;
    int y = ReadNumber(s, &j, 4);
    if (j - ys != 4 || !ValidDate(y, mo, d)) return "";
    return FormatDate(y, mo, d, false, 0, 0, 0);
  }
  return "";
}

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;
    return true;
  }
  if (c == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") {
    *len = 3;
    return true;
  }
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    if ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xAF || c2 == 0xA8 || c2 == 0xA9) {
      *len = 3;  // en/em/thin spaces, narrow NBSP, line/paragraph separators
      return true;
    }
  }
  return false;
}

// Zero-width space/joiners and BOM: dropped.
bool IsZeroWidthAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    return c2 >= 0x8B && c2 <= 0x8D;
  }
  return c == 0xEF && s.substr(i, 3) == "\xEF\xBB\xBF";
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Fast path over ASCII, 8 bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= s.size()) break;
    size_t n = Utf8SeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    size_t n = Utf8SeqLen(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

bool LooksBinary(std::string_view s) {
  if (std::memchr(s.data(), 0, s.size()) != nullptr) return true;
  size_t n = std::min<size_t>(s.size(), 8192);
  size_t control = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++control;
  }
  return control * 10 > n;
}

void TextBuilder::Add(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t len;
    if (IsSpaceAt(s, i, &len)) {
      pending_space_ = !out_.empty();
      i += len;
      continue;
    }
    if (IsZeroWidthAt(s, i)) {
      i += 3;
      continue;
    }
    size_t start = i;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c <= ' ' || c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF) {
        if (IsSpaceAt(s, i, &len) || IsZeroWidthAt(s, i)) break;
      }
      ++i;
    }
    if (pending_space_) out_.push_back(' ');
    pending_space_ = false;
    out_.append(s.data() + start, i - start);
  }
}

std::string TextBuilder::Take() {
  std::string r = std::move(out_);
  Clear();
  return r;
}

std::string CollapseWhitespace(std::string_view s) {
  TextBuilder b;
  b.Add(s);
  return b.Take();
}

int TextWeight(std::string_view s, int* commas) {
  int n = 0;
  bool in_space = true;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c <= ' ') {
      if (!in_space) ++n;
      in_space = true;
      continue;
    }
    in_space = false;
    ++n;
    if (c == ',') {
      ++*commas;
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
               static_cast<unsigned char>(s[i + 2]) == 0x8C) {
      ++*commas;  // ，
    } else if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0x82 ||
                static_cast<unsigned char>(s[i + 2]) == 0x81)) {
      ++*commas;  // 。、
    }
  }
  return n;
}

std::string FindDateInText(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!IsDigit(static_cast<char>(c)) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) continue;
    std::string d = DateAt(text, i);
    if (!d.empty()) return d;
  }
  return "";
}

std::string AsciiLower(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return r;
}

std::string StripTitleSite(std::string_view title, std::string_view site) {
  static constexpr std::array<std::string_view, 7> kSeps = {
      " | ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " :: ", " \xC2\xB7 ", "_"};
  std::string t = CollapseWhitespace(title);
  std::string site_l = AsciiLower(CollapseWhitespace(site));
  // Find the last separator; the part after it is the candidate site name.
  size_t best = std::string::npos, best_len = 0;
  for (std::string_view sep : kSeps) {
    size_t p = t.rfind(sep);
    if (p != std::string::npos && p > 0 && (best == std::string::npos || p > best)) {
      best = p;
      best_len = sep.size();
    }
  }
  if (best != std::string::npos) {
    std::string_view head = std::string_view(t).substr(0, best);
    std::string_view tail = std::string_view(t).substr(best + best_len);
    std::string tail_l = AsciiLower(tail);
    bool strip = false;
    if (!site_l.empty()) {
      strip = tail_l == site_l || tail_l.find(site_l) != std::string::npos ||
              (tail_l.size() >= 4 && site_l.find(tail_l) != std::string::npos);
    } else {
      size_t words = 1;
      for (char c : tail) words += c == ' ' ? 1 : 0;
      strip = tail.size() < head.size() && tail.size() <= 40 && words <= 4;
    }
    if (strip && !head.empty()) return std::string(head);
    // "Site | Headline"
    if (!site_l.empty()) {
      size_t first = std::string::npos, first_len = 0;
      for (std::string_view sep : kSeps) {
        size_t p = t.find(sep);
        if (p != std::string::npos && p > 0 && (first == std::string::npos || p < first)) {
          first = p;
          first_len = sep.size();
        }
      }
      if (first != std::string::npos && AsciiLower(t.substr(0, first)) == site_l) {
        return t.substr(first + first_len);
      }
    }
  }
  return t;
}

}  // namespace nd::extract::internal
