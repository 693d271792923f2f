// OPML import/export and feed discovery in HTML pages.

#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "core/url.h"
#include "feeds/feeds.h"
#include "feeds/xml_util.h"

namespace nd::feeds {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Absolute(std::string_view base, const std::string& link) {
  if (link.empty()) return {};
  std::string resolved = ResolveUrl(base, link);
  return resolved.empty() ? link : resolved;
}

// OPML 2.0 category: comma-separated slash paths ("/World,/Tech/AI"); the first path's
// last segment is the section.
std::string CategoryFromAttr(const std::string& attr) {
  std::string first = attr.substr(0, attr.find(','));
  while (!first.empty() &&
         (first.back() == '/' || std::isspace(static_cast<unsigned char>(first.back())))) {
    first.pop_back();
  }
  std::size_t slash = first.rfind('/');
  if (slash != std::string::npos) first = first.substr(slash + 1);
  return CollapseWhitespace(first);
}

void CollectOutlines(const xmlNode* parent, const std::string& category, std::string_view base,
                     std::vector<OpmlOutline>* out) {
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (!IsElement(n, "outline")) continue;
    std::string text = CollapseWhitespace(Attr(n, "text"));
    std::string title = CollapseWhitespace(Attr(n, "title"));
    std::string xml_url = CollapseWhitespace(Attr(n, "xmlUrl"));
    if (xml_url.empty()) xml_url = CollapseWhitespace(Attr(n, "xmlurl"));
    if (!xml_url.empty()) {
      OpmlOutline o;
      o.title = !title.empty() ? title : text;
      o.xml_url = Absolute(base, xml_url);
      o.html_url = Absolute(base, CollapseWhitespace(Attr(n, "htmlUrl")));
      std::string cat = CategoryFromAttr(Attr(n, "category"));
      o.category = cat.empty() ? category : cat;
      out->push_back(std::move(o));
    }
    // A folder outline names the category of what it holds.
    std::string folder = !text.empty() ? text : title;
    CollectOutlines(n, xml_url.empty() && !folder.empty() ? folder : category, base, out);
  }
}

void AppendEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\n':
      case '\r':
      case '\t':
        *out += ' ';
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) *out += c;  // XML 1.0 forbids C0 controls
    }
  }
}

void AppendAttr(std::string* out, const char* name, std::string_view value) {
  *out += ' ';
  *out += name;
  *out += "=\"";
  AppendEscaped(out, value);
  *out += '"';
}

void AppendSource(std::string* out, const Source& s, const char* indent) {
  *out += indent;
  *out += "<outline";
  std::string_view title = s.title.empty() ? std::string_view(s.url) : std::string_view(s.title);
  AppendAttr(out, "text", title);
  AppendAttr(out, "title", title);
  if (s.kind == "page") {
    // OPML's link type: a page, not a subscription, so feed readers will not poll it.
    AppendAttr(out, "type", "link");
    AppendAttr(out, "url", s.url);
  } else {
    AppendAttr(out, "type", "rss");
    AppendAttr(out, "xmlUrl", s.url);
  }
  if (!s.lang.empty()) AppendAttr(out, "language", s.lang);
  *out += "/>\n";
}

}  // namespace

Result<std::vector<OpmlOutline>> ParseOpml(std::string_view utf8, std::string_view base_url) {
  std::string base(base_url);
  XmlDocPtr doc = ReadXml(utf8, base_url);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return Status::ParseError(base + ": not OPML (no XML root element)");
  if (LocalName(root) != "opml") {
    return Status::ParseError(base + ": not OPML (root element <" + std::string(LocalName(root)) +
                              ">)");
  }
  std::vector<OpmlOutline> out;
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (IsElement(n, "body")) CollectOutlines(n, "", base_url, &out);
  }
  return out;
}

std::string WriteOpml(const std::vector<Source>& sources, std::string_view title) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n";
  out += "  <head>\n    <title>";
  AppendEscaped(&out, title);
  out += "</title>\n  </head>\n  <body>\n";
  std::vector<std::string> sections;  // in order of first appearance
  for (const Source& s : sources) {
    if (!s.section.empty() &&
        std::find(sections.begin(), sections.end(), s.section) == sections.end()) {
      sections.push_back(s.section);
    }
  }
  for (const Source& s : sources) {
    if (s.section.empty()) AppendSource(&out, s, "    ");
  }
  for (const std::string& section : sections) {
    out += "    <outline";
    AppendAttr(&out, "text", section);
    AppendAttr(&out, "title", section);
    out += ">\n";
    for (const Source& s : sources) {
      if (s.section == section) AppendSource(&out, s, "      ");
    }
    out += "    </outline>\n";
  }
  out += "  </body>\n</opml>\n";
  return out;
}

namespace {

bool HasToken(const std::string& list, std::string_view token) {
  std::string l = Lower(list);
  std::size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && std::isspace(static_cast<unsigned char>(l[i]))) ++i;
    std::size_t j = i;
    while (j < l.size() && !std::isspace(static_cast<unsigned char>(l[j]))) ++j;
    if (l.compare(i, j - i, token) == 0 && j > i) return true;
    i = j;
  }
  return false;
}

bool IsFeedType(const std::string& type) {
  std::string t = Lower(CollapseWhitespace(type.substr(0, type.find(';'))));
  return t == "application/rss+xml" || t == "application/atom+xml" ||
         t == "application/feed+json" || t == "application/json+feed" || t == "application/rdf+xml";
}

void FindLinks(const xmlNode* node, std::string* base, std::vector<std::string>* out) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string name = Lower(LocalName(n));
    if (name == "base") {
      std::string href = CollapseWhitespace(Attr(n, "href"));
      if (!href.empty()) *base = Absolute(*base, href);
    } else if (name == "link" && HasToken(Attr(n, "rel"), "alternate") &&
               IsFeedType(Attr(n, "type"))) {
      std::string href = CollapseWhitespace(Attr(n, "href"));
      if (!href.empty()) {
        std::string url = Absolute(*base, href);
        if (std::find(out->begin(), out->end(), url) == out->end()) out->push_back(url);
      }
    }
    FindLinks(n->children, base, out);
  }
}

}  // namespace

std::vector<std::string> DiscoverFeeds(std::string_view html_utf8, std::string_view base_url) {
  std::vector<std::string> out;
  XmlDocPtr doc = ReadHtml(html_utf8, base_url);
  if (!doc) return out;
  std::string base(base_url);
  FindLinks(xmlDocGetRootElement(doc.get()), &base, &out);
  return out;
}

}  // namespace nd::feeds
