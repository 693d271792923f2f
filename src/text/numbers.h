// numbers: numbers, percentages, money and dates normalised to language-independent
// terms, so that "1.2 billion", "1,200,000,000" and "12亿" meet, as do "5.3%",
// "5.3 percent" and "百分之五点三", and "March 3" and "3月3日".
//
// Terms: "#<value>" for a number (value to 3 significant digits, "%g" style: "#1.2e+09",
// "#5.3"), "#<value>%" for a percentage, "¤<ISO code>" for a currency named next to a
// number, "@<MM>-<DD>" for a month and day. Small counts (integers under 10) are left out:
// they carry no evidence.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nd::text {

struct NumberMention {
  double value = 0;
  bool percent = false;
  std::string currency;  // ISO 4217 code when a currency is named, else empty
};

// Numbers in `utf8` (English and Chinese forms), in text order.
std::vector<NumberMention> FindNumbers(std::string_view utf8);

// The value of a Chinese numeral such as "一千二百万", "十四", "五点三", "两"; nullopt
// when `han` is not a well-formed numeral.
std::optional<double> ParseChineseNumeral(std::string_view han);

// Value of one Chinese numeral digit (零〇一二两兩...九 -> 0..9), or -1.
int HanDigit(char32_t c);
// Value of one Chinese numeral unit (十百千万萬亿億), or 0.
double HanUnit(char32_t c);

// Distinct terms for the numbers and dates in `utf8` (see above), in first-mention order.
std::vector<std::string> NumberTerms(std::string_view utf8);

// "#" term for a value: 3 significant digits.
std::string NumberTerm(double value, bool percent = false);

}  // namespace nd::text
