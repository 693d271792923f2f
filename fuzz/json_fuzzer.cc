// Fuzz target: JSON bodies read by the API and the batch tools (articles, story texts,
// feeds as JSON Feed). Type mismatches are reported by nlohmann as exceptions, which the
// callers catch; anything else (crash, sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/json.h"
#include "core/types.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  try {
    nd::Article a = j.get<nd::Article>();
    nlohmann::json back = a;
    (void)back.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const nlohmann::json::exception&) {
  }
  try {
    (void)j.get<nd::StoryText>();
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
