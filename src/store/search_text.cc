#include "store/search_text.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "text/text.h"

namespace nd::store_text {
namespace {

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

// Moves `pos` back to the start of the UTF-8 sequence it is in.
size_t Utf8Start(std::string_view s, size_t pos) {
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JoinSentences(const std::vector<CitedSentence>& sentences) {
  std::string out;
  for (const CitedSentence& s : sentences) {
    if (s.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += s.text;
  }
  return out;
}

}  // namespace

std::string DisplayText(const StoryText& text) {
  std::string out = text.headline;
  out += '\n';
  out += JoinSentences(text.dek);
  for (const Paragraph& p : text.body) {
    std::string para = JoinSentences(p.sentences);
    if (para.empty()) continue;
    out += '\n';
    out += para;
  }
  return out;
}

std::string JoinTerms(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) {
    if (t.empty()) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string MakeSnippet(const std::string& display, const std::string& query) {
  constexpr size_t kMaxBytes = 240;
  const std::string haystack = AsciiLower(display);
  size_t headline_end = display.find('\n');
  if (headline_end == std::string::npos) headline_end = display.size();
  for (const std::string& word : text::Words(query)) {
    if (word.empty()) continue;
    size_t pos = haystack.find(AsciiLower(word));
    if (pos == std::string::npos || pos < headline_end) continue;  // headline: fallback
    size_t begin = Utf8Start(display, pos > kMaxBytes / 3 ? pos - kMaxBytes / 3 : 0);
    size_t line_start = display.rfind('\n', pos);
    if (line_start != std::string::npos && line_start + 1 > begin) begin = line_start + 1;
    std::string piece = TruncateUtf8(std::string_view(display).substr(begin), kMaxBytes);
    size_t nl = piece.find('\n');
    if (nl != std::string::npos) piece.resize(nl);
    std::string out = begin > 0 && display[begin - 1] != '\n' ? "…" : "";
    out += piece;
    if (begin + piece.size() < display.size() && display[begin + piece.size()] != '\n') {
      out += "…";
    }
    return out;
  }
  std::string out = display;
  std::replace(out.begin(), out.end(), '\n', ' ');
  // Keep "headline dek" only: the body follows the second line break.
  size_t second = display.find('\n', headline_end + 1);
  if (second != std::string::npos) out.resize(second);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  std::string cut = TruncateUtf8(out, kMaxBytes);
  if (cut.size() < out.size()) cut += "…";
  return cut;
}

}  // namespace nd::store_text
