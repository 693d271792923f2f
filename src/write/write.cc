#include "write/write.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/text.h"
#include "write/dates.h"

namespace nd::write {
namespace {

// Two sentences whose term sets overlap more than this say the same thing (MMR cut-off).
constexpr double kRedundant = 0.5;
// ... or when this share of the shorter one's terms is in the other.
constexpr double kContained = 0.7;
constexpr size_t kContainedMinTerms = 5;
// Body sentences must score at least this share of the best sentence's score.
constexpr double kBodyMinShare = 0.3;
constexpr size_t kTimelineMax = 6;
constexpr size_t kTimelinePerDay = 2;
// Added to the headline score of the earliest report's title (halved for the next...).
constexpr double kHeadlineEarlyBonus = 0.12;
constexpr int kParagraphMaxSentences = 3;

using TermSet = std::vector<std::string>;  // sorted, unique

// ---------------------------------------------------------------------------------------
// Small string helpers (UTF-8 aware where it matters).

// Decodes the code point at `i` and advances `i`; invalid bytes decode as U+FFFD.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto c = static_cast<unsigned char>(s[*i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || *i + static_cast<size_t>(extra) >= s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k <= extra; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + static_cast<size_t>(k)]) & 0x3F);
  }
  *i += static_cast<size_t>(extra) + 1;
  return cp;
}

bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

int CountHan(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size();) {
    if (IsHan(NextCodePoint(s, &i))) ++n;
  }
  return n;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool Contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

TermSet ToSet(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

size_t Intersection(const TermSet& a, const TermSet& b) {
  size_t n = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

double Jaccard(const TermSet& a, const TermSet& b) {
  if (a.empty() || b.empty()) return 0.0;
  double inter = static_cast<double>(Intersection(a, b));
  return inter / (static_cast<double>(a.size() + b.size()) - inter);
}

double SetCosine(const TermSet& a, const TermSet& b) {
  if (a.empty() || b.empty()) return 0.0;
  return static_cast<double>(Intersection(a, b)) /
         std::sqrt(static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

// Sentences of `block`: text::SplitSentences, then a further split at stand-alone sentence
// punctuation tokens (" . ", " ? ", " ! ", with a closing " ''"), which tokenized and
// lower-cased corpora (CNN/DailyMail style) carry and ICU does not break at.
std::vector<std::string> SplitBlock(std::string_view block, std::string_view lang) {
  std::vector<std::string> out;
  for (const std::string& s : text::SplitSentences(block, lang)) {
    size_t start = 0;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      const char c = s[i];
      if ((c != '.' && c != '!' && c != '?') || s[i - 1] != ' ' || s[i + 1] != ' ') continue;
      size_t end = i + 1;
      if (s.compare(end, 3, " ''") == 0 && (end + 3 == s.size() || s[end + 3] == ' ')) end += 3;
      std::string piece = Trim(std::string_view(s).substr(start, end - start));
      if (!piece.empty()) out.push_back(std::move(piece));
      start = end;
    }
    std::string tail = Trim(std::string_view(s).substr(std::min(start, s.size())));
    if (!tail.empty()) out.push_back(std::move(tail));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Languages and scripts.

std::string PrimaryTag(std::string_view lang) { return LowerAscii(lang.substr(0, lang.find('-'))); }

bool SameLanguage(std::string_view report_lang, std::string_view target) {
  if (text::IsChinese(target)) return text::IsChinese(report_lang);
  return PrimaryTag(report_lang) == PrimaryTag(target);
}

std::string ReportLanguage(const Article& a) {
  if (!a.lang.empty() && a.lang != kLangUnknown) return a.lang;
  std::string sample = a.title + "\n" + a.Text();
  if (sample.size() > 4000) sample.resize(4000);
  return text::DetectLanguage(sample);
}

// Renders `s` (written in `from`) for a page in `target`: converts Chinese script.
std::string Render(std::string_view s, std::string_view from, std::string_view target) {
  if (!text::IsChinese(from) || !text::IsChinese(target)) return std::string(s);
  if (target == kLangHant) return text::ToTraditional(s);
  return text::ToSimplified(s);
}

int WordCount(std::string_view s, std::string_view lang) { return text::CountWords(s, lang); }

// ---------------------------------------------------------------------------------------
// Cleaning sentences and titles.

// Removes a leading dateline ("MANILA, Nov 18 (Meridian Wire) —", "(CNN) --", "【本报讯】",
// "（記者王小明／台北報導）", "新华社北京11月18日电（记者张三）") from a report's first sentence.
std::string StripDateline(std::string_view sentence) {
  static const std::regex kCapsCity(
      R"(^[A-Z][A-Z.'\- ]{1,30}(?:,\s*[A-Z][A-Za-z.' ]{1,30})?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?)"
      R"((?:,\s*\d{4})?\s*(?:\([^)]{1,40}\))?\s*(?:—|–|--|-|:)\s*)");
  static const std::regex kCityOutlet(
      R"(^[A-Z][A-Za-z.' ]{1,30}(?:,\s*[A-Z][A-Za-z.' ]{1,30})?\s*\([^)]{1,40}\)\s*(?:—|–|--|-)\s*)");
  static const std::regex kOutlet(R"(^\(\s*[A-Za-z][A-Za-z. ]{0,20}\s*\)\s*(?:—|–|--|-)?\s*)");
  static const std::regex kZhBracket("^\\s*【.{0,60}?】\\s*");
  static const std::regex kZhParen("^\\s*(?:（|\\().{0,90}?(?:）|\\))\\s*");
  static const std::regex kZhWire(
      "^.{0,45}?[0-9]{1,2}日(?:电|電|讯|訊)(?:\\s*(?:（|\\().{0,60}?(?:）|\\)))?(?:）|\\))?\\s*");
  static const std::regex kZhLocal(
      "^.{0,30}?(?:本报讯|本報訊)(?:\\s*(?:（|\\().{0,60}?(?:）|\\)))?\\s*");
  // "華夏財經網訊 11月25日，", "财经网讯："
  static const std::regex kZhOutletWire(
      "^.{0,30}?(?:讯|訊)(?:\\s+|：|:)\\s*(?:[0-9]{1,2}月[0-9]{1,2}日(?:电|電)?\\s*(?:，|,)?)?"
      "\\s*");
  // After an upper-case place name that may hold non-ASCII letters ("SÃO PAULO"): ", Nov 20
  // (Meridian Wire) —".
  static const std::regex kAfterCity(
      R"(^(?:,\s*[A-Z][A-Za-z.' ]{1,30})?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:,\s*\d{4})?)"
      R"(\s*(?:\([^)]{1,40}\))?\s*(?:—|–|--|-|:)\s*)");

  std::string s(sentence);
  std::smatch m;
  for (int round = 0; round < 2; ++round) {
    bool changed = false;
    if (std::regex_search(s, m, kZhBracket) || std::regex_search(s, m, kZhWire) ||
        std::regex_search(s, m, kZhLocal) || std::regex_search(s, m, kZhOutletWire)) {
      s = s.substr(static_cast<size_t>(m.length(0)));
      changed = true;
    } else if (std::regex_search(s, m, kZhParen)) {
      std::string inner = m.str(0);
      for (const char* w : {"记者", "記者", "报道", "報導", "报导", "电", "電", "讯", "訊"}) {
        if (Contains(inner, w)) {
          s = s.substr(static_cast<size_t>(m.length(0)));
          changed = true;
          break;
        }
      }
    }
    if (!changed && (std::regex_search(s, m, kCapsCity) || std::regex_search(s, m, kCityOutlet) ||
                     std::regex_search(s, m, kOutlet))) {
      // Never eat the whole sentence: a dateline is followed by the news.
      if (static_cast<size_t>(m.length(0)) + 10 < s.size()) {
        s = s.substr(static_cast<size_t>(m.length(0)));
        changed = true;
      }
    }
    if (!changed) {
      // Upper-case place with letters beyond ASCII: checked by hand, then the rest.
      const size_t cut = std::min(s.find(','), s.find(" ("));
      if (cut != std::string::npos && cut >= 2 && cut <= 40) {
        bool caps = true;
        int letters = 0;
        for (size_t i = 0; i < cut && caps; ++i) {
          const auto c = static_cast<unsigned char>(s[i]);
          if (std::islower(c)) caps = false;
          if (std::isupper(c) || c >= 0x80) ++letters;
        }
        std::string rest = s.substr(cut);
        if (caps && letters >= 2 && std::regex_search(rest, m, kAfterCity) &&
            cut + static_cast<size_t>(m.length(0)) + 10 < s.size()) {
          s = s.substr(cut + static_cast<size_t>(m.length(0)));
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return Trim(s);
}

// Strips closing quotes, brackets and spaces from the end.
std::string_view TrimClosers(std::string_view s) {
  static const char* const kClosers[] = {" ",  "\"", "'", "”", "’", "」",
                                         "』", "）", ")", "]", "»", "''"};
  bool again = true;
  while (again && !s.empty()) {
    again = false;
    for (const char* c : kClosers) {
      if (EndsWith(s, c)) {
        s.remove_suffix(std::string_view(c).size());
        again = true;
      }
    }
  }
  return s;
}

bool EndsTerminal(std::string_view s) {
  s = TrimClosers(s);
  for (const char* t : {".", "!", "?", "。", "！", "？", "…", "；"}) {
    if (EndsWith(s, t)) return true;
  }
  return false;
}

bool IsShouting(std::string_view s) {
  int letters = 0, upper = 0;
  for (char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      ++letters;
      if (std::isupper(static_cast<unsigned char>(c))) ++upper;
    }
  }
  return letters >= 12 && upper * 10 > letters * 8;
}

// Whether a sentence is unfit for the text: boilerplate, a byline, too short, shouting, or a
// fragment without terminal punctuation.
bool IsJunk(std::string_view s, std::string_view lang, bool strict) {
  const std::string lower = LowerAscii(s);
  static const char* const kStarts[] = {
      "read more",     "read also",     "see also",   "related:",
      "sign up",       "subscribe",     "click here", "follow us",
      "share this",    "advertisement", "copyright",  "©",
      "photo:",        "image:",        "file photo", "reporting by",
      "(reporting by", "editing by",    "writing by", "additional reporting",
      "watch:",        "listen:",       "updated:",   "published:"};
  for (const char* p : kStarts) {
    if (StartsWith(lower, p)) return true;
  }
  static const char* const kAnywhere[] = {"all rights reserved",
                                          "click here",
                                          "sign up for",
                                          "延伸阅读",
                                          "延伸閱讀",
                                          "相关新闻",
                                          "相關新聞",
                                          "责任编辑",
                                          "責任編輯",
                                          "点击",
                                          "點擊",
                                          "版权所有",
                                          "版權所有",
                                          "原标题",
                                          "原標題",
                                          "图片来源",
                                          "圖片來源",
                                          "编辑：",
                                          "編輯：",
                                          "订阅",
                                          "訂閱"};
  for (const char* p : kAnywhere) {
    if (Contains(lower, p)) return true;
  }
  const bool chinese = text::IsChinese(lang);
  const int han = CountHan(s);
  const int words = chinese ? han : static_cast<int>(text::Words(s).size());
  if (chinese ? han < 12 : words < 6) return true;
  if (!chinese && StartsWith(lower, "by ") && words <= 10) return true;
  if (IsShouting(s)) return true;
  if (strict && !EndsTerminal(s) && words < (chinese ? 30 : 20)) return true;
  return false;
}

bool HasQuote(std::string_view s) {
  for (const char* q : {"“", "”", "\"", "「", "」", "『", "``"}) {
    if (Contains(s, q)) return true;
  }
  return false;
}

bool IsBackground(std::string_view s, UnixTime published) {
  const std::string lower = LowerAscii(s);
  static const char* const kWords[] = {
      "last year",   " since ",     "previously", "earlier this year",
      "years ago",   "in the past", "last month", "historically",
      "for decades", "去年",        "此前",       "早在",
      "曾经",        "曾經",        "过去",       "過去",
      "多年来",      "多年來",      "前年",       "以往"};
  for (const char* w : kWords) {
    if (Contains(lower, w)) return true;
  }
  if (StartsWith(lower, "since ")) return true;
  static const std::regex kInYear(R"(\bin ((?:19|20)\d\d)\b)");
  std::smatch m;
  if (std::regex_search(lower, m, kInYear)) {
    if (published <= 0) return true;
    int year = 0;
    unsigned month = 0, day = 0;
    CivilFromUnix(published, &year, &month, &day);
    return std::stoi(m.str(1)) < year;
  }
  return false;
}

// A headline made from a report title: outlet suffixes, clickbait markers and wrapping
// quotes removed. Empty when nothing worth showing is left.
std::string CleanTitle(std::string_view raw, std::string_view site_name) {
  std::string t = Trim(raw);
  // Outlet suffix: the last " | X", " - X", " — X", " – X" when X is the outlet or short.
  for (int round = 0; round < 2; ++round) {
    size_t best = std::string::npos, sep_len = 0;
    for (const char* sep : {" | ", " - ", " — ", " – ", "—", "｜", " _ "}) {
      size_t p = t.rfind(sep);
      if (p != std::string::npos && p > 0 && (best == std::string::npos || p > best)) {
        best = p;
        sep_len = std::string_view(sep).size();
      }
    }
    if (best == std::string::npos) break;
    std::string tail = Trim(std::string_view(t).substr(best + sep_len));
    bool is_outlet = !site_name.empty() && LowerAscii(tail) == LowerAscii(Trim(site_name));
    size_t tail_words = text::Words(tail).size();
    bool short_tail = tail_words <= 4 && CountHan(tail) <= 8;
    if (!(is_outlet || short_tail) || best < tail.size()) break;
    t = Trim(std::string_view(t).substr(0, best));
  }
  // Clickbait prefixes.
  static const char* const kPrefixes[] = {
      "breaking news:", "breaking:", "watch:",   "live:",    "exclusive:", "update:",
      "updated:",       "just in:",  "video:",   "photos:",  "独家：",     "獨家：",
      "快讯：",         "快訊：",    "突发：",   "突發：",   "【独家】",   "【獨家】",
      "【快讯】",       "【快訊】",  "【突发】", "【突發】", "独家:",      "快讯:"};
  for (bool again = true; again;) {
    again = false;
    const std::string lower = LowerAscii(t);
    for (const char* p : kPrefixes) {
      if (StartsWith(lower, p)) {
        t = Trim(std::string_view(t).substr(std::string_view(p).size()));
        again = true;
        break;
      }
    }
  }
  // "You won't believe ..." phrasing.
  static const std::regex kBait(R"(\s*\byou won['’]t believe\b\s*)", std::regex::icase);
  t = Trim(std::regex_replace(t, kBait, " "));
  // Trailing exclamation runs.
  while (EndsWith(t, "!") || EndsWith(t, "！")) t.resize(t.size() - (EndsWith(t, "!") ? 1 : 3));
  t = Trim(t);
  // Quotes around the whole title.
  static const std::pair<const char*, const char*> kQuotes[] = {
      {"\"", "\""}, {"“", "”"}, {"'", "'"}, {"‘", "’"}, {"「", "」"}, {"『", "』"}};
  for (const auto& [open, close] : kQuotes) {
    std::string_view o(open), c(close);
    if (t.size() > o.size() + c.size() && StartsWith(t, o) && EndsWith(t, c)) {
      std::string inner = t.substr(o.size(), t.size() - o.size() - c.size());
      if (!Contains(inner, o) && !Contains(inner, c)) t = Trim(inner);
    }
  }
  if (!t.empty()) {
    auto c0 = static_cast<unsigned char>(t[0]);
    if (std::islower(c0)) t[0] = static_cast<char>(std::toupper(c0));
  }
  if (!site_name.empty() && LowerAscii(t) == LowerAscii(Trim(site_name))) return {};
  return t;
}

// ---------------------------------------------------------------------------------------
// Candidate sentences.

struct Sentence {
  int report = 0;      // index into the caller's reports
  int rank = 0;        // order of the report among the ones written from (0 = earliest)
  int position = 0;    // order among the report's kept sentences
  std::string source;  // as in the report (dateline stripped)
  std::string lang;    // the report's language
  TermSet terms;
  int words = 0;
  double score = 0.0;
};

// Builds each sentence's score from centrality (cosine with the term centroid, document
// frequency across reports times damped term frequency), a lead-position bonus
// 1/(1+position)^position_decay and a length sanity factor.
void ScoreSentences(std::vector<Sentence>* sentences, double position_weight,
                    double position_decay = 0.5) {
  std::unordered_map<std::string, double> tf;
  std::unordered_map<std::string, std::set<int>> docs;
  for (const Sentence& s : *sentences) {
    for (const std::string& t : s.terms) {
      tf[t] += 1.0;
      docs[t].insert(s.report);
    }
  }
  std::unordered_map<std::string, double> weight;
  double norm = 0.0;
  for (const auto& [t, f] : tf) {
    double w = static_cast<double>(docs[t].size()) * std::log1p(f);
    weight[t] = w;
    norm += w * w;
  }
  norm = std::sqrt(norm);
  double max_cent = 0.0;
  std::vector<double> cent(sentences->size(), 0.0);
  for (size_t i = 0; i < sentences->size(); ++i) {
    const Sentence& s = (*sentences)[i];
    if (s.terms.empty() || norm <= 0) continue;
    double dot = 0.0;
    for (const std::string& t : s.terms) dot += weight[t];
    cent[i] = dot / (norm * std::sqrt(static_cast<double>(s.terms.size())));
    max_cent = std::max(max_cent, cent[i]);
  }
  for (size_t i = 0; i < sentences->size(); ++i) {
    Sentence& s = (*sentences)[i];
    double c = max_cent > 0 ? cent[i] / max_cent : 0.0;
    double pos = 1.0 / std::pow(1.0 + s.position, position_decay);
    double length = s.words < 8 ? 0.6 : s.words > 55 ? 0.75 : 1.0;
    s.score = ((1.0 - position_weight) * c + position_weight * pos) * length;
  }
}

// Whether two term sets say the same thing: they overlap much (Jaccard), or the shorter is
// mostly contained in the longer (a standfirst and the lead sentence that spells it out).
bool SameContent(const TermSet& a, const TermSet& b) {
  if (Jaccard(a, b) > kRedundant) return true;
  const size_t shorter = std::min(a.size(), b.size());
  return shorter >= kContainedMinTerms &&
         static_cast<double>(Intersection(a, b)) >= kContained * static_cast<double>(shorter);
}

bool RedundantWith(const Sentence& s, const std::vector<const Sentence*>& chosen) {
  for (const Sentence* c : chosen) {
    if (SameContent(s.terms, c->terms)) return true;
  }
  return false;
}

bool DocumentOrder(const Sentence* a, const Sentence* b) {
  return std::tie(a->rank, a->position) < std::tie(b->rank, b->position);
}

// ---------------------------------------------------------------------------------------
// The writer's parts.

struct Material {
  std::vector<int> reports;        // indexes written from, earliest first
  std::vector<std::string> langs;  // language of each report in `reports`
  std::string source_lang;
  bool untranslated = false;
};

Material ChooseReports(const std::vector<Article>& reports, std::string_view target) {
  Material m;
  std::vector<std::string> langs;
  langs.reserve(reports.size());
  for (const Article& a : reports) langs.push_back(ReportLanguage(a));
  for (size_t i = 0; i < reports.size(); ++i) {
    if (SameLanguage(langs[i], target)) {
      m.reports.push_back(static_cast<int>(i));
      m.langs.push_back(langs[i]);
    }
  }
  if (m.reports.empty()) {
    // The dominant language (ties: the earliest report's).
    std::map<std::string, int> count;
    for (const std::string& l : langs) ++count[text::IsChinese(l) ? "zh" : PrimaryTag(l)];
    std::string best;
    int best_n = 0;
    for (const std::string& l : langs) {
      std::string key = text::IsChinese(l) ? "zh" : PrimaryTag(l);
      if (count[key] > best_n) {
        best = key;
        best_n = count[key];
      }
    }
    for (size_t i = 0; i < reports.size(); ++i) {
      std::string key = text::IsChinese(langs[i]) ? "zh" : PrimaryTag(langs[i]);
      if (key == best) {
        m.reports.push_back(static_cast<int>(i));
        m.langs.push_back(langs[i]);
      }
    }
    m.untranslated = true;
  }
  // Language written from: the target itself when a report is in it, else the commonest.
  std::map<std::string, int> count;
  for (const std::string& l : m.langs) ++count[l];
  if (count.count(std::string(target)) != 0) {
    m.source_lang = std::string(target);
  } else {
    int best_n = 0;
    for (const std::string& l : m.langs) {
      if (count[l] > best_n) {
        m.source_lang = l;
        best_n = count[l];
      }
    }
  }
  return m;
}

std::vector<Sentence> CollectSentences(const std::vector<Article>& reports, const Material& m,
                                       std::string_view target) {
  std::vector<Sentence> out;
  for (size_t r = 0; r < m.reports.size(); ++r) {
    const Article& a = reports[static_cast<size_t>(m.reports[r])];
    const std::string& lang = m.langs[r];
    int position = 0;
    for (const Block& b : a.blocks) {
      if (b.kind == BlockKind::kHeading || b.kind == BlockKind::kTableRow) continue;
      // A dateline opens a paragraph, not always the first one (a standfirst may precede).
      bool first = true;
      for (std::string s : SplitBlock(b.text, lang)) {
        if (first) {
          s = StripDateline(s);
          first = false;
        }
        if (s.empty() || IsJunk(s, lang, /*strict=*/true)) continue;
        Sentence x;
        x.report = m.reports[r];
        x.rank = static_cast<int>(r);
        x.position = position++;
        x.lang = lang;
        // Terms of the text as shown: Simplified and Traditional reports of the same wire
        // copy compare equal after phrase-level conversion to one script.
        x.terms = ToSet(text::MatchTerms(Render(s, lang, target), lang));
        x.words = WordCount(s, lang);
        x.source = std::move(s);
        if (x.terms.empty()) continue;
        out.push_back(std::move(x));
      }
    }
  }
  return out;
}

std::string ChooseHeadline(const std::vector<Article>& reports, const Material& m,
                           const std::vector<Sentence>& sentences, std::string_view target) {
  struct Title {
    int report;
    std::string lang;
    std::string text;
    TermSet terms;
  };
  std::vector<Title> titles;
  std::map<int, TermSet> context;  // title + lead terms per report
  for (size_t r = 0; r < m.reports.size(); ++r) {
    const Article& a = reports[static_cast<size_t>(m.reports[r])];
    std::string clean = CleanTitle(a.title, a.site_name);
    TermSet terms = ToSet(text::MatchTerms(clean, m.langs[r]));
    TermSet ctx = terms;
    for (const Sentence& s : sentences) {
      if (s.report == m.reports[r] && s.position < 2) {
        ctx.insert(ctx.end(), s.terms.begin(), s.terms.end());
      }
    }
    context[m.reports[r]] = ToSet(std::move(ctx));
    if (!clean.empty() && !terms.empty()) {
      titles.push_back({m.reports[r], m.langs[r], std::move(clean), std::move(terms)});
    }
  }
  const Title* best = nullptr;
  double best_score = -1.0;
  for (const Title& t : titles) {
    double sum = 0.0;
    int n = 0;
    for (const auto& [report, ctx] : context) {
      if (report == t.report) continue;
      sum += SetCosine(t.terms, ctx);
      ++n;
    }
    double score = n > 0 ? sum / n : 1.0;
    // The first report of an event names it; later ones tend to take a follow-up angle
    // (the airport reopening after the typhoon).
    const auto rank = static_cast<double>(std::find(m.reports.begin(), m.reports.end(), t.report) -
                                          m.reports.begin());
    score += kHeadlineEarlyBonus / (1.0 + rank);
    const bool chinese = text::IsChinese(t.lang);
    int size = chinese ? CountHan(t.text) : static_cast<int>(text::Words(t.text).size());
    if (size < (chinese ? 6 : 4) || size > (chinese ? 40 : 22)) score *= 0.7;
    if (score > best_score + 1e-9) {
      best = &t;
      best_score = score;
    }
  }
  if (best != nullptr) return Render(best->text, best->lang, target);
  // No usable title: the best sentence stands in.
  const Sentence* top = nullptr;
  for (const Sentence& s : sentences) {
    if (top == nullptr || s.score > top->score) top = &s;
  }
  return top == nullptr ? std::string() : Render(top->source, top->lang, target);
}

CitedSentence Cite(const Sentence& s, std::string_view target) {
  CitedSentence c;
  c.text = Render(s.source, s.lang, target);
  c.cites = {s.report};
  c.verdict = "extractive";
  return c;
}

std::vector<const Sentence*> ChooseDek(const std::vector<Sentence>& sentences,
                                       const WriteOptions& options) {
  std::vector<const Sentence*> dek;
  if (options.dek_max_sentences <= 0) return dek;
  const Sentence* lead = nullptr;
  double lead_score = -1.0;
  for (const Sentence& s : sentences) {
    if (s.position > 2) continue;
    double score = s.score + 0.15 / (1.0 + s.rank);  // earlier reports first reported it
    if (s.position == 0) score += 0.1;
    if (score > lead_score) {
      lead = &s;
      lead_score = score;
    }
  }
  if (lead == nullptr) return dek;
  dek.push_back(lead);
  if (options.dek_max_sentences >= 2 && lead->words < 35) {
    for (const Sentence& s : sentences) {
      if (s.report == lead->report && s.position == lead->position + 1 &&
          lead->words + s.words <= 60 && !RedundantWith(s, dek)) {
        dek.push_back(&s);
        break;
      }
    }
  }
  return dek;
}

std::vector<Paragraph> ArrangeBody(const std::vector<const Sentence*>& chosen,
                                   const std::vector<Article>& reports, const WriteOptions& options,
                                   std::string_view target) {
  std::vector<std::vector<const Sentence*>> paras;
  if (chosen.empty()) return {};
  // `chosen` is in score order: the lead paragraph says what happened.
  const size_t lead_n = chosen.size() <= 4 ? 1 : 2;
  std::vector<const Sentence*> lead(chosen.begin(), chosen.begin() + static_cast<long>(lead_n));
  std::sort(lead.begin(), lead.end(), DocumentOrder);
  paras.push_back(lead);

  std::vector<const Sentence*> rest(chosen.begin() + static_cast<long>(lead_n), chosen.end());
  std::sort(rest.begin(), rest.end(), DocumentOrder);
  std::vector<const Sentence*> quotes, background;
  std::map<int, std::vector<const Sentence*>> by_report;  // keyed by rank
  for (const Sentence* s : rest) {
    const UnixTime published = reports[static_cast<size_t>(s->report)].published;
    if (HasQuote(s->source)) {
      quotes.push_back(s);
    } else if (IsBackground(s->source, published)) {
      background.push_back(s);
    } else {
      by_report[s->rank].push_back(s);
    }
  }
  // Paragraph kinds: 0 lead, 1 facts of one report, 2 what they said, 3 background.
  std::vector<int> kinds = {0};
  auto add_chunks = [&paras, &kinds](const std::vector<const Sentence*>& group, int kind) {
    for (size_t i = 0; i < group.size(); i += kParagraphMaxSentences) {
      size_t end = std::min(group.size(), i + kParagraphMaxSentences);
      paras.emplace_back(group.begin() + static_cast<long>(i),
                         group.begin() + static_cast<long>(end));
      kinds.push_back(kind);
    }
  };
  for (const auto& [rank, group] : by_report) add_chunks(group, 1);
  add_chunks(quotes, 2);
  add_chunks(background, 3);

  // Too many paragraphs: merge the adjacent pair (after the lead) with the fewest sentences,
  // preferring pairs of the same kind.
  const auto max_paras = static_cast<size_t>(std::max(1, options.body_max_paragraphs));
  while (paras.size() > max_paras && paras.size() >= 3) {
    size_t best = 1;
    size_t best_n = SIZE_MAX;
    for (size_t i = 1; i + 1 < paras.size(); ++i) {
      size_t n = paras[i].size() + paras[i + 1].size() + (kinds[i] == kinds[i + 1] ? 0 : 100);
      if (n < best_n) {
        best = i;
        best_n = n;
      }
    }
    paras[best].insert(paras[best].end(), paras[best + 1].begin(), paras[best + 1].end());
    paras.erase(paras.begin() + static_cast<long>(best) + 1);
    kinds.erase(kinds.begin() + static_cast<long>(best) + 1);
  }
  if (paras.size() > max_paras) paras.resize(max_paras);
  // Too few: split the longest paragraph while one has two sentences or more.
  const auto min_paras = static_cast<size_t>(std::max(1, options.body_min_paragraphs));
  while (paras.size() < min_paras) {
    size_t longest = 0;
    for (size_t i = 1; i < paras.size(); ++i) {
      if (paras[i].size() > paras[longest].size()) longest = i;
    }
    if (paras[longest].size() < 2) break;
    size_t half = (paras[longest].size() + 1) / 2;
    std::vector<const Sentence*> tail(paras[longest].begin() + static_cast<long>(half),
                                      paras[longest].end());
    paras[longest].resize(half);
    paras.insert(paras.begin() + static_cast<long>(longest) + 1, std::move(tail));
    kinds.insert(kinds.begin() + static_cast<long>(longest) + 1, kinds[longest]);
  }

  std::vector<Paragraph> body;
  for (const auto& p : paras) {
    Paragraph out;
    for (const Sentence* s : p) out.sentences.push_back(Cite(*s, target));
    body.push_back(std::move(out));
  }
  return body;
}

// A long sentence's opening up to the end of the clause that holds the date, when that is a
// sentence of its own worth; else the whole sentence.
std::string TimelineText(const Sentence& s, const SentenceDate& date) {
  if (s.words <= 35) return s.source;
  const std::string& src = s.source;
  size_t end = std::string::npos;
  for (const char* sep : {"; ", ", ", "；", "，"}) {
    size_t e = src.find(sep, date.offset + date.length);
    if (e != std::string::npos && e < end) end = e;
  }
  if (end == std::string::npos) return src;
  std::string clause = Trim(std::string_view(src).substr(0, end));
  if (WordCount(clause, s.lang) < (text::IsChinese(s.lang) ? 12 : 8)) return src;
  if (!EndsTerminal(clause)) clause += text::IsChinese(s.lang) ? "。" : ".";
  return clause;
}

// The report's local time zone as far as its language tells: Chinese-language news is
// written in UTC+8 (Beijing, Taipei, Hong Kong); for others UTC is the guess.
int LocalOffset(std::string_view lang) { return text::IsChinese(lang) ? 8 * 3600 : 0; }

std::vector<TimelineEntry> BuildTimeline(const std::vector<Article>& reports,
                                         const std::vector<Sentence>& sentences,
                                         std::string_view target) {
  struct Dated {
    const Sentence* s;
    SentenceDate date;
  };
  // Sentences come report by report in document order: each report's last day-precise date
  // anchors "a month later", "次日" in the sentences after it.
  std::vector<Dated> dated;
  std::map<int, SentenceDate> anchors;
  for (const Sentence& s : sentences) {
    DateContext context;
    context.published = reports[static_cast<size_t>(s.report)].published;
    context.utc_offset = LocalOffset(s.lang);
    auto it = anchors.find(s.report);
    if (it != anchors.end()) context.anchor = it->second;
    auto d = FindSentenceDate(s.source, context);
    if (!d) continue;
    dated.push_back({&s, *d});
    if (d->precision == DatePrecision::kDay) anchors[s.report] = *d;
  }
  std::stable_sort(dated.begin(), dated.end(),
                   [](const Dated& a, const Dated& b) { return a.s->score > b.s->score; });
  std::vector<Dated> kept;
  std::map<UnixTime, size_t> per_day;
  for (const Dated& d : dated) {
    bool dup = per_day[d.date.day] >= kTimelinePerDay;
    for (const Dated& k : kept) {
      if (dup) break;
      // The same event told by two reports: same day and much the same words.
      const bool overlap = k.date.day < DateEnd(d.date) && d.date.day < DateEnd(k.date);
      if (overlap &&
          (Jaccard(k.s->terms, d.s->terms) > 0.25 || SameContent(k.s->terms, d.s->terms))) {
        dup = true;
      }
    }
    if (dup) continue;
    kept.push_back(d);
    ++per_day[d.date.day];
    if (kept.size() >= kTimelineMax) break;
  }
  if (kept.size() < 2) return {};
  std::stable_sort(kept.begin(), kept.end(), [](const Dated& a, const Dated& b) {
    if (a.date.day != b.date.day) return a.date.day < b.date.day;
    return DocumentOrder(a.s, b.s);
  });
  // Years are written when they are not the year of the latest report.
  int current_year = 0;
  unsigned month = 0, day = 0;
  UnixTime latest = 0;
  for (const Sentence& s : sentences) {
    latest = std::max(latest, reports[static_cast<size_t>(s.report)].published);
  }
  if (latest > 0) CivilFromUnix(latest, &current_year, &month, &day);
  std::vector<TimelineEntry> out;
  for (const Dated& d : kept) {
    TimelineEntry e;
    e.when = d.date.day;
    e.label = DateLabel(d.date, text::IsChinese(target) ? target : d.s->lang, current_year);
    e.text = Render(TimelineText(*d.s, d.date), d.s->lang, target);
    e.cites = {d.s->report};
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

StoryText WriteExtractive(const std::vector<Article>& reports, std::string_view lang,
                          const WriteOptions& options) {
  StoryText out;
  out.lang = std::string(lang);
  out.writer = "extractive";
  if (reports.empty()) return out;

  const Material m = ChooseReports(reports, lang);
  out.untranslated = m.untranslated;
  out.source_lang = m.source_lang;

  std::vector<Sentence> sentences = CollectSentences(reports, m, lang);
  ScoreSentences(&sentences, /*position_weight=*/0.4);
  out.headline = ChooseHeadline(reports, m, sentences, lang);

  std::vector<const Sentence*> dek = ChooseDek(sentences, options);
  for (const Sentence* s : dek) out.dek.push_back(Cite(*s, lang));

  // Body: MMR over the rest, in score order, within the word budget.
  std::vector<const Sentence*> pool;
  for (const Sentence& s : sentences) pool.push_back(&s);
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Sentence* a, const Sentence* b) { return a->score > b->score; });
  const double top_score = pool.empty() ? 0.0 : pool.front()->score;
  std::vector<const Sentence*> chosen;
  int words = 0;
  for (const Sentence* s : pool) {
    if (std::find(dek.begin(), dek.end(), s) != dek.end()) continue;
    if (s->score < kBodyMinShare * top_score) break;
    if (RedundantWith(*s, dek) || RedundantWith(*s, chosen)) continue;
    if (words + s->words > options.body_max_words) continue;
    chosen.push_back(s);
    words += s->words;
  }
  out.body = ArrangeBody(chosen, reports, options, lang);
  out.timeline = BuildTimeline(reports, sentences, lang);
  return out;
}

std::vector<StoryText> WriteAllLanguages(const std::vector<Article>& reports,
                                         const WriteOptions& options) {
  std::vector<StoryText> out;
  for (const char* lang : {kLangEnglish, kLangHans, kLangHant}) {
    out.push_back(WriteExtractive(reports, lang, options));
  }
  return out;
}

std::vector<CitedSentence> WhatsNew(const StoryText& current, const StoryText& previous) {
  const std::string& lang = current.lang;
  auto terms_of = [&lang](const std::string& s) {
    return ToSet(text::MatchTerms(text::IsChinese(lang) ? text::ToSimplified(s) : s, lang));
  };
  std::vector<TermSet> before;
  auto add_before = [&](const std::vector<CitedSentence>& list) {
    for (const CitedSentence& c : list) before.push_back(terms_of(c.text));
  };
  add_before(previous.dek);
  for (const Paragraph& p : previous.body) add_before(p.sentences);
  for (const Paragraph& p : previous.analysis) add_before(p.sentences);
  for (const TimelineEntry& e : previous.timeline) before.push_back(terms_of(e.text));

  std::vector<CitedSentence> out;
  auto consider = [&](const CitedSentence& c) {
    const TermSet terms = terms_of(c.text);
    if (terms.empty()) return;
    for (const TermSet& b : before) {
      if (terms == b || SameContent(terms, b)) return;
    }
    before.push_back(terms);  // the same news twice in the new text counts once
    out.push_back(c);
  };
  for (const CitedSentence& c : current.dek) consider(c);
  for (const Paragraph& p : current.body) {
    for (const CitedSentence& c : p.sentences) consider(c);
  }
  return out;
}

std::string Summarize(const std::vector<std::string>& texts, std::string_view lang, int max_words) {
  std::string l(lang);
  if (l.empty() || l == kLangUnknown) {
    l = texts.empty() ? std::string(kLangEnglish) : text::DetectLanguage(texts.front());
  }
  std::vector<Sentence> sentences;
  for (size_t d = 0; d < texts.size(); ++d) {
    int position = 0;
    for (std::string s : SplitBlock(texts[d], l)) {
      if (position == 0) s = StripDateline(s);
      if (s.empty()) continue;
      Sentence x;
      x.report = static_cast<int>(d);
      x.rank = static_cast<int>(d);
      x.position = position++;
      x.lang = l;
      x.terms = ToSet(text::MatchTerms(s, l));
      x.words = WordCount(s, l);
      x.source = std::move(s);
      if (x.terms.empty()) continue;
      sentences.push_back(std::move(x));
    }
  }
  if (sentences.empty()) return {};
  // Single documents lean on position more, decaying slower (on CNN/DailyMail, a news
  // lead's second paragraph still carries the story).
  ScoreSentences(&sentences, /*position_weight=*/0.7, /*position_decay=*/0.3);
  for (Sentence& s : sentences) {
    if (IsJunk(s.source, l, /*strict=*/false)) s.score *= 0.3;
  }
  std::vector<const Sentence*> pool;
  for (const Sentence& s : sentences) pool.push_back(&s);
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Sentence* a, const Sentence* b) { return a->score > b->score; });
  std::vector<const Sentence*> chosen;
  int words = 0;
  for (const Sentence* s : pool) {
    if (RedundantWith(*s, chosen)) continue;
    // The budget is a target: the next sentence is taken when the total lands nearer to it
    // with the sentence than without (skipping to shorter, lower-ranked sentences reads
    // worse and scored lower on CNN/DailyMail); always give one sentence.
    if (!chosen.empty() && words + s->words - max_words > max_words - words) break;
    chosen.push_back(s);
    words += s->words;
    if (words >= max_words) break;
  }
  std::sort(chosen.begin(), chosen.end(), DocumentOrder);
  std::string out;
  for (const Sentence* s : chosen) {
    if (!out.empty()) out += '\n';
    out += s->source;
  }
  return out;
}

}  // namespace nd::write
