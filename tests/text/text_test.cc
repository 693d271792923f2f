#include "text/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace nd::text {
namespace {

using ::testing::Contains;
using ::testing::Not;

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

constexpr char kEnglish[] =
    "The city council voted on Tuesday to expand the bus network after months of "
    "complaints from commuters about long waits and crowded vehicles. The plan adds "
    "twelve new routes and will be paid for by a small increase in parking fees.";

constexpr char kSimplified[] =
    "国家统计局周二公布的数据显示，今年第一季度国内生产总值同比增长百分之五点三，"
    "高于市场预期。分析人士认为，消费和出口的回暖是经济增长的主要动力，但房地产市场"
    "仍然面临较大压力。";

constexpr char kTraditional[] =
    "國家統計局週二公佈的數據顯示，今年第一季度國內生產總值同比增長百分之五點三，"
    "高於市場預期。分析人士認為，消費和出口的回暖是經濟增長的主要動力，但房地產市場"
    "仍然面臨較大壓力。";

TEST(DetectLanguageTest, English) { EXPECT_EQ(DetectLanguage(kEnglish), "en"); }

TEST(DetectLanguageTest, SimplifiedChinese) { EXPECT_EQ(DetectLanguage(kSimplified), "zh-Hans"); }

TEST(DetectLanguageTest, TraditionalChinese) { EXPECT_EQ(DetectLanguage(kTraditional), "zh-Hant"); }

TEST(DetectLanguageTest, ShortTraditionalHeadline) {
  EXPECT_EQ(DetectLanguage("颱風襲擊呂宋島"), "zh-Hant");
  EXPECT_EQ(DetectLanguage("台风袭击吕宋岛"), "zh-Hans");
}

TEST(DetectLanguageTest, ScriptComesFromCharactersNotHint) {
  EXPECT_EQ(DetectLanguage(kSimplified, "zh-TW"), "zh-Hans");
  EXPECT_EQ(DetectLanguage(kTraditional, "zh-CN"), "zh-Hant");
}

TEST(DetectLanguageTest, FrenchAndGerman) {
  EXPECT_EQ(DetectLanguage("Le gouvernement a annoncé mardi une nouvelle réforme des retraites "
                           "qui suscite déjà de vives critiques de la part des syndicats et de "
                           "l'opposition."),
            "fr");
  EXPECT_EQ(DetectLanguage("Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung "
                           "erneuerbarer Energien beschlossen, das von der Opposition scharf "
                           "kritisiert wird."),
            "de");
}

TEST(DetectLanguageTest, HintUsedForTooShortText) {
  EXPECT_EQ(DetectLanguage("OK", "fr-FR"), "fr");
  EXPECT_EQ(DetectLanguage("", "en"), "en");
  EXPECT_EQ(DetectLanguage(""), "und");
}

TEST(DetectLanguageTest, InvalidUtf8DoesNotCrash) {
  std::string text = std::string(kEnglish) + "\xff\xfe\xc3";
  EXPECT_EQ(DetectLanguage(text), "en");
}

TEST(IsChineseTest, Tags) {
  EXPECT_TRUE(IsChinese("zh-Hans"));
  EXPECT_TRUE(IsChinese("zh-Hant"));
  EXPECT_TRUE(IsChinese("zh"));
  EXPECT_FALSE(IsChinese("en"));
  EXPECT_FALSE(IsChinese("zu"));
  EXPECT_FALSE(IsChinese(""));
}

TEST(SplitSentencesTest, AbbreviationsAndNumbersStayInOneSentence) {
  auto sentences = SplitSentences(
      "Mr. Smith said U.S. exports rose 3.1%. Dr. Jones disagreed.  Sales fell in Jan. "
      "and Feb. this year.",
      "en");
  ASSERT_EQ(sentences.size(), 3u) << ::testing::PrintToString(sentences);
  EXPECT_EQ(sentences[0], "Mr. Smith said U.S. exports rose 3.1%.");
  EXPECT_EQ(sentences[1], "Dr. Jones disagreed.");
  EXPECT_EQ(sentences[2], "Sales fell in Jan. and Feb. this year.");
}

TEST(SplitSentencesTest, AbbreviationThatEndsASentence) {
  auto sentences = SplitSentences(
      "Exports fell in the U.S. The decline was small. Gen. Lee met Acme Inc. officials.", "en");
  ASSERT_EQ(sentences.size(), 3u) << ::testing::PrintToString(sentences);
  EXPECT_EQ(sentences[0], "Exports fell in the U.S.");
  EXPECT_EQ(sentences[2], "Gen. Lee met Acme Inc. officials.");
}

TEST(SplitSentencesTest, QuestionsExclamationsAndNewlines) {
  auto sentences = SplitSentences("Is it over? Yes!\nA new paragraph starts here\n\n  ", "en");
  ASSERT_EQ(sentences.size(), 3u) << ::testing::PrintToString(sentences);
  EXPECT_EQ(sentences[0], "Is it over?");
  EXPECT_EQ(sentences[1], "Yes!");
  EXPECT_EQ(sentences[2], "A new paragraph starts here");
}

TEST(SplitSentencesTest, Chinese) {
  auto sentences = SplitSentences("今天天气很好。我们去公园吧！你去吗？", "zh-Hans");
  ASSERT_EQ(sentences.size(), 3u) << ::testing::PrintToString(sentences);
  EXPECT_EQ(sentences[0], "今天天气很好。");
  EXPECT_EQ(sentences[1], "我们去公园吧！");
  EXPECT_EQ(sentences[2], "你去吗？");
}

TEST(SplitSentencesTest, OpeningQuoteStartsTheNextSentence) {
  auto s = SplitSentences("发言人表示，死者大多因树木倒塌遇难。“我们仍在统计。”他说。", "zh-Hans");
  ASSERT_GE(s.size(), 2u);
  EXPECT_EQ(s[0], "发言人表示，死者大多因树木倒塌遇难。");
  EXPECT_EQ(s[1].rfind("“我们仍在统计。”", 0), 0u) << s[1];
}

TEST(SplitSentencesTest, ChineseSemicolonSplitsOnlyLongSentences) {
  auto short_one = SplitSentences("价格上涨；销量下降。", "zh-Hans");
  EXPECT_EQ(short_one.size(), 1u);
  std::string long_sentence =
      "今年第一季度全国规模以上工业企业实现利润总额同比增长百分之四点三，其中制造业利润增长较快；"
      "与此同时，采矿业利润同比下降，电力热力燃气及水生产和供应业利润则保持稳定增长的态势。";
  auto pieces = SplitSentences(long_sentence, "zh-Hans");
  ASSERT_EQ(pieces.size(), 2u) << ::testing::PrintToString(pieces);
  EXPECT_EQ(pieces[0].substr(pieces[0].size() - 3), "；");
}

TEST(SplitSentencesTest, EmptyAndBlank) {
  EXPECT_TRUE(SplitSentences("", "en").empty());
  EXPECT_TRUE(SplitSentences("   \n\t ", "en").empty());
}

TEST(WordsTest, EnglishDropsPunctuationKeepsNumbers) {
  auto words = Words("Exports rose 3.1%, officials said.");
  EXPECT_EQ(words, (std::vector<std::string>{"Exports", "rose", "3.1", "officials", "said"}));
}

TEST(WordsTest, ChineseIsSegmentedIntoWords) {
  auto words = Words("国家统计局公布经济数据。");
  bool multi_char =
      std::any_of(words.begin(), words.end(), [](const std::string& w) { return w.size() >= 6; });
  EXPECT_TRUE(multi_char) << ::testing::PrintToString(words);
  EXPECT_THAT(words, Not(Contains("。")));
  std::string joined;
  for (const auto& w : words) joined += w;
  EXPECT_EQ(joined, "国家统计局公布经济数据");
}

TEST(MatchTermsTest, TraditionalAndSimplifiedGiveSameTerms) {
  EXPECT_EQ(MatchTerms("關稅", "zh-Hant"), MatchTerms("关税", "zh-Hans"));
  EXPECT_FALSE(MatchTerms("关税", "zh-Hans").empty());
  EXPECT_EQ(MatchTerms("美國提高關稅", "zh-Hant"), MatchTerms("美国提高关税", "zh-Hans"));
}

TEST(MatchTermsTest, EnglishStemsAndStopWords) {
  EXPECT_EQ(MatchTerms("running", "en"), (std::vector<std::string>{"run"}));
  EXPECT_EQ(MatchTerms("runs", "en"), (std::vector<std::string>{"run"}));
  auto terms = MatchTerms("The Exports of the country rose 3.1% to 4,500 tons", "en");
  EXPECT_EQ(terms, (std::vector<std::string>{"export", "countri", "rose", "3.1", "4500", "ton"}));
}

TEST(MatchTermsTest, AcronymsLoseTheirDots) {
  EXPECT_EQ(MatchTerms("U.S. tariffs", "en"), (std::vector<std::string>{"us", "tariff"}));
  EXPECT_EQ(MatchTerms("Apple’s profits", "en"), (std::vector<std::string>{"appl", "profit"}));
}

TEST(MatchTermsTest, FullWidthAndCaseFolded) {
  EXPECT_EQ(MatchTerms("ＡＰＰＬＥ", "en"), MatchTerms("apple", "en"));
  EXPECT_EQ(MatchTerms("Apple", "en"), MatchTerms("APPLE", "en"));
}

TEST(MatchTermsTest, ChineseWordsAndBigrams) {
  auto terms = MatchTerms("的经济增长", "zh-Hans");
  EXPECT_FALSE(Has(terms, "的")) << ::testing::PrintToString(terms);
  EXPECT_TRUE(Has(terms, "经济")) << ::testing::PrintToString(terms);
  EXPECT_TRUE(Has(terms, "济增")) << ::testing::PrintToString(terms);  // bigram across words
  EXPECT_TRUE(Has(terms, "的经")) << ::testing::PrintToString(terms);
}

TEST(MatchTermsTest, MixedEnglishInChinese) {
  auto terms = MatchTerms("苹果公司发布iPhone手机", "zh-Hans");
  EXPECT_TRUE(Has(terms, "iphon")) << ::testing::PrintToString(terms);
  EXPECT_TRUE(Has(terms, "苹果")) << ::testing::PrintToString(terms);
}

TEST(ConvertTest, PhraseLevelConversion) {
  EXPECT_EQ(ToTraditional("软件"), "軟體");
  EXPECT_EQ(ToSimplified("軟體"), "软件");
  EXPECT_EQ(ToTraditional("hello"), "hello");
  EXPECT_EQ(ToSimplified(""), "");
}

TEST(CountWordsTest, EnglishAndChinese) {
  EXPECT_EQ(CountWords("Exports rose 3.1% this year.", "en"), 5);
  EXPECT_EQ(CountWords("  ", "en"), 0);
  EXPECT_EQ(CountWords("今天天气很好。", "zh-Hans"), 4);       // 6 Han / 1.5
  EXPECT_EQ(CountWords("苹果发布iPhone 15。", "zh-Hans"), 5);  // 4 Han -> 3, plus 2
}

TEST(ThreadSafetyTest, ConcurrentCallsAgree) {
  std::vector<std::string> expected = MatchTerms(kTraditional, "zh-Hant");
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool all = true;
      for (int k = 0; k < 5; ++k) {
        all = all && MatchTerms(kTraditional, "zh-Hant") == expected &&
              DetectLanguage(kTraditional) == "zh-Hant";
      }
      ok[t] = all ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ok[t], 1) << "thread " << t;
}

}  // namespace
}  // namespace nd::text
