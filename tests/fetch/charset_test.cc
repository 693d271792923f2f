#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <string>
#include <vector>

#include "fetch/fetch.h"

namespace nd::fetch {
namespace {

const std::string kHans =
    "新华社北京11月18日电，国务院今天召开常务会议，研究部署进一步扩大内需的政策措施，"
    "会议指出，要坚持稳中求进工作总基调，推动经济持续回升向好。";
const std::string kHant =
    "中央社台北11月18日電，行政院今天召開院會，討論明年度總預算案，"
    "院長表示，政府將持續推動經濟發展與社會福利政策。";

// Encodes UTF-8 text into `charset` with ICU, as a server in that charset would send it.
std::string Encode(const std::string& utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  std::vector<UChar> utf16(utf8.size() + 1);
  int32_t len = 0;
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &len, utf8.data(),
                static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  UConverter* conv = ucnv_open(charset, &err);
  EXPECT_TRUE(U_SUCCESS(err)) << charset << ": " << u_errorName(err);
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n =
      ucnv_fromUChars(conv, out.data(), static_cast<int32_t>(out.size()), utf16.data(), len, &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  ucnv_close(conv);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

TEST(DecodeToUtf8Test, EncodedBytesDifferFromUtf8) {
  // Guards the tests below against passing because the bytes were UTF-8 all along.
  EXPECT_NE(Encode(kHans, "GBK"), kHans);
  EXPECT_NE(Encode(kHant, "Big5"), kHant);
}

TEST(DecodeToUtf8Test, GbkFromContentType) {
  std::string bytes = Encode(kHans, "GBK");
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html; charset=gbk", true, &cs), kHans);
  EXPECT_EQ(cs, "GB18030");
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html; charset=\"GB2312\"", false), kHans);
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html;charset=x-gbk", false), kHans);
}

TEST(DecodeToUtf8Test, Gb18030FourByteCharacters) {
  // U+20BB7 (𠮷) is outside GBK and needs GB18030's four-byte form.
  std::string text = kHans + "𠮷";
  std::string bytes = Encode(text, "GB18030");
  EXPECT_EQ(DecodeToUtf8(bytes, "application/rss+xml; charset=gb2312", false), text);
}

TEST(DecodeToUtf8Test, Big5FromContentType) {
  std::string bytes = Encode(kHant, "Big5");
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html; charset=big5", true, &cs), kHant);
  EXPECT_EQ(cs, "Big5-HKSCS");
}

TEST(DecodeToUtf8Test, MetaCharset) {
  std::string html = "<html><head><meta charset=\"gb2312\"><title>" + kHans + "</title>";
  std::string bytes = Encode(html, "GBK");
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html", true), html);
}

TEST(DecodeToUtf8Test, MetaHttpEquiv) {
  std::string html =
      "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=big5\">"
      "<title>" +
      kHant + "</title>";
  std::string bytes = Encode(html, "Big5");
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(bytes, "", true, &cs), html);
  EXPECT_EQ(cs, "Big5-HKSCS");
}

TEST(DecodeToUtf8Test, MetaIgnoredWhenNotHtml) {
  // Only the detector could pick GBK here; with is_html=false the <meta> must not be used.
  std::string html = "<meta charset=\"windows-1251\">" + kHans;
  std::string bytes = Encode(html, "GBK");
  std::string cs;
  DecodeToUtf8(bytes, "", false, &cs);
  EXPECT_NE(cs, "windows-1251");
}

TEST(DecodeToUtf8Test, XmlDeclaration) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"GB2312\"?><rss><title>" + kHans + "</title>";
  std::string bytes = Encode(xml, "GBK");
  EXPECT_EQ(DecodeToUtf8(bytes, "application/xml", false), xml);
}

TEST(DecodeToUtf8Test, ContentTypeWinsOverMeta) {
  std::string html = "<meta charset=\"big5\">" + kHans;
  std::string bytes = Encode(html, "GBK");
  EXPECT_EQ(DecodeToUtf8(bytes, "text/html; charset=GBK", true), html);
}

TEST(DecodeToUtf8Test, DetectorFindsUndeclaredGb18030) {
  std::string text = kHans + kHans + kHans;
  std::string bytes = Encode(text, "GB18030");
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(bytes, "", false, &cs), text);
  EXPECT_EQ(cs, "GB18030");
}

TEST(DecodeToUtf8Test, DetectorFindsUndeclaredBig5) {
  std::string text = kHant + kHant + kHant;
  std::string bytes = Encode(text, "Big5");
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(bytes, "", false, &cs), text);
  EXPECT_EQ(cs, "Big5-HKSCS");
}

TEST(DecodeToUtf8Test, ValidUtf8Undeclared) {
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(kHans, "", true, &cs), kHans);
  EXPECT_EQ(cs, "UTF-8");
  EXPECT_EQ(DecodeToUtf8("plain ascii", "", false, &cs), "plain ascii");
}

TEST(DecodeToUtf8Test, ByteOrderMarks) {
  std::string cs;
  EXPECT_EQ(DecodeToUtf8("\xEF\xBB\xBF" + kHant, "", false, &cs), kHant);
  EXPECT_EQ(cs, "UTF-8");
  std::string utf16 = "\xFF\xFE" + Encode(kHant, "UTF-16LE");
  EXPECT_EQ(DecodeToUtf8(utf16, "", false, &cs), kHant);
  EXPECT_EQ(cs, "UTF-16LE");
  // The BOM beats a wrong header.
  EXPECT_EQ(DecodeToUtf8("\xEF\xBB\xBF" + kHans, "text/html; charset=iso-8859-1", true), kHans);
}

TEST(DecodeToUtf8Test, Latin1IsWindows1252) {
  std::string cs;
  EXPECT_EQ(DecodeToUtf8("\x93quoted\x94 caf\xE9", "text/html; charset=ISO-8859-1", true, &cs),
            "\u201Cquoted\u201D caf\u00E9");
  EXPECT_EQ(cs, "windows-1252");
}

TEST(DecodeToUtf8Test, ShiftJisAndEucKr) {
  std::string ja = "東京都は今日、新しい交通計画を発表した。";
  EXPECT_EQ(DecodeToUtf8(Encode(ja, "Shift_JIS"), "text/html; charset=Shift_JIS", true), ja);
  std::string ko = "서울시는 오늘 새로운 교통 계획을 발표했다.";
  EXPECT_EQ(DecodeToUtf8(Encode(ko, "EUC-KR"), "text/html; charset=euc-kr", true), ko);
}

TEST(DecodeToUtf8Test, InvalidBytesBecomeReplacementCharacter) {
  EXPECT_EQ(DecodeToUtf8("ok\xFF\xFEok", "text/plain; charset=utf-8", false), "ok\uFFFD\uFFFDok");
  // Shift_JIS's ICU default would substitute U+001A; we promise U+FFFD.
  std::string out = DecodeToUtf8("a\xA0\x81z", "text/plain; charset=shift_jis", false);
  EXPECT_EQ(out.find('\x1A'), std::string::npos) << out;
  EXPECT_NE(out.find("\uFFFD"), std::string::npos) << out;
  // Truncated multibyte sequence at the end.
  std::string gbk = Encode(kHans, "GBK");
  gbk.pop_back();
  out = DecodeToUtf8(gbk, "text/plain; charset=gbk", false);
  EXPECT_NE(out.find("\uFFFD"), std::string::npos);
}

TEST(DecodeToUtf8Test, UnknownLabelFallsBack) {
  std::string cs;
  EXPECT_EQ(DecodeToUtf8(kHans, "text/html; charset=no-such-charset", true, &cs), kHans);
  EXPECT_EQ(cs, "UTF-8");
  EXPECT_EQ(DecodeToUtf8("", "", true, &cs), "");
}

}  // namespace
}  // namespace nd::fetch
