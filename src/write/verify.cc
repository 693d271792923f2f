// Implementation notes.
//
// The checks are deliberately mechanical: each one looks for a claim's literal form (after
// normalisation) in the reports, so a pass means "the reports say this too", never "a
// model thinks so". Names are found by cheap surface cues rather than by a tagger: a
// capitalised Latin word, a Han run before a speech verb, a Han run before an
// organisation or place suffix. A cue that fires on an ordinary word costs little,
// because an ordinary word is in the reports as well; a cue that misses a name lets the
// other checks (numbers, quotations, support) still stand.
#include "write/verify.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>

#include "text/entities.h"
#include "text/numbers.h"
#include "text/text.h"

namespace nd::write {
namespace {

// ---------------------------------------------------------------------------------------
// UTF-8 helpers.

// Decodes the code point at *i and advances *i (invalid bytes: U+FFFD, one byte).
char32_t Next(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || *i + static_cast<size_t>(len) > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + static_cast<size_t>(k)]) & 0x3F);
  }
  *i += static_cast<size_t>(len);
  return cp;
}

void Append(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::u32string Decode(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) out += Next(s, &i);
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) Append(c, &out);
  return out;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char32_t c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
bool IsUpper(char32_t c) { return c >= 'A' && c <= 'Z'; }
bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000 ||
         c == 0x2009 || c == 0x202F;
}

char32_t ToLowerAscii(char32_t c) { return IsUpper(c) ? c + ('a' - 'A') : c; }

// Full-width digits and signs to ASCII, so "１２％" reads as "12%".
std::u32string NarrowDigits(std::u32string s) {
  for (char32_t& c : s) {
    if (c >= 0xFF10 && c <= 0xFF19) c = '0' + (c - 0xFF10);
    if (c == 0xFF05) c = '%';
    if (c == 0xFF0E) c = '.';
  }
  return s;
}

bool StartsWithAt(std::u32string_view s, size_t pos, std::u32string_view word) {
  return s.substr(pos, word.size()) == word;
}

// Case-insensitive ASCII word at `pos`, ending at a non-letter.
bool WordAt(std::u32string_view s, size_t pos, std::u32string_view word) {
  if (pos + word.size() > s.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (ToLowerAscii(s[pos + k]) != word[k]) return false;
  }
  return pos + word.size() == s.size() || !IsAsciiAlpha(s[pos + word.size()]);
}

// ---------------------------------------------------------------------------------------
// Numbers.

bool IsChineseNumeral(char32_t c) { return text::HanDigit(c) >= 0 || text::HanUnit(c) > 0; }

// Measure words after which a single Chinese numeral is a number ("三名", "五年").
bool IsMeasure(char32_t c) {
  static const std::u32string kMeasures = U"个個名人家年月日天次位项項倍岁歲点點%座架艘台臺款";
  return kMeasures.find(c) != std::u32string::npos;
}

// Value of a run of Chinese numerals ("十二亿" -> 1.2e9, "三千二百万" -> 3.2e7).
double ChineseValue(std::u32string_view run, int* significant) {
  double total = 0, wan = 0, section = 0, number = 0;
  *significant = 0;
  bool pending_digit = false;
  for (char32_t c : run) {
    int d = text::HanDigit(c);
    if (d >= 0) {
      number = d;
      pending_digit = d != 0;
      if (d != 0) ++*significant;
      continue;
    }
    double unit = text::HanUnit(c);
    if (unit < 1e4) {
      if (!pending_digit && number == 0) {
        number = 1;
        ++*significant;
      }
      section += number * unit;
    } else if (unit == 1e4) {
      section += number;
      wan = (wan + section) * 1e4;
      section = 0;
    } else {
      section += number;
      total = (total + wan + section) * 1e8;
      wan = 0;
      section = 0;
    }
    number = 0;
    pending_digit = false;
  }
  if (*significant == 0) *significant = 1;
  return total + wan + section + number;
}

// Multipliers written after a number: English scale words and Chinese units. Advances
// *pos past them.
double ScaleAfter(std::u32string_view s, size_t* pos, bool* percent) {
  size_t p = *pos;
  size_t after_space = p;
  if (after_space < s.size() && (s[after_space] == ' ' || s[after_space] == 0xA0)) ++after_space;
  struct Word {
    std::u32string_view word;
    double scale;
    bool needs_space_or_glue;  // short forms must be glued: "$3bn", "5m"
  };
  static const Word kWords[] = {
      {U"thousand", 1e3, false},  {U"million", 1e6, false}, {U"billion", 1e9, false},
      {U"trillion", 1e12, false}, {U"bn", 1e9, true},       {U"mn", 1e6, true},
      {U"tn", 1e12, true},        {U"m", 1e6, true},        {U"k", 1e3, true},
  };
  if (p < s.size() && s[p] == '%') {
    *percent = true;
    *pos = p + 1;
    return 1;
  }
  if (WordAt(s, after_space, U"percent")) {
    *percent = true;
    *pos = after_space + 7;
    return 1;
  }
  if (WordAt(s, after_space, U"per") && WordAt(s, after_space + 4, U"cent")) {
    *percent = true;
    *pos = after_space + 8;
    return 1;
  }
  if (WordAt(s, after_space, U"percentage")) {
    *percent = true;
    *pos = after_space + 10;
    return 1;
  }
  for (const Word& w : kWords) {
    size_t at = w.needs_space_or_glue ? p : after_space;
    if (WordAt(s, at, w.word)) {
      *pos = at + w.word.size();
      return w.scale;
    }
  }
  // Chinese units, possibly stacked ("1.2万亿"), glued or after one space.
  double scale = 1;
  size_t q = p < s.size() && s[p] == ' ' ? p + 1 : p;
  bool any = false;
  while (q < s.size()) {
    double unit = text::HanUnit(s[q]);
    if (unit == 0) break;
    scale *= unit;
    ++q;
    any = true;
  }
  if (any) {
    *pos = q;
    if (q < s.size() && (s[q] == '%')) *percent = true;
  }
  return scale;
}

bool PrecededByPercentWords(std::u32string_view s, size_t pos) {
  return pos >= 3 && s.substr(pos - 3, 3) == U"百分之";
}

// ---------------------------------------------------------------------------------------
// Names.

// Capitalised words that are not names, or that name nothing a report must contain.
bool IsCommonCapitalised(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "The",      "A",         "An",        "In",        "On",      "At",    "For",   "But",
      "And",      "Or",        "Of",        "To",        "By",      "With",  "As",    "After",
      "Before",   "While",     "When",      "If",        "It",      "Its",   "This",  "That",
      "These",    "Those",     "He",        "She",       "They",    "We",    "I",     "His",
      "Her",      "Their",     "Our",       "There",     "Here",    "What",  "Why",   "How",
      "Who",      "Which",     "According", "Meanwhile", "However", "Also",  "Still", "Yet",
      "So",       "Now",       "Then",      "Both",      "Some",    "Many",  "Most",  "Such",
      "Mr",       "Mrs",       "Ms",        "Dr",        "AI",      "CEO",   "CFO",   "CTO",
      "GDP",      "IPO",       "From",      "Under",     "Over",    "Since", "Until", "About",
      "Analysts", "Officials", "Investors", "Experts"};
  return kWords.count(w) != 0;
}

// Function characters that end a Han name run going backwards.
bool IsHanBoundary(char32_t c) {
  static const std::u32string kChars =
      U"的在和与及对由为从向将被把是了据称该这此本各其也还则并又曾再都亦就更均已即而让使于以因";
  return kChars.find(c) != std::u32string::npos;
}

// Content in brackets right after `pos` ("(王伟)", "（Microsoft）"), else empty.
std::u32string ParentheticalAt(std::u32string_view s, size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  if (pos >= s.size() || (s[pos] != '(' && s[pos] != U'（')) return {};
  size_t end = pos + 1;
  while (end < s.size() && s[end] != ')' && s[end] != U'）') ++end;
  if (end >= s.size()) return {};
  std::u32string inner(s.substr(pos + 1, end - pos - 1));
  while (!inner.empty() && IsSpace(inner.front())) inner.erase(inner.begin());
  while (!inner.empty() && IsSpace(inner.back())) inner.pop_back();
  bool useful = false;
  for (char32_t c : inner) useful |= IsHan(c) || IsAsciiAlpha(c);
  return useful ? inner : std::u32string();
}

// ---------------------------------------------------------------------------------------
// Lookups in the evidence.

bool FoldedHas(const std::string& folded, const std::string& needle_folded, bool latin) {
  if (needle_folded.empty()) return false;
  size_t pos = 0;
  while ((pos = folded.find(needle_folded, pos)) != std::string::npos) {
    if (!latin) return true;
    bool left_ok = pos == 0 || !std::isalnum(static_cast<unsigned char>(folded[pos - 1]));
    size_t end = pos + needle_folded.size();
    bool right_ok = end >= folded.size() || !std::isalnum(static_cast<unsigned char>(folded[end]));
    if (left_ok && right_ok) return true;
    ++pos;
  }
  return false;
}

bool SameQuantity(const Quantity& claim, const Quantity& found) {
  if (claim.percent != found.percent) return false;
  double tolerance = std::max(claim.tolerance, 1e-9 * std::fabs(claim.value));
  return std::fabs(claim.value - found.value) <= tolerance + 1e-12;
}

std::string FormatNumber(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

void AddCite(std::vector<int>* cites, int report) {
  if (std::find(cites->begin(), cites->end(), report) == cites->end()) cites->push_back(report);
}

bool SameFamily(std::string_view a, std::string_view b) {
  if (text::IsChinese(a) && text::IsChinese(b)) return true;
  return a.substr(0, a.find('-')) == b.substr(0, b.find('-'));
}

// The reports to search: the cited ones first, then those in the sentence's language,
// then the rest, so that completed citations point where a reader can check them.
std::vector<int> SearchOrder(const std::vector<int>& cites, const Evidence& evidence,
                             std::string_view lang) {
  std::vector<int> order = cites;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < evidence.size(); ++i) {
      if ((pass == 0) != SameFamily(evidence.lang(i), lang)) continue;
      if (std::find(order.begin(), order.end(), static_cast<int>(i)) == order.end()) {
        order.push_back(static_cast<int>(i));
      }
    }
  }
  return order;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Finding claims.

std::vector<Quantity> FindQuantities(std::string_view text) {
  std::vector<Quantity> out;
  const std::u32string s = NarrowDigits(Decode(text));
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = s[i];
    if (IsAsciiDigit(c)) {
      if (i > 0 && (IsAsciiAlpha(s[i - 1]) || IsAsciiDigit(s[i - 1]))) {
        while (i < s.size() && IsAsciiAlnum(s[i])) ++i;  // part of an identifier ("A320")
        continue;
      }
      size_t start = i;
      std::string digits;
      int decimals = 0;
      bool in_fraction = false;
      while (i < s.size()) {
        if (IsAsciiDigit(s[i])) {
          digits += static_cast<char>(s[i]);
          if (in_fraction) ++decimals;
          ++i;
        } else if (s[i] == ',' && !in_fraction && i + 3 < s.size() && IsAsciiDigit(s[i + 1]) &&
                   IsAsciiDigit(s[i + 2]) && IsAsciiDigit(s[i + 3]) &&
                   (i + 4 >= s.size() || !IsAsciiDigit(s[i + 4]))) {
          ++i;  // thousands separator
        } else if (s[i] == '.' && !in_fraction && i + 1 < s.size() && IsAsciiDigit(s[i + 1])) {
          digits += '.';
          in_fraction = true;
          ++i;
        } else {
          break;
        }
      }
      bool percent = PrecededByPercentWords(s, start);
      size_t pos = i;
      double scale = ScaleAfter(s, &pos, &percent);
      i = pos;
      Quantity q;
      q.value = std::strtod(digits.c_str(), nullptr) * scale;
      q.tolerance = 0.5 * std::pow(10.0, -decimals) * scale;
      q.percent = percent;
      out.push_back(q);
      continue;
    }
    if (IsChineseNumeral(c)) {
      size_t start = i;
      while (i < s.size() && IsChineseNumeral(s[i])) ++i;
      std::u32string_view run(s.data() + start, i - start);
      bool has_digit = false;
      for (char32_t r : run) has_digit |= text::HanDigit(r) >= 0 || r == U'十';
      if (!has_digit) continue;
      bool percent = PrecededByPercentWords(s, start);
      if (run.size() == 1) {
        // A lone numeral is a number only before a measure word (or after 百分之);
        // 一 and 两 alone are too often part of ordinary words.
        char32_t only = run[0];
        bool measured = i < s.size() && IsMeasure(s[i]);
        if (only == U'一' || only == U'两' || only == U'兩' || text::HanUnit(only) >= 1e4) continue;
        if (!measured && !percent) continue;
      }
      int significant = 1;
      double value = ChineseValue(run, &significant);
      if (value <= 0) continue;
      Quantity q;
      q.value = value;
      double magnitude = std::pow(10.0, std::floor(std::log10(value)));
      q.tolerance = 0.5 * magnitude * std::pow(10.0, 1 - significant);
      q.percent = percent || (i < s.size() && s[i] == '%');
      out.push_back(q);
      continue;
    }
    ++i;
  }
  return out;
}

namespace {

struct MonthName {
  std::u32string_view name;
  int month;
};
constexpr MonthName kMonths[] = {
    {U"January", 1},   {U"February", 2},  {U"March", 3},  {U"April", 4},     {U"May", 5},
    {U"June", 6},      {U"July", 7},      {U"August", 8}, {U"September", 9}, {U"October", 10},
    {U"November", 11}, {U"December", 12}, {U"Jan", 1},    {U"Feb", 2},       {U"Mar", 3},
    {U"Apr", 4},       {U"Jun", 6},       {U"Jul", 7},    {U"Aug", 8},       {U"Sept", 9},
    {U"Sep", 9},       {U"Oct", 10},      {U"Nov", 11},   {U"Dec", 12}};
constexpr std::u32string_view kWeekdays[] = {U"Monday", U"Tuesday",  U"Wednesday", U"Thursday",
                                             U"Friday", U"Saturday", U"Sunday"};

bool ExactWordAt(std::u32string_view s, size_t pos, std::u32string_view word) {
  if (!StartsWithAt(s, pos, word)) return false;
  if (pos > 0 && IsAsciiAlpha(s[pos - 1])) return false;
  size_t end = pos + word.size();
  return end >= s.size() || !IsAsciiAlpha(s[end]);
}

// The number written just before `pos` (ASCII or Chinese numerals), or -1.
int NumberBefore(std::u32string_view s, size_t pos) {
  size_t start = pos;
  while (start > 0 && IsAsciiDigit(s[start - 1])) --start;
  if (start < pos) {
    if (pos - start > 2) return -1;
    return std::stoi(Encode(s.substr(start, pos - start)));
  }
  while (start > 0 && IsChineseNumeral(s[start - 1])) --start;
  if (start == pos || pos - start > 3) return -1;
  int significant = 0;
  return static_cast<int>(ChineseValue(s.substr(start, pos - start), &significant));
}

bool IsMonthOrDay(std::string_view w) {
  std::u32string u = Decode(w);
  for (const MonthName& m : kMonths) {
    if (u == m.name) return true;
  }
  for (std::u32string_view d : kWeekdays) {
    if (u == d) return true;
  }
  return false;
}

}  // namespace

std::set<int> FindMonths(std::string_view text) {
  std::set<int> out;
  const std::u32string s = NarrowDigits(Decode(text));
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsUpper(s[i]) && (i == 0 || !IsAsciiAlpha(s[i - 1]))) {
      for (const MonthName& m : kMonths) {
        if (!ExactWordAt(s, i, m.name)) continue;
        if (m.name == U"May") {
          // The modal verb: a month only before a day or a year, or after "in"/"of".
          size_t after = i + 3;
          bool before_number =
              after + 1 < s.size() && s[after] == ' ' && IsAsciiDigit(s[after + 1]);
          bool after_prep =
              (i >= 3 && (s.substr(i - 3, 3) == U"in " || s.substr(i - 3, 3) == U"of ")) ||
              (i >= 6 && s.substr(i - 6, 6) == U"early ") ||
              (i >= 5 && s.substr(i - 5, 5) == U"late ");
          if (!before_number && !after_prep) continue;
        }
        out.insert(m.month);
        break;
      }
    }
    if (s[i] == U'月') {
      int n = NumberBefore(s, i);
      if (n >= 1 && n <= 12) out.insert(n);
    }
  }
  return out;
}

std::set<int> FindWeekdays(std::string_view text) {
  std::set<int> out;
  const std::u32string s = Decode(text);
  for (size_t i = 0; i < s.size(); ++i) {
    for (int d = 0; d < 7; ++d) {
      if (ExactWordAt(s, i, kWeekdays[d])) out.insert(d + 1);
    }
    size_t after = 0;
    if (StartsWithAt(s, i, U"星期") || StartsWithAt(s, i, U"礼拜") || StartsWithAt(s, i, U"禮拜")) {
      after = i + 2;
    } else if (s[i] == U'周' || s[i] == U'週') {
      after = i + 1;
    }
    if (after == 0 || after >= s.size()) continue;
    static const std::u32string kDays = U"一二三四五六日天";
    size_t k = kDays.find(s[after]);
    if (k == std::u32string::npos) continue;
    // "周一" is Monday, but "周年" and "一周" are not weekdays; a numeral after 周 that
    // starts a longer number ("周三十") is not either.
    if (after + 1 < s.size() && IsChineseNumeral(s[after + 1])) continue;
    out.insert(k >= 6 ? 7 : static_cast<int>(k) + 1);
  }
  return out;
}

std::vector<std::string> FindQuotations(std::string_view text) {
  std::vector<std::string> out;
  const std::u32string s = Decode(text);
  auto push = [&](size_t begin, size_t end) {
    std::u32string inner = s.substr(begin, end - begin);
    while (!inner.empty() && IsSpace(inner.front())) inner.erase(inner.begin());
    while (!inner.empty() && IsSpace(inner.back())) inner.pop_back();
    if (!inner.empty()) out.push_back(Encode(inner));
  };
  // A quotation that spans sentences opens in one and closes in another: an opening mark
  // without its closer runs to the end of the sentence, and a closer without its opener
  // (at the start of the text) runs from the start.
  auto take = [&](size_t open, char32_t close, bool apostrophe_rule) -> size_t {
    for (size_t j = open + 1; j < s.size(); ++j) {
      if (s[j] != close) continue;
      if (apostrophe_rule && j + 1 < s.size() && IsAsciiAlpha(s[j + 1])) continue;  // "it’s"
      push(open + 1, j);
      return j;
    }
    if (!apostrophe_rule) {
      push(open + 1, s.size());
      return s.size();
    }
    return open;
  };
  bool opened = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if ((c == U'”' || c == U'」' || c == U'』') && !opened) {
      push(0, i);
      opened = true;
      continue;
    }
    switch (c) {
      case U'“':
        i = take(i, U'”', false);
        break;
      case U'「':
        i = take(i, U'」', false);
        break;
      case U'『':
        i = take(i, U'』', false);
        break;
      case U'‘':
        i = take(i, U'’', true);
        break;
      case U'"':
        i = take(i, U'"', false);
        break;
      default:
        continue;
    }
    opened = true;
  }
  return out;
}

std::vector<NameClaim> FindNames(std::string_view text) {
  std::vector<NameClaim> out;
  const std::u32string s = Decode(text::ToSimplified(text));

  // Latin: runs of capitalised words.
  size_t first_word = std::u32string::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsAsciiAlpha(s[i]) || IsHan(s[i]) || IsAsciiDigit(s[i])) {
      first_word = i;
      break;
    }
  }
  size_t i = 0;
  while (i < s.size()) {
    if (!IsAsciiAlpha(s[i]) || (i > 0 && (IsAsciiAlnum(s[i - 1]) || s[i - 1] == '-'))) {
      ++i;
      continue;
    }
    // A run of capitalised tokens separated by single spaces.
    std::vector<std::u32string> tokens;
    size_t run_start = i;
    size_t j = i;
    while (j < s.size() && IsUpper(s[j])) {
      size_t k = j;
      while (k < s.size() && (IsAsciiAlnum(s[k]) || ((s[k] == '-' || s[k] == '&' || s[k] == '.') &&
                                                     k + 1 < s.size() && IsAsciiAlnum(s[k + 1])))) {
        ++k;
      }
      tokens.emplace_back(s.substr(j, k - j));
      j = k;
      if (j + 1 < s.size() && s[j] == ' ' && IsUpper(s[j + 1])) {
        ++j;
        continue;
      }
      break;
    }
    if (tokens.empty()) {
      while (i < s.size() && IsAsciiAlnum(s[i])) ++i;
      continue;
    }
    std::u32string original = ParentheticalAt(s, j);
    std::vector<std::string> names;
    for (size_t t = 0; t < tokens.size(); ++t) {
      std::string w = Encode(tokens[t]);
      bool sentence_initial = t == 0 && run_start == first_word;
      bool acronym = tokens[t].size() >= 2 &&
                     std::all_of(tokens[t].begin(), tokens[t].end(),
                                 [](char32_t c) { return IsUpper(c) || IsAsciiDigit(c); });
      if (IsCommonCapitalised(w) || IsMonthOrDay(w)) continue;
      if (sentence_initial && !acronym && tokens.size() == 1) continue;
      names.push_back(w);
    }
    if (!names.empty()) {
      if (!original.empty()) {
        std::string joined;
        for (const std::string& n : names) joined += (joined.empty() ? "" : " ") + n;
        out.push_back({joined, Encode(original)});
      } else {
        for (const std::string& n : names) out.push_back({n, n});
      }
    }
    i = j;
  }

  // Han: a run before a speech verb, and a run before an organisation or place suffix.
  static const std::u32string_view kSpeech[] = {U"表示", U"说",   U"称",   U"指出",
                                                U"透露", U"强调", U"认为", U"宣布"};
  static const std::u32string_view kSuffixes[] = {
      U"公司",   U"集团", U"银行",   U"大学",   U"委员会", U"协会", U"研究院",
      U"研究所", U"医院", U"交易所", U"基金会", U"省",     U"市",   U"县"};
  static const std::unordered_set<std::u32string> kGeneric = {
      U"他们", U"她们", U"我们", U"官员", U"人士", U"公司", U"报道", U"报告", U"声明",
      U"分析", U"专家", U"同时", U"此外", U"并且", U"媒体", U"当局", U"政府", U"消息",
      U"发言", U"高管", U"负责", U"方面", U"双方", U"他",   U"她"};
  auto han_before = [&](size_t end, size_t max_len) {
    size_t start = end;
    while (start > 0 && end - start < max_len && IsHan(s[start - 1]) &&
           !IsHanBoundary(s[start - 1])) {
      --start;
    }
    return std::u32string(s.substr(start, end - start));
  };
  for (size_t p = 0; p < s.size(); ++p) {
    for (std::u32string_view verb : kSpeech) {
      if (!StartsWithAt(s, p, verb)) continue;
      std::u32string run = han_before(p, 4);
      if (run.size() < 2) continue;
      std::u32string last2 = run.substr(run.size() - 2);
      if (kGeneric.count(last2) != 0 || kGeneric.count(run) != 0) continue;
      out.push_back({Encode(run), Encode(last2)});
    }
    for (std::u32string_view suffix : kSuffixes) {
      if (!StartsWithAt(s, p, suffix)) continue;
      size_t after = p + suffix.size();
      if (suffix == U"市" && after < s.size() &&
          std::u32string_view(U"场值民长政").find(s[after]) != std::u32string_view::npos) {
        continue;
      }
      std::u32string prefix = han_before(p, 6);
      if (prefix.size() < 2 || kGeneric.count(prefix) != 0) continue;
      std::u32string original = ParentheticalAt(s, after);
      std::string name = Encode(prefix) + Encode(suffix);
      out.push_back({name, original.empty() ? Encode(prefix) : Encode(original)});
    }
  }
  return out;
}

std::string FoldForMatch(std::string_view text) {
  std::u32string s = NarrowDigits(Decode(text::ToSimplified(text)));
  std::u32string out;
  bool space = false;
  for (char32_t c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    switch (c) {
      case U'“':
      case U'”':
      case U'「':
      case U'」':
      case U'『':
      case U'』':
        c = '"';
        break;
      case U'‘':
      case U'’':
        c = '\'';
        break;
      case U'–':
      case U'—':
        c = '-';
        break;
      default:
        c = ToLowerAscii(c);
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return Encode(out);
}

// ---------------------------------------------------------------------------------------
// Evidence.

Evidence::Evidence(const std::vector<Article>& reports) {
  reports_.reserve(reports.size());
  for (const Article& a : reports) {
    Report r;
    r.lang = a.lang.empty() || a.lang == kLangUnknown ? text::DetectLanguage(a.Text()) : a.lang;
    std::string all = a.title + "\n" + a.description + "\n" + a.Text();
    r.folded = FoldForMatch(all);
    r.quantities = FindQuantities(all);
    r.months = FindMonths(all);
    r.weekdays = FindWeekdays(all);
    // Month names also stand for their numbers ("2026-03-05" against "March 5").
    for (int m : r.months) r.quantities.push_back({static_cast<double>(m), 0.5, false});
    for (std::string& t : text::MatchTerms(all, r.lang)) r.terms.insert(std::move(t));
    for (std::string& id : text::EntityIds(all, r.lang)) r.entity_ids.insert(std::move(id));
    reports_.push_back(std::move(r));
  }
}

namespace {

// Removes quote marks (and keeps what they held) for a sentence marked as paraphrase.
std::string StripQuoteMarks(std::string_view text) {
  std::u32string s = Decode(text);
  std::u32string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c == U'“' || c == U'”' || c == U'「' || c == U'」' || c == U'『' || c == U'』' ||
        c == '"' || c == U'‘') {
      continue;
    }
    if (c == U'’' && !(i + 1 < s.size() && IsAsciiAlpha(s[i + 1]))) continue;
    out += c;
  }
  return Encode(out);
}

// Parts of a quotation between ellipses, folded.
std::vector<std::string> QuoteParts(const std::string& quote) {
  std::string folded = FoldForMatch(quote);
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    // Punctuation at the edges belongs to the sentence around the quote.
    std::u32string u = Decode(current);
    static const std::u32string kEdge = U" ,.;:!?，。；：！？、…'\"";
    while (!u.empty() && kEdge.find(u.front()) != std::u32string::npos) u.erase(u.begin());
    while (!u.empty() && kEdge.find(u.back()) != std::u32string::npos) u.pop_back();
    if (!u.empty()) parts.push_back(Encode(u));
    current.clear();
  };
  for (size_t i = 0; i < folded.size();) {
    if (folded.compare(i, 3, "...") == 0) {
      flush();
      i += 3;
    } else if (folded.compare(i, 3, "\xE2\x80\xA6") == 0) {  // …
      flush();
      i += 3;
    } else {
      current += folded[i++];
    }
  }
  flush();
  return parts;
}

}  // namespace

Verdict VerifySentence(const CitedSentence& sentence, bool paraphrase, SentenceRole role,
                       std::string_view lang, const Evidence& evidence) {
  Verdict v;
  v.text = sentence.text;
  while (!v.text.empty() && std::isspace(static_cast<unsigned char>(v.text.back())))
    v.text.pop_back();
  while (!v.text.empty() && std::isspace(static_cast<unsigned char>(v.text.front()))) {
    v.text.erase(v.text.begin());
  }
  if (v.text.empty()) {
    v.reason = "the sentence is empty";
    return v;
  }
  const size_t n = evidence.size();
  for (int c : sentence.cites) {
    if (c >= 0 && static_cast<size_t>(c) < n) AddCite(&v.cites, c);
  }
  const std::vector<int> order = SearchOrder(v.cites, evidence, lang);

  // Quotations.
  for (const std::string& quote : FindQuotations(v.text)) {
    bool found_all = true;
    for (const std::string& part : QuoteParts(quote)) {
      bool found = false;
      for (int r : order) {
        if (evidence.report(static_cast<size_t>(r)).folded.find(part) != std::string::npos) {
          AddCite(&v.cites, r);
          found = true;
          break;
        }
      }
      found_all &= found;
    }
    if (found_all) continue;
    if (paraphrase) {
      v.text = StripQuoteMarks(v.text);
      break;
    }
    v.reason = "the quotation \"" + quote +
               "\" is not in any report word for word (quote exactly, or paraphrase without "
               "quote marks)";
    return v;
  }

  // Numbers and amounts.
  for (const Quantity& q : FindQuantities(v.text)) {
    bool found = false;
    for (int r : order) {
      for (const Quantity& e : evidence.report(static_cast<size_t>(r)).quantities) {
        if (SameQuantity(q, e)) {
          found = true;
          break;
        }
      }
      if (found) {
        AddCite(&v.cites, r);
        break;
      }
    }
    if (!found) {
      v.reason =
          "the number " + FormatNumber(q.value) + (q.percent ? "%" : "") + " is in no report";
      return v;
    }
  }

  // Dates: month and weekday names.
  for (int m : FindMonths(v.text)) {
    bool found = false;
    for (int r : order) {
      if (evidence.report(static_cast<size_t>(r)).months.count(m) != 0) {
        AddCite(&v.cites, r);
        found = true;
        break;
      }
    }
    if (!found) {
      v.reason = "month " + std::to_string(m) + " is in no report";
      return v;
    }
  }
  for (int d : FindWeekdays(v.text)) {
    bool found = false;
    for (int r : order) {
      if (evidence.report(static_cast<size_t>(r)).weekdays.count(d) != 0) {
        AddCite(&v.cites, r);
        found = true;
        break;
      }
    }
    if (!found) {
      static const char* kNames[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                     "Thursday", "Friday", "Saturday", "Sunday"};
      v.reason = std::string("the weekday ") + kNames[d] + " is in no report";
      return v;
    }
  }

  // Names. A name not found as written may be a gazetteer name that a report gives in
  // another language.
  std::vector<text::Entity> entities;
  bool entities_found = false;
  auto known_elsewhere = [&](const NameClaim& name) -> int {
    if (!entities_found) {
      entities = text::FindEntities(v.text, lang);
      entities_found = true;
    }
    const std::string simplified_name = text::ToSimplified(name.name);
    for (const text::Entity& e : entities) {
      if (e.id.rfind("name:", 0) == 0) continue;
      const std::string surface = text::ToSimplified(e.surface);
      if (surface.find(simplified_name) == std::string::npos &&
          simplified_name.find(surface) == std::string::npos) {
        continue;
      }
      for (int r : order) {
        if (evidence.report(static_cast<size_t>(r)).entity_ids.count(e.id) != 0) return r;
      }
    }
    return -1;
  };
  for (const NameClaim& name : FindNames(v.text)) {
    std::string folded = FoldForMatch(name.lookup);
    bool latin = true;
    for (char32_t c : Decode(folded)) latin &= !IsHan(c);
    bool found = false;
    for (int r : order) {
      if (FoldedHas(evidence.report(static_cast<size_t>(r)).folded, folded, latin)) {
        AddCite(&v.cites, r);
        found = true;
        break;
      }
    }
    if (!found) {
      int r = known_elsewhere(name);
      if (r >= 0) {
        AddCite(&v.cites, r);
        found = true;
      }
    }
    if (!found) {
      v.reason = "the name \"" + name.name + "\" is in no report";
      return v;
    }
  }

  // Support: a dek or body sentence in its reports' language shares their words.
  if (role == SentenceRole::kDek || role == SentenceRole::kBody) {
    std::vector<std::string> terms = text::MatchTerms(v.text, lang);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    auto share = [&](const std::vector<int>& reports) {
      size_t hit = 0;
      for (const std::string& t : terms) {
        for (int r : reports) {
          if (evidence.report(static_cast<size_t>(r)).terms.count(t) != 0) {
            ++hit;
            break;
          }
        }
      }
      return terms.empty() ? 1.0 : static_cast<double>(hit) / static_cast<double>(terms.size());
    };
    std::vector<int> same;
    for (int c : v.cites) {
      if (SameFamily(evidence.lang(static_cast<size_t>(c)), lang)) same.push_back(c);
    }
    if (v.cites.empty()) {
      // Cite the same-language report that shares the most words.
      int best = -1;
      double best_share = 0;
      for (size_t r = 0; r < n; ++r) {
        if (!SameFamily(evidence.lang(r), lang)) continue;
        double sh = share({static_cast<int>(r)});
        if (sh > best_share) {
          best_share = sh;
          best = static_cast<int>(r);
        }
      }
      if (best >= 0) {
        v.cites.push_back(best);
        same.push_back(best);
      }
    }
    if (v.cites.empty()) {
      v.reason = "the sentence cites no report";
      return v;
    }
    constexpr double kMinShare = 0.3;
    if (!same.empty() && terms.size() >= 5 && share(same) < kMinShare) {
      v.reason = "most of its words are not in the reports it cites";
      return v;
    }
  }
  std::sort(v.cites.begin(), v.cites.end());
  v.ok = true;
  return v;
}

}  // namespace nd::write
