// Fuzz target: the charset decoder. Input: "<content-type>\n<bytes>"; an odd length turns
// on <meta> sniffing. The output must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fetch/fetch.h"

namespace {
bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    if (n == 9 || i + n >= s.size() + (n == 0)) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::string_view content_type = nl == std::string_view::npos ? "" : in.substr(0, nl);
  std::string_view bytes = nl == std::string_view::npos ? in : in.substr(nl + 1);
  std::string charset;
  std::string out = nd::fetch::DecodeToUtf8(bytes, content_type, size % 2 == 1, &charset);
  if (!ValidUtf8(out)) std::abort();
  return 0;
}
