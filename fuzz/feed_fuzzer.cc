// Fuzz target: the feed parser (RSS 0.9x/1.0/2.0, Atom, JSON Feed) and OPML, on UTF-8 text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/feeds.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)nd::feeds::LooksLikeFeed(text);
  (void)nd::feeds::ParseFeed(text, "https://example.org/feed/");
  (void)nd::feeds::ParseOpml(text, "https://example.org/list.opml");
  (void)nd::feeds::DiscoverFeeds(text, "https://example.org/");
  return 0;
}
