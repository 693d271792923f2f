#include "extract/extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "core/url.h"
#include "extract/dom.h"
#include "extract/scan.h"
#include "text/text.h"

namespace nd::extract {
namespace {

using internal::AsciiLower;
using internal::CollapseWhitespace;
using internal::PageIndex;
using json = nlohmann::json;

constexpr size_t kMaxInputBytes = 50u << 20;  // 50 MB

// ---------------------------------------------------------------------------------------
// JSON-LD.

struct LdArticle {
  bool found = false;
  std::string headline;
  std::string date_published;
  std::string date_modified;
  std::string author;
  std::string publisher;
  std::string lang;
  std::string image;
  std::string body;
  std::string description;
  bool paywalled = false;
};

// The few entities sites leave in JSON-LD strings.
std::string DecodeEntities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"},
      {"&quot;", "\""},
      {"&#39;", "'"},
      {"&#039;", "'"},
      {"&apos;", "'"},
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&nbsp;", " "},
      {"&#x27;", "'"},
      {"&rsquo;", "\xE2\x80\x99"},
      {"&lsquo;", "\xE2\x80\x98"},
      {"&rdquo;", "\xE2\x80\x9D"},
      {"&ldquo;", "\xE2\x80\x9C"},
      {"&mdash;", "\xE2\x80\x94"},
      {"&ndash;", "\xE2\x80\x93"},
      {"&hellip;", "\xE2\x80\xA6"}};
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '&') {
      bool done = false;
      for (const auto& [from, to] : kEntities) {
        if (s.compare(i, from.size(), from) == 0) {
          out.append(to);
          i += from.size();
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    out.push_back(s[i++]);
  }
  return out;
}

std::string JsonString(const json& j) {
  if (j.is_string()) return CollapseWhitespace(DecodeEntities(j.get_ref<const std::string&>()));
  if (j.is_number_integer()) return std::to_string(j.get<std::int64_t>());
  return "";
}

std::string JsonName(const json& j) {
  if (j.is_string()) return JsonString(j);
  if (j.is_object()) {
    auto it = j.find("name");
    if (it != j.end()) return JsonName(*it);
    return "";
  }
  if (j.is_array()) {
    std::string out;
    for (const json& e : j) {
      std::string n = JsonName(e);
      if (n.empty() || out.find(n) != std::string::npos) continue;
      if (!out.empty()) out.append(", ");
      out.append(n);
    }
    return out;
  }
  return "";
}

std::string JsonImage(const json& j) {
  if (j.is_string()) return JsonString(j);
  if (j.is_object()) {
    for (const char* k : {"url", "contentUrl", "@id"}) {
      auto it = j.find(k);
      if (it != j.end() && it->is_string()) return JsonString(*it);
    }
  }
  if (j.is_array() && !j.empty()) return JsonImage(j.front());
  return "";
}

bool IsArticleType(const json& type) {
  if (type.is_array()) {
    for (const json& t : type) {
      if (IsArticleType(t)) return true;
    }
    return false;
  }
  if (!type.is_string()) return false;
  std::string_view t = type.get_ref<const std::string&>();
  if (size_t colon = t.rfind(':'); colon != std::string_view::npos) t = t.substr(colon + 1);
  if (size_t slash = t.rfind('/'); slash != std::string_view::npos) t = t.substr(slash + 1);
  return (t.size() >= 7 && t.substr(t.size() - 7) == "Article") || t == "BlogPosting" ||
         t == "LiveBlogPosting" || t == "Report";
}

bool IsFalse(const json& j) {
  if (j.is_boolean()) return !j.get<bool>();
  if (j.is_string()) return AsciiLower(j.get_ref<const std::string&>()) == "false";
  return false;
}

void FillFromArticle(const json& o, LdArticle* ld) {
  auto get = [&](const char* key) -> const json* {
    auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
  };
  ld->found = true;
  if (const json* v = get("headline"); v && ld->headline.empty()) ld->headline = JsonString(*v);
  if (const json* v = get("name"); v && ld->headline.empty()) ld->headline = JsonString(*v);
  if (const json* v = get("datePublished")) ld->date_published = JsonString(*v);
  if (const json* v = get("dateCreated"); v && ld->date_published.empty()) {
    ld->date_published = JsonString(*v);
  }
  if (const json* v = get("dateModified")) ld->date_modified = JsonString(*v);
  if (const json* v = get("author")) ld->author = JsonName(*v);
  if (const json* v = get("publisher")) ld->publisher = JsonName(*v);
  if (const json* v = get("inLanguage")) ld->lang = JsonName(*v);
  if (const json* v = get("image")) ld->image = JsonImage(*v);
  if (const json* v = get("description")) ld->description = JsonString(*v);
  if (const json* v = get("articleBody"); v && v->is_string()) {
    ld->body = DecodeEntities(v->get_ref<const std::string&>());
  }
  if (const json* v = get("isAccessibleForFree"); v && IsFalse(*v)) ld->paywalled = true;
  if (const json* v = get("hasPart")) {
    auto check = [&](const json& part) {
      if (part.is_object()) {
        auto it = part.find("isAccessibleForFree");
        if (it != part.end() && IsFalse(*it)) ld->paywalled = true;
      }
    };
    if (v->is_array()) {
      for (const json& p : *v) check(p);
    } else {
      check(*v);
    }
  }
}

void FindArticle(const json& j, int depth, LdArticle* ld, std::string* any_publisher) {
  if (depth > 8 || (ld->found && !ld->body.empty())) return;
  if (j.is_array()) {
    for (const json& e : j) FindArticle(e, depth + 1, ld, any_publisher);
    return;
  }
  if (!j.is_object()) return;
  auto type = j.find("@type");
  if (type != j.end()) {
    if (IsArticleType(*type) && !ld->found) {
      FillFromArticle(j, ld);
    } else if (IsArticleType(*type) && ld->body.empty() && j.contains("articleBody")) {
      LdArticle other;
      FillFromArticle(j, &other);
      ld->body = other.body;
    }
    if (any_publisher->empty() && type->is_string() &&
        (*type == "Organization" || *type == "NewsMediaOrganization" || *type == "WebSite")) {
      auto name = j.find("name");
      if (name != j.end()) *any_publisher = JsonString(*name);
    }
  }
  for (const char* key : {"@graph", "mainEntity", "mainEntityOfPage", "itemListElement"}) {
    auto it = j.find(key);
    if (it != j.end() && (it->is_object() || it->is_array())) {
      FindArticle(*it, depth + 1, ld, any_publisher);
    }
  }
}

// Parses one JSON-LD script, tolerating HTML comment/CDATA wrappers, raw control
// characters inside strings and trailing garbage. Returns a discarded value on failure.
json ParseJsonLd(std::string_view raw) {
  std::string text(raw);
  for (std::string_view junk : {"<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"}) {
    for (size_t p = text.find(junk); p != std::string::npos; p = text.find(junk)) {
      text.replace(p, junk.size(), " ");
    }
  }
  json j = json::parse(text, nullptr, false, true);
  if (!j.is_discarded()) return j;
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  j = json::parse(text, nullptr, false, true);
  if (!j.is_discarded()) return j;
  size_t end = text.find_last_of("}]");
  while (end != std::string::npos && end > 0) {
    j = json::parse(std::string_view(text).substr(0, end + 1), nullptr, false, true);
    if (!j.is_discarded()) return j;
    end = text.find_last_of("}]", end - 1);
    if (text.size() - end > 4096) break;  // bounded retries
  }
  return j;
}

LdArticle ReadJsonLd(const std::vector<std::string>& scripts) {
  LdArticle ld;
  std::string any_publisher;
  for (const std::string& s : scripts) {
    try {
      json j = ParseJsonLd(s);
      if (!j.is_discarded()) FindArticle(j, 0, &ld, &any_publisher);
    } catch (const std::exception&) {
      // A malformed script is ignored; the page still has its DOM.
    }
  }
  if (ld.publisher.empty()) ld.publisher = any_publisher;
  return ld;
}

// ---------------------------------------------------------------------------------------
// Helpers.

class MetaMap {
 public:
  explicit MetaMap(const std::vector<std::pair<std::string, std::string>>& items) {
    for (const auto& [k, v] : items) map_.emplace(k, v);  // first one wins
  }
  std::string Get(std::initializer_list<const char*> keys) const {
    for (const char* k : keys) {
      auto it = map_.find(k);
      if (it != map_.end()) {
        std::string v = CollapseWhitespace(it->second);
        if (!v.empty()) return v;
      }
    }
    return "";
  }

 private:
  std::unordered_map<std::string, std::string> map_;
};

// "en-US" -> "en", "zh-TW" -> "zh-Hant", "zh-CN" -> "zh-Hans"; "" when unusable.
std::string NormalizeLangHint(std::string_view tag) {
  std::string t = AsciiLower(CollapseWhitespace(tag));
  for (char& c : t) {
    if (c == '_') c = '-';
  }
  if (size_t comma = t.find(','); comma != std::string::npos) t.resize(comma);
  if (t.empty()) return "";
  if (t.compare(0, 2, "zh") == 0 && (t.size() == 2 || t[2] == '-')) {
    if (t.find("hant") != std::string::npos || t.find("-tw") != std::string::npos ||
        t.find("-hk") != std::string::npos || t.find("-mo") != std::string::npos) {
      return "zh-Hant";
    }
    return "zh-Hans";
  }
  size_t dash = t.find('-');
  std::string primary = t.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return "";
  for (char c : primary) {
    if (c < 'a' || c > 'z') return "";
  }
  return primary;
}

std::string StripBy(std::string s) {
  std::string lower = AsciiLower(s.substr(0, 3));
  if (lower == "by ") s.erase(0, 3);
  if (s.size() > 120) return "";
  return s;
}

std::vector<Block> BlocksFromText(std::string_view body) {
  std::vector<Block> blocks;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string line = CollapseWhitespace(body.substr(start, end - start));
    if (!line.empty()) blocks.push_back(Block{BlockKind::kParagraph, std::move(line)});
    start = end + 1;
  }
  return blocks;
}

size_t BlockBytes(const std::vector<Block>& blocks) {
  size_t n = 0;
  for (const Block& b : blocks) n += b.text.size();
  return n;
}

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// libxml2 reports through the context; with NOERROR/NOWARNING set nothing is printed,
// but a structured handler that ignores everything makes sure of it.
void IgnoreStructuredError(void*, xmlErrorPtr) {}

std::string Who(std::string_view url) { return url.empty() ? "(html input)" : std::string(url); }

}  // namespace

Result<Article> ExtractArticle(std::string_view html, std::string_view url) {
  if (html.empty()) return Status::InvalidInput(Who(url) + ": empty input (0 bytes)");
  if (html.size() > kMaxInputBytes) {
    return Status::TooLarge(Who(url) + ": input of " + std::to_string(html.size()) +
                            " bytes is larger than the 50 MB limit");
  }
  if (internal::LooksBinary(html)) {
    return Status::InvalidInput(Who(url) +
                                ": binary data (not HTML: a NUL byte or mostly control "
                                "characters in the first 8 KB)");
  }
  std::string sanitized;
  if (!internal::IsValidUtf8(html)) {
    sanitized = internal::SanitizeUtf8(html);
    html = sanitized;
  }

  // libxml2 2.9 initialises global tables on first use, which is not safe when two
  // threads race to it; a function-local static makes it happen exactly once.
  static const bool kLibxmlReady = [] {
    xmlInitParser();
    return true;
  }();
  (void)kLibxmlReady;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html.data(), static_cast<int>(html.size()));
  if (ctxt == nullptr) return Status::Internal(Who(url) + ": cannot create an HTML parser");
  ctxt->sax->serror = IgnoreStructuredError;
  ctxt->sax->error = nullptr;
  ctxt->sax->warning = nullptr;
  constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
                           XML_PARSE_HUGE;
  std::unique_ptr<xmlDoc, DocDeleter> doc(htmlCtxtReadMemory(
      ctxt, html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", kOptions));
  htmlFreeParserCtxt(ctxt);
  if (doc == nullptr || xmlDocGetRootElement(doc.get()) == nullptr) {
    return Status::ParseError(Who(url) + ": not parsable as HTML");
  }

  PageIndex page(doc.get());
  const internal::MetaItems& items = page.meta();
  MetaMap meta(items.metas);
  LdArticle ld = ReadJsonLd(items.json_ld);

  Article a;
  a.url = std::string(url);

  // Body.
  PageIndex::Body body = page.ExtractBody(true);
  if (body.bytes < 250) {
    PageIndex::Body loose = page.ExtractBody(false);
    if (loose.bytes > body.bytes * 2 + 100) body = std::move(loose);
  }
  a.blocks = std::move(body.blocks);
  if (!ld.body.empty()) {
    size_t dom_bytes = BlockBytes(a.blocks);
    std::vector<Block> ld_blocks = BlocksFromText(ld.body);
    size_t ld_bytes = BlockBytes(ld_blocks);
    if (ld_bytes > 200 && dom_bytes * 2 < ld_bytes) a.blocks = std::move(ld_blocks);
  }

  // Site name and title.
  a.site_name = meta.Get({"og:site_name", "twitter:site_name"});
  if (a.site_name.empty()) a.site_name = ld.publisher;
  if (a.site_name.empty()) a.site_name = meta.Get({"application-name", "publisher"});
  if (a.site_name.compare(0, 4, "http") == 0 || a.site_name.compare(0, 4, "www.") == 0) {
    std::string host = UrlHost(a.site_name);
    if (host.empty()) host = a.site_name;
    if (host.compare(0, 4, "www.") == 0) host.erase(0, 4);
    a.site_name = host;
  }
  if (a.site_name.empty()) {
    std::string host = UrlHost(url);
    if (host.compare(0, 4, "www.") == 0) host.erase(0, 4);
    a.site_name = host;
  }
  if (!ld.headline.empty()) {
    a.title = internal::StripTitleSite(ld.headline, a.site_name);
  } else if (std::string og = meta.Get({"og:title", "twitter:title"}); !og.empty()) {
    a.title = internal::StripTitleSite(og, a.site_name);
  } else {
    int h1 = -1;
    for (int h : items.h1s) {
      if (body.top >= 0 && page.IsAncestor(page.nodes()[body.top].parent, h)) {
        h1 = h;
        break;
      }
    }
    if (h1 < 0 && !items.h1s.empty()) h1 = items.h1s.front();
    if (h1 >= 0) a.title = page.TextOf(h1, 1000);
    if (a.title.empty()) {
      a.title = internal::StripTitleSite(items.title, a.site_name);
      if (a.title == CollapseWhitespace(items.title)) {
        a.title = internal::StripTitleSite(items.title, "");
      }
    }
  }
  // The headline repeated as the first block (pages without <h1>).
  if (!a.title.empty()) {
    for (size_t k = 0; k < a.blocks.size() && k < 3; ++k) {
      if (a.blocks[k].text == a.title) {
        a.blocks.erase(a.blocks.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      }
    }
  }

  // URLs, image, description, byline.
  std::string canonical = items.canonical;
  if (canonical.empty()) canonical = meta.Get({"og:url"});
  if (!canonical.empty()) {
    std::string resolved = url.empty() ? canonical : ResolveUrl(url, canonical);
    a.canonical_url = resolved.empty() ? canonical : resolved;
  } else {
    a.canonical_url = std::string(url);
  }
  std::string image = meta.Get({"og:image", "og:image:url", "twitter:image", "twitter:image:src"});
  if (image.empty()) image = ld.image;
  if (!image.empty()) {
    std::string resolved = url.empty() ? image : ResolveUrl(url, image);
    a.image = resolved.empty() ? image : resolved;
  }
  a.description = meta.Get({"og:description", "description", "twitter:description"});
  if (a.description.empty()) a.description = ld.description;
  a.byline = ld.author;
  if (a.byline.empty()) a.byline = meta.Get({"author", "article:author", "byl", "dc.creator"});
  if (a.byline.compare(0, 4, "http") == 0) a.byline.clear();
  if (a.byline.empty()) {
    // The first short one: a name, not a whole byline block with dates and handles.
    for (size_t max_len : {60u, 100u}) {
      for (int b : items.bylines) {
        std::string t = StripBy(page.TextOf(b, 200));
        if (t.size() >= 2 && t.size() <= max_len) {
          a.byline = std::move(t);
          break;
        }
      }
      if (!a.byline.empty()) break;
    }
  }
  a.byline = StripBy(a.byline);
  a.paywalled = ld.paywalled || AsciiLower(meta.Get({"article:content_tier"})) == "locked";

  // Language: the page's tag is a hint; the text decides (and picks the Chinese script).
  std::string hint = NormalizeLangHint(items.html_lang);
  if (hint.empty())
    hint = NormalizeLangHint(meta.Get({"content-language", "language", "dc.language"}));
  if (hint.empty()) hint = NormalizeLangHint(ld.lang);
  if (hint.empty()) hint = NormalizeLangHint(meta.Get({"og:locale"}));
  {
    std::string sample = a.title;
    for (const Block& b : a.blocks) {
      if (sample.size() > 8192) break;
      sample.push_back('\n');
      sample.append(b.text);
    }
    a.lang = text::DetectLanguage(sample, hint);
  }

  // Times.
  a.published = ParseDateTime(ld.date_published);
  if (a.published == 0) {
    a.published = ParseDateTime(
        meta.Get({"article:published_time", "og:published_time", "datepublished", "pubdate",
                  "publishdate", "publish-date", "publish_date", "article.published",
                  "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued",
                  "dcterms.created", "date", "og:article:published_time", "article:published"}));
  }
  const auto& nodes = page.nodes();
  if (a.published == 0 && !items.times.empty()) {
    auto time_value = [&](int t) {
      const xmlNode* n = nodes[t].node;
      for (const xmlAttr* at = n->properties; at != nullptr; at = at->next) {
        if (std::strcmp(reinterpret_cast<const char*>(at->name), "datetime") == 0 &&
            at->children != nullptr && at->children->content != nullptr) {
          UnixTime v = ParseDateTime(reinterpret_cast<const char*>(at->children->content));
          if (v != 0) return v;
        }
      }
      return ParseDateTime(page.TextOf(t, 100));
    };
    auto preferred = [&](int t) {
      const xmlNode* n = nodes[t].node;
      for (const xmlAttr* at = n->properties; at != nullptr; at = at->next) {
        std::string name = reinterpret_cast<const char*>(at->name);
        std::string value = at->children && at->children->content
                                ? AsciiLower(reinterpret_cast<const char*>(at->children->content))
                                : "";
        if (name == "pubdate") return true;
        if ((name == "itemprop" || name == "class") && value.find("publish") != std::string::npos) {
          return true;
        }
      }
      return false;
    };
    int region = -1;
    if (body.top >= 0) {
      for (int p = body.top; p >= 0; p = nodes[p].parent) {
        if (nodes[p].tag == internal::Tag::kArticle || nodes[p].tag == internal::Tag::kMain) {
          region = p;
          break;
        }
      }
      if (region < 0) {
        region = body.top;
        for (int k = 0; k < 2 && nodes[region].parent >= 0; ++k) region = nodes[region].parent;
      }
    }
    for (int pass = 0; pass < 3 && a.published == 0; ++pass) {
      for (int t : items.times) {
        if (pass == 0 && !preferred(t)) continue;
        if (pass == 1 && (region < 0 || !page.IsAncestor(region, t))) continue;
        a.published = time_value(t);
        if (a.published != 0) break;
      }
    }
  }
  if (a.published == 0) {
    std::string found;
    for (int d : items.dates) {
      found = internal::FindDateInText(page.TextOf(d, 400));
      if (!found.empty()) break;
    }
    if (found.empty() && body.top >= 0) {
      int region = body.top;
      for (int k = 0; k < 3 && nodes[region].parent >= 0; ++k) region = nodes[region].parent;
      found = internal::FindDateInText(page.TextBefore(region, body.top, 3000));
    }
    if (!found.empty()) {
      // A date written in Chinese page text carries no zone; such pages are published in
      // UTC+8 (mainland China, Taiwan, Hong Kong, Singapore).
      // A date without a time is that day's midnight there.
      if (text::IsChinese(a.lang)) found.append(found.size() > 10 ? "+08:00" : "T00:00:00+08:00");
      a.published = ParseDateTime(found);
    }
  }
  a.updated = ParseDateTime(ld.date_modified);
  if (a.updated == 0) {
    a.updated = ParseDateTime(meta.Get({"article:modified_time", "og:updated_time", "datemodified",
                                        "last-modified", "dc.date.modified"}));
  }

  if (a.blocks.empty()) {
    a.reason = page.DescribeNoBody();
    if (a.title.empty()) {
      return Status::ParseError(Who(url) + ": no article text found: " + a.reason);
    }
  }
  return a;
}

}  // namespace nd::extract
