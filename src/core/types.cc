#include "core/types.h"

namespace nd {

std::string Article::Text() const {
  std::string out;
  for (const Block& b : blocks) {
    if (!out.empty()) out += '\n';
    out += b.text;
  }
  return out;
}

}  // namespace nd
