// Implementation notes.
//
// The gazetteer is a handful of TSV files compiled in as one string (see
// src/text/CMakeLists.txt): "id<TAB>kind<TAB>names<TAB>names...", names separated by '|',
// '#' comments. Entries with the same id merge, so a hand-written file can add variants to
// the generated country table. Latin names are keyed by their lower-cased tokens; Han names
// by their Simplified folding, with the longest name length per first character so that a
// scan tries only the lengths that can match. Written by hand because no packaged library
// does dictionary entity matching across scripts; ICU and OpenCC do the Unicode work.
#include "text/entities.h"

#include <unicode/locdspnm.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "text/text.h"

namespace nd::text {
namespace internal {
extern const char kGazetteerData[];
}  // namespace internal

namespace {

constexpr std::size_t kMaxLatinTokens = 6;

bool IsHanCp(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }

// A Latin token: letters and digits (any script but Han), with "." and apostrophes removed
// ("U.S." -> "US") and a possessive "'s" dropped.
struct Token {
  std::string text;  // normalised, case kept
  std::size_t begin = 0;
  std::size_t end = 0;
  bool sentence_start = false;
};

std::vector<Token> LatinTokens(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  bool boundary = true;  // a sentence boundary since the last token
  Token cur;
  bool in_token = false;
  auto flush = [&](std::size_t end) {
    if (!in_token) return;
    std::string& t = cur.text;
    if (t.size() > 2 && (t.ends_with("'s") || t.ends_with("\xE2\x80\x99s"))) {
      t.resize(t.ends_with("'s") ? t.size() - 2 : t.size() - 4);
    }
    std::string norm;
    norm.reserve(t.size());
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (t[k] == '.' || t[k] == '\'') continue;
      if (t.compare(k, 3, "\xE2\x80\x99") == 0) {
        k += 2;
        continue;
      }
      norm.push_back(t[k]);
    }
    // "Monday." ends a sentence: the next token starts one.
    const bool ends_sentence = !t.empty() && t.back() == '.' && norm.size() > 2;
    cur.text = std::move(norm);
    cur.end = end;
    if (!cur.text.empty()) out.push_back(std::move(cur));
    cur = Token{};
    in_token = false;
    if (ends_sentence) boundary = true;
  };
  while (i < s.size()) {
    const std::size_t start = i;
    UChar32 c;
    int32_t pos = static_cast<int32_t>(i);
    U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), c);
    i = static_cast<std::size_t>(pos);
    const bool word =
        c >= 0 && !IsHanCp(c) && (u_isalnum(c) || c == '.' || c == '\'' || c == 0x2019);
    if (word && !(c == '.' && !in_token)) {
      if (!in_token) {
        in_token = true;
        cur.begin = start;
        cur.sentence_start = boundary;
        boundary = false;
      }
      cur.text.append(s.substr(start, i - start));
    } else {
      flush(start);
      if (c == '!' || c == '?' || c == '\n' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F ||
          c == ':' || c == '"' || c == 0x201C) {
        boundary = true;
      }
    }
  }
  flush(s.size());
  return out;
}

EntityKind KindFromString(std::string_view k) {
  if (k == "place") return EntityKind::kPlace;
  if (k == "org") return EntityKind::kOrganisation;
  if (k == "person") return EntityKind::kPerson;
  if (k == "concept") return EntityKind::kConcept;
  return EntityKind::kOther;
}

struct LatinName {
  std::uint32_t entity = 0;
  bool case_sensitive = false;  // acronyms: "US" is not "us"
  std::string exact;            // the normalised tokens as written, joined by ' '
};

struct Gazetteer {
  std::vector<std::string> ids;
  std::vector<EntityKind> kinds;
  std::vector<std::vector<std::string>> names;
  std::unordered_map<std::string, std::uint32_t> by_id;
  std::unordered_map<std::string, std::vector<LatinName>> latin;  // lower-cased key
  std::unordered_map<std::string, std::uint32_t> han;             // Simplified name
  std::unordered_map<UChar32, std::uint32_t> han_max_len;         // first char -> code points
  // Lower-cased first token of a Latin name -> most tokens of a name starting with it
  // (FindLatin tries longer keys only where a name can start).
  std::unordered_map<std::string, std::size_t> latin_max_tokens;

  void AddName(std::uint32_t e, std::string_view name) {
    name = Trim(name);
    if (name.empty()) return;
    names[e].emplace_back(name);
    bool has_han = false;
    for (std::size_t i = 0; i < name.size();) {
      UChar32 c;
      int32_t pos = static_cast<int32_t>(i);
      U8_NEXT(name.data(), pos, static_cast<int32_t>(name.size()), c);
      i = static_cast<std::size_t>(pos);
      if (IsHanCp(c)) has_han = true;
    }
    if (has_han) {
      std::string folded = ToSimplified(name);
      // Drop separators inside transliterated names ("本·萨勒曼"): text is matched as
      // written, so keep both forms.
      for (const std::string& form : {folded, RemoveDots(folded)}) {
        if (form.empty()) continue;
        han.emplace(form, e);
        UChar32 first;
        int32_t p = 0;
        U8_NEXT(form.data(), p, static_cast<int32_t>(form.size()), first);
        std::uint32_t len = 0;
        for (int32_t q = 0; q < static_cast<int32_t>(form.size());) {
          UChar32 c;
          U8_NEXT(form.data(), q, static_cast<int32_t>(form.size()), c);
          ++len;
        }
        auto& m = han_max_len[first];
        m = std::max(m, len);
      }
      return;
    }
    std::vector<Token> toks = LatinTokens(name);
    if (toks.empty() || toks.size() > kMaxLatinTokens) return;
    std::string exact;
    for (const Token& t : toks) {
      if (!exact.empty()) exact += ' ';
      exact += t.text;
    }
    bool acronym = toks.size() == 1 && exact.size() <= 5;
    for (char c : exact) acronym = acronym && (IsUpperAscii(c) || (c >= '0' && c <= '9'));
    auto& most = latin_max_tokens[Lower(toks[0].text)];
    most = std::max(most, toks.size());
    auto& list = latin[Lower(exact)];
    for (const LatinName& l : list) {
      if (l.entity == e && l.case_sensitive == acronym) return;
    }
    list.push_back({e, acronym, exact});
  }

  static std::string RemoveDots(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.compare(i, 2, "\xC2\xB7") == 0) {  // U+00B7 middle dot
        ++i;
        continue;
      }
      if (s.compare(i, 3, "\xE2\x80\xA2") == 0 || s.compare(i, 3, "\xE3\x83\xBB") == 0) {
        i += 2;  // bullet, katakana middle dot
        continue;
      }
      out.push_back(s[i]);
    }
    return out == s ? std::string() : out;
  }

  Gazetteer() {
    const std::string_view data(internal::kGazetteerData);
    for (std::string_view line : Split(data, '\n')) {
      line = Trim(line);
      if (line.empty() || line.front() == '#') continue;
      std::vector<std::string_view> cols = Split(line, '\t');
      if (cols.size() < 3) continue;
      const std::string id(Trim(cols[0]));
      auto [it, inserted] = by_id.try_emplace(id, static_cast<std::uint32_t>(ids.size()));
      if (inserted) {
        ids.push_back(id);
        kinds.push_back(KindFromString(Trim(cols[1])));
        names.emplace_back();
      }
      for (std::size_t c = 2; c < cols.size(); ++c) {
        for (std::string_view n : Split(cols[c], '|')) AddName(it->second, n);
      }
    }
  }
};

const Gazetteer& TheGazetteer() {
  static const Gazetteer* g = new Gazetteer();
  return *g;
}

// Capitalised words that do not start a name by themselves.
bool IsCapitalisedStopWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "The",      "A",         "An",        "This",     "That",     "These",     "Those",
      "It",       "Its",       "He",        "She",      "They",     "We",        "I",
      "You",      "His",       "Her",       "Their",    "Our",      "But",       "And",
      "Or",       "If",        "In",        "On",       "At",       "By",        "For",
      "From",     "To",        "Of",        "With",     "As",       "After",     "Before",
      "While",    "When",      "Where",     "What",     "Who",      "Why",       "How",
      "There",    "Here",      "Some",      "Many",     "More",     "Most",      "Other",
      "Such",     "No",        "Not",       "All",      "Both",     "Each",      "Any",
      "One",      "Two",       "Three",     "Mr",       "Ms",       "Mrs",       "Dr",
      "Monday",   "Tuesday",   "Wednesday", "Thursday", "Friday",   "Saturday",  "Sunday",
      "January",  "February",  "March",     "April",    "May",      "June",      "July",
      "August",   "September", "October",   "November", "December", "Officials", "Police",
      "Analysts", "According", "Under",     "Over",     "Also",     "Yet",       "So",
      "Then",     "Meanwhile", "However",   "Last",     "Next",     "New",       "Since",
      "About",    "Up",        "Down"};
  return kStop.count(w) > 0;
}

bool IsOrgSuffix(std::string_view w) {
  static const std::unordered_set<std::string_view> kOrg = {
      "Inc",         "Corp",         "Corporation", "Ltd",        "Group",      "Bank",
      "University",  "Ministry",     "Council",     "Party",      "Company",    "Agency",
      "Association", "Committee",    "Fund",        "Commission", "Airlines",   "Motors",
      "Institute",   "Authority",    "Department",  "Court",      "Parliament", "Exchange",
      "Holdings",    "Technologies", "Systems",     "Foundation", "Office",     "Board"};
  return kOrg.count(w) > 0;
}

bool IsPersonCue(std::string_view w) {
  static const std::unordered_set<std::string_view> kCue = {
      "Mr",      "Ms",    "Mrs",    "Dr",      "President",  "Minister",  "Chancellor",  "Governor",
      "Senator", "Mayor", "Judge",  "General", "Secretary",  "Chairman",  "Chairwoman",  "Premier",
      "King",    "Queen", "Prince", "Pope",    "Ambassador", "Spokesman", "Spokeswoman", "CEO"};
  return kCue.count(w) > 0;
}

bool Capitalised(const Token& t) {
  return !t.text.empty() && IsUpperAscii(t.text[0]) && t.text.size() >= 2;
}

void FindLatin(std::string_view text, const Gazetteer& g, std::vector<Entity>* out) {
  const std::vector<Token> toks = LatinTokens(text);
  std::vector<std::string> lower;
  lower.reserve(toks.size());
  for (const Token& t : toks) lower.push_back(Lower(t.text));
  std::size_t i = 0;
  while (i < toks.size()) {
    const auto most = g.latin_max_tokens.find(lower[i]);
    const std::size_t max_n = std::min(
        {kMaxLatinTokens, toks.size() - i, most == g.latin_max_tokens.end() ? 1 : most->second});
    bool matched = false;
    std::string key;
    for (std::size_t n = max_n; n >= 1 && !matched; --n) {
      key.clear();
      for (std::size_t k = 0; k < n; ++k) {
        if (k) key += ' ';
        key += lower[i + k];
      }
      for (int attempt = 0; attempt < 2 && !matched; ++attempt) {
        // The second attempt drops a plural "s" (concepts only).
        if (attempt == 1) {
          if (key.size() < 4 || key.back() != 's') break;
          key.pop_back();
        }
        auto it = g.latin.find(key);
        if (it == g.latin.end()) continue;
        for (const LatinName& l : it->second) {
          const EntityKind kind = g.kinds[l.entity];
          if (attempt == 1 && kind != EntityKind::kConcept) continue;
          if (l.case_sensitive) {
            std::string exact;
            for (std::size_t k = 0; k < n; ++k) {
              if (k) exact += ' ';
              exact += toks[i + k].text;
            }
            if (exact != l.exact) continue;
          } else if (kind != EntityKind::kConcept && !IsUpperAscii(toks[i].text[0]) &&
                     static_cast<unsigned char>(toks[i].text[0]) < 0x80) {
            continue;  // proper names are capitalised
          }
          out->push_back(
              {g.ids[l.entity], kind, toks[i].begin,
               std::string(text.substr(toks[i].begin, toks[i + n - 1].end - toks[i].begin))});
          i += n;
          matched = true;
          break;
        }
      }
    }
    if (matched) continue;
    // A run of capitalised words not in the gazetteer: a name of unknown kind. Titles
    // ("President") before it are cues, not part of it.
    std::size_t start = i;
    while (start < toks.size() && IsPersonCue(toks[start].text) && Capitalised(toks[start])) {
      ++start;
    }
    std::size_t j = start;
    while (j < toks.size() && Capitalised(toks[j]) && (j == i || !toks[j].sentence_start) &&
           g.latin.count(lower[j]) == 0 && !IsCapitalisedStopWord(toks[j].text)) {
      ++j;
    }
    if (start > i) {
      i = start;  // the name after the title may be in the gazetteer
      continue;
    }
    const std::size_t n = j - start;
    if (n == 0 || (n == 1 && toks[start].sentence_start)) {
      i = std::max(j, i + 1);
      continue;
    }
    const std::size_t cue = start;
    i = start;
    std::string id = "name:";
    for (std::size_t k = i; k < j; ++k) {
      if (k > i) id += ' ';
      id += lower[k];
    }
    EntityKind kind = EntityKind::kOther;
    if (IsOrgSuffix(toks[j - 1].text)) {
      kind = EntityKind::kOrganisation;
    } else if (cue > 0 && IsPersonCue(toks[cue - 1].text) && Capitalised(toks[cue - 1])) {
      kind = EntityKind::kPerson;
    } else if (j < toks.size() && (toks[j].text == "said" || toks[j].text == "says") && n <= 3) {
      kind = EntityKind::kPerson;
    }
    out->push_back({std::move(id), kind, toks[i].begin,
                    std::string(text.substr(toks[i].begin, toks[j - 1].end - toks[i].begin))});
    i = j;
  }
}

void FindHan(std::string_view text, const Gazetteer& g, std::vector<Entity>* out) {
  const std::string folded = ToSimplified(text);
  std::vector<std::pair<UChar32, std::size_t>> cps;  // code point, byte offset
  cps.reserve(folded.size() / 2);
  for (std::size_t i = 0; i < folded.size();) {
    const std::size_t start = i;
    UChar32 c;
    int32_t pos = static_cast<int32_t>(i);
    U8_NEXT(folded.data(), pos, static_cast<int32_t>(folded.size()), c);
    i = static_cast<std::size_t>(pos);
    cps.emplace_back(c, start);
  }
  const std::size_t n = cps.size();
  std::string key;
  for (std::size_t i = 0; i < n;) {
    auto ml = g.han_max_len.find(cps[i].first);
    bool matched = false;
    if (ml != g.han_max_len.end()) {
      for (std::size_t len = std::min<std::size_t>(ml->second, n - i); len >= 1; --len) {
        const std::size_t b = cps[i].second;
        const std::size_t e = i + len < n ? cps[i + len].second : folded.size();
        key.assign(folded, b, e - b);
        auto it = g.han.find(key);
        if (it == g.han.end()) continue;
        out->push_back({g.ids[it->second], g.kinds[it->second], b, key});
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) ++i;
  }
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) {
    if (s.empty()) continue;
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Display names of region `code` in `locale`: long and short, with "X (Y)" split into X
// and Y and "&" spelled "and" as well.
std::vector<std::string> RegionNames(const char* code, const icu::Locale& locale) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    s = std::string(Trim(s));
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  std::vector<std::string> raw;
  icu::UnicodeString name;
  icu::Locale("", code).getDisplayCountry(locale, name);
  std::string s;
  name.toUTF8String(s);
  raw.push_back(s);
  UDisplayContext ctx[] = {UDISPCTX_LENGTH_SHORT};
  std::unique_ptr<icu::LocaleDisplayNames> ldn(
      icu::LocaleDisplayNames::createInstance(locale, ctx, 1));
  if (ldn) {
    icu::UnicodeString shortname;
    ldn->regionDisplayName(code, shortname);
    std::string t;
    shortname.toUTF8String(t);
    raw.push_back(t);
  }
  for (const std::string& r : raw) {
    const std::size_t open = r.find(" (");
    if (open != std::string::npos && r.back() == ')') {
      add(r.substr(0, open));
      add(r.substr(open + 2, r.size() - open - 3));
    } else {
      add(r);
    }
    const std::size_t amp = r.find(" & ");
    if (amp != std::string::npos) add(r.substr(0, amp) + " and " + r.substr(amp + 3));
  }
  return out;
}

}  // namespace

std::vector<Entity> FindEntities(std::string_view utf8, std::string_view /*lang*/) {
  const Gazetteer& g = TheGazetteer();
  std::vector<Entity> out;
  FindLatin(utf8, g, &out);
  bool has_han = false;
  for (std::size_t i = 0; i < utf8.size() && !has_han; ++i) {
    has_han =
        static_cast<unsigned char>(utf8[i]) >= 0xE3 && static_cast<unsigned char>(utf8[i]) <= 0xE9;
  }
  if (has_han) {
    std::vector<Entity> han;
    FindHan(utf8, g, &han);
    std::vector<Entity> merged;
    merged.reserve(out.size() + han.size());
    std::merge(out.begin(), out.end(), han.begin(), han.end(), std::back_inserter(merged),
               [](const Entity& a, const Entity& b) { return a.offset < b.offset; });
    out.swap(merged);
  }
  return out;
}

std::vector<std::string> EntityIds(std::string_view utf8, std::string_view lang) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (Entity& e : FindEntities(utf8, lang)) {
    if (e.id.starts_with("name:")) continue;
    if (seen.insert(e.id).second) out.push_back(std::move(e.id));
  }
  return out;
}

std::vector<std::string> GazetteerNames(std::string_view id) {
  const Gazetteer& g = TheGazetteer();
  auto it = g.by_id.find(std::string(id));
  return it == g.by_id.end() ? std::vector<std::string>{} : g.names[it->second];
}

std::size_t GazetteerSize() { return TheGazetteer().ids.size(); }

std::string GenerateCountryTable() {
  std::string out =
      "# Countries and territories: generated by tools/gen_gazetteer from ICU's CLDR display\n"
      "# names (long and short). Do not edit: add variants in countries_extra.tsv.\n"
      "# id\tkind\ten\tzh-Hans\tzh-Hant\n";
  const icu::Locale en("en");
  const icu::Locale hans("zh_Hans");
  const icu::Locale hant("zh_Hant");
  for (const char* const* c = icu::Locale::getISOCountries(); *c != nullptr; ++c) {
    out += "country:";
    out += *c;
    out += "\tplace\t";
    out += Join(RegionNames(*c, en), "|");
    out += '\t';
    out += Join(RegionNames(*c, hans), "|");
    out += '\t';
    out += Join(RegionNames(*c, hant), "|");
    out += '\n';
  }
  return out;
}

}  // namespace nd::text
