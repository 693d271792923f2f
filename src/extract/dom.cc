#include "extract/dom.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "extract/scan.h"

namespace nd::extract::internal {
namespace {

using std::string_view;

string_view Name(const xmlNode* n) {
  return n->name ? string_view(reinterpret_cast<const char*>(n->name)) : string_view();
}

// Attribute value without copying; "" when absent. libxml2's HTML parser stores an
// attribute value as one text child, names lower-cased.
string_view Attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (std::strcmp(reinterpret_cast<const char*>(a->name), name) == 0) {
      if (a->children != nullptr && a->children->content != nullptr) {
        return reinterpret_cast<const char*>(a->children->content);
      }
      return "";
    }
  }
  return {};
}

bool HasAttr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (std::strcmp(reinterpret_cast<const char*>(a->name), name) == 0) return true;
  }
  return false;
}

Tag TagOf(string_view name) {
  static const auto* kTags = new std::unordered_map<string_view, Tag>{
      {"a", Tag::kA},
      {"abbr", Tag::kInline},
      {"b", Tag::kInline},
      {"bdi", Tag::kInline},
      {"bdo", Tag::kInline},
      {"big", Tag::kInline},
      {"cite", Tag::kInline},
      {"code", Tag::kInline},
      {"data", Tag::kInline},
      {"del", Tag::kInline},
      {"dfn", Tag::kInline},
      {"em", Tag::kInline},
      {"font", Tag::kInline},
      {"i", Tag::kInline},
      {"ins", Tag::kInline},
      {"kbd", Tag::kInline},
      {"label", Tag::kInline},
      {"mark", Tag::kInline},
      {"nobr", Tag::kInline},
      {"q", Tag::kInline},
      {"s", Tag::kInline},
      {"samp", Tag::kInline},
      {"small", Tag::kInline},
      {"span", Tag::kInline},
      {"strike", Tag::kInline},
      {"strong", Tag::kInline},
      {"sub", Tag::kInline},
      {"sup", Tag::kInline},
      {"tt", Tag::kInline},
      {"u", Tag::kInline},
      {"var", Tag::kInline},
      {"wbr", Tag::kInline},
      {"picture", Tag::kInline},
      {"source", Tag::kDrop},
      {"br", Tag::kBr},
      {"img", Tag::kImg},
      {"p", Tag::kP},
      {"div", Tag::kDiv},
      {"center", Tag::kDiv},
      {"section", Tag::kSection},
      {"article", Tag::kArticle},
      {"main", Tag::kMain},
      {"body", Tag::kBody},
      {"html", Tag::kHtml},
      {"h1", Tag::kH1},
      {"h2", Tag::kHeading},
      {"h3", Tag::kHeading},
      {"h4", Tag::kHeading},
      {"h5", Tag::kHeading},
      {"h6", Tag::kHeading},
      {"li", Tag::kLi},
      {"ul", Tag::kList},
      {"ol", Tag::kList},
      {"dl", Tag::kDl},
      {"dt", Tag::kDtDd},
      {"dd", Tag::kDtDd},
      {"blockquote", Tag::kBlockquote},
      {"pre", Tag::kPre},
      {"table", Tag::kTable},
      {"tr", Tag::kTr},
      {"td", Tag::kCell},
      {"th", Tag::kCell},
      {"thead", Tag::kTableSection},
      {"tbody", Tag::kTableSection},
      {"tfoot", Tag::kTableSection},
      {"figure", Tag::kFigure},
      {"figcaption", Tag::kFigcaption},
      {"header", Tag::kHeader},
      {"footer", Tag::kFooter},
      {"nav", Tag::kNav},
      {"aside", Tag::kAside},
      {"form", Tag::kForm},
      {"script", Tag::kScript},
      {"head", Tag::kHead},
      {"meta", Tag::kMeta},
      {"link", Tag::kLink},
      {"title", Tag::kTitle},
      {"time", Tag::kTime},
      {"style", Tag::kDrop},
      {"noscript", Tag::kDrop},
      {"iframe", Tag::kDrop},
      {"svg", Tag::kDrop},
      {"math", Tag::kDrop},
      {"button", Tag::kDrop},
      {"select", Tag::kDrop},
      {"option", Tag::kDrop},
      {"textarea", Tag::kDrop},
      {"input", Tag::kDrop},
      {"template", Tag::kDrop},
      {"object", Tag::kDrop},
      {"embed", Tag::kDrop},
      {"canvas", Tag::kDrop},
      {"video", Tag::kDrop},
      {"audio", Tag::kDrop},
      {"map", Tag::kDrop},
      {"dialog", Tag::kDrop},
      {"caption", Tag::kFigcaption},
  };
  auto it = kTags->find(name);
  return it == kTags->end() ? Tag::kOther : it->second;
}

bool IsInline(Tag t) { return t == Tag::kInline || t == Tag::kA || t == Tag::kTime; }

// Word lists for class/id tokens. A token is split at '-' and '_' into parts; a part
// matching a word counts, and so does a whole token starting with a long word
// ("socialshare", "relatedArticles" lower-cased), so "article-header" never matches
// "header" and "address" never matches "ad".
constexpr string_view kStrongNegative[] = {
    "comment",         "comments",   "share",        "sharing",  "sharebar",    "social",
    "related",         "newsletter", "cookie",       "cookies",  "consent",     "gdpr",
    "sidebar",         "breadcrumb", "breadcrumbs",  "popup",    "modal",       "promo",
    "sponsor",         "sponsored",  "outbrain",     "taboola",  "disqus",      "advert",
    "advertisement",   "subscribe",  "subscription", "signup",   "recommend",   "recommended",
    "recommendations", "trending",   "popular",      "mostread", "newsletters", "adsbygoogle",
    "relatedposts",    "readmore",   "more-stories", "login",    "banner-ad",   "pullquote",
    "pull-quote"};
constexpr string_view kWeakNegative[] = {"nav",
                                         "navbar",
                                         "navigation",
                                         "menu",
                                         "footer",
                                         "banner",
                                         "ad",
                                         "ads",
                                         "adv",
                                         "tags",
                                         "caption",
                                         "credit",
                                         "credits",
                                         "byline",
                                         "author",
                                         "widget",
                                         "masthead",
                                         "toolbar",
                                         "pagination",
                                         "pager",
                                         "print",
                                         "rss",
                                         "skip",
                                         "sr-only",
                                         "visually-hidden",
                                         "screen-reader-text",
                                         "topics",
                                         "keywords",
                                         "share-tools",
                                         "tools",
                                         "meta",
                                         "dateline",
                                         "timestamp",
                                         "copyright",
                                         "disclaimer",
                                         "bio",
                                         "follow",
                                         "photo",
                                         "image",
                                         "gallery"};
constexpr string_view kPositive[] = {"article",     "content",   "story",   "body", "entry",
                                     "post",        "text",      "main",    "blog", "hentry",
                                     "articlebody", "storybody", "postbody"};
constexpr string_view kLongPrefixes[] = {
    "comment",    "share", "social",  "related",  "newsletter", "cookie", "consent", "sidebar",
    "breadcrumb", "popup", "sponsor", "outbrain", "taboola",    "advert", "subscri", "recommend"};

bool InList(string_view part, const string_view* begin, const string_view* end) {
  return std::find(begin, end, part) != end;
}

// Returns 2 strong negative, 1 weak negative, 0 none; sets *positive.
int ClassifyTokens(string_view value, bool* positive) {
  int neg = 0;
  std::string lower;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && static_cast<unsigned char>(value[i]) <= ' ') ++i;
    size_t start = i;
    while (i < value.size() && static_cast<unsigned char>(value[i]) > ' ') ++i;
    if (i == start) break;
    lower = AsciiLower(value.substr(start, i - start));
    if (InList(lower, std::begin(kStrongNegative), std::end(kStrongNegative))) neg = 2;
    for (string_view p : kLongPrefixes) {
      if (lower.size() > p.size() && lower.compare(0, p.size(), p) == 0 &&
          lower.find('-') == std::string::npos && lower.find('_') == std::string::npos &&
          lower != "commentary") {
        neg = 2;
      }
    }
    if (InList(lower, std::begin(kPositive), std::end(kPositive))) *positive = true;
    if (InList(lower, std::begin(kWeakNegative), std::end(kWeakNegative))) neg = std::max(neg, 1);
    // Parts.
    size_t ps = 0;
    while (ps <= lower.size()) {
      size_t pe = lower.find_first_of("-_", ps);
      if (pe == std::string::npos) pe = lower.size();
      string_view part(lower.data() + ps, pe - ps);
      if (!part.empty() && part.size() != lower.size()) {
        if (InList(part, std::begin(kStrongNegative), std::end(kStrongNegative))) neg = 2;
        if (InList(part, std::begin(kWeakNegative), std::end(kWeakNegative))) {
          neg = std::max(neg, 1);
        }
        if (InList(part, std::begin(kPositive), std::end(kPositive))) *positive = true;
      }
      ps = pe + 1;
    }
  }
  return neg;
}

bool Contains(string_view s, string_view part) { return s.find(part) != string_view::npos; }

// Content shown only on hover (tooltips, popovers, rollover cards about a linked name):
// hidden until the reader points at it, so not part of the text as read.
bool IsHoverCard(string_view cls) {
  std::string lower = AsciiLower(cls);
  size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && static_cast<unsigned char>(lower[i]) <= ' ') ++i;
    size_t start = i;
    while (i < lower.size() && static_cast<unsigned char>(lower[i]) > ' ') ++i;
    string_view t(lower.data() + start, i - start);
    if (t.empty()) break;
    if (t.find("tooltip") != string_view::npos || t.find("popover") != string_view::npos ||
        t.find("hovercard") != string_view::npos || t.find("hover-card") != string_view::npos) {
      return true;
    }
    if (t.find("rollover") != string_view::npos || t.find("hover") != string_view::npos) {
      for (string_view end : {"block", "card", "popup", "content", "box"}) {
        if (t.size() > end.size() && t.substr(t.size() - end.size()) == end) return true;
      }
    }
  }
  return false;
}

// The class of a platform's embed code for a post: twitter-tweet, instagram-media,
// tiktok-embed, fb-post, reddit-card, bluesky-embed, ...
bool IsSocialEmbed(string_view cls) {
  std::string lower = AsciiLower(cls);
  for (string_view k : {"tweet", "instagram", "tiktok", "fb-post", "facebook", "reddit", "bluesky",
                        "mastodon", "threads-", "embed"}) {
    if (Contains(lower, k)) return true;
  }
  return false;
}

// Readability's class weight: substring hints, +-25.
int ClassWeight(string_view value) {
  if (value.empty()) return 0;
  static constexpr string_view kNeg[] = {
      "comment", "footer",   "footnote", "masthead",   "outbrain", "promo",  "related",
      "share",   "shoutbox", "sidebar",  "skyscraper", "sponsor",  "widget", "banner",
      "social",  "tags",     "advert",   "-ad-",       "menu",     "nav",    "byline",
      "caption", "credit",   "combx",    "contact",    "gdpr",     "cookie", "newsletter"};
  static constexpr string_view kPos[] = {"article", "body", "content", "entry", "hentry", "h-entry",
                                         "main",    "page", "post",    "text",  "blog",   "story"};
  std::string lower = AsciiLower(value);
  int w = 0;
  for (string_view n : kNeg) {
    if (lower.find(n) != std::string::npos) {
      w -= 25;
      break;
    }
  }
  for (string_view p : kPos) {
    if (lower.find(p) != std::string::npos) {
      w += 25;
      break;
    }
  }
  return w;
}

int TagBase(Tag t) {
  switch (t) {
    case Tag::kDiv:
    case Tag::kArticle:
    case Tag::kMain:
      return 5;
    case Tag::kPre:
    case Tag::kCell:
    case Tag::kBlockquote:
      return 3;
    case Tag::kList:
    case Tag::kDl:
    case Tag::kDtDd:
    case Tag::kLi:
    case Tag::kForm:
      return -3;
    case Tag::kH1:
    case Tag::kHeading:
      return -5;
    default:
      return 0;
  }
}

// An e-mail address or a social handle ("@name") in `s`.
bool HasAddressOrHandle(string_view s) {
  for (size_t at = s.find('@'); at != string_view::npos; at = s.find('@', at + 1)) {
    bool word_after = at + 1 < s.size() &&
                      (std::isalnum(static_cast<unsigned char>(s[at + 1])) || s[at + 1] == '_');
    if (word_after) return true;
  }
  return false;
}

// A line addressed to the reader about the site rather than the story (`lower` is the
// lower-cased block, at most 300 bytes): a newsletter or subscription pitch, "follow us
// on Twitter and Facebook", the author's contact line ("Have a tip? ... may be reached
// at a@b.com. Follow her on Twitter @x"), "share it with a friend".
bool IsPromoLine(string_view lower) {
  bool newsletter = Contains(lower, "newsletter") || Contains(lower, "inbox");
  if (newsletter && (Contains(lower, "sign up") || Contains(lower, "subscribe") ||
                     Contains(lower, "delivered") || Contains(lower, "get the latest"))) {
    return true;
  }
  bool social = Contains(lower, "twitter") || Contains(lower, "facebook") ||
                Contains(lower, "instagram") || Contains(lower, "youtube");
  if (lower.size() < 200 && lower.compare(0, 7, "follow ") == 0 && social) return true;
  if (lower.size() < 250 && HasAddressOrHandle(lower) &&
      (Contains(lower, "follow ") || Contains(lower, "reached at") || Contains(lower, "email ") ||
       Contains(lower, "e-mail ") || Contains(lower, "have a tip"))) {
    return true;
  }
  if (lower.size() < 100 && Contains(lower, "share it with")) return true;
  return false;
}

// A block that is only a date and/or time, in English words or digits: "November 20,
// 2019", "19 November 2019 • 1:16pm", "- Nov. 18th 2019 12:12 pm PT", "Updated at 1:23
// p.m.", "11/18/19 11:04 PM EST" (`lower` is lower-cased, under 80 bytes).
bool IsDateOnly(string_view lower) {
  static constexpr string_view kWords[] = {
      "jan",      "january",   "feb",       "february",  "mar",    "march",   "apr",
      "april",    "may",       "jun",       "june",      "jul",    "july",    "aug",
      "august",   "sep",       "sept",      "september", "oct",    "october", "nov",
      "november", "dec",       "december",  "mon",       "monday", "tue",     "tues",
      "tuesday",  "wed",       "wednesday", "thu",       "thur",   "thurs",   "thursday",
      "fri",      "friday",    "sat",       "saturday",  "sun",    "sunday",  "am",
      "pm",       "a",         "p",         "m",         "at",     "on",      "of",
      "updated",  "published", "posted",    "last",      "est",    "edt",     "et",
      "pt",       "pst",       "pdt",       "ct",        "cst",    "cdt",     "mt",
      "gmt",      "utc",       "bst",       "cet",       "cest",   "aest",    "ist",
      "st",       "nd",        "rd",        "th"};
  bool digits = false, clock_or_month = false;
  size_t i = 0;
  while (i < lower.size()) {
    unsigned char c = static_cast<unsigned char>(lower[i]);
    if (c >= 0x80) return false;  // letters of another script: not ours to judge
    if (!std::isalnum(c)) {
      if (c == ':' && i > 0 && i + 1 < lower.size() && std::isdigit(lower[i - 1]) &&
          std::isdigit(static_cast<unsigned char>(lower[i + 1]))) {
        clock_or_month = true;
      }
      ++i;
      continue;
    }
    size_t start = i;
    while (i < lower.size() && std::isalnum(static_cast<unsigned char>(lower[i]))) ++i;
    string_view w = lower.substr(start, i - start);
    size_t d = 0;
    while (d < w.size() && std::isdigit(static_cast<unsigned char>(w[d]))) ++d;
    if (d > 0) {
      digits = true;
      w.remove_prefix(d);  // "18th", "1pm", "2019"
      if (w.empty()) continue;
    }
    if (std::find(std::begin(kWords), std::end(kWords), w) == std::end(kWords)) return false;
    if (w.size() >= 3 && w != "updated" && w != "published" && w != "posted" && w != "last") {
      clock_or_month = true;  // a month or weekday name, or a zone
    }
    if (w == "pm" || w == "am") clock_or_month = true;
  }
  return digits && clock_or_month;
}

// A dateline: a date alone, or "By Name - 11/18/19 11:04 PM EST".
bool IsDateline(string_view lower) {
  if (lower.size() >= 80) return false;
  if (IsDateOnly(lower)) return true;
  if (lower.compare(0, 3, "by ") == 0) {
    for (string_view sep : {" - ", " | ", "\xE2\x80\xA2", "\xE2\x80\x94"}) {
      size_t at = lower.find(sep);
      if (at != string_view::npos && IsDateOnly(lower.substr(at + sep.size()))) return true;
    }
  }
  return false;
}

bool IsTeaserOrBoilerplate(const std::string& text, double link_density) {
  static constexpr string_view kExact[] = {"advertisement",
                                           "advertisement:",
                                           "ad",
                                           "ads",
                                           "sponsored",
                                           "sponsored content",
                                           "share",
                                           "share this",
                                           "share this article",
                                           "share this story",
                                           "share on facebook",
                                           "share on twitter",
                                           "tweet",
                                           "email",
                                           "print",
                                           "comments",
                                           "comment",
                                           "skip advertisement",
                                           "continue reading",
                                           "continue reading the main story",
                                           "post navigation",
                                           "this slideshow requires javascript.",
                                           "read more",
                                           "read more:",
                                           "story continues below advertisement",
                                           "scroll to continue with content",
                                           "\xE5\xB9\xBF\xE5\x91\x8A",  // 广告
                                           "\xE5\xBB\xA3\xE5\x91\x8A",  // 廣告
                                           "related",
                                           "related articles",
                                           "related stories",
                                           "more on this story",
                                           "see also",
                                           "image",
                                           "photo",
                                           "video",
                                           "loading...",
                                           "loading",
                                           "close",
                                           "menu",
                                           "log in",
                                           "sign in",
                                           "subscribe",
                                           "follow us",
                                           "back to top",
                                           "top"};
  static constexpr string_view kPrefixes[] = {
      "read more:",
      "read more ",
      "related:",
      "related coverage",
      "see also:",
      "also read:",
      "read also:",
      "more:",
      "watch:",
      "listen:",
      "recommended:",
      "sign up for",
      "sign up to",
      "subscribe to",
      "subscribe now",
      "follow us on",
      "click here to",
      "we use cookies",
      "this website uses cookies",
      "this site uses cookies",
      "by continuing to use",
      "by using this site",
      "copyright \xC2\xA9",
      "\xC2\xA9 ",
      "all rights reserved",
      "\xE9\x98\x85\xE8\xAF\xBB\xE6\x9B\xB4\xE5\xA4\x9A",  // 阅读更多
      "\xE5\xBB\xB6\xE4\xBC\xB8\xE9\x96\xB1\xE8\xAE\x80",  // 延伸閱讀
      "\xE5\xBB\xB6\xE4\xBC\xB8\xE9\x98\x85\xE8\xAF\xBB",  // 延伸阅读
      "\xE7\x9B\xB8\xE5\x85\xB3\xE9\x98\x85\xE8\xAF\xBB",  // 相关阅读
      "\xE7\x9B\xB8\xE9\x97\x9C\xE9\x96\xB1\xE8\xAE\x80",  // 相關閱讀
      "\xE7\x9B\xB8\xE5\x85\xB3\xE6\x96\xB0\xE9\x97\xBB",  // 相关新闻
      "\xE7\x9B\xB8\xE9\x97\x9C\xE6\x96\xB0\xE8\x81\x9E",  // 相關新聞
      "\xE6\x8E\xA8\xE8\x8D\x90\xE9\x98\x85\xE8\xAF\xBB",  // 推荐阅读
      "\xE6\x8E\xA8\xE8\x96\xA6\xE9\x96\xB1\xE8\xAE\x80",  // 推薦閱讀
      "\xE8\xB4\xA3\xE4\xBB\xBB\xE7\xBC\x96\xE8\xBE\x91",  // 责任编辑
      "\xE8\xB2\xAC\xE4\xBB\xBB\xE7\xB7\xA8\xE8\xBC\xAF",  // 責任編輯
      "\xE7\x89\x88\xE6\x9D\x83\xE6\x89\x80\xE6\x9C\x89",  // 版权所有
      "\xE7\x89\x88\xE6\xAC\x8A\xE6\x89\x80\xE6\x9C\x89",  // 版權所有
  };
  if (text.size() > 300) return false;
  std::string lower = AsciiLower(text);
  // "Updated Nov. 19, 2019 8:21 am ET", "Published 18 November 2026": a dateline.
  if (text.size() < 80) {
    for (string_view p : {"updated", "published", "original", "posted", "last updated"}) {
      if (lower.compare(0, p.size(), p) == 0 && !FindDateInText(text).empty()) return true;
    }
  }
  if (IsPromoLine(lower) || IsDateline(lower)) return true;
  auto trim = [](string_view v) {
    while (!v.empty() && (v.back() == ' ' || v.back() == ':' || v.back() == '.')) {
      v.remove_suffix(1);
    }
    return v;
  };
  lower.resize(trim(lower).size());
  for (string_view e : kExact) {
    if (lower == trim(e)) return true;
  }
  for (string_view p : kPrefixes) {
    if (lower.compare(0, p.size(), p) == 0) {
      // A teaser: short, or mostly a link.
      if (text.size() < 160 || link_density > 0.3) return true;
    }
  }
  return false;
}

// Has at least one letter, digit or non-ASCII letter-ish byte (not only punctuation).
bool HasWordChar(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return true;
    if ((c >= 0xC3 && c <= 0xDF) || (c >= 0xE3 && c <= 0xEF && c != 0xEF) || c >= 0xF0) {
      return true;
    }
  }
  return false;
}

bool EndsSentence(const std::string& s) {
  if (s.empty()) return false;
  char c = s.back();
  if (c == '.' || c == '!' || c == '?' || c == '"' || c == ':') return true;
  auto ends = [&](string_view suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends("\xE3\x80\x82") || ends("\xEF\xBC\x81") || ends("\xEF\xBC\x9F") ||
         ends("\xE2\x80\x9D") || ends("\xE3\x80\x8D");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Indexing.

PageIndex::PageIndex(xmlDoc* doc) {
  nodes_.reserve(2048);
  xmlNode* root = xmlDocGetRootElement(doc);
  // Comments, doctype and processing instructions sit beside the root; only elements
  // matter.
  for (xmlNode* n = doc->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) Visit(n, -1, -1, false, 0);
  }
  (void)root;
}

int PageIndex::IndexOf(const xmlNode* n) {
  return static_cast<int>(reinterpret_cast<std::intptr_t>(n->_private)) - 1;
}

void PageIndex::CollectMeta(xmlNode* n, Tag tag) {
  if (tag == Tag::kMeta) {
    string_view content = Attr(n, "content");
    if (content.data() == nullptr) return;
    for (const char* key : {"property", "name", "itemprop", "http-equiv"}) {
      string_view k = Attr(n, key);
      if (!k.empty() && !content.empty()) {
        meta_.metas.emplace_back(AsciiLower(k), std::string(content));
        return;
      }
    }
    return;
  }
  if (tag == Tag::kLink) {
    string_view rel = Attr(n, "rel");
    if (meta_.canonical.empty() && !rel.empty() && AsciiLower(rel) == "canonical") {
      meta_.canonical = CollapseWhitespace(Attr(n, "href"));
    }
    return;
  }
  if (tag == Tag::kTitle) {
    if (meta_.title.empty()) {
      TextBuilder b;
      for (xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->content != nullptr &&
            (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
          b.Add(reinterpret_cast<const char*>(c->content));
        }
      }
      meta_.title = b.Take();
    }
    return;
  }
  if (tag == Tag::kScript) {
    string_view type = Attr(n, "type");
    if (type.size() >= 19 && AsciiLower(type).find("ld+json") != std::string::npos) {
      std::string text;
      for (xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->content != nullptr) text.append(reinterpret_cast<const char*>(c->content));
      }
      meta_.json_ld.push_back(std::move(text));
    }
  }
}

void PageIndex::VisitHead(xmlNode* n, int depth) {
  if (depth > 64) return;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    Tag t = TagOf(Name(c));
    if (t == Tag::kMeta || t == Tag::kLink || t == Tag::kTitle || t == Tag::kScript) {
      CollectMeta(c, t);
    } else if (t != Tag::kDrop || Name(c) == "noscript") {
      VisitHead(c, depth + 1);
    }
  }
}

void PageIndex::ClassifyAttributes(NodeInfo& info, int idx) {
  xmlNode* n = info.node;
  if (n->properties == nullptr) return;
  string_view cls = Attr(n, "class");
  string_view id = Attr(n, "id");
  bool positive = false;
  int neg = 0;
  // Pages repeat their class names: classify each distinct value once.
  auto classify = [this](string_view value, bool* pos, int* weight) {
    if (value.empty()) return 0;
    auto it = class_cache_.find(value);
    if (it == class_cache_.end()) {
      ClassHints h;
      h.negative = ClassifyTokens(value, &h.positive);
      h.weight = ClassWeight(value);
      it = class_cache_.emplace(std::string(value), h).first;
    }
    *pos = *pos || it->second.positive;
    *weight += it->second.weight;
    return it->second.negative;
  };
  int weight = 0;
  neg = std::max(neg, classify(cls, &positive, &weight));
  neg = std::max(neg, classify(id, &positive, &weight));
  info.weight = weight;
  string_view role = Attr(n, "role");
  if (!role.empty()) {
    std::string r = AsciiLower(role);
    if (r == "navigation" || r == "banner" || r == "contentinfo" || r == "complementary" ||
        r == "dialog" || r == "menu" || r == "menubar" || r == "search" || r == "alert" ||
        r == "alertdialog" || r == "toolbar") {
      neg = std::max(neg, 1);
    }
    if (r == "main" || r == "article") positive = true;
  }
  string_view itemprop = Attr(n, "itemprop");
  if (!itemprop.empty()) {
    std::string ip = AsciiLower(itemprop);
    if (ip.find("articlebody") != std::string::npos || ip == "text") {
      info.article_body = true;
      positive = true;
    }
    if (ip == "author") meta_.bylines.push_back(idx);
  }
  if (info.tag == Tag::kA && AsciiLower(Attr(n, "rel")) == "author") meta_.bylines.push_back(idx);
  info.negative = static_cast<std::uint8_t>(std::max<int>(info.negative, neg));
  info.positive = positive;
  if (HasAttr(n, "hidden") || AsciiLower(Attr(n, "aria-hidden")) == "true") info.hidden = true;
  if (!cls.empty() && IsHoverCard(cls)) info.hidden = true;
  if (info.tag == Tag::kBlockquote && !cls.empty() && IsSocialEmbed(cls)) info.embed = true;
  string_view style = Attr(n, "style");
  if (!style.empty()) {
    std::string st = AsciiLower(style);
    st.erase(std::remove(st.begin(), st.end(), ' '), st.end());
    if (st.find("display:none") != std::string::npos ||
        st.find("visibility:hidden") != std::string::npos) {
      info.hidden = true;
    }
  }
  // Byline and date carriers.
  if (!cls.empty() || !id.empty()) {
    std::string both = AsciiLower(cls);
    both.push_back(' ');
    both.append(AsciiLower(id));
    if (meta_.bylines.size() < 16 &&
        (both.find("byline") != std::string::npos || both.find("author") != std::string::npos)) {
      meta_.bylines.push_back(idx);
    }
    if (meta_.dates.size() < 24 &&
        (both.find("date") != std::string::npos || both.find("time") != std::string::npos ||
         both.find("publish") != std::string::npos || both.find("byline") != std::string::npos ||
         both.find("info") != std::string::npos || both.find("meta") != std::string::npos ||
         both.find("source") != std::string::npos)) {
      meta_.dates.push_back(idx);
    }
  }
}

void PageIndex::Visit(xmlNode* n, int parent, int owner, bool in_link, int depth) {
  Tag tag = TagOf(Name(n));
  if (tag == Tag::kHead) {
    VisitHead(n, 0);
    return;
  }
  if (tag == Tag::kMeta || tag == Tag::kLink || tag == Tag::kTitle || tag == Tag::kScript) {
    CollectMeta(n, tag);
    return;
  }
  if (tag == Tag::kDrop || tag == Tag::kFigcaption) {
    if (Name(n) == "noscript" || tag == Tag::kFigcaption) {
      // May hold JSON-LD or a <time>; not text for the body.
      for (xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && TagOf(Name(c)) == Tag::kScript) {
          CollectMeta(c, Tag::kScript);
        }
      }
    }
    return;
  }
  if (depth > 400) return;  // libxml2 caps depth at 256 already; be safe.

  int idx = static_cast<int>(nodes_.size());
  nodes_.emplace_back();
  {
    NodeInfo& info = nodes_.back();
    info.node = n;
    info.parent = parent;
    info.tag = tag;
  }
  n->_private = reinterpret_cast<void*>(static_cast<std::intptr_t>(idx + 1));
  ClassifyAttributes(nodes_[idx], idx);
  NodeInfo* info = &nodes_[idx];
  switch (tag) {
    case Tag::kHeader:
    case Tag::kFooter:
    case Tag::kNav:
    case Tag::kAside:
      info->negative = std::max<std::uint8_t>(info->negative, 1);
      break;
    case Tag::kBody:
      body_ = idx;
      break;
    case Tag::kHtml:
      if (meta_.html_lang.empty()) {
        string_view lang = Attr(n, "lang");
        if (lang.empty()) lang = Attr(n, "xml:lang");
        meta_.html_lang = std::string(lang);
      }
      break;
    case Tag::kH1:
      meta_.h1s.push_back(idx);
      break;
    case Tag::kTime:
      if (meta_.times.size() < 64) meta_.times.push_back(idx);
      break;
    case Tag::kP:
      info->sub.p = 1;
      break;
    case Tag::kImg:
      info->sub.img = 1;
      break;
    case Tag::kLi:
      info->sub.li = 1;
      break;
    default:
      break;
  }
  // Cells do not make a row "structured"; block elements inside a cell do.
  if (parent >= 0 && !IsInline(tag) && tag != Tag::kBr && tag != Tag::kImg && tag != Tag::kCell) {
    nodes_[parent].has_block_desc = true;
  }
  int my_owner = IsInline(tag) || tag == Tag::kBr || tag == Tag::kImg ? owner : idx;
  bool link = in_link || tag == Tag::kA;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      Visit(c, idx, my_owner, link, depth + 1);
    } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
               c->content != nullptr) {
      int commas = 0;
      int w = TextWeight(reinterpret_cast<const char*>(c->content), &commas);
      if (w == 0) continue;
      NodeInfo& self = nodes_[idx];
      self.sub.text += w;
      self.sub.commas += commas;
      if (link) self.sub.link += w;
      if (my_owner >= 0) {
        NodeInfo& o = nodes_[my_owner];
        o.own_text += w;
        o.own_commas += commas;
        if (link) o.own_link += w;
      }
    }
  }
  if (nodes_[idx].embed) nodes_[idx].sub.embed = nodes_[idx].sub.text;
  if (parent >= 0) {
    NodeInfo& self = nodes_[idx];
    nodes_[parent].sub.Add(self.sub);
    if (self.has_block_desc && !IsInline(tag)) nodes_[parent].has_block_desc = true;
  }
}

bool PageIndex::IsAncestor(int ancestor, int i) const {
  while (i >= 0) {
    if (i == ancestor) return true;
    i = nodes_[i].parent;
  }
  return false;
}

std::string PageIndex::DescribeNoBody() const {
  const std::string kPrefix = "no article body found (page has ";
  int text = body_ >= 0 ? nodes_[body_].sub.text : 0;
  if (text == 0) return kPrefix + "no visible text)";
  int paragraphs = 0, long_paragraphs = 0;
  for (const NodeInfo& n : nodes_) {
    if (n.tag != Tag::kP || n.hidden || n.sub.text == 0) continue;
    ++paragraphs;
    if (n.sub.text >= 80 && n.sub.link * 2 < n.sub.text) ++long_paragraphs;
  }
  std::string out = kPrefix;
  if (paragraphs == 0) {
    out += "no paragraphs";
  } else if (long_paragraphs == 0) {
    out +=
        std::to_string(paragraphs) + (paragraphs == 1 ? " short paragraph" : " short paragraphs");
  } else {
    out += std::to_string(paragraphs) + " paragraphs, " + std::to_string(long_paragraphs) +
           " of them long";
  }
  int link_pct = static_cast<int>(100.0 * nodes_[body_].sub.link / text + 0.5);
  out +=
      ", " + std::to_string(link_pct) + "% link text, " + std::to_string(text) + " bytes of text)";
  return out;
}

// ---------------------------------------------------------------------------------------
// Text gathering.

namespace {

void GatherText(const std::vector<NodeInfo>& nodes, const std::vector<std::uint8_t>* removed,
                xmlNode* n, TextBuilder& b, size_t max_bytes, int stop, bool* stopped) {
  for (xmlNode* c = n->children; c != nullptr && b.size() < max_bytes; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      int i = PageIndex::IndexOf(c);
      if (i < 0) continue;
      if (i == stop) {
        *stopped = true;
        return;
      }
      if (nodes[i].hidden || (removed != nullptr && (*removed)[i])) continue;
      Tag t = nodes[i].tag;
      if (t == Tag::kBr) {
        b.Space();
        continue;
      }
      if (!IsInline(t)) b.Space();
      GatherText(nodes, removed, c, b, max_bytes, stop, stopped);
      if (*stopped) return;
      if (!IsInline(t)) b.Space();
    } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
               c->content != nullptr) {
      b.Add(reinterpret_cast<const char*>(c->content));
    }
  }
}

}  // namespace

std::string PageIndex::TextOf(int i, size_t max_bytes) const {
  TextBuilder b;
  bool stopped = false;
  GatherText(nodes_, nullptr, nodes_[i].node, b, max_bytes, -1, &stopped);
  return b.Take();
}

std::string PageIndex::TextBefore(int region, int stop, size_t max_bytes) const {
  // Start after the first <h1> inside the region when there is one.
  int h1 = -1;
  for (int h : meta_.h1s) {
    if (IsAncestor(region, h)) {
      h1 = h;
      break;
    }
  }
  TextBuilder b;
  bool stopped = false;
  if (h1 >= 0) {
    // Walk the following siblings of the h1 and of its ancestors up to the region.
    for (int cur = h1; cur >= 0 && cur != region && !stopped; cur = nodes_[cur].parent) {
      for (xmlNode* s = nodes_[cur].node->next; s != nullptr && !stopped; s = s->next) {
        if (s->type == XML_ELEMENT_NODE) {
          int si = IndexOf(s);
          if (si < 0 || nodes_[si].hidden) continue;
          if (si == stop) {
            stopped = true;
            break;
          }
          b.Space();
          GatherText(nodes_, nullptr, s, b, max_bytes, stop, &stopped);
        } else if (s->type == XML_TEXT_NODE && s->content != nullptr) {
          b.Add(reinterpret_cast<const char*>(s->content));
        }
        if (b.size() >= max_bytes) stopped = true;
      }
    }
    return b.Take();
  }
  GatherText(nodes_, nullptr, nodes_[region].node, b, max_bytes, stop, &stopped);
  return b.Take();
}

// ---------------------------------------------------------------------------------------
// Body selection and emission.

namespace {

class Emitter {
 public:
  Emitter(const std::vector<NodeInfo>& nodes, const std::vector<std::uint8_t>& removed,
          const std::vector<Stats>& stats, const std::vector<float>& scores, int top)
      : nodes_(nodes), removed_(removed), stats_(stats), scores_(scores), top_(top) {}

  void EmitNode(int i, BlockKind kind) {
    const NodeInfo& info = nodes_[i];
    switch (info.tag) {
      case Tag::kH1:
        return;
      case Tag::kHeading:
        Walk(info.node, BlockKind::kHeading, false);
        Flush(BlockKind::kHeading);
        return;
      case Tag::kLi:
      case Tag::kDtDd:
        if (kind != BlockKind::kQuote) kind = BlockKind::kListItem;
        Walk(info.node, kind, false);
        Flush(kind);
        return;
      case Tag::kBlockquote:
        Walk(info.node, BlockKind::kQuote, false);
        Flush(BlockKind::kQuote);
        return;
      case Tag::kTr:
        if (!info.has_block_desc && IsDataRow(i)) {
          EmitRow(i);
          return;
        }
        break;
      default:
        break;
    }
    Walk(info.node, kind, false);
    Flush(kind);
  }

  std::vector<Block> Take() { return std::move(blocks_); }
  size_t bytes() const { return bytes_; }

 private:
  bool DropConditionally(int i) const {
    const NodeInfo& info = nodes_[i];
    switch (info.tag) {
      case Tag::kDiv:
      case Tag::kSection:
      case Tag::kList:
      case Tag::kTable:
      case Tag::kForm:
      case Tag::kAside:
      case Tag::kFigure:
      case Tag::kOther:
      case Tag::kDl:
        break;
      default:
        return false;
    }
    if (i == top_ || info.article_body) return false;
    const Stats& s = stats_[i];
    if (s.text == 0) return true;
    if (s.embed * 2 >= s.text) return false;  // a wrapper around an embedded post
    float score = scores_[i];
    if (info.weight + score < 0) return true;
    if (s.commas >= 10) return false;
    bool is_list = info.tag == Tag::kList || info.tag == Tag::kDl;
    double ld = static_cast<double>(s.link) / s.text;
    bool figure = info.tag == Tag::kFigure;
    if (s.img > 1 && static_cast<double>(s.p) / s.img < 0.5 && !figure) return true;
    if (!is_list && s.li - 100 > s.p) return true;
    if (!is_list && s.text < 25 && (s.img == 0 || s.img > 2) && !figure) return true;
    if (!is_list && info.weight < 25 && ld > 0.2 && s.text < 1000) return true;
    if (info.weight >= 25 && ld > 0.5) return true;
    if (is_list && ld > 0.5) return true;
    return false;
  }

  void Walk(xmlNode* n, BlockKind kind, bool in_link) {
    for (xmlNode* c = n->children; c != nullptr; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content == nullptr) continue;
        size_t before = buf_.size();
        buf_.Add(reinterpret_cast<const char*>(c->content));
        if (buf_.size() > before) {
          if (in_link) link_bytes_ += buf_.size() - before;
          text_since_br_ = true;
        }
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      int i = PageIndex::IndexOf(c);
      if (i < 0 || removed_[i]) continue;
      Tag t = nodes_[i].tag;
      if (t == Tag::kBr) {
        if (!text_since_br_ || (buf_.size() > 60 && EndsSentence(buf_.str()))) {
          Flush(kind);
        } else {
          buf_.Space();
        }
        text_since_br_ = false;
        continue;
      }
      if (t == Tag::kImg) continue;
      if (IsInline(t)) {
        Walk(c, kind, in_link || t == Tag::kA);
        continue;
      }
      Flush(kind);
      if (DropConditionally(i)) continue;
      EmitNode(i, kind);
    }
  }

  // A row of a data table: short cells. Layout tables hold whole articles in a cell.
  bool IsDataRow(int i) const {
    for (xmlNode* c = nodes_[i].node->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      int ci = PageIndex::IndexOf(c);
      if (ci >= 0 && stats_[ci].text > 300) return false;
    }
    return true;
  }

  void EmitRow(int i) {
    std::string row;
    for (xmlNode* c = nodes_[i].node->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      int ci = PageIndex::IndexOf(c);
      if (ci < 0 || removed_[ci]) continue;
      TextBuilder b;
      bool stopped = false;
      GatherText(nodes_, &removed_, c, b, 1 << 20, -1, &stopped);
      if (b.empty()) continue;
      if (!row.empty()) row.append(" | ");
      row.append(b.str());
    }
    const Stats& s = stats_[i];
    if (row.empty() || (s.text > 0 && s.link * 2 > s.text)) return;
    bytes_ += row.size();
    blocks_.push_back(Block{BlockKind::kTableRow, std::move(row)});
  }

  void Flush(BlockKind kind) {
    text_since_br_ = false;
    if (buf_.empty()) {
      link_bytes_ = 0;
      return;
    }
    std::string text = buf_.Take();
    double ld = static_cast<double>(link_bytes_) / text.size();
    size_t plain = text.size() - std::min(text.size(), link_bytes_);
    link_bytes_ = 0;
    if (ld > 0.5 && !(kind == BlockKind::kParagraph && text.size() > 400)) {
      // A sentence whose words are mostly links is still prose: some words of its own
      // and a closing full stop. Link lists and "Read more" lines have neither.
      bool prose = (kind == BlockKind::kParagraph || kind == BlockKind::kListItem) && ld < 0.9 &&
                   plain >= 10 && EndsSentence(text);
      if (!prose) return;
    }
    if (!HasWordChar(text)) return;
    if (IsTeaserOrBoilerplate(text, ld)) return;
    bytes_ += text.size();
    blocks_.push_back(Block{kind, std::move(text)});
  }

  const std::vector<NodeInfo>& nodes_;
  const std::vector<std::uint8_t>& removed_;
  const std::vector<Stats>& stats_;
  const std::vector<float>& scores_;
  int top_;
  TextBuilder buf_;
  size_t link_bytes_ = 0;
  bool text_since_br_ = false;
  std::vector<Block> blocks_;
  size_t bytes_ = 0;
};

}  // namespace

PageIndex::Body PageIndex::ExtractBody(bool strict) const {
  Body body;
  const int n = static_cast<int>(nodes_.size());
  if (n == 0 || body_ < 0) return body;
  const int total = std::max(1, nodes_[body_].sub.text);

  // 1. Removal, in document (pre-)order so a parent is decided before its children.
  std::vector<std::uint8_t> removed(n, 0);
  std::vector<Stats> stats(n);
  for (int i = 0; i < n; ++i) stats[i] = nodes_[i].sub;
  for (int i = 0; i < n; ++i) {
    const NodeInfo& info = nodes_[i];
    int p = info.parent;
    if (p >= 0 && removed[p]) {
      removed[i] = 1;
      continue;
    }
    bool drop = info.hidden;
    if (!drop && strict && info.negative > 0 && !info.article_body && i != body_ &&
        info.tag != Tag::kBody && info.tag != Tag::kHtml && info.tag != Tag::kMain &&
        info.tag != Tag::kArticle) {
      bool allowed = info.negative == 2 || !info.positive;
      // A wrapper around an embedded post ("social-embed"): the post is quoted content.
      if (info.sub.embed * 2 >= info.sub.text && info.sub.embed > 0) allowed = false;
      // Safety: never drop the element holding most of the page's text.
      if (allowed && nodes_[i].sub.text * 10 < total * 6) drop = true;
    }
    if (drop) {
      removed[i] = 1;
      for (int a = p; a >= 0; a = nodes_[a].parent) stats[a].Sub(nodes_[i].sub);
    }
  }

  // 2. Scoring: every element with enough text of its own credits its ancestors.
  std::vector<float> scores(n, 0.0f);
  std::vector<std::uint8_t> scored(n, 0);
  std::vector<int> candidates;
  for (int i = 0; i < n; ++i) {
    const NodeInfo& info = nodes_[i];
    if (removed[i] || info.own_text < 25 || info.tag == Tag::kH1 || info.tag == Tag::kHeading) {
      continue;
    }
    if (info.own_link * 2 > info.own_text) continue;
    float contribution = 1.0f + static_cast<float>(info.own_commas) +
                         static_cast<float>(std::min(info.own_text / 100, 3));
    int a = info.parent;
    for (int level = 0; a >= 0 && level < 5; ++level, a = nodes_[a].parent) {
      if (nodes_[a].tag == Tag::kHtml) break;
      if (!scored[a]) {
        scored[a] = 1;
        scores[a] = static_cast<float>(TagBase(nodes_[a].tag) + nodes_[a].weight);
        if (nodes_[a].article_body) scores[a] += 25;
        candidates.push_back(a);
      }
      float divider = level == 0 ? 1.0f : level == 1 ? 2.0f : static_cast<float>(level * 3);
      scores[a] += contribution / divider;
    }
  }
  if (candidates.empty()) return body;
  for (int c : candidates) {
    const Stats& s = stats[c];
    double ld = s.text > 0 ? static_cast<double>(s.link) / s.text : 0.0;
    scores[c] = static_cast<float>(scores[c] * (1.0 - ld));
  }
  std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  });
  int top = candidates[0];

  // 3. Readability's refinements: a common ancestor of close alternatives, then climbing
  // while the parent scores higher.
  {
    std::vector<int> alternatives;
    for (size_t k = 1; k < std::min<size_t>(candidates.size(), 5); ++k) {
      if (scores[candidates[k]] / std::max(scores[top], 1e-6f) >= 0.75f) {
        alternatives.push_back(candidates[k]);
      }
    }
    if (alternatives.size() >= 3) {
      for (int p = nodes_[top].parent;
           p >= 0 && nodes_[p].tag != Tag::kBody && nodes_[p].tag != Tag::kHtml;
           p = nodes_[p].parent) {
        int count = 0;
        for (int alt : alternatives) count += IsAncestor(p, alt) ? 1 : 0;
        if (count >= 3) {
          top = p;
          break;
        }
      }
    }
    float last = scores[top];
    float threshold = last / 3;
    for (int p = nodes_[top].parent;
         p >= 0 && nodes_[p].tag != Tag::kBody && nodes_[p].tag != Tag::kHtml;
         p = nodes_[p].parent) {
      if (!scored[p]) continue;
      if (scores[p] < threshold) break;
      if (scores[p] > last) {
        top = p;
        break;
      }
      last = scores[p];
    }
    // A lone child: take its parent.
    for (int p = nodes_[top].parent;
         p >= 0 && nodes_[p].tag != Tag::kBody && nodes_[p].tag != Tag::kHtml;
         p = nodes_[p].parent) {
      int children = 0;
      for (xmlNode* c = nodes_[p].node->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        int ci = IndexOf(c);
        if (ci >= 0 && !removed[ci]) ++children;
      }
      if (children != 1) break;
      top = p;
    }
  }
  body.top = top;

  // 4. The top candidate and its good siblings, in document order.
  std::vector<int> parts;
  int parent = nodes_[top].parent;
  if (parent < 0) {
    parts.push_back(top);
  } else {
    float top_score = scored[top] ? scores[top] : 0.0f;
    float threshold = std::max(10.0f, top_score * 0.2f);
    string_view top_class = Attr(nodes_[top].node, "class");
    for (xmlNode* c = nodes_[parent].node->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      int s = IndexOf(c);
      if (s < 0 || removed[s]) continue;
      if (s == top) {
        parts.push_back(s);
        continue;
      }
      float bonus = 0;
      string_view cls = Attr(c, "class");
      if (!top_class.empty() && cls == top_class) bonus = top_score * 0.2f;
      if (scored[s] && scores[s] + bonus >= threshold) {
        parts.push_back(s);
        continue;
      }
      const NodeInfo& si = nodes_[s];
      if (si.tag == Tag::kP) {
        const Stats& st = stats[s];
        double ld = st.text > 0 ? static_cast<double>(st.link) / st.text : 1.0;
        if (st.text > 80 && ld < 0.25) {
          parts.push_back(s);
        } else if (st.text > 0 && st.text <= 80 && ld == 0) {
          std::string t = TextOf(s, 200);
          if (EndsSentence(t)) parts.push_back(s);
        }
      }
    }
  }

  Emitter emitter(nodes_, removed, stats, scores, top);
  for (int part : parts) emitter.EmitNode(part, BlockKind::kParagraph);
  body.bytes = emitter.bytes();
  body.blocks = emitter.Take();
  return body;
}

}  // namespace nd::extract::internal
