// Implementation notes: a hand-written scanner, because no packaged library reads numbers
// written in both English and Chinese styles (ICU's RuleBasedNumberFormat spellout parsing
// is lenient in ways that misread running Chinese text, and is slow per call).
#include "text/numbers.h"

#include <unicode/utf8.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_set>

namespace nd::text {
namespace {

struct Cp {
  UChar32 c;
  std::size_t begin;
  std::size_t end;
};

std::vector<Cp> CodePoints(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    UChar32 c;
    int32_t pos = static_cast<int32_t>(i);
    U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), c);
    i = static_cast<std::size_t>(pos);
    out.push_back({c, start, i});
  }
  return out;
}

bool IsHanNumeralChar(UChar32 c) {
  return HanDigit(c) >= 0 || HanUnit(c) > 0 || c == U'点' || c == U'點';
}

bool IsAsciiDigit(UChar32 c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(UChar32 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Does the text at code point `i` start with `word` (ASCII, case-insensitive, whole word)?
bool WordAt(const std::vector<Cp>& cps, std::size_t i, std::string_view word) {
  if (i + word.size() > cps.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    UChar32 c = cps[i + k].c;
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    if (c != static_cast<unsigned char>(word[k])) return false;
  }
  const std::size_t after = i + word.size();
  return after >= cps.size() || !IsAsciiAlpha(cps[after].c);
}

// Does the text at `i` start with the code points of `han` (UTF-8)?
bool HanAt(const std::vector<Cp>& cps, std::size_t i, std::u32string_view han) {
  if (i + han.size() > cps.size()) return false;
  for (std::size_t k = 0; k < han.size(); ++k) {
    if (cps[i + k].c != static_cast<UChar32>(han[k])) return false;
  }
  return true;
}

std::size_t SkipSpaces(const std::vector<Cp>& cps, std::size_t i) {
  while (i < cps.size() && (cps[i].c == ' ' || cps[i].c == 0xA0)) ++i;
  return i;
}

// Scale, percent and currency after a number at `i`; advances `i`.
void ReadSuffix(const std::vector<Cp>& cps, std::size_t* i, NumberMention* m, bool* scaled) {
  std::size_t j = SkipSpaces(cps, *i);
  static const std::pair<std::string_view, double> kScales[] = {
      {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12}, {"mn", 1e6},
      {"bn", 1e9},       {"tn", 1e12},     {"m", 1e6},       {"b", 1e9},         {"k", 1e3}};
  for (const auto& [w, f] : kScales) {
    // One-letter scales only straight after the digits ("$5m", "3bn").
    if (w.size() <= 2 && j != *i) continue;
    if (WordAt(cps, j, w)) {
      m->value *= f;
      *scaled = true;
      j += w.size();
      *i = j;
      break;
    }
  }
  // Chinese scales: 万亿 / 亿 / 万 / 千万 / 百万 (digits straight before).
  j = *i;
  static const std::pair<std::u32string_view, double> kHanScales[] = {
      {U"万亿", 1e12}, {U"萬億", 1e12}, {U"千亿", 1e11}, {U"千億", 1e11},
      {U"百亿", 1e10}, {U"百億", 1e10}, {U"十亿", 1e9},  {U"十億", 1e9},
      {U"千万", 1e7},  {U"千萬", 1e7},  {U"百万", 1e6},  {U"百萬", 1e6},
      {U"亿", 1e8},    {U"億", 1e8},    {U"万", 1e4},    {U"萬", 1e4}};
  for (const auto& [w, f] : kHanScales) {
    if (HanAt(cps, j, w)) {
      m->value *= f;
      *scaled = true;
      *i = j + w.size();
      break;
    }
  }
  j = SkipSpaces(cps, *i);
  if (j < cps.size() && (cps[j].c == '%' || cps[j].c == 0xFF05)) {
    m->percent = true;
    *i = j + 1;
    return;
  }
  if (WordAt(cps, j, "percent")) {
    m->percent = true;
    *i = j + 7;
    return;
  }
  if (WordAt(cps, j, "per") && WordAt(cps, SkipSpaces(cps, j + 3), "cent")) {
    m->percent = true;
    *i = SkipSpaces(cps, j + 3) + 4;
    return;
  }
  static const std::pair<std::string_view, const char*> kCurrencyWords[] = {
      {"dollars", "USD"}, {"euros", "EUR"}, {"yuan", "CNY"}, {"pounds", "GBP"},
      {"yen", "JPY"},     {"usd", "USD"},   {"eur", "EUR"},  {"rmb", "CNY"}};
  for (const auto& [w, code] : kCurrencyWords) {
    if (WordAt(cps, j, w)) {
      m->currency = code;
      *i = j + w.size();
      return;
    }
  }
  j = *i;
  static const std::pair<std::u32string_view, const char*> kHanCurrency[] = {
      {U"美元", "USD"}, {U"欧元", "EUR"}, {U"歐元", "EUR"},   {U"英镑", "GBP"},
      {U"英鎊", "GBP"}, {U"日元", "JPY"}, {U"日圓", "JPY"},   {U"港元", "HKD"},
      {U"港币", "HKD"}, {U"港幣", "HKD"}, {U"新台币", "TWD"}, {U"新台幣", "TWD"},
      {U"台币", "TWD"}, {U"台幣", "TWD"}, {U"人民币", "CNY"}, {U"人民幣", "CNY"},
      {U"元", "CNY"}};
  for (const auto& [w, code] : kHanCurrency) {
    if (HanAt(cps, j, w)) {
      m->currency = code;
      *i = j + w.size();
      return;
    }
  }
}

// Currency written before the number ("$", "US$", "€", "£", "¥", "HK$").
std::string CurrencyBefore(const std::vector<Cp>& cps, std::size_t i) {
  if (i == 0) return {};
  const UChar32 c = cps[i - 1].c;
  if (c == '$') {
    if (i >= 3 && cps[i - 3].c == 'H' && cps[i - 2].c == 'K') return "HKD";
    if (i >= 3 && cps[i - 3].c == 'N' && cps[i - 2].c == 'T') return "TWD";
    return "USD";
  }
  if (c == 0x20AC) return "EUR";
  if (c == 0xA3) return "GBP";
  if (c == 0xA5 || c == 0xFFE5) return "CNY";
  return {};
}

bool IsYearLike(double v) { return v >= 1900 && v <= 2100 && v == std::floor(v); }

int MonthFromWord(const std::vector<Cp>& cps, std::size_t i, std::size_t* len) {
  static const std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                             "may",       "june",     "july",     "august",
                                             "september", "october",  "november", "december"};
  static const std::string_view kShort[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (i > 0 && IsAsciiAlpha(cps[i - 1].c)) return 0;
  for (int m = 0; m < 12; ++m) {
    if (WordAt(cps, i, kMonths[m])) {
      *len = kMonths[m].size();
      return m + 1;
    }
    if (WordAt(cps, i, kShort[m])) {
      *len = kShort[m].size();
      if (i + *len < cps.size() && cps[i + *len].c == '.') ++*len;
      return m + 1;
    }
  }
  return 0;
}

std::string DateTerm(int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "@%02d-%02d", month, day);
  return buf;
}

// Reads ASCII digits (with thousands commas and one decimal point) at `i`.
bool ReadArabic(const std::vector<Cp>& cps, std::size_t* i, double* value, int* digits) {
  std::size_t j = *i;
  std::string s;
  bool seen_point = false;
  while (j < cps.size()) {
    const UChar32 c = cps[j].c;
    if (IsAsciiDigit(c)) {
      s.push_back(static_cast<char>(c));
      ++j;
    } else if (c == ',' && !seen_point && j + 3 < cps.size() && IsAsciiDigit(cps[j + 1].c) &&
               IsAsciiDigit(cps[j + 2].c) && IsAsciiDigit(cps[j + 3].c) &&
               (j + 4 >= cps.size() || !IsAsciiDigit(cps[j + 4].c))) {
      ++j;
    } else if (c == '.' && !seen_point && j + 1 < cps.size() && IsAsciiDigit(cps[j + 1].c)) {
      seen_point = true;
      s.push_back('.');
      ++j;
    } else {
      break;
    }
  }
  if (s.empty()) return false;
  *digits = static_cast<int>(s.size());
  *value = std::strtod(s.c_str(), nullptr);
  *i = j;
  return true;
}

}  // namespace

int HanDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
    case U'兩':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

double HanUnit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    case U'万':
    case U'萬':
      return 1e4;
    case U'亿':
    case U'億':
      return 1e8;
    default:
      return 0;
  }
}

std::optional<double> ParseChineseNumeral(std::string_view han) {
  std::vector<Cp> cps = CodePoints(han);
  if (cps.empty()) return std::nullopt;
  std::size_t point = cps.size();
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i].c == U'点' || cps[i].c == U'點') {
      if (point != cps.size()) return std::nullopt;
      point = i;
    }
  }
  bool any_unit = false;
  for (std::size_t i = 0; i < point; ++i) any_unit = any_unit || HanUnit(cps[i].c) > 0;
  double integer = 0;
  if (!any_unit) {
    // Positional digits ("二〇二六").
    if (point == 0) return std::nullopt;
    for (std::size_t i = 0; i < point; ++i) {
      const int d = HanDigit(cps[i].c);
      if (d < 0) return std::nullopt;
      integer = integer * 10 + d;
    }
  } else {
    double total = 0, section = 0;
    int number = -1;
    for (std::size_t i = 0; i < point; ++i) {
      const UChar32 c = cps[i].c;
      const int d = HanDigit(c);
      const double u = HanUnit(c);
      if (d >= 0) {
        if (number > 0) return std::nullopt;  // two digits in a row
        number = d;
      } else if (u >= 10 && u <= 1000) {
        section += (number < 0 ? (u == 10 ? 1 : -1) : number) * u;
        if (number < 0 && u != 10) return std::nullopt;
        number = -1;
      } else if (u == 1e4) {
        const double part = section + std::max(number, 0);
        if (part == 0 && total == 0) return std::nullopt;
        total += part * 1e4;
        section = 0;
        number = -1;
      } else if (u == 1e8) {
        const double part = total + section + std::max(number, 0);
        if (part == 0) return std::nullopt;
        total = part * 1e8;
        section = 0;
        number = -1;
      } else {
        return std::nullopt;
      }
    }
    integer = total + section + std::max(number, 0);
  }
  double fraction = 0, scale = 0.1;
  for (std::size_t i = point + 1; i < cps.size(); ++i) {
    const int d = HanDigit(cps[i].c);
    if (d < 0) return std::nullopt;
    fraction += d * scale;
    scale /= 10;
  }
  if (point + 1 == cps.size()) return std::nullopt;  // "五点"
  return integer + fraction;
}

std::string NumberTerm(double value, bool percent) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "#%.3g%s", value, percent ? "%" : "");
  return buf;
}

std::vector<NumberMention> FindNumbers(std::string_view utf8) {
  std::vector<NumberMention> out;
  const std::vector<Cp> cps = CodePoints(utf8);
  std::size_t i = 0;
  while (i < cps.size()) {
    const UChar32 c = cps[i].c;
    if (IsAsciiDigit(c) && (i == 0 || !(IsAsciiAlpha(cps[i - 1].c) || cps[i - 1].c == '.' ||
                                        IsAsciiDigit(cps[i - 1].c)))) {
      NumberMention m;
      m.currency = CurrencyBefore(cps, i);
      int digits = 0;
      if (!ReadArabic(cps, &i, &m.value, &digits)) {
        ++i;
        continue;
      }
      bool scaled = false;
      ReadSuffix(cps, &i, &m, &scaled);
      out.push_back(std::move(m));
      continue;
    }
    // "百分之" + numeral.
    if (HanAt(cps, i, U"百分之")) {
      std::size_t j = i + 3;
      std::string run;
      while (j < cps.size() && IsHanNumeralChar(cps[j].c)) {
        run.append(utf8.substr(cps[j].begin, cps[j].end - cps[j].begin));
        ++j;
      }
      NumberMention m;
      m.percent = true;
      if (auto v = ParseChineseNumeral(run)) {
        m.value = *v;
        out.push_back(m);
        i = j;
        continue;
      }
      int digits = 0;
      std::size_t k = i + 3;
      if (ReadArabic(cps, &k, &m.value, &digits)) {
        out.push_back(m);
        i = k;
        continue;
      }
      i += 3;
      continue;
    }
    if (IsHanNumeralChar(c) && c != U'点' && c != U'點') {
      std::size_t j = i;
      std::string run;
      while (j < cps.size() && IsHanNumeralChar(cps[j].c)) {
        run.append(utf8.substr(cps[j].begin, cps[j].end - cps[j].begin));
        ++j;
      }
      static const std::unordered_set<std::string_view> kNotNumbers = {
          "万一", "萬一", "一一", "十分", "千万", "千萬", "万万", "萬萬",
          "一点", "一點", "百万", "百萬", "十万", "十萬", "一万", "一萬"};
      if (j - i >= 2 && kNotNumbers.count(run) == 0) {
        if (auto v = ParseChineseNumeral(run)) {
          NumberMention m;
          m.value = *v;
          bool scaled = false;
          std::size_t k = j;
          ReadSuffix(cps, &k, &m, &scaled);
          out.push_back(std::move(m));
          i = k;
          continue;
        }
      }
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<std::string> NumberTerms(std::string_view utf8) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string t) {
    if (seen.insert(t).second) out.push_back(std::move(t));
  };
  for (const NumberMention& m : FindNumbers(utf8)) {
    if (!m.currency.empty()) add("\xC2\xA4" + m.currency);
    if (m.percent) {
      add(NumberTerm(m.value, true));
      continue;
    }
    if (m.currency.empty() && m.value < 10 && m.value == std::floor(m.value)) continue;
    if (m.currency.empty() && IsYearLike(m.value)) continue;
    add(NumberTerm(m.value));
  }
  // Dates: "March 3", "3 March", "3月3日", "三月三日", "2026-03-03".
  const std::vector<Cp> cps = CodePoints(utf8);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::size_t len = 0;
    if (IsAsciiAlpha(cps[i].c)) {
      const int month = MonthFromWord(cps, i, &len);
      if (month == 0) continue;
      std::size_t j = SkipSpaces(cps, i + len);
      double day = 0;
      int digits = 0;
      if (j > i + len && ReadArabic(cps, &j, &day, &digits) && digits <= 2 && day >= 1 &&
          day <= 31) {
        add(DateTerm(month, static_cast<int>(day)));
      }
      // "3 March": look back.
      std::size_t b = i;
      while (b > 0 && cps[b - 1].c == ' ') --b;
      if (b < i && b > 0 && IsAsciiDigit(cps[b - 1].c)) {
        std::size_t s = b - 1;
        while (s > 0 && IsAsciiDigit(cps[s - 1].c)) --s;
        if (b - s <= 2) {
          std::size_t k = s;
          if (ReadArabic(cps, &k, &day, &digits) && day >= 1 && day <= 31) {
            add(DateTerm(month, static_cast<int>(day)));
          }
        }
      }
      i += len;
      continue;
    }
    if (cps[i].c == U'月') {
      // Month before 月: Arabic or Han digits; day after, then 日 or 号/號.
      std::size_t s = i;
      while (s > 0 &&
             (IsAsciiDigit(cps[s - 1].c) || HanDigit(cps[s - 1].c) >= 0 || cps[s - 1].c == U'十')) {
        --s;
      }
      std::size_t e = i + 1;
      while (e < cps.size() &&
             (IsAsciiDigit(cps[e].c) || HanDigit(cps[e].c) >= 0 || cps[e].c == U'十')) {
        ++e;
      }
      if (s == i || e == i + 1 || e >= cps.size()) continue;
      if (cps[e].c != U'日' && cps[e].c != U'号' && cps[e].c != U'號') continue;
      auto value = [&](std::size_t from, std::size_t to) -> double {
        std::string run(utf8.substr(cps[from].begin, cps[to - 1].end - cps[from].begin));
        if (IsAsciiDigit(cps[from].c)) return std::strtod(run.c_str(), nullptr);
        return ParseChineseNumeral(run).value_or(0);
      };
      const double month = value(s, i);
      const double day = value(i + 1, e);
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        add(DateTerm(static_cast<int>(month), static_cast<int>(day)));
      }
      continue;
    }
    if (IsAsciiDigit(cps[i].c) && i + 9 < cps.size() + 0 && cps[i + 4].c == '-' &&
        (i == 0 || !IsAsciiDigit(cps[i - 1].c))) {
      double y = 0, mo = 0, d = 0;
      int digits = 0;
      std::size_t k = i;
      if (ReadArabic(cps, &k, &y, &digits) && digits == 4 && k < cps.size() && cps[k].c == '-') {
        ++k;
        if (ReadArabic(cps, &k, &mo, &digits) && digits == 2 && k < cps.size() && cps[k].c == '-') {
          ++k;
          if (ReadArabic(cps, &k, &d, &digits) && digits == 2 && mo >= 1 && mo <= 12 && d >= 1 &&
              d <= 31) {
            add(DateTerm(static_cast<int>(mo), static_cast<int>(d)));
          }
        }
      }
    }
  }
  return out;
}

}  // namespace nd::text
