// text: language and script detection, sentences and words, script folding and matching
// terms. CLD2 detects the language (and tells zh-Hans from zh-Hant); ICU breaks sentences
// and words (dictionary segmentation for Chinese); OpenCC converts between Simplified and
// Traditional Chinese; Snowball stems English.
//
// Thread-safety: all functions are thread-safe (converters are built once per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nd::text {

// "en", "zh-Hans", "zh-Hant", another ISO 639-1 code, or "und". `hint` (a tag from the
// page or feed) is used when the text is too short to decide; Chinese script is always
// decided from the characters.
std::string DetectLanguage(std::string_view utf8, std::string_view hint = {});

// True when the language tag is Chinese in either script.
bool IsChinese(std::string_view lang);

// Sentences in order, trimmed; understands Chinese punctuation (。！？；) and
// English abbreviations.
std::vector<std::string> SplitSentences(std::string_view utf8, std::string_view lang);

// Word tokens in order (ICU word break; Chinese segmented into words), punctuation and
// spaces dropped, case kept.
std::vector<std::string> Words(std::string_view utf8);

// Terms for matching and search: lower-cased, NFKC, Traditional folded to Simplified,
// English stop words removed and stems taken (Snowball), Chinese words plus character
// bigrams of Han runs, numbers kept.
std::vector<std::string> MatchTerms(std::string_view utf8, std::string_view lang);

// Simplified -> Traditional (Taiwan phrases, OpenCC s2twp) and back (tw2sp).
std::string ToTraditional(std::string_view utf8);
std::string ToSimplified(std::string_view utf8);

// Number of "words" for length budgets: English words, or Han characters / 1.5 rounded.
int CountWords(std::string_view utf8, std::string_view lang);

}  // namespace nd::text
