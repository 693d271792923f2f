// ParseFeed and LooksLikeFeed: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.0/1.1.

#include <libxml/tree.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/url.h"
#include "feeds/feeds.h"
#include "feeds/xml_util.h"

namespace nd::feeds {
namespace {

constexpr char kAtomNs[] = "http://www.w3.org/2005/Atom";
constexpr char kXmlNs[] = "http://www.w3.org/XML/1998/namespace";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Resolves `link` against `base`; keeps `link` when the base cannot be used.
std::string Absolute(std::string_view base, const std::string& link) {
  if (link.empty()) return {};
  std::string resolved = ResolveUrl(base, link);
  return resolved.empty() ? link : resolved;
}

bool IsAtom(const xmlNode* node) { return NsHref(node) == kAtomNs; }

// Elements in the Dublin Core / content modules are matched by local name; the names
// used here do not collide with RSS core elements.
const xmlNode* Child(const xmlNode* parent, std::string_view local_name) {
  for (const xmlNode* n = parent ? parent->children : nullptr; n != nullptr; n = n->next) {
    if (IsElement(n, local_name)) return n;
  }
  return nullptr;
}

std::string ChildText(const xmlNode* parent, std::string_view local_name) {
  return CollapseWhitespace(NodeText(Child(parent, local_name)));
}

// A title may carry escaped markup or entities; summaries are HTML by convention.
std::string CleanTitle(const std::string& raw) { return HtmlToText(raw); }

// "editor@example.com (Jane Doe)" -> "Jane Doe".
std::string CleanAuthor(std::string author) {
  author = CollapseWhitespace(author);
  std::size_t open = author.find('(');
  std::size_t close = author.rfind(')');
  if (author.find('@') != std::string::npos && open != std::string::npos &&
      close != std::string::npos && close > open + 1) {
    return CollapseWhitespace(author.substr(open + 1, close - open - 1));
  }
  return author;
}

// ---- RSS -------------------------------------------------------------------------------

// The non-Atom <link> text, else an atom:link href (some feeds only have that).
std::string RssLink(const xmlNode* parent) {
  std::string atom_href;
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (!IsElement(n, "link")) continue;
    if (IsAtom(n)) {
      std::string rel = Attr(n, "rel");
      if (atom_href.empty() && (rel.empty() || rel == "alternate")) atom_href = Attr(n, "href");
      continue;
    }
    std::string text = CollapseWhitespace(NodeText(n));
    if (!text.empty()) return text;
  }
  return atom_href;
}

FeedItem ParseRssItem(const xmlNode* item, std::string_view base) {
  FeedItem out;
  out.title = CleanTitle(ChildText(item, "title"));
  out.link = RssLink(item);
  const xmlNode* guid = Child(item, "guid");
  out.guid = CollapseWhitespace(NodeText(guid));
  if (out.link.empty() && !out.guid.empty() && Lower(Attr(guid, "isPermaLink")) != "false" &&
      !UrlScheme(out.guid).empty()) {
    out.link = out.guid;
  }
  if (out.link.empty()) out.link = Attr(item, "about");  // RSS 1.0 rdf:about
  out.link = Absolute(base, out.link);
  if (out.guid.empty()) out.guid = out.link;
  for (const char* date : {"pubDate", "date", "published", "updated", "issued", "modified"}) {
    std::string text = ChildText(item, date);
    if (!text.empty()) {
      out.published = ParseDateTime(text);
      if (out.published != 0) break;
    }
  }
  out.summary = HtmlToText(NodeText(Child(item, "description")));
  if (out.summary.empty()) out.summary = HtmlToText(NodeText(Child(item, "encoded")));
  if (out.summary.empty()) out.summary = HtmlToText(NodeText(Child(item, "summary")));
  std::string author = ChildText(item, "author");
  if (author.empty()) author = ChildText(item, "creator");
  out.author = CleanAuthor(author);
  return out;
}

Feed ParseRss(const xmlNode* root, std::string_view base) {
  Feed feed;
  feed.format = "rss";
  const xmlNode* channel = Child(root, "channel");
  if (channel != nullptr) {
    feed.title = CleanTitle(ChildText(channel, "title"));
    feed.link = Absolute(base, RssLink(channel));
    feed.lang = ChildText(channel, "language");
  }
  // RSS 2.0/0.9x: items inside <channel>; RSS 1.0 (RDF) and 0.90: items beside it.
  for (const xmlNode* parent : {channel, root}) {
    if (parent == nullptr) continue;
    for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
      if (IsElement(n, "item")) feed.items.push_back(ParseRssItem(n, base));
    }
  }
  return feed;
}

// ---- Atom ------------------------------------------------------------------------------

// The base for `node`: the document URL refined by every xml:base from the root down.
std::string AtomBase(const xmlNode* node, std::string_view doc_base) {
  std::vector<std::string> bases;
  for (const xmlNode* n = node; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
    std::string b = Attr(n, "base", kXmlNs);
    if (!b.empty()) bases.push_back(b);
  }
  std::string base(doc_base);
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) base = Absolute(base, *it);
  return base;
}

// Text of an Atom text construct: type="html"/"xhtml" is markup, "text" is plain.
std::string AtomText(const xmlNode* node) {
  if (node == nullptr) return {};
  std::string type = Lower(Attr(node, "type"));
  if (type == "html" || type == "text/html") return HtmlToText(NodeText(node));
  // xhtml content is already parsed as elements; its text nodes are the text.
  return CollapseWhitespace(NodeText(node));
}

// The entry's (or feed's) page: rel=alternate (preferring an HTML type), else the first
// link; resolved against the xml:base chain and the document URL.
std::string AtomLink(const xmlNode* parent, std::string_view doc_base) {
  const xmlNode* first = nullptr;
  const xmlNode* alternate = nullptr;
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (!IsElement(n, "link") || Attr(n, "href").empty()) continue;
    if (first == nullptr) first = n;
    std::string rel = Attr(n, "rel");
    if (rel.empty() || rel == "alternate") {
      std::string type = Lower(Attr(n, "type"));
      if (alternate == nullptr || type.find("html") != std::string::npos) alternate = n;
      if (type.find("html") != std::string::npos) break;
    }
  }
  const xmlNode* chosen = alternate ? alternate : first;
  if (chosen == nullptr) return {};
  return Absolute(AtomBase(chosen, doc_base), CollapseWhitespace(Attr(chosen, "href")));
}

std::string AtomAuthor(const xmlNode* parent) {
  const xmlNode* author = Child(parent, "author");
  if (author == nullptr) return {};
  std::string name = ChildText(author, "name");
  return name.empty() ? CollapseWhitespace(NodeText(author)) : name;
}

Feed ParseAtom(const xmlNode* root, std::string_view base) {
  Feed feed;
  feed.format = "atom";
  feed.title = AtomText(Child(root, "title"));
  feed.lang = Attr(root, "lang", kXmlNs);
  std::string feed_author = AtomAuthor(root);
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (!IsElement(n, "entry")) continue;
    FeedItem item;
    item.title = AtomText(Child(n, "title"));
    item.guid = ChildText(n, "id");
    item.link = AtomLink(n, base);
    std::string published = ChildText(n, "published");
    if (published.empty()) published = ChildText(n, "issued");
    item.published = ParseDateTime(published);
    if (item.published == 0) item.published = ParseDateTime(ChildText(n, "updated"));
    item.summary = AtomText(Child(n, "summary"));
    if (item.summary.empty()) item.summary = AtomText(Child(n, "content"));
    item.author = AtomAuthor(n);
    if (item.author.empty()) item.author = feed_author;
    if (item.guid.empty()) item.guid = item.link;
    feed.items.push_back(std::move(item));
  }
  feed.link = AtomLink(root, base);
  return feed;
}

// ---- JSON Feed -------------------------------------------------------------------------

std::string JsonString(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}

std::string JsonAuthor(const nlohmann::json& obj) {
  auto authors = obj.find("authors");
  if (authors != obj.end() && authors->is_array()) {
    for (const auto& a : *authors) {
      if (a.is_object()) {
        std::string name = JsonString(a, "name");
        if (!name.empty()) return name;
      }
    }
  }
  auto author = obj.find("author");
  if (author != obj.end() && author->is_object()) return JsonString(*author, "name");
  return {};
}

Result<Feed> ParseJsonFeed(std::string_view utf8, std::string_view base) {
  nlohmann::json doc = nlohmann::json::parse(utf8.begin(), utf8.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::ParseError(std::string(base) + ": not a feed (invalid JSON)");
  }
  std::string version = JsonString(doc, "version");
  if (version.find("jsonfeed.org/version/") == std::string::npos) {
    return Status::ParseError(std::string(base) +
                              ": not a feed (JSON without a jsonfeed.org version)");
  }
  Feed feed;
  feed.format = "jsonfeed";
  feed.title = CollapseWhitespace(JsonString(doc, "title"));
  feed.link = Absolute(base, JsonString(doc, "home_page_url"));
  feed.lang = JsonString(doc, "language");
  std::string feed_author = JsonAuthor(doc);
  auto items = doc.find("items");
  if (items == doc.end() || !items->is_array()) return feed;
  for (const auto& it : *items) {
    if (!it.is_object()) continue;
    FeedItem item;
    item.guid = JsonString(it, "id");
    std::string link = JsonString(it, "url");
    if (link.empty()) link = JsonString(it, "external_url");
    item.link = Absolute(base, link);
    if (item.guid.empty()) item.guid = item.link;
    item.title = CollapseWhitespace(JsonString(it, "title"));
    item.summary = CollapseWhitespace(JsonString(it, "summary"));
    if (item.summary.empty()) item.summary = CollapseWhitespace(JsonString(it, "content_text"));
    if (item.summary.empty()) item.summary = HtmlToText(JsonString(it, "content_html"));
    item.published = ParseDateTime(JsonString(it, "date_published"));
    if (item.published == 0) item.published = ParseDateTime(JsonString(it, "date_modified"));
    item.author = JsonAuthor(it);
    if (item.author.empty()) item.author = feed_author;
    feed.items.push_back(std::move(item));
  }
  return feed;
}

std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

// The first element name of an XML/HTML text, lower-case, without prefix; skips the XML
// declaration, comments, processing instructions and the doctype.
std::string FirstElementName(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t lt = s.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= s.size()) return {};
    char next = s[lt + 1];
    if (next == '?') {
      std::size_t end = s.find("?>", lt);
      if (end == std::string_view::npos) return {};
      i = end + 2;
    } else if (s.substr(lt, 4) == "<!--") {
      std::size_t end = s.find("-->", lt);
      if (end == std::string_view::npos) return {};
      i = end + 3;
    } else if (next == '!') {
      std::size_t end = s.find('>', lt);
      if (end == std::string_view::npos) return {};
      i = end + 1;
    } else {
      std::size_t j = lt + 1;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '>' &&
             s[j] != '/') {
        ++j;
      }
      std::string name = Lower(s.substr(lt + 1, j - lt - 1));
      if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(colon + 1);
      return name;
    }
  }
  return {};
}

}  // namespace

Result<Feed> ParseFeed(std::string_view utf8, std::string_view base_url) {
  std::string_view text = SkipBomAndSpace(utf8);
  std::string base(base_url);
  if (text.empty()) return Status::ParseError(base + ": not a feed (empty document)");
  if (text.front() == '{') {
    try {
      return ParseJsonFeed(text, base_url);
    } catch (const std::exception& e) {
      return Status::ParseError(base + ": bad JSON Feed (" + e.what() + ")");
    }
  }
  std::string first = FirstElementName(text);
  if (first == "html") return Status::ParseError(base + ": not a feed (root element <html>)");
  XmlDocPtr doc = ReadXml(text, base_url);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return Status::ParseError(base + ": not a feed (no XML root element)");
  std::string_view name = LocalName(root);
  if (name == "rss" || name == "RDF" || name == "channel") return ParseRss(root, base_url);
  if (name == "feed") return ParseAtom(root, base_url);
  return Status::ParseError(base + ": not a feed (root element <" + std::string(name) + ">)");
}

bool LooksLikeFeed(std::string_view utf8) {
  std::string_view text = SkipBomAndSpace(utf8);
  if (text.empty()) return false;
  if (text.front() == '{') {
    return text.substr(0, 4096).find("jsonfeed.org/version") != std::string_view::npos;
  }
  std::string name = FirstElementName(text.substr(0, 64 * 1024));
  return name == "rss" || name == "rdf" || name == "feed";
}

}  // namespace nd::feeds
