// Private to extract: one pass over a libxml2 HTML tree that indexes its elements (tag,
// class hints, text statistics) and collects the metadata carriers (<meta>, <link>,
// <title>, JSON-LD scripts, <time>, <h1>, byline and date elements); then the body
// selection (readability-style scoring) and the emission of ordered Blocks.
//
// Thread-safety: a PageIndex belongs to one thread and one document. It stores its node
// index in xmlNode::_private of the document it indexes.
#pragma once

#include <libxml/tree.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace nd::extract::internal {

enum class Tag : std::uint8_t {
  kOther,  // unknown or structural element: treated as a block container
  kInline,
  kA,
  kBr,
  kImg,
  kP,
  kDiv,
  kSection,
  kArticle,
  kMain,
  kBody,
  kHtml,
  kH1,
  kHeading,  // h2..h6
  kLi,
  kList,  // ul, ol
  kDl,
  kDtDd,
  kBlockquote,
  kPre,
  kTable,
  kTr,
  kCell,          // td, th
  kTableSection,  // thead, tbody, tfoot
  kFigure,
  kHeader,
  kFooter,
  kNav,
  kAside,
  kForm,
  kDrop,  // script-free content never shown as text: style, svg, button, iframe, ...
  kScript,
  kHead,
  kMeta,
  kLink,
  kTitle,
  kTime,
  kFigcaption,
};

// Subtree statistics (bytes of collapsed text; see TextWeight).
struct Stats {
  int text = 0;
  int link = 0;
  int commas = 0;
  int p = 0;
  int img = 0;
  int li = 0;
  int embed = 0;  // text inside embedded social posts (see NodeInfo::embed)
  void Add(const Stats& o) {
    text += o.text, link += o.link, commas += o.commas, p += o.p, img += o.img, li += o.li;
    embed += o.embed;
  }
  void Sub(const Stats& o) {
    text -= o.text, link -= o.link, commas -= o.commas, p -= o.p, img -= o.img, li -= o.li;
    embed -= o.embed;
  }
};

struct NodeInfo {
  xmlNode* node = nullptr;
  int parent = -1;
  Tag tag = Tag::kOther;
  std::uint8_t negative = 0;  // 0 none, 1 weak (class/id/tag), 2 strong (class/id)
  bool positive = false;      // class/id says content
  bool article_body = false;  // itemprop=articleBody
  bool hidden = false;        // hidden attribute, display:none, aria-hidden
  bool has_block_desc = false;
  // A <blockquote> that embeds a post from a social platform (the platforms' embed code:
  // class twitter-tweet, instagram-media, tiktok-embed, ...): quoted content, kept in the
  // body even inside a wrapper whose class says "social".
  bool embed = false;
  int weight = 0;    // readability class weight (+-25 per attribute)
  int own_text = 0;  // text whose nearest block-level element is this one
  int own_link = 0;
  int own_commas = 0;
  Stats sub;
};

// Metadata carriers found in the page, in document order.
struct MetaItems {
  std::string html_lang;
  // (key, content) of <meta>: key is the name / property / itemprop / http-equiv,
  // lower-cased.
  std::vector<std::pair<std::string, std::string>> metas;
  std::string canonical;
  std::string title;
  std::vector<std::string> json_ld;
  std::vector<int> times;    // node indexes of <time> elements
  std::vector<int> h1s;      // node indexes of <h1>
  std::vector<int> bylines;  // class/itemprop/rel author or byline
  std::vector<int> dates;    // class/id hints date / time / published / info / meta
};

class PageIndex {
 public:
  // Indexes `doc`. REQUIRES: `doc` outlives this object.
  explicit PageIndex(xmlDoc* doc);

  const MetaItems& meta() const { return meta_; }
  const std::vector<NodeInfo>& nodes() const { return nodes_; }
  // Index of a node, or -1 for nodes that are not indexed (text, dropped subtrees).
  static int IndexOf(const xmlNode* n);

  struct Body {
    std::vector<Block> blocks;
    int top = -1;      // chosen container
    size_t bytes = 0;  // text bytes in blocks
  };
  // Finds and emits the article body. `strict` removes elements whose class/id/tag marks
  // them as boilerplate; the non-strict pass only removes hidden and dropped ones.
  Body ExtractBody(bool strict) const;

  // Collapsed text of node `i` (indexed descendants that are hidden skipped), at most
  // `max_bytes` (about).
  std::string TextOf(int i, size_t max_bytes) const;
  // Text found between the first <h1> inside node `region` and node `stop`, at most
  // `max_bytes`.
  std::string TextBefore(int region, int stop, size_t max_bytes) const;

  bool IsAncestor(int ancestor, int i) const;

  // Why no body was found, from the page's visible text: "no article body found (page
  // has 3 short paragraphs, 80% link text)", "no article body found (page has no visible
  // text)".
  std::string DescribeNoBody() const;

 private:
  void Visit(xmlNode* n, int parent, int owner, bool in_link, int depth);
  void VisitHead(xmlNode* n, int depth);
  void CollectMeta(xmlNode* n, Tag tag);
  void ClassifyAttributes(NodeInfo& info, int idx);

  struct ClassHints {
    int negative = 0;
    bool positive = false;
    int weight = 0;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<NodeInfo> nodes_;
  MetaItems meta_;
  // class / id attribute value -> its hints.
  std::unordered_map<std::string, ClassHints, StringHash, std::equal_to<>> class_cache_;
  int body_ = -1;
};

}  // namespace nd::extract::internal
