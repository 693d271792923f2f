#include "core/status.h"

namespace nd {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidInput: return "invalid input";
    case StatusCode::kParseError: return "parse error";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kTooLarge: return "too large";
    case StatusCode::kIOError: return "I/O error";
    case StatusCode::kRefused: return "refused";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace nd
