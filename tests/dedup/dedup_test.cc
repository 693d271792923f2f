#include "dedup/dedup.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "text/text.h"

namespace nd::dedup {
namespace {

// A wire story of about 300 words, written for this test, as paragraphs.
const std::vector<std::string> kArticle = {
    "The harbour authority in Port Alden said on Monday that it would close the northern "
    "container terminal for three weeks in March to replace cranes that have been in "
    "service since the early 1990s, a move shipping companies warned could delay cargo "
    "across the region.",
    "Officials said the new electric cranes would lift twice as many containers an hour and "
    "cut diesel use at the port by about a third. The project is expected to cost 84 million "
    "dollars, most of it paid by a loan from a regional development bank.",
    "Three of the largest carriers calling at Port Alden have asked the authority to stage the "
    "work over a longer period so that at least part of the terminal stays open. A spokesman "
    "for one carrier said ships might have to divert to ports two days' sailing away, raising "
    "costs for importers of food and fuel.",
    "The authority's director, Helen Marsh, told reporters that a phased closure had been "
    "studied and rejected because it would stretch the work over most of the year and leave "
    "old and new equipment running side by side. She said the southern terminal would extend "
    "its hours and that extra customs staff would be brought in to clear goods faster.",
    "Trade groups representing farmers said they were worried about fruit exports, which peak "
    "in March. One group said it would ask the government to pay for temporary storage near "
    "the southern terminal. The transport ministry said it was reviewing the request and "
    "would respond within a week.",
    "Port Alden handled about 1.2 million containers last year, making it the third busiest "
    "port in the country. The authority plans to modernise the southern terminal in 2027.",
};

// An unrelated article of similar length.
const std::string kUnrelated =
    "A team of astronomers has found water vapour in the atmosphere of a planet orbiting a "
    "small red star about forty light years from Earth, according to a study published on "
    "Wednesday. The planet is slightly larger than Earth and completes an orbit every eleven "
    "days. The researchers used a space telescope to watch the star dim as the planet passed "
    "in front of it, and measured which colours of light were absorbed. Water vapour leaves a "
    "clear signature in infrared light, the lead author said, but the data cannot yet say "
    "whether the planet has oceans. Because the star is small and cool, the planet may sit in "
    "the zone where liquid water could exist on the surface. Other scientists cautioned that "
    "red stars often flare violently, which could strip away an atmosphere over time. The team "
    "plans further observations next year with a more sensitive instrument, and hopes to "
    "detect carbon dioxide and methane. Funding for the project came from two universities "
    "and a national science foundation. The findings add to a growing list of small planets "
    "whose air can be studied directly, a field that barely existed a decade ago. Several "
    "new telescopes due to open before the end of the decade are expected to expand the "
    "search to dozens of nearby stars. Engineers are also designing a mission that would "
    "block the light of a star to photograph its planets directly.";

std::string Join(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const auto& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

// The same story as another outlet runs it: one sentence reworded, one paragraph cut.
std::string LightlyEdited() {
  std::vector<std::string> paragraphs = kArticle;
  paragraphs[1] =
      "Officials said the new electric cranes would lift twice as many containers an hour and "
      "reduce the port's diesel consumption by roughly a third. The project is expected to "
      "cost 84 million dollars, most of it paid by a loan from a regional development bank.";
  paragraphs.erase(paragraphs.begin() + 4);
  return Join(paragraphs);
}

std::uint64_t WordSimHash(const std::string& body) { return SimHash(text::Words(body)); }

int Distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

TEST(ContentHashTest, IdenticalTextSameHash) {
  std::string article = Join(kArticle);
  EXPECT_EQ(ContentHash(article), ContentHash(article));
  EXPECT_EQ(ContentHash(article).size(), 64u);
}

TEST(ContentHashTest, KnownDigest) {
  // SHA-256 of the empty string and of "abc".
  EXPECT_EQ(ContentHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ContentHash("  ABC \n"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentHashTest, WhitespaceCaseAndWidthDoNotMatter) {
  EXPECT_EQ(ContentHash("Port Alden closes  terminal.\n\nShips divert."),
            ContentHash("  port alden CLOSES terminal. ships\tdivert.  "));
  EXPECT_EQ(ContentHash("ＡＢＣ 123"), ContentHash("abc\u00a0１２３"));
}

TEST(ContentHashTest, DifferentTextDifferentHash) {
  EXPECT_NE(ContentHash(Join(kArticle)), ContentHash(LightlyEdited()));
  EXPECT_NE(ContentHash("a b"), ContentHash("ab"));
}

TEST(SimHashTest, StableAcrossBuilds) {
  // Pinned so that a change of hash function, which would orphan stored fingerprints, is
  // noticed.
  EXPECT_EQ(SimHash({"port", "alden", "close", "termin"}), 0x8806d89a04852822ULL);
  EXPECT_EQ(Fingerprint("Port Alden closes the northern terminal"), 0xe8fd35ab02d151b2ULL);
  EXPECT_EQ(SimHash({}), 0u);
  EXPECT_NE(SimHash({"a", "b", "c"}), SimHash({"c", "b", "a"}));
}

TEST(SimHashTest, LightEditIsCloserThanUnrelated) {
  std::uint64_t original = WordSimHash(Join(kArticle));
  int light = Distance(original, WordSimHash(LightlyEdited()));
  int far = Distance(original, WordSimHash(kUnrelated));
  EXPECT_LE(light, 16);
  EXPECT_GE(far, 24);
  EXPECT_EQ(WordSimHash(Join(kArticle)), original);
}

TEST(FingerprintTest, LightEditIsCloseUnrelatedIsFar) {
  std::uint64_t original = Fingerprint(Join(kArticle));
  int light = Distance(original, Fingerprint(LightlyEdited()));
  int far = Distance(original, Fingerprint(kUnrelated));
  std::cout << "fingerprint distance: light edit " << light << ", unrelated " << far << "\n";
  EXPECT_LE(light, NearDuplicateIndex().max_distance());
  EXPECT_GE(far, 24);
}

TEST(FingerprintTest, CaseWidthAndWhitespaceDoNotMatter) {
  EXPECT_EQ(Fingerprint("Port Alden  closes the northern terminal"),
            Fingerprint("PORT ALDEN closes the\nnorthern ｔｅｒｍｉｎａｌ"));
  EXPECT_EQ(Fingerprint(""), 0u);
  EXPECT_NE(Fingerprint("one two three four"), Fingerprint("four three two one"));
}

TEST(FingerprintTest, MostSingleParagraphCutsAreFound) {
  NearDuplicateIndex index;
  index.Add(42, Fingerprint(Join(kArticle)));
  int found = 0;
  for (size_t cut = 0; cut < kArticle.size(); ++cut) {
    std::vector<std::string> paragraphs = kArticle;
    paragraphs.erase(paragraphs.begin() + static_cast<std::ptrdiff_t>(cut));
    int distance = Distance(Fingerprint(Join(kArticle)), Fingerprint(Join(paragraphs)));
    std::cout << "cut paragraph " << cut << ": distance " << distance << "\n";
    if (index.Find(Fingerprint(Join(paragraphs))) == 42) ++found;
  }
  EXPECT_GE(found, 5);
}

TEST(NearDuplicateIndexTest, FindsLightlyEditedCopy) {
  NearDuplicateIndex index;
  index.Add(7, Fingerprint(kUnrelated));
  index.Add(42, Fingerprint(Join(kArticle)));
  EXPECT_EQ(index.Find(Fingerprint(LightlyEdited())), 42);
  EXPECT_EQ(index.Find(Fingerprint(Join(kArticle))), 42);
}

TEST(NearDuplicateIndexTest, UnrelatedArticleNotFound) {
  NearDuplicateIndex index;
  index.Add(42, Fingerprint(Join(kArticle)));
  EXPECT_EQ(index.Find(Fingerprint(kUnrelated)), 0);
  EXPECT_EQ(NearDuplicateIndex().Find(Fingerprint(kUnrelated)), 0);
}

TEST(NearDuplicateIndexTest, EveryDistanceUpToMaxIsFound) {
  // Flip bits spread over all bands, the worst case for banding.
  const std::uint64_t base = 0x0123456789abcdefULL;
  for (int max_distance : {0, 3, 5, 8, 12}) {
    NearDuplicateIndex index(max_distance);
    index.Add(1, base);
    for (int flips = 0; flips <= max_distance + 1; ++flips) {
      std::uint64_t probe = base;
      for (int k = 0; k < flips; ++k) probe ^= std::uint64_t{1} << ((k * 16 + k / 4) % 64);
      ASSERT_EQ(Distance(base, probe), flips);
      EXPECT_EQ(index.Find(probe), flips <= max_distance ? 1 : 0)
          << "max_distance " << max_distance << " flips " << flips;
    }
  }
}

TEST(NearDuplicateIndexTest, ReturnsClosest) {
  NearDuplicateIndex index(8);
  const std::uint64_t base = 0xfedcba9876543210ULL;
  index.Add(1, base ^ 0x7);  // 3 bits away
  index.Add(2, base ^ 0x1);  // 1 bit away
  EXPECT_EQ(index.Find(base), 2);
}

TEST(DedupChineseTest, TraditionalAndSimplifiedCopiesMatch) {
  const std::string simplified =
      "港口管理局周一表示，北部集装箱码头将于三月关闭三周，以更换使用了三十多年的起重机。"
      "航运公司警告说，此举可能导致整个地区的货物延误。官员表示，新的电动起重机每小时可"
      "吊装的集装箱数量是旧设备的两倍。";
  const std::string traditional =
      "港口管理局週一表示，北部集裝箱碼頭將於三月關閉三週，以更換使用了三十多年的起重機。"
      "航運公司警告說，此舉可能導致整個地區的貨物延誤。官員表示，新的電動起重機每小時可"
      "吊裝的集裝箱數量是舊設備的兩倍。";
  EXPECT_EQ(Fingerprint(simplified), Fingerprint(traditional));
  EXPECT_EQ(SimHash(text::MatchTerms(simplified, "zh-Hans")),
            SimHash(text::MatchTerms(traditional, "zh-Hant")));
}

}  // namespace
}  // namespace nd::dedup
