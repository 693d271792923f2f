// Fuzz target: date parsing (RFC 822/1123, ISO 8601, Chinese dates and friends).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)nd::ParseDateTime(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
