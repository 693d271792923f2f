// Fuzz target: URL normalisation and resolution. Input: "<base>\n<reference>".
// Normalising is idempotent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::string_view base = nl == std::string_view::npos ? in : in.substr(0, nl);
  std::string_view ref = nl == std::string_view::npos ? "" : in.substr(nl + 1);
  std::string resolved = nd::ResolveUrl(base, ref);
  std::string once = nd::NormalizeUrl(resolved);
  std::string twice = nd::NormalizeUrl(once);
  if (once != twice) std::abort();
  (void)nd::UrlScheme(in);
  (void)nd::UrlHost(in);
  (void)nd::NormalizeUrl(in);
  return 0;
}
