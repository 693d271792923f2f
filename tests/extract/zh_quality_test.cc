// Quality threshold on the Chinese extraction set (tests/data/extract/zh): 24 original
// pages in zh-Hans and zh-Hant, in UTF-8, GBK, GB18030 and Big5, with real-site
// boilerplate. Each page is decoded as the fetcher would (HTTP Content-Type from
// expected.tsv, then BOM, meta, detection), extracted, and scored against <page>.txt with
// the article-extraction benchmark's shingle metric over per-character tokens (each Han
// character one token, Latin words and numbers as words). Title, published time and
// language must be exact on every page.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "fetch/fetch.h"

namespace nd::extract {
namespace {

const std::string kDir = std::string(ND_TEST_DATA_DIR) + "/extract/zh/";

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << path;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes are U+FFFD.
char32_t NextCodePoint(const std::string& s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

// Letters and digits that form words: ASCII, Latin-1 and Latin Extended letters, Greek,
// Cyrillic, full-width digits and letters.
bool IsWordChar(char32_t c) {
  if (c < 0x80)
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  if (c >= 0x370 && c <= 0x4FF) return true;
  return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}

// Per-character tokens: each Han character alone, runs of word characters as one token,
// everything else (punctuation, spaces, symbols) separates.
std::vector<std::string> Tokenize(const std::string& s) {
  std::vector<std::string> out;
  std::string word;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t c = NextCodePoint(s, i);
    if (IsHan(c)) {
      if (!word.empty()) out.push_back(std::move(word)), word.clear();
      out.push_back(s.substr(start, i - start));
    } else if (IsWordChar(c)) {
      word.append(s, start, i - start);
    } else if (!word.empty()) {
      out.push_back(std::move(word)), word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// The benchmark's shingles: consecutive 4-token tuples; 1..3 tokens give one shorter
// shingle; no tokens give none. As a multiset.
std::map<std::string, int> Shingles(const std::string& text) {
  std::vector<std::string> t = Tokenize(text);
  std::map<std::string, int> out;
  if (t.empty()) return out;
  size_t n = t.size() >= 4 ? t.size() - 3 : 1;
  for (size_t i = 0; i < n; ++i) {
    std::string key;
    for (size_t k = i; k < std::min(i + 4, t.size()); ++k) key.append(t[k]).push_back('\x1f');
    ++out[key];
  }
  return out;
}

struct PageScore {
  int tp = 0, fp = 0, fn = 0;
};

PageScore ScorePage(const std::string& predicted, const std::string& truth) {
  std::map<std::string, int> p = Shingles(predicted), g = Shingles(truth);
  PageScore s;
  for (const auto& [k, n] : p) {
    auto it = g.find(k);
    int m = it == g.end() ? 0 : std::min(n, it->second);
    s.tp += m;
    s.fp += n - m;
  }
  for (const auto& [k, n] : g) {
    auto it = p.find(k);
    s.fn += n - (it == p.end() ? 0 : std::min(n, it->second));
  }
  return s;
}

// Precision and recall are means over pages (pages with nothing predicted are left out of
// precision, as upstream; pages where both are empty score 1); F1 is their harmonic mean.
struct SetScore {
  double precision = 0, recall = 0, f1 = 0;
};

SetScore ScoreSet(const std::vector<PageScore>& pages) {
  double p_sum = 0, r_sum = 0;
  int p_n = 0, r_n = 0;
  for (const PageScore& s : pages) {
    if (s.fp == 0 && s.fn == 0) {
      p_sum += 1, r_sum += 1, ++p_n, ++r_n;
      continue;
    }
    if (s.tp + s.fp > 0) p_sum += static_cast<double>(s.tp) / (s.tp + s.fp), ++p_n;
    if (s.tp + s.fn > 0) r_sum += static_cast<double>(s.tp) / (s.tp + s.fn), ++r_n;
  }
  SetScore out;
  out.precision = p_n ? p_sum / p_n : 0;
  out.recall = r_n ? r_sum / r_n : 0;
  out.f1 = out.precision + out.recall > 0
               ? 2 * out.precision * out.recall / (out.precision + out.recall)
               : 0;
  return out;
}

struct Expected {
  std::string file, content_type, title, lang, published_iso;
  std::int64_t published = 0;
};

std::vector<Expected> ReadExpected() {
  std::vector<Expected> out;
  std::istringstream in(ReadAll(kDir + "expected.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() != 6) continue;
    out.push_back({f[0], f[1], f[2], f[5], f[4], std::stoll(f[3])});
  }
  return out;
}

TEST(ZhScorerTest, TokenizesHanPerCharacterAndLatinPerWord) {
  EXPECT_EQ(Tokenize("地铁5号线 opened，2026年！"),
            (std::vector<std::string>{"地", "铁", "5", "号", "线", "opened", "2026", "年"}));
  EXPECT_EQ(Tokenize("「颱風」 Big5 ＡＢ１"),
            (std::vector<std::string>{"颱", "風", "Big5", "ＡＢ１"}));
  EXPECT_TRUE(Tokenize("，。！ …").empty());
}

TEST(ZhScorerTest, ShingleScoresMatchTheBenchmarkDefinition) {
  // Identical: all true positives.
  PageScore same = ScorePage("今天天气很好", "今天天气很好");
  EXPECT_EQ(same.tp, 3);
  EXPECT_EQ(same.fp + same.fn, 0);
  // One extra character at the end: one extra shingle.
  PageScore extra = ScorePage("今天天气很好啊", "今天天气很好");
  EXPECT_EQ(extra.tp, 3);
  EXPECT_EQ(extra.fp, 1);
  EXPECT_EQ(extra.fn, 0);
  // Short texts make one shorter shingle; empty text none.
  EXPECT_EQ(Shingles("新闻").size(), 1u);
  EXPECT_TRUE(Shingles("").empty());
  PageScore missed = ScorePage("", "新闻报道内容");
  EXPECT_EQ(missed.fn, 3);
  SetScore s = ScoreSet({same, extra});
  EXPECT_DOUBLE_EQ(s.precision, (1.0 + 0.75) / 2);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  SetScore with_empty = ScoreSet({same, missed});
  EXPECT_DOUBLE_EQ(with_empty.precision, 1.0);  // nothing predicted: left out of precision
  EXPECT_DOUBLE_EQ(with_empty.recall, 0.5);
}

TEST(ZhQualityTest, SetCoversBothScriptsAndTheLegacyCharsets) {
  std::vector<Expected> pages = ReadExpected();
  ASSERT_GE(pages.size(), 24u);
  int hans = 0, hant = 0, gb = 0, big5 = 0, header_only = 0;
  for (const Expected& e : pages) {
    hans += e.lang == "zh-Hans";
    hant += e.lang == "zh-Hant";
    std::string charset;
    fetch::DecodeToUtf8(ReadAll(kDir + e.file), e.content_type, true, &charset);
    gb += charset == "GB18030";
    big5 += charset.rfind("Big5", 0) == 0;
    header_only += !e.content_type.empty();
  }
  EXPECT_GE(hans, 10);
  EXPECT_GE(hant, 10);
  EXPECT_GE(gb, 6);
  EXPECT_GE(big5, 6);
  EXPECT_GE(header_only, 3);
}

TEST(ZhQualityTest, CharacterShingleF1AndExactMetadata) {
  std::vector<Expected> pages = ReadExpected();
  ASSERT_GE(pages.size(), 24u);
  std::vector<PageScore> scores;
  for (const Expected& e : pages) {
    SCOPED_TRACE(e.file);
    std::string html = fetch::DecodeToUtf8(ReadAll(kDir + e.file), e.content_type, true);
    Result<Article> r = ExtractArticle(html, "https://zh.example/" + e.file);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::string truth = ReadAll(kDir + e.file.substr(0, e.file.size() - 5) + ".txt");
    std::string text = r->Text();
    PageScore s = ScorePage(text, truth);
    scores.push_back(s);
    double p = s.tp + s.fp ? static_cast<double>(s.tp) / (s.tp + s.fp) : 0;
    double rc = s.tp + s.fn ? static_cast<double>(s.tp) / (s.tp + s.fn) : 0;
    std::printf("%-28s P %.3f R %.3f\n", e.file.c_str(), p, rc);
    if (p < 0.95 || rc < 0.95) std::printf("--- extracted:\n%s\n---\n", text.c_str());
    EXPECT_EQ(r->title, e.title);
    EXPECT_EQ(r->published, e.published) << "expected " << e.published_iso;
    EXPECT_EQ(r->lang, e.lang);
  }
  SetScore total = ScoreSet(scores);
  std::printf("zh set: %zu pages, precision %.4f recall %.4f F1 %.4f\n", scores.size(),
              total.precision, total.recall, total.f1);
  EXPECT_GE(total.f1, 0.97);
}

}  // namespace
}  // namespace nd::extract
