// DiscoverFeed: which feed a URL the operator adds stands for.

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "core/url.h"
#include "feeds/feeds.h"
#include "feeds/xml_util.h"

namespace nd::feeds {
namespace {

// Paths tried on the page's own host when the page advertises no feed.
constexpr const char* kCommonFeedPaths[] = {"/feed", "/rss.xml", "/atom.xml", "/feed.json"};

const xmlNode* FindElement(const xmlNode* node, std::string_view name) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (IsElement(n, name)) return n;
    if (const xmlNode* found = FindElement(n->children, name)) return found;
  }
  return nullptr;
}

std::string PageTitle(std::string_view html, std::string_view base_url) {
  XmlDocPtr doc = ReadHtml(html, base_url);
  if (!doc) return {};
  const xmlNode* title = FindElement(xmlDocGetRootElement(doc.get()), "title");
  return title != nullptr ? CollapseWhitespace(NodeText(title)) : std::string();
}

// The feed at `url`, when it is one that parses.
std::optional<FeedDiscovery> TryFeed(const std::string& url, const FetchText& fetch,
                                     const std::string& how) {
  auto doc = fetch(url);
  if (!doc.ok() || !LooksLikeFeed(doc->text)) return std::nullopt;
  auto feed = ParseFeed(doc->text, doc->url);
  if (!feed.ok()) return std::nullopt;
  return FeedDiscovery{url, "feed", feed->title, how};
}

}  // namespace

Result<FeedDiscovery> DiscoverFeed(const std::string& url, const FetchText& fetch) {
  auto page = fetch(url);
  if (!page.ok()) return page.status();
  if (LooksLikeFeed(page->text)) {
    auto feed = ParseFeed(page->text, page->url);
    if (!feed.ok()) return feed.status();
    return FeedDiscovery{url, "feed", feed->title, "the URL is a feed"};
  }
  for (const std::string& link : DiscoverFeeds(page->text, page->url)) {
    const std::string scheme = UrlScheme(link);
    // A fetched page may not point us at local files.
    if (scheme == "file" && UrlScheme(page->url) != "file") continue;
    if (scheme != "http" && scheme != "https" && scheme != "file") continue;
    if (auto found = TryFeed(link, fetch, "advertised by the page (<link rel=\"alternate\">)")) {
      return *found;
    }
  }
  const std::string page_scheme = UrlScheme(page->url);
  if (page_scheme == "http" || page_scheme == "https") {
    for (const char* path : kCommonFeedPaths) {
      // An absolute path resolves on the page's own scheme, host and port.
      const std::string candidate = ResolveUrl(page->url, path);
      if (candidate.empty() || candidate == url || candidate == page->url) continue;
      if (auto found = TryFeed(candidate, fetch, std::string("found at ") + path)) return *found;
    }
  }
  return FeedDiscovery{url, "page", PageTitle(page->text, page->url),
                       "no feed found: kept as a page source (read as a single article page)"};
}

}  // namespace nd::feeds
