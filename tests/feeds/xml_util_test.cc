#include "feeds/xml_util.h"

#include <gtest/gtest.h>

namespace nd::feeds {
namespace {

TEST(RepairXmlEntitiesTest, Repairs) {
  EXPECT_EQ(RepairXmlEntities("AT&T &amp; &lt;b&gt; &#38; &#x26;"),
            "AT&amp;T &amp; &lt;b&gt; &#38; &#x26;");
  EXPECT_EQ(RepairXmlEntities("a&nbsp;b&mdash;c"), "a&#160;b&#8212;c");
  EXPECT_EQ(RepairXmlEntities("&bogus; & &#xZZ;"), "&amp;bogus; &amp; &amp;#xZZ;");
  EXPECT_EQ(RepairXmlEntities("<![CDATA[a & b &nbsp;]]> & <!-- x & y -->"),
            "<![CDATA[a & b &nbsp;]]> &amp; <!-- x & y -->");
  EXPECT_EQ(RepairXmlEntities("trailing &"), "trailing &amp;");
}

TEST(HtmlToTextTest, StripsMarkup) {
  EXPECT_EQ(HtmlToText("<p>One <b>two</b></p><p>three</p>"), "One two three");
  EXPECT_EQ(HtmlToText("a<br>b"), "a b");
  EXPECT_EQ(HtmlToText("x<script>alert(1)</script><style>p{}</style>y"), "xy");
  EXPECT_EQ(HtmlToText("Fish &amp; chips&nbsp;&mdash; 5&lt;6"), "Fish & chips — 5<6");
  EXPECT_EQ(HtmlToText("  plain\n\ttext  "), "plain text");
  EXPECT_EQ(HtmlToText("中文<em>新闻</em>"), "中文新闻");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<p>unclosed <b>bold"), "unclosed bold");
}

TEST(CollapseWhitespaceTest, Nbsp) {
  EXPECT_EQ(CollapseWhitespace("\xC2\xA0 a \xC2\xA0 b\n"), "a b");
}

}  // namespace
}  // namespace nd::feeds
