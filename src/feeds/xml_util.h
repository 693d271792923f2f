// Private to feeds: libxml2 helpers shared by the feed, OPML and discovery parsers.
//
// Thread-safety: pure functions; libxml2 is initialised once (InitXml) before any parse.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

namespace nd::feeds {

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// Makes libxml2 safe to use from several threads. Idempotent.
void InitXml();

// Rewrites what libxml2's recover mode would otherwise drop with its neighbours: a bare
// '&' becomes "&amp;", an HTML named entity (&nbsp; &mdash;) becomes a numeric reference,
// an unknown named entity becomes literal text. CDATA sections and comments are kept.
std::string RepairXmlEntities(std::string_view xml);

// Parses XML (already UTF-8) in recover mode, never loading external entities or DTDs,
// without substituting entities. Null when nothing could be parsed.
XmlDocPtr ReadXml(std::string_view utf8, std::string_view base_url);

// Parses HTML leniently (no network). Null when nothing could be parsed.
XmlDocPtr ReadHtml(std::string_view utf8, std::string_view base_url);

// The element's local name ("encoded" for <content:encoded>), empty for non-elements.
std::string_view LocalName(const xmlNode* node);
// The element's namespace URI, empty when it has none.
std::string_view NsHref(const xmlNode* node);
bool IsElement(const xmlNode* node, std::string_view local_name);

// An attribute's value by local name (any namespace unless `ns` is given); empty if absent.
std::string Attr(const xmlNode* node, const char* name, const char* ns = nullptr);

// Concatenated text of the node and its descendants (entity references skipped).
std::string NodeText(const xmlNode* node);

// Collapses runs of whitespace (including NBSP) to one space and trims.
std::string CollapseWhitespace(std::string_view text);

// Plain text of an HTML fragment: tags removed, entities decoded, script/style dropped,
// whitespace collapsed. Cheap when the text has no markup.
std::string HtmlToText(std::string_view html);

}  // namespace nd::feeds
