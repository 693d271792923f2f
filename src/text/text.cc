// Implementation notes.
//
// ICU break iterators run over UTF-8 through UText, so their boundaries are byte offsets
// into the caller's string and no UTF-16 copy is made. Break iterators, OpenCC converters
// and Snowball stemmers are not safe to share between threads and are expensive to build,
// so each thread builds its own once (thread_local) and reuses it.
#include "text/text.h"

#include <cld2/public/compact_lang_det.h>
#include <libstemmer.h>
#include <opencc/opencc.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace nd::text {
namespace {

// ---------------------------------------------------------------------------------------
// Code points.

bool IsHan(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

bool IsKana(UChar32 c) { return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF); }

bool IsHangul(UChar32 c) {
  return (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);
}

bool IsSpace(UChar32 c) { return c >= 0 && (u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B); }

// Decodes the code point at byte offset *i and advances *i; invalid bytes give -1.
UChar32 NextCodePoint(std::string_view s, size_t* i) {
  UChar32 c;
  int32_t pos = static_cast<int32_t>(*i);
  U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), c);
  *i = static_cast<size_t>(pos);
  return c;
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, c, error);
  if (!error) out->append(buf, static_cast<size_t>(len));
}

// A copy of `s` with every invalid UTF-8 sequence replaced by a space (CLD2 requires
// valid input).
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    UChar32 c = NextCodePoint(s, &i);
    if (c < 0) {
      out.push_back(' ');
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t next = begin;
    UChar32 c = NextCodePoint(s, &next);
    if (!IsSpace(c)) break;
    begin = next;
  }
  size_t end = s.size();
  while (end > begin) {
    int32_t pos = static_cast<int32_t>(end);
    UChar32 c;
    U8_PREV(s.data(), 0, pos, c);
    if (!IsSpace(c)) break;
    end = static_cast<size_t>(pos);
  }
  return s.substr(begin, end - begin);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// OpenCC.

// Builds a converter from a config name; OpenCC looks in its data directory, and we try
// the Debian path explicitly as well. Returns null when the data files are missing.
std::unique_ptr<opencc::SimpleConverter> MakeConverter(const char* config) {
  for (const std::string& path :
       {std::string(config), std::string("/usr/share/opencc/") + config}) {
    try {
      return std::make_unique<opencc::SimpleConverter>(path);
    } catch (...) {
      // Try the next location.
    }
  }
  return nullptr;
}

enum class Conversion { kS2twp, kTw2sp, kT2s, kS2t };

const opencc::SimpleConverter* Converter(Conversion which) {
  thread_local std::array<std::unique_ptr<opencc::SimpleConverter>, 4> converters;
  thread_local std::array<bool, 4> tried{};
  static constexpr std::array<const char*, 4> kConfigs = {"s2twp.json", "tw2sp.json", "t2s.json",
                                                          "s2t.json"};
  size_t index = static_cast<size_t>(which);
  if (!tried[index]) {
    tried[index] = true;
    converters[index] = MakeConverter(kConfigs[index]);
  }
  return converters[index].get();
}

// Converts, or returns the input unchanged when OpenCC is unavailable or fails.
std::string Convert(Conversion which, std::string_view utf8) {
  const opencc::SimpleConverter* converter = Converter(which);
  if (converter == nullptr || utf8.empty()) return std::string(utf8);
  try {
    return converter->Convert(utf8.data(), utf8.size());
  } catch (...) {
    return std::string(utf8);
  }
}

bool ContainsHan(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (IsHan(NextCodePoint(s, &i))) return true;
  }
  return false;
}

// Script class of a Han character: +1 Traditional-only (t2s changes it), -1
// Simplified-only (s2t changes it), 0 shared by both scripts.
struct ScriptCounts {
  int traditional = 0;
  int simplified = 0;
};

ScriptCounts CountScriptCharacters(std::string_view utf8) {
  thread_local std::unordered_map<UChar32, int8_t> cache;
  std::vector<UChar32> han;
  size_t i = 0;
  while (i < utf8.size() && han.size() < 4000) {
    UChar32 c = NextCodePoint(utf8, &i);
    if (IsHan(c)) han.push_back(c);
  }
  // Classify characters not seen before in one batch: one per line, so that OpenCC's
  // phrase tables cannot join neighbours.
  std::vector<UChar32> unknown;
  std::unordered_set<UChar32> queued;
  for (UChar32 c : han) {
    if (!cache.contains(c) && queued.insert(c).second) unknown.push_back(c);
  }
  if (!unknown.empty()) {
    std::string batch;
    for (UChar32 c : unknown) {
      AppendUtf8(c, &batch);
      batch.push_back('\n');
    }
    auto split = [](const std::string& s) {
      std::vector<std::string> lines;
      size_t start = 0;
      for (size_t j = 0; j < s.size(); ++j) {
        if (s[j] == '\n') {
          lines.push_back(s.substr(start, j - start));
          start = j + 1;
        }
      }
      return lines;
    };
    std::vector<std::string> to_simplified = split(Convert(Conversion::kT2s, batch));
    std::vector<std::string> to_traditional = split(Convert(Conversion::kS2t, batch));
    if (to_simplified.size() == unknown.size() && to_traditional.size() == unknown.size()) {
      for (size_t k = 0; k < unknown.size(); ++k) {
        std::string original;
        AppendUtf8(unknown[k], &original);
        bool traditional_only = to_simplified[k] != original;
        bool simplified_only = to_traditional[k] != original;
        int8_t cls = 0;
        if (traditional_only && !simplified_only) cls = 1;
        if (simplified_only && !traditional_only) cls = -1;
        if (cache.size() < 100000) cache[unknown[k]] = cls;
      }
    }
  }
  ScriptCounts counts;
  for (UChar32 c : han) {
    auto it = cache.find(c);
    if (it == cache.end()) continue;
    if (it->second > 0) ++counts.traditional;
    if (it->second < 0) ++counts.simplified;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------
// ICU break iterators.

// A per-thread iterator cloned from a prototype built once.
icu::BreakIterator* WordIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  return iterator.get();
}

icu::BreakIterator* SentenceIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    // "ss=standard" suppresses breaks after ICU's own list of English abbreviations.
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
    if (U_FAILURE(status)) {
      status = U_ZERO_ERROR;
      it.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    }
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  return iterator.get();
}

// Calls fn(begin, end, rule_status) for every segment of `utf8`; offsets are bytes.
template <typename Fn>
void ForEachSegment(icu::BreakIterator* it, std::string_view utf8, Fn fn) {
  if (it == nullptr || utf8.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  UText text = UTEXT_INITIALIZER;
  utext_openUTF8(&text, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return;
  it->setText(&text, status);
  if (U_SUCCESS(status)) {
    int32_t begin = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
      fn(static_cast<size_t>(begin), static_cast<size_t>(end), it->getRuleStatus());
      begin = end;
    }
  }
  // Detach the iterator from the caller's buffer before it goes away.
  UText empty = UTEXT_INITIALIZER;
  UErrorCode ignored = U_ZERO_ERROR;
  utext_openUTF8(&empty, "", 0, &ignored);
  it->setText(&empty, ignored);
  utext_close(&empty);
  utext_close(&text);
}

// ---------------------------------------------------------------------------------------
// Sentences.

// The last whitespace-separated word of a segment, without leading brackets or quotes.
std::string_view LastWord(std::string_view segment) {
  std::string_view trimmed = TrimSpace(segment);
  size_t space = trimmed.find_last_of(" \t\n\r");
  std::string_view last = space == std::string_view::npos ? trimmed : trimmed.substr(space + 1);
  while (!last.empty() && (last.front() == '(' || last.front() == '"' || last.front() == '\'')) {
    last.remove_prefix(1);
  }
  return last;
}

// The first word of `rest`, letters only.
std::string_view FirstWord(std::string_view rest) {
  rest = TrimSpace(rest);
  size_t end = 0;
  while (end < rest.size() && ((rest[end] | 0x20) >= 'a' && (rest[end] | 0x20) <= 'z')) ++end;
  return rest.substr(0, end);
}

// True when a break after `segment` (followed by `rest`) is an abbreviation, not a
// sentence end. Titles ("Mr.", "Gen.") never end a sentence; abbreviations that often
// do ("U.S.", "Inc.") end one when the next word is a usual sentence opener.
bool IsAbbreviationBreak(std::string_view segment, std::string_view rest) {
  static const std::unordered_set<std::string_view> kTitles = {
      "Mr.",   "Mrs.", "Ms.",     "Dr.",   "Prof.", "St.",   "Mt.",   "No.",  "Nos.",    "Gen.",
      "Sen.",  "Rep.", "Gov.",    "Lt.",   "Col.",  "Sgt.",  "Capt.", "Adm.", "Rev.",    "Hon.",
      "Pres.", "vs.",  "Jan.",    "Feb.",  "Mar.",  "Apr.",  "Jun.",  "Jul.", "Aug.",    "Sep.",
      "Sept.", "Oct.", "Nov.",    "Dec.",  "Ave.",  "Blvd.", "Dept.", "Fig.", "approx.", "e.g.",
      "i.e.",  "cf.",  "Messrs.", "Gens.", "Sens.", "Reps."};
  static const std::unordered_set<std::string_view> kOftenFinal = {
      "U.S.", "U.K.", "U.N.", "E.U.", "Inc.", "Corp.", "Co.", "Ltd.", "Jr.", "Sr."};
  static const std::unordered_set<std::string_view> kOpeners = {
      "The",  "A",     "An",  "He",    "She",   "It",        "They",    "We",        "I",
      "But",  "And",   "In",  "On",    "At",    "This",      "That",    "These",     "Those",
      "Its",  "His",   "Her", "Their", "There", "Officials", "However", "Meanwhile", "After",
      "When", "While", "If",  "As",    "Some",  "Many",      "Other",   "Analysts"};
  std::string_view last = LastWord(segment);
  if (last.size() < 2 || last.back() != '.') return false;
  if (kTitles.contains(last)) return true;
  if (kOftenFinal.contains(last)) return !kOpeners.contains(FirstWord(rest));
  // A single initial: "John F. Kennedy".
  return last.size() == 2 && last[0] >= 'A' && last[0] <= 'Z';
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Splits a long Chinese sentence at full-width semicolons; short clauses stay joined.
void SplitLongAtSemicolons(std::string_view sentence, std::vector<std::string>* out) {
  constexpr size_t kLongSentence = 80;  // code points
  constexpr size_t kMinPiece = 10;
  constexpr std::string_view kSemicolon = "；";
  if (CountCodePoints(sentence) <= kLongSentence) {
    out->emplace_back(sentence);
    return;
  }
  size_t start = 0;
  size_t search = 0;
  while (true) {
    size_t pos = sentence.find(kSemicolon, search);
    if (pos == std::string_view::npos) break;
    size_t cut = pos + kSemicolon.size();
    std::string_view piece = sentence.substr(start, cut - start);
    std::string_view rest = sentence.substr(cut);
    if (CountCodePoints(piece) >= kMinPiece && CountCodePoints(TrimSpace(rest)) >= kMinPiece) {
      std::string_view trimmed = TrimSpace(piece);
      if (!trimmed.empty()) out->emplace_back(trimmed);
      start = cut;
    }
    search = cut;
  }
  std::string_view last = TrimSpace(sentence.substr(start));
  if (!last.empty()) out->emplace_back(last);
}

// ---------------------------------------------------------------------------------------
// Terms.

bool IsEnglishStopWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kStopWords = {
      "a",      "about",  "above", "after",  "again",    "against",    "all",    "am",
      "an",     "and",    "any",   "are",    "as",       "at",         "be",     "because",
      "been",   "before", "being", "below",  "between",  "both",       "but",    "by",
      "can",    "could",  "did",   "do",     "does",     "doing",      "down",   "during",
      "each",   "few",    "for",   "from",   "further",  "had",        "has",    "have",
      "having", "he",     "her",   "here",   "hers",     "herself",    "him",    "himself",
      "his",    "how",    "i",     "if",     "in",       "into",       "is",     "it",
      "its",    "itself", "just",  "me",     "more",     "most",       "my",     "myself",
      "no",     "nor",    "not",   "now",    "of",       "off",        "on",     "once",
      "only",   "or",     "other", "our",    "ours",     "ourselves",  "out",    "over",
      "own",    "same",   "she",   "should", "so",       "some",       "such",   "than",
      "that",   "the",    "their", "theirs", "them",     "themselves", "then",   "there",
      "these",  "they",   "this",  "those",  "through",  "to",         "too",    "under",
      "until",  "up",     "very",  "was",    "we",       "were",       "what",   "when",
      "where",  "which",  "while", "who",    "whom",     "why",        "will",   "with",
      "would",  "you",    "your",  "yours",  "yourself", "yourselves", "also",   "said",
      "says",   "say",    "may",   "might",  "must",     "shall",      "it's",   "its",
      "s",      "t",      "don't", "didn't", "doesn't",  "isn't",      "wasn't", "won't"};
  return kStopWords.contains(w);
}

bool IsChineseFunctionChar(std::string_view w) {
  static const std::unordered_set<std::string_view> kFunction = {
      "的", "了", "在", "是", "和", "与", "也", "就", "都", "而", "及", "或", "被",
      "把", "对", "为", "于", "上", "中", "下", "这", "那", "其", "之", "着", "过",
      "地", "得", "并", "将", "从", "向", "等", "又", "还", "但", "由", "以", "所"};
  return kFunction.contains(w);
}

// Snowball algorithm name for a language tag, or null when none applies.
const char* StemmerAlgorithm(std::string_view lang) {
  std::string primary = AsciiLower(lang.substr(0, lang.find_first_of("-_")));
  if (primary.empty() || primary == "en" || primary == "zh" || primary == "und") {
    return "english";
  }
  static const std::map<std::string, const char*, std::less<>> kAlgorithms = {
      {"fr", "french"},     {"de", "german"},     {"es", "spanish"}, {"it", "italian"},
      {"pt", "portuguese"}, {"nl", "dutch"},      {"sv", "swedish"}, {"no", "norwegian"},
      {"nb", "norwegian"},  {"da", "danish"},     {"fi", "finnish"}, {"ru", "russian"},
      {"hu", "hungarian"},  {"ro", "romanian"},   {"tr", "turkish"}, {"id", "indonesian"},
      {"ga", "irish"},      {"el", "greek"},      {"ar", "arabic"},  {"ca", "catalan"},
      {"eu", "basque"},     {"lt", "lithuanian"}, {"ne", "nepali"},  {"sr", "serbian"},
      {"ta", "tamil"},      {"hy", "armenian"},   {"yi", "yiddish"}, {"hi", "hindi"}};
  auto it = kAlgorithms.find(primary);
  return it == kAlgorithms.end() ? nullptr : it->second;
}

class Stemmer {
 public:
  explicit Stemmer(const char* algorithm) : stemmer_(sb_stemmer_new(algorithm, "UTF_8")) {}
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  std::string Stem(std::string_view word) {
    if (stemmer_ == nullptr) return std::string(word);
    const sb_symbol* stem = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stem == nullptr) return std::string(word);
    return std::string(reinterpret_cast<const char*>(stem),
                       static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

 private:
  sb_stemmer* stemmer_;
};

Stemmer* StemmerFor(const char* algorithm) {
  thread_local std::map<std::string, std::unique_ptr<Stemmer>, std::less<>> stemmers;
  auto it = stemmers.find(algorithm);
  if (it == stemmers.end()) {
    it = stemmers.emplace(algorithm, std::make_unique<Stemmer>(algorithm)).first;
  }
  return it->second.get();
}

std::string NfkcCasefold(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return AsciiLower(utf8);
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = normalizer->normalize(input, status);
  if (U_FAILURE(status)) return AsciiLower(utf8);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public functions.

bool IsChinese(std::string_view lang) {
  return lang.size() >= 2 && (lang[0] == 'z' || lang[0] == 'Z') &&
         (lang[1] == 'h' || lang[1] == 'H') &&
         (lang.size() == 2 || lang[2] == '-' || lang[2] == '_');
}

std::string DetectLanguage(std::string_view utf8, std::string_view hint) {
  std::string text = ValidUtf8(utf8);
  // Normalise the hint to a primary subtag, remembering whether it names Traditional.
  std::string hint_lower = AsciiLower(TrimSpace(hint));
  std::string hint_primary = hint_lower.substr(0, hint_lower.find_first_of("-_"));
  if (hint_primary == "und" || hint_primary.size() < 2 || hint_primary.size() > 3) {
    hint_primary.clear();
  }
  bool hint_traditional =
      IsChinese(hint_lower) &&
      (hint_lower.find("hant") != std::string::npos || hint_lower.find("tw") != std::string::npos ||
       hint_lower.find("hk") != std::string::npos || hint_lower.find("mo") != std::string::npos);

  int han = 0, kana = 0, hangul = 0, letters = 0;
  size_t i = 0;
  while (i < text.size()) {
    UChar32 c = NextCodePoint(text, &i);
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++letters;
      continue;
    }
    if (IsHan(c)) {
      ++han;
    } else if (IsKana(c)) {
      ++kana;
    } else if (IsHangul(c)) {
      ++hangul;
    } else if (u_isalpha(c)) {
      ++letters;
    }
  }

  CLD2::Language language3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  CLD2::Language detected = CLD2::ExtDetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, language3, percent3,
      &text_bytes, &reliable);

  bool cld_chinese = detected == CLD2::CHINESE || detected == CLD2::CHINESE_T;
  // Mostly Han characters and no kana or hangul: Chinese whatever CLD2 says (it is
  // unreliable on headlines).
  bool han_text = han > 0 && kana * 10 < han && hangul * 10 < han && han * 2 >= letters;
  bool chinese = cld_chinese || han_text || (han == 0 && IsChinese(hint_primary) && !reliable);
  if (chinese && (cld_chinese || han_text || text_bytes < 30)) {
    ScriptCounts counts = CountScriptCharacters(text);
    if (counts.traditional > counts.simplified) return "zh-Hant";
    if (counts.simplified > counts.traditional) return "zh-Hans";
    if (detected == CLD2::CHINESE_T || hint_traditional) return "zh-Hant";
    return "zh-Hans";
  }

  std::string code;
  if (detected != CLD2::UNKNOWN_LANGUAGE && (reliable || hint_primary.empty())) {
    code = CLD2::LanguageCode(detected);
  } else if (!hint_primary.empty()) {
    return hint_primary;
  } else {
    return "und";
  }
  // CLD2 uses a few obsolete codes.
  if (code == "iw") return "he";
  if (code == "in") return "id";
  if (code == "jw") return "jv";
  if (code.empty() || code == "un" || code == "xxx") return "und";
  return code;
}

std::vector<std::string> SplitSentences(std::string_view utf8, std::string_view lang) {
  std::vector<std::string> sentences;
  bool chinese = IsChinese(lang) || ContainsHan(utf8);
  size_t start = 0;
  // ICU keeps an opening quote that follows a terminator ("遇难。“他说") with the sentence
  // before it; it belongs to the next one.
  std::string carry;
  auto emit = [&](std::string_view sentence) {
    std::string joined;
    if (!carry.empty()) {
      joined = carry + std::string(sentence);
      sentence = joined;
      carry.clear();
    }
    std::string_view trimmed = TrimSpace(sentence);
    for (std::string_view open : {"“", "「", "『", "‘", "«"}) {
      if (trimmed.size() > open.size() && trimmed.substr(trimmed.size() - open.size()) == open) {
        carry = std::string(open);
        trimmed = TrimSpace(trimmed.substr(0, trimmed.size() - open.size()));
        break;
      }
    }
    if (trimmed.empty()) return;
    if (chinese) {
      SplitLongAtSemicolons(trimmed, &sentences);
    } else {
      sentences.emplace_back(trimmed);
    }
  };
  icu::BreakIterator* it = SentenceIterator();
  if (it == nullptr) {
    emit(utf8);
    return sentences;
  }
  ForEachSegment(it, utf8, [&](size_t /*begin*/, size_t end, int32_t /*status*/) {
    std::string_view so_far = utf8.substr(start, end - start);
    // A break after an abbreviation is not a sentence end unless a paragraph ends there.
    bool hard_break = !so_far.empty() && (so_far.back() == '\n' || so_far.back() == '\r');
    if (end < utf8.size() && !hard_break && IsAbbreviationBreak(so_far, utf8.substr(end))) {
      return;
    }
    emit(so_far);
    start = end;
  });
  if (start < utf8.size()) emit(utf8.substr(start));
  return sentences;
}

std::vector<std::string> Words(std::string_view utf8) {
  std::vector<std::string> words;
  ForEachSegment(WordIterator(), utf8, [&](size_t begin, size_t end, int32_t status) {
    if (status >= UBRK_WORD_NONE_LIMIT) words.emplace_back(utf8.substr(begin, end - begin));
  });
  return words;
}

std::vector<std::string> MatchTerms(std::string_view utf8, std::string_view lang) {
  std::string folded = NfkcCasefold(utf8);
  bool has_han = ContainsHan(folded);
  if (has_han) folded = Convert(Conversion::kT2s, folded);
  const char* algorithm = StemmerAlgorithm(lang);
  Stemmer* stemmer = algorithm != nullptr ? StemmerFor(algorithm) : nullptr;
  bool english_stop_words = algorithm != nullptr && std::string_view(algorithm) == "english";

  std::vector<std::string> terms;
  terms.reserve(folded.size() / 4);
  // The current run of adjacent Han words, for character bigrams.
  size_t run_begin = 0, run_end = 0;
  auto flush_run = [&] {
    if (run_end <= run_begin) return;
    std::string_view run = std::string_view(folded).substr(run_begin, run_end - run_begin);
    std::vector<size_t> starts;
    for (size_t k = 0; k < run.size(); ++k) {
      if ((static_cast<unsigned char>(run[k]) & 0xC0) != 0x80) starts.push_back(k);
    }
    starts.push_back(run.size());
    for (size_t k = 0; k + 2 < starts.size(); ++k) {
      terms.emplace_back(run.substr(starts[k], starts[k + 2] - starts[k]));
    }
    run_begin = run_end = 0;
  };

  ForEachSegment(WordIterator(), folded, [&](size_t begin, size_t end, int32_t status) {
    if (status < UBRK_WORD_NONE_LIMIT) {
      flush_run();
      return;
    }
    std::string_view token = std::string_view(folded).substr(begin, end - begin);
    size_t first = 0;
    UChar32 c = NextCodePoint(token, &first);
    if (IsHan(c)) {
      if (run_end != begin) {
        flush_run();
        run_begin = begin;
      }
      run_end = end;
      if (!(first == token.size() && IsChineseFunctionChar(token))) terms.emplace_back(token);
      return;
    }
    flush_run();
    if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) {
      std::string number;
      for (char ch : token) {
        if (ch != ',') number.push_back(ch);
      }
      terms.push_back(std::move(number));
      return;
    }
    if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT) {
      // Typographic apostrophes to ASCII, so the stemmer sees "'s".
      std::string word;
      for (size_t k = 0; k < token.size();) {
        if (token.substr(k, 3) == "\u2019") {
          word.push_back('\'');
          k += 3;
        } else {
          word.push_back(token[k++]);
        }
      }
      if (english_stop_words && IsEnglishStopWord(word)) return;
      if (word.find('.') != std::string::npos) {
        // An acronym ("u.s."): drop the dots, do not stem.
        std::erase(word, '.');
        if (!word.empty()) terms.push_back(std::move(word));
        return;
      }
      std::string stem = stemmer != nullptr ? stemmer->Stem(word) : word;
      if (!stem.empty()) terms.push_back(std::move(stem));
      return;
    }
    terms.emplace_back(token);  // kana, hangul and other scripts as they are
  });
  flush_run();
  return terms;
}

std::string ToTraditional(std::string_view utf8) { return Convert(Conversion::kS2twp, utf8); }

std::string ToSimplified(std::string_view utf8) { return Convert(Conversion::kTw2sp, utf8); }

int CountWords(std::string_view utf8, std::string_view /*lang*/) {
  int words = 0;
  int han = 0;
  bool in_word = false;
  bool word_has_alnum = false;
  auto end_word = [&] {
    if (in_word && word_has_alnum) ++words;
    in_word = false;
    word_has_alnum = false;
  };
  size_t i = 0;
  while (i < utf8.size()) {
    UChar32 c = NextCodePoint(utf8, &i);
    if (c < 0 || IsSpace(c)) {
      end_word();
    } else if (IsHan(c)) {
      end_word();
      ++han;
    } else if (c >= 0x3000 && c <= 0x303F) {
      end_word();  // CJK punctuation separates words too
    } else if ((c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)) {
      end_word();  // full-width punctuation
    } else {
      in_word = true;
      if (u_isalnum(c)) word_has_alnum = true;
    }
  }
  end_word();
  return words + static_cast<int>(std::lround(han / 1.5));
}

}  // namespace nd::text
