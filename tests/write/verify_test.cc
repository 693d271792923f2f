// Verification of generated sentences (issue 5, part 4): numbers across English and
// Chinese, dates, names across scripts, quotations, support and citations.

#include "write/verify.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "text/text.h"

namespace nd::write {
namespace {

Article Report(std::string lang, std::string title, std::vector<std::string> paragraphs) {
  Article a;
  a.lang = std::move(lang);
  a.title = std::move(title);
  for (std::string& p : paragraphs) a.blocks.push_back({BlockKind::kParagraph, std::move(p)});
  return a;
}

// Two reports of one invented event: an English one and a Traditional Chinese one.
std::vector<Article> Reports() {
  return {
      Report("en", "Harbor Lines to buy Corvane Freight for $1.2 billion",
             {"Harbor Lines agreed on Tuesday to buy Corvane Freight for 1.2 billion dollars, "
              "the shipping group said in a statement.",
              "Chief executive Lena Ortiz said the deal \"makes us the largest carrier on the "
              "northern route\" and would close in March.",
              "Corvane shares rose 14.5% in Rotterdam. The company employs 3,400 people."}),
      Report("zh-Hant", "海港航運以12億美元收購科凡貨運",
             {"海港航運週二宣布，將以12億美元收購科凡貨運。",
              "台積電供應鏈人士指出，這筆交易預計在3月完成。", "消息傳出後，臺北股市上漲。"}),
  };
}

Verdict Check(const std::string& text, std::vector<int> cites, std::string lang = "en",
              bool paraphrase = false, SentenceRole role = SentenceRole::kBody) {
  static const Evidence* evidence = new Evidence(Reports());
  CitedSentence s;
  s.text = text;
  s.cites = std::move(cites);
  return VerifySentence(s, paraphrase, role, lang, *evidence);
}

double Value(const std::string& text) {
  std::vector<Quantity> q = FindQuantities(text);
  EXPECT_EQ(q.size(), 1u) << text;
  return q.empty() ? -1 : q[0].value;
}

TEST(FindQuantities, AmountsAgreeAcrossLanguages) {
  for (const char* text : {"1.2 billion", "12亿", "12億", "1,200,000,000", "十二亿", "$1.2bn",
                           "1.2 billion dollars"}) {
    EXPECT_DOUBLE_EQ(Value(text), 1.2e9) << text;
  }
  EXPECT_DOUBLE_EQ(Value("1200万"), 1.2e7);
  EXPECT_DOUBLE_EQ(Value("三千二百万"), 3.2e7);
  EXPECT_DOUBLE_EQ(Value("1.5万亿元"), 1.5e12);
  EXPECT_DOUBLE_EQ(Value("12 million"), 1.2e7);
}

TEST(FindQuantities, Percentages) {
  for (const char* text : {"3.5%", "3.5 percent", "3.5 per cent", "3.5％"}) {
    std::vector<Quantity> q = FindQuantities(text);
    ASSERT_EQ(q.size(), 1u) << text;
    EXPECT_TRUE(q[0].percent) << text;
    EXPECT_DOUBLE_EQ(q[0].value, 3.5);
  }
  std::vector<Quantity> q = FindQuantities("增长百分之五");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_TRUE(q[0].percent);
  EXPECT_DOUBLE_EQ(q[0].value, 5);
}

TEST(FindQuantities, OrdinaryWordsAreNotNumbers) {
  EXPECT_TRUE(FindQuantities("一些公司统一行动").empty());
  EXPECT_TRUE(FindQuantities("三星电子").empty());
  EXPECT_TRUE(FindQuantities("The A320 jet").empty());
  EXPECT_EQ(FindQuantities("三名乘客").size(), 1u);
}

TEST(FindDates, MonthsAndWeekdays) {
  EXPECT_EQ(FindMonths("in early March"), std::set<int>{3});
  EXPECT_EQ(FindMonths("今年3月5日"), std::set<int>{3});
  EXPECT_EQ(FindMonths("十一月二十日"), std::set<int>{11});
  EXPECT_EQ(FindMonths("on May 5"), std::set<int>{5});
  EXPECT_TRUE(FindMonths("Prices May rise").empty());
  EXPECT_TRUE(FindMonths("三个月后").empty());
  EXPECT_EQ(FindWeekdays("last Tuesday"), std::set<int>{2});
  EXPECT_EQ(FindWeekdays("上週二"), std::set<int>{2});
  EXPECT_EQ(FindWeekdays("星期日"), std::set<int>{7});
  EXPECT_TRUE(FindWeekdays("十周年").empty());
}

TEST(FindQuotations, AllMarks) {
  std::vector<std::string> q =
      FindQuotations("He said “we will grow” and 'it’s fine', \"plain\" 「中文引語」");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0], "we will grow");
  EXPECT_EQ(q[1], "plain");
  EXPECT_EQ(q[2], "中文引語");
  // A quotation spanning sentences: opened and not closed, closed and not opened.
  q = FindQuotations("She said: “We will open two more lines.");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0], "We will open two more lines.");
  q = FindQuotations("Nobody expected it,” he said, “least of all us.”");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0], "Nobody expected it,");
  EXPECT_EQ(q[1], "least of all us.");
}

TEST(FindNames, LatinRunsHanSpeakersAndOriginals) {
  std::vector<NameClaim> names = FindNames("Officials at Helix Dynamics met Mr Wang Wei (王伟).");
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].lookup, "Helix");
  EXPECT_EQ(names[1].lookup, "Dynamics");
  EXPECT_EQ(names[2].lookup, "王伟");
  names = FindNames("公司发言人张建国表示，交易已完成。");
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].lookup, "建国");
  names = FindNames("星河科技公司股价上涨。");
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].lookup, "星河科技");
}

TEST(VerifySentence, SupportedSentencePassesAndGainsCites) {
  Verdict v = Check("Harbor Lines agreed to buy Corvane Freight for $1.2 billion.", {0});
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.cites, std::vector<int>{0});
  // The amount in Chinese, from a Simplified sentence against the Traditional report.
  v = Check("海港航运宣布以12亿美元收购科凡货运。", {}, "zh-Hans");
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.cites, std::vector<int>{1});
}

TEST(VerifySentence, RoundingIsAllowedPrecisionIsNot) {
  EXPECT_TRUE(Check("Corvane shares rose about 14% in Rotterdam.", {0}).ok);
  Verdict v = Check("Corvane shares rose 14.8% in Rotterdam.", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("14.8"), std::string::npos) << v.reason;
}

TEST(VerifySentence, FabricatedNumberFails) {
  Verdict v = Check("Harbor Lines will buy Corvane Freight for $1.5 billion.", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("1500000000"), std::string::npos) << v.reason;
  EXPECT_FALSE(Check("The company employs 5,000 people, Harbor Lines said.", {0}).ok);
  EXPECT_FALSE(Check("海港航运宣布以15亿美元收购科凡货运。", {1}, "zh-Hans").ok);
}

TEST(VerifySentence, DatesMustBeInAReport) {
  EXPECT_TRUE(Check("The Corvane Freight deal would close in March, Harbor Lines said.", {0}).ok);
  EXPECT_FALSE(Check("The Corvane Freight deal would close in June, Harbor Lines said.", {0}).ok);
  EXPECT_FALSE(Check("Harbor Lines agreed on Friday to buy Corvane Freight.", {0}).ok);
  EXPECT_TRUE(Check("海港航运周二宣布收购科凡货运。", {1}, "zh-Hans").ok);
}

TEST(VerifySentence, QuotationsMustBeVerbatim) {
  Verdict v =
      Check("Lena Ortiz said the deal “makes us the largest carrier on the northern route”.", {0});
  EXPECT_TRUE(v.ok) << v.reason;
  v = Check("Lena Ortiz said the deal “makes us the biggest carrier in Europe”.", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("quotation"), std::string::npos);
  // Marked as a paraphrase: published without the quote marks.
  v = Check("Lena Ortiz said the deal “makes Harbor Lines the largest carrier on the route”.", {0},
            "en", /*paraphrase=*/true);
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.text.find("“"), std::string::npos);
}

TEST(VerifySentence, UnknownNamesFail) {
  Verdict v = Check("Harbor Lines chief Marcus Feld said the deal would close in March.", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("Marcus"), std::string::npos) << v.reason;
  EXPECT_FALSE(Check("海港航运执行长张建国表示，交易将在3月完成。", {1}, "zh-Hans").ok);
  // Names across scripts: 台积电 is 台積電 in the report.
  EXPECT_TRUE(Check("台积电供应链人士指出，交易预计在3月完成。", {1}, "zh-Hans").ok);
  // A gazetteer name the report gives in another language: Taipei = 臺北, not Beijing.
  Verdict taipei = Check("Stocks in Taipei rose after the news.", {1});
  EXPECT_TRUE(taipei.ok) << taipei.reason;
  EXPECT_FALSE(Check("Stocks in Beijing rose after the news.", {1}).ok);
  // A translated name with the report's form in parentheses.
  EXPECT_TRUE(Check("Harbor Lines (海港航運) said it would buy Corvane Freight.", {1}).ok);
}

TEST(VerifySentence, UnsupportedSentenceAndEmptyOneFail) {
  EXPECT_FALSE(Check("", {0}).ok);
  Verdict v = Check(
      "Regulators across several countries are expected to oppose such mergers "
      "because competition would shrink sharply.",
      {0});
  EXPECT_FALSE(v.ok);
  // The same sentence as analysis is not held to the reports' words.
  v = Check("Regulators across several countries are expected to oppose such mergers.", {0}, "en",
            false, SentenceRole::kAnalysis);
  EXPECT_TRUE(v.ok) << v.reason;
}

TEST(VerifySentence, CitesOutOfRangeAreDropped) {
  Verdict v = Check("Corvane Freight shares rose in Rotterdam after the deal.", {7, -1});
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.cites, std::vector<int>{0});
}

}  // namespace
}  // namespace nd::write

namespace nd::write {
// Quality on the demo reports (English, Simplified and Traditional Chinese, written for
// this project): sentences copied from a report verify against it, and the same sentences
// with one number changed do not.
namespace quality {

std::vector<Article> DemoReports() {
  std::vector<Article> out;
  const std::filesystem::path root = std::filesystem::path(ND_SOURCE_DIR) / "data" / "demo";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".html" &&
        entry.path().parent_path().filename() == "articles") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto article = extract::ExtractArticle(html, "https://example.org/" + path.filename().string());
    if (!article.ok()) continue;
    if (article->lang.empty() || article->lang == "und") {
      article->lang = text::DetectLanguage(article->Text());
    }
    out.push_back(std::move(*article));
  }
  return out;
}

// `s` with its first ASCII number changed (12 -> 19), or empty when it has none.
std::string ChangeANumber(const std::string& s) {
  size_t i = s.find_first_of("0123456789");
  if (i == std::string::npos) return {};
  std::string out = s;
  out[i] = static_cast<char>('0' + (s[i] - '0' + 7) % 10);
  if (i == 0 || out[i] == '0') return {};  // a leading zero reads as another number
  return out;
}

// `s` with its second capitalised English word replaced by an invented name, or empty.
std::string ChangeAName(const std::string& s) {
  int seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool start = std::isupper(static_cast<unsigned char>(s[i])) && (i == 0 || s[i - 1] == ' ') &&
                 i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
    if (!start || ++seen < 2) continue;
    size_t end = i;
    while (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end]))) ++end;
    return s.substr(0, i) + "Kelvarosz" + s.substr(end);
  }
  return {};
}

// `s` with a word inserted inside its first “quotation”, or empty.
std::string ChangeAQuote(const std::string& s) {
  size_t open = s.find("“");
  if (open == std::string::npos) open = s.find("「");
  if (open == std::string::npos) return {};
  return s.substr(0, open + 3) + "secretly " + s.substr(open + 3);
}

TEST(VerifyQuality, CopiedSentencesPassChangedNumbersFail) {
  std::vector<Article> reports = DemoReports();
  ASSERT_GE(reports.size(), 40u);
  int copied = 0, passed = 0, changed = 0, caught = 0, mutated = 0, mutated_caught = 0;
  for (const Article& a : reports) {
    Evidence evidence({a});
    for (const Block& b : a.blocks) {
      for (const std::string& s : text::SplitSentences(b.text, a.lang)) {
        CitedSentence c;
        c.text = s;
        c.cites = {0};
        ++copied;
        Verdict v = VerifySentence(c, false, SentenceRole::kBody, a.lang, evidence);
        if (v.ok) {
          ++passed;
        } else {
          ADD_FAILURE() << a.url << ": " << s << " -- " << v.reason;
        }
        for (const std::string& other : {ChangeAName(s), ChangeAQuote(s)}) {
          if (other.empty()) continue;
          c.text = other;
          ++mutated;
          if (!VerifySentence(c, false, SentenceRole::kBody, a.lang, evidence).ok) {
            ++mutated_caught;
          } else {
            ADD_FAILURE() << "not caught: " << other;
          }
        }
        std::string fake = ChangeANumber(s);
        if (fake.empty()) continue;
        c.text = fake;
        ++changed;
        if (!VerifySentence(c, false, SentenceRole::kBody, a.lang, evidence).ok) {
          ++caught;
        } else if (std::getenv("ND_VERIFY_VERBOSE") != nullptr) {
          std::printf("missed: %s\n", fake.c_str());
        }
      }
    }
  }
  std::printf("copied sentences verified: %d/%d; changed numbers caught: %d/%d\n", passed, copied,
              caught, changed);
  std::printf("invented names and altered quotations caught: %d/%d\n", mutated_caught, mutated);
  EXPECT_GE(mutated, 100);
  EXPECT_GE(copied, 400);
  EXPECT_GE(static_cast<double>(passed) / copied, 0.99);
  EXPECT_GE(changed, 100);
  EXPECT_GE(static_cast<double>(caught) / changed, 0.93);  // measured 0.958; misses: the
  // changed number occurs elsewhere in the report ("Ariane 3" when "3 p.m." is there)
}

}  // namespace quality
}  // namespace nd::write
