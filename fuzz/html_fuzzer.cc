// Fuzz target: the HTML article extractor.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  (void)nd::extract::ExtractArticle(html, "https://example.org/news/2026/a.html");
  return 0;
}
