// OPML import/export and feed discovery in HTML pages.

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
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

// A page outline as WriteOpml writes it (OPML's link type): its url attribute.
std::string LinkUrl(const xmlNode* n) {
  if (Lower(CollapseWhitespace(Attr(n, "type"))) != "link") return {};
  return CollapseWhitespace(Attr(n, "url"));
}

std::string XmlUrl(const xmlNode* n) {
  std::string xml_url = CollapseWhitespace(Attr(n, "xmlUrl"));
  return !xml_url.empty() ? xml_url : CollapseWhitespace(Attr(n, "xmlurl"));
}

// Calls `visit(outline, category)` for every outline under `parent`, depth first; a folder
// outline (no xmlUrl, not a link) names the category of what it holds.
template <typename Visit>
void WalkOutlines(const xmlNode* parent, const std::string& category, const Visit& visit) {
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (!IsElement(n, "outline")) continue;
    visit(n, category);
    std::string folder = CollapseWhitespace(Attr(n, "text"));
    if (folder.empty()) folder = CollapseWhitespace(Attr(n, "title"));
    const bool subscription = !XmlUrl(n).empty() || !LinkUrl(n).empty();
    WalkOutlines(n, !subscription && !folder.empty() ? folder : category, visit);
  }
}

// The outline's title attribute, else its text.
std::string OutlineTitle(const xmlNode* n) {
  std::string title = CollapseWhitespace(Attr(n, "title"));
  return !title.empty() ? title : CollapseWhitespace(Attr(n, "text"));
}

// The category attribute's section, else the enclosing folder's.
std::string OutlineSection(const xmlNode* n, const std::string& folder) {
  std::string cat = CategoryFromAttr(Attr(n, "category"));
  return cat.empty() ? folder : cat;
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
  // OPML 2.0 category: a slash path; readers that ignore folders still see the section.
  if (!s.section.empty()) AppendAttr(out, "category", "/" + s.section);
  if (!s.lang.empty()) AppendAttr(out, "language", s.lang);
  if (s.interval_s > 0) AppendAttr(out, "pollInterval", FormatDuration(s.interval_s));
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
  auto visit = [&](const xmlNode* n, const std::string& folder) {
    std::string xml_url = XmlUrl(n);
    if (xml_url.empty()) return;
    OpmlOutline o;
    o.title = OutlineTitle(n);
    o.xml_url = Absolute(base_url, xml_url);
    o.html_url = Absolute(base_url, CollapseWhitespace(Attr(n, "htmlUrl")));
    o.category = OutlineSection(n, folder);
    out.push_back(std::move(o));
  };
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (IsElement(n, "body")) WalkOutlines(n, "", visit);
  }
  return out;
}

namespace {

// Parses well-formed XML only (after the entity repairs ReadXml makes), never loading
// external entities or DTDs. Errors name `name`, the line and libxml2's reason.
Result<XmlDocPtr> ReadStrictXml(std::string_view utf8, const std::string& name) {
  InitXml();
  std::string repaired = RepairXmlEntities(utf8);
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(),
                                                                    &xmlFreeParserCtxt);
  if (!ctxt) return Status::Internal(name + ": cannot create an XML parser");
  XmlDocPtr doc(xmlCtxtReadMemory(
      ctxt.get(), repaired.data(), static_cast<int>(repaired.size()), name.c_str(), "UTF-8",
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  const xmlError* err = xmlCtxtGetLastError(ctxt.get());
  if (!doc || (err != nullptr && err->level >= XML_ERR_ERROR)) {
    std::string reason = err != nullptr && err->message != nullptr ? err->message : "unreadable";
    while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back()))) {
      reason.pop_back();
    }
    const int line = err != nullptr ? err->line : 0;
    return Status::ParseError(name + ": not well-formed XML" +
                              (line > 0 ? " (line " + std::to_string(line) + ")" : "") + ": " +
                              reason);
  }
  return Result<XmlDocPtr>(std::move(doc));
}

}  // namespace

Result<std::vector<Source>> ReadOpmlSources(std::string_view utf8, std::string_view base_url,
                                            bool allow_file) {
  const std::string name(base_url);
  auto doc = ReadStrictXml(utf8, name);
  if (!doc.ok()) return doc.status();
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (root == nullptr) return Status::ParseError(name + ": not OPML (no XML root element)");
  if (LocalName(root) != "opml") {
    return Status::ParseError(name + ": not OPML (root element <" + std::string(LocalName(root)) +
                              ">)");
  }
  std::vector<Source> out;
  Status bad;
  auto visit = [&](const xmlNode* n, const std::string& folder) {
    if (!bad.ok()) return;
    Source s;
    s.url = XmlUrl(n);
    s.kind = "feed";
    if (s.url.empty()) {
      s.url = LinkUrl(n);
      s.kind = "page";
    }
    if (s.url.empty()) return;  // a folder
    const std::string where = name + ": line " + std::to_string(xmlGetLineNo(n)) + ": ";
    const std::string given = s.url.substr(0, 200);
    s.url = Absolute(base_url, s.url);
    const std::string scheme = UrlScheme(s.url);
    if (!(scheme == "http" || scheme == "https" || (allow_file && scheme == "file"))) {
      bad = Status::InvalidInput(where + "'" + given + "': not an http(s) URL");
      return;
    }
    if (s.url.size() > 2048) {
      bad = Status::InvalidInput(where + "'" + given + "...': URL longer than 2048 bytes");
      return;
    }
    s.title = OutlineTitle(n);
    if (s.title == s.url || s.title == given) s.title.clear();  // WriteOpml's stand-in name
    s.section = OutlineSection(n, folder);
    s.lang = CollapseWhitespace(Attr(n, "language"));
    const std::string interval = CollapseWhitespace(Attr(n, "pollInterval"));
    if (!interval.empty()) {
      auto seconds = ParseDuration(interval);
      if (!seconds.ok()) {
        bad = Status::InvalidInput(where + "pollInterval: " + seconds.status().message());
        return;
      }
      s.interval_s = *seconds;
    }
    out.push_back(std::move(s));
  };
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (IsElement(n, "body")) WalkOutlines(n, "", visit);
  }
  if (!bad.ok()) return bad;
  if (out.empty()) {
    return Status::InvalidInput(
        name + ": no subscriptions (no outline with xmlUrl, or type=\"link\" url)");
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
