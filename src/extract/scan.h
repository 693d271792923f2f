// Private to extract: byte-level text helpers used while walking the DOM. UTF-8 checks,
// whitespace collapsing (ASCII, NBSP, ideographic space, zero-width characters), date
// patterns written in page text, and title clean-up. No allocation beyond the outputs.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace nd::extract::internal {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// `s` with every invalid byte sequence replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view s);

// True when the input looks like binary data rather than text: a NUL byte, or more than
// 10% control characters in the first 8 KB.
bool LooksBinary(std::string_view s);

// Builds whitespace-collapsed text: runs of spaces (including U+00A0 and U+3000) become one
// space, zero-width characters are dropped, leading and trailing spaces never appear.
class TextBuilder {
 public:
  void Add(std::string_view s);
  void Space() { pending_space_ = !out_.empty(); }
  bool empty() const { return out_.empty(); }
  size_t size() const { return out_.size(); }
  const std::string& str() const { return out_; }
  std::string Take();
  void Clear() {
    out_.clear();
    pending_space_ = false;
  }

 private:
  std::string out_;
  bool pending_space_ = false;
};

// Collapses whitespace in `s` (as TextBuilder).
std::string CollapseWhitespace(std::string_view s);

// Bytes of `s` counting each whitespace run as one byte; `commas` gets the number of
// ',' '，' '。' '、' seen. Bytes weigh a Han character (3 bytes) about like three Latin
// letters, a fair weight for scoring Chinese against English.
int TextWeight(std::string_view s, int* commas);

// Finds the earliest date written in `text` ("2026年11月20日 08:30", "2026-11-20 08:30",
// "2026/11/20", "November 18, 2026", "18 November 2026", "Nov. 18, 2026") and returns it as
// ISO 8601 ("2026-11-20T08:30:00" or "2026-11-20"), or "" when there is none.
std::string FindDateInText(std::string_view text);

// Strips a site suffix or prefix from a <title>: "Headline | Site", "Headline - Site",
// "Headline — Site", "Headline_Site". When `site` is not empty only that site name is
// stripped; otherwise a short trailing segment is.
std::string StripTitleSite(std::string_view title, std::string_view site);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view s);

}  // namespace nd::extract::internal
