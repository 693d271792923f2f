#include "feeds/xml_util.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <cctype>
#include <cstring>

namespace nd::feeds {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == ':';
}

bool IsPredefinedEntity(std::string_view name) {
  return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
}

bool IsBlockElement(std::string_view name) {
  static constexpr const char* kBlocks[] = {
      "p",      "div",        "br", "li",  "ul",    "ol", "h1",         "h2",      "h3",
      "h4",     "h5",         "h6", "tr",  "td",    "th", "blockquote", "section", "article",
      "figure", "figcaption", "hr", "pre", "table", "dd", "dt"};
  for (const char* b : kBlocks) {
    if (name == b) return true;
  }
  return false;
}

void CollectText(const xmlNode* node, std::string* out, bool html) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    switch (n->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (n->content) *out += reinterpret_cast<const char*>(n->content);
        break;
      case XML_ELEMENT_NODE: {
        std::string_view name = LocalName(n);
        if (html && (name == "script" || name == "style" || name == "noscript")) break;
        bool block = html && IsBlockElement(name);
        if (block) *out += ' ';
        CollectText(n->children, out, html);
        if (block) *out += ' ';
        break;
      }
      default:
        break;  // comments, PIs, entity references (never expanded)
    }
  }
}

}  // namespace

void InitXml() {
  static const bool kInit = [] {
    xmlInitParser();
    return true;
  }();
  (void)kInit;
}

std::string RepairXmlEntities(std::string_view xml) {
  // Documents that declare their own entities are left alone.
  bool declares_entities = xml.find("<!ENTITY") != std::string_view::npos;
  std::string out;
  out.reserve(xml.size() + 64);
  std::size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '<') {
      std::string_view rest = xml.substr(i);
      std::string_view end_marker;
      if (rest.substr(0, 9) == "<![CDATA[") {
        end_marker = "]]>";
      } else if (rest.substr(0, 4) == "<!--") {
        end_marker = "-->";
      }
      if (!end_marker.empty()) {
        std::size_t end = xml.find(end_marker, i + 4);
        end = end == std::string_view::npos ? xml.size() : end + end_marker.size();
        out.append(xml.substr(i, end - i));
        i = end;
        continue;
      }
      out += c;
      ++i;
      continue;
    }
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    // Character reference: &#123; or &#x1F;
    std::size_t j = i + 1;
    if (j < xml.size() && xml[j] == '#') {
      std::size_t k = j + 1;
      bool hex = k < xml.size() && (xml[k] == 'x' || xml[k] == 'X');
      if (hex) ++k;
      std::size_t digits_start = k;
      while (k < xml.size() && (hex ? std::isxdigit(static_cast<unsigned char>(xml[k]))
                                    : std::isdigit(static_cast<unsigned char>(xml[k])))) {
        ++k;
      }
      if (k > digits_start && k < xml.size() && xml[k] == ';') {
        out.append(xml.substr(i, k + 1 - i));
        i = k + 1;
        continue;
      }
      out += "&amp;";
      ++i;
      continue;
    }
    std::size_t k = j;
    while (k < xml.size() && k - j < 32 && IsNameChar(xml[k])) ++k;
    if (k > j && k < xml.size() && xml[k] == ';') {
      std::string name(xml.substr(j, k - j));
      if (IsPredefinedEntity(name) || declares_entities) {
        out.append(xml.substr(i, k + 1 - i));
      } else if (const htmlEntityDesc* e = htmlEntityLookup(BAD_CAST name.c_str())) {
        out += "&#" + std::to_string(e->value) + ";";
      } else {
        out += "&amp;" + name + ";";
      }
      i = k + 1;
      continue;
    }
    out += "&amp;";
    ++i;
  }
  return out;
}

XmlDocPtr ReadXml(std::string_view utf8, std::string_view base_url) {
  InitXml();
  std::string repaired = RepairXmlEntities(utf8);
  std::string url(base_url);
  return XmlDocPtr(xmlReadMemory(repaired.data(), static_cast<int>(repaired.size()),
                                 url.empty() ? nullptr : url.c_str(), "UTF-8",
                                 XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                                     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
}

XmlDocPtr ReadHtml(std::string_view utf8, std::string_view base_url) {
  InitXml();
  std::string url(base_url);
  return XmlDocPtr(htmlReadMemory(
      utf8.data(), static_cast<int>(utf8.size()), url.empty() ? nullptr : url.c_str(), "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
}

std::string_view LocalName(const xmlNode* node) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return {};
  return reinterpret_cast<const char*>(node->name);
}

std::string_view NsHref(const xmlNode* node) {
  if (node == nullptr || node->ns == nullptr || node->ns->href == nullptr) return {};
  return reinterpret_cast<const char*>(node->ns->href);
}

bool IsElement(const xmlNode* node, std::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && LocalName(node) == local_name;
}

std::string Attr(const xmlNode* node, const char* name, const char* ns) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) {
      continue;
    }
    if (ns != nullptr &&
        (a->ns == nullptr || std::strcmp(reinterpret_cast<const char*>(a->ns->href), ns) != 0)) {
      continue;
    }
    std::string value;
    CollectText(a->children, &value, false);
    return value;
  }
  return {};
}

std::string NodeText(const xmlNode* node) {
  if (node == nullptr) return {};
  std::string out;
  if (node->type == XML_ELEMENT_NODE) {
    CollectText(node->children, &out, false);
  } else if (node->content) {
    out = reinterpret_cast<const char*>(node->content);
  }
  return out;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    bool space = std::isspace(c) != 0;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      space = true;
      ++i;
    }
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(c);
  }
  return out;
}

std::string HtmlToText(std::string_view html) {
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) {
    return CollapseWhitespace(html);
  }
  InitXml();
  // A wrapper keeps libxml2 from treating a leading text run as a document prologue.
  std::string wrapped = "<html><body><div>" + std::string(html) + "</div></body></html>";
  XmlDocPtr doc(htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8",
                               HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                   HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED));
  if (!doc) return CollapseWhitespace(html);
  std::string out;
  CollectText(xmlDocGetRootElement(doc.get()), &out, true);
  return CollapseWhitespace(out);
}

}  // namespace nd::feeds
