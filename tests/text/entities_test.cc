#include "text/entities.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "text/numbers.h"

namespace nd::text {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::Not;

TEST(EntitiesTest, OneIdAcrossLanguagesScriptsAndTransliterations) {
  const std::vector<std::string> en =
      EntityIds("U.S. President Donald Trump met Xi Jinping in Beijing.", "en");
  const std::vector<std::string> hans = EntityIds("美国总统特朗普在北京会见习近平。", "zh-Hans");
  const std::vector<std::string> hant = EntityIds("美國總統川普在北京會見習近平。", "zh-Hant");
  const std::vector<std::string> want = {"country:US", "person:donald_trump", "city:beijing",
                                         "person:xi_jinping"};
  EXPECT_THAT(en, IsSupersetOf(want));
  EXPECT_THAT(hans, IsSupersetOf(want));
  EXPECT_THAT(hant, IsSupersetOf(want));
}

TEST(EntitiesTest, SpellingVariantsOfOneName) {
  EXPECT_THAT(EntityIds("Zelenskyy spoke", "en"), Contains("person:volodymyr_zelensky"));
  EXPECT_THAT(EntityIds("Zelensky spoke", "en"), Contains("person:volodymyr_zelensky"));
  EXPECT_THAT(EntityIds("泽连斯基表示", "zh-Hans"), Contains("person:volodymyr_zelensky"));
  EXPECT_THAT(EntityIds("澤倫斯基表示", "zh-Hant"), Contains("person:volodymyr_zelensky"));
  EXPECT_THAT(EntityIds("Protests in Kiev", "en"), Contains("city:kyiv"));
  EXPECT_THAT(EntityIds("Protests in Kyiv", "en"), Contains("city:kyiv"));
  EXPECT_THAT(EntityIds("賀錦麗發表演說", "zh-Hant"), Contains("person:kamala_harris"));
}

TEST(EntitiesTest, AcronymsAreCaseSensitiveAndNamesCapitalised) {
  EXPECT_THAT(EntityIds("The WHO warned of an outbreak.", "en"), Contains("org:who"));
  EXPECT_THAT(EntityIds("He asked who would pay for us.", "en"), Not(Contains("org:who")));
  EXPECT_THAT(EntityIds("He asked who would pay for us.", "en"), Not(Contains("country:US")));
  EXPECT_THAT(EntityIds("Prices rose in China.", "en"), Contains("country:CN"));
  EXPECT_THAT(EntityIds("a set of fine china plates", "en"), Not(Contains("country:CN")));
}

TEST(EntitiesTest, ConceptsMatchAcrossLanguagesWithPlurals) {
  EXPECT_THAT(EntityIds("Two earthquakes hit the coast", "en"), Contains("concept:earthquake"));
  EXPECT_THAT(EntityIds("沿海发生强烈地震", "zh-Hans"), Contains("concept:earthquake"));
  EXPECT_THAT(EntityIds("Tariffs on steel", "en"), Contains("concept:tariff"));
  EXPECT_THAT(EntityIds("對鋼鐵加徵關稅", "zh-Hant"), Contains("concept:tariff"));
}

TEST(EntitiesTest, UnknownEnglishNamesWithKinds) {
  const std::vector<Entity> found =
      FindEntities("Shares of Acme Corp fell after Mr John Smith resigned.", "en");
  std::vector<std::pair<std::string, EntityKind>> got;
  for (const Entity& e : found) {
    if (e.id.starts_with("name:")) got.emplace_back(e.id, e.kind);
  }
  EXPECT_THAT(
      got,
      ElementsAre(std::pair<std::string, EntityKind>("name:acme corp", EntityKind::kOrganisation),
                  std::pair<std::string, EntityKind>("name:john smith", EntityKind::kPerson)));
  // A sentence-initial capitalised word alone is not a name.
  for (const Entity& e : FindEntities("Yesterday it rained.", "en")) {
    EXPECT_FALSE(e.id.starts_with("name:")) << e.id;
  }
}

TEST(EntitiesTest, MentionsInTextOrderWithOffsets) {
  const std::string text = "France and Germany";
  const std::vector<Entity> found = FindEntities(text, "en");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "country:FR");
  EXPECT_EQ(found[1].id, "country:DE");
  EXPECT_EQ(text.substr(found[1].offset, found[1].surface.size()), "Germany");
}

TEST(GazetteerTest, CountriesComeFromCldrInThreeLanguages) {
  EXPECT_GE(GazetteerSize(), 500u);
  EXPECT_THAT(GazetteerNames("country:FR"), IsSupersetOf({"France", "法国", "法國"}));
  EXPECT_THAT(GazetteerNames("country:KP"), IsSupersetOf({"North Korea", "朝鲜", "北韓"}));
}

TEST(GazetteerTest, CommittedCountryTableMatchesGenerator) {
  std::ifstream in(std::string(ND_SOURCE_DIR) + "/data/gazetteer/countries.tsv", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), GenerateCountryTable())
      << "regenerate: nd_gen_gazetteer data/gazetteer/countries.tsv";
}

TEST(NumbersTest, OneValueInEnglishAndChineseForms) {
  const std::string want = NumberTerm(1.2e9);
  EXPECT_THAT(NumberTerms("exports of 1.2 billion"), Contains(want));
  EXPECT_THAT(NumberTerms("exports of 1,200,000,000"), Contains(want));
  EXPECT_THAT(NumberTerms("出口12亿"), Contains(want));
  EXPECT_THAT(NumberTerms("出口十二億"), Contains(want));
  EXPECT_THAT(NumberTerms("$1.2bn deal"), IsSupersetOf({want, std::string("\xC2\xA4USD")}));
  EXPECT_THAT(NumberTerms("12亿美元"), IsSupersetOf({want, std::string("\xC2\xA4USD")}));
}

TEST(NumbersTest, PercentagesAndDates) {
  const std::string pct = NumberTerm(5.3, true);
  EXPECT_THAT(NumberTerms("grew 5.3%"), Contains(pct));
  EXPECT_THAT(NumberTerms("grew 5.3 percent"), Contains(pct));
  EXPECT_THAT(NumberTerms("grew 5.3 per cent"), Contains(pct));
  EXPECT_THAT(NumberTerms("增长百分之五点三"), Contains(pct));
  EXPECT_THAT(NumberTerms("增長5.3％"), Contains(pct));
  EXPECT_THAT(NumberTerms("on March 3"), Contains("@03-03"));
  EXPECT_THAT(NumberTerms("on 3 March"), Contains("@03-03"));
  EXPECT_THAT(NumberTerms("3月3日"), Contains("@03-03"));
  EXPECT_THAT(NumberTerms("三月三日"), Contains("@03-03"));
  EXPECT_THAT(NumberTerms("2026-03-03"), Contains("@03-03"));
}

TEST(NumbersTest, ChineseNumerals) {
  EXPECT_EQ(ParseChineseNumeral("十四"), 14);
  EXPECT_EQ(ParseChineseNumeral("一千二百万"), 12000000);
  EXPECT_EQ(ParseChineseNumeral("一亿二千万"), 120000000);
  EXPECT_EQ(ParseChineseNumeral("两万"), 20000);
  EXPECT_EQ(ParseChineseNumeral("二〇二六"), 2026);
  EXPECT_DOUBLE_EQ(*ParseChineseNumeral("五点三"), 5.3);
  EXPECT_FALSE(ParseChineseNumeral("五点").has_value());
  EXPECT_FALSE(ParseChineseNumeral("").has_value());
}

TEST(NumbersTest, SmallCountsAndWordsThatLookLikeNumeralsAreLeftOut) {
  EXPECT_THAT(NumberTerms("two people, 3 cars"), ::testing::IsEmpty());
  EXPECT_THAT(NumberTerms("他十分高兴，千万不要去"), ::testing::IsEmpty());
}

}  // namespace
}  // namespace nd::text
