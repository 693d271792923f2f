#include "core/json.h"

#include <ctime>

namespace nd {

using nlohmann::json;

const char* BlockKindName(BlockKind k) {
  switch (k) {
    case BlockKind::kParagraph: return "p";
    case BlockKind::kHeading: return "h";
    case BlockKind::kListItem: return "li";
    case BlockKind::kQuote: return "blockquote";
    case BlockKind::kTableRow: return "tr";
  }
  return "p";
}

BlockKind BlockKindFromName(std::string_view name) {
  if (name == "h") return BlockKind::kHeading;
  if (name == "li") return BlockKind::kListItem;
  if (name == "blockquote") return BlockKind::kQuote;
  if (name == "tr") return BlockKind::kTableRow;
  return BlockKind::kParagraph;
}

std::string FormatIso8601(UnixTime t) {
  if (t == 0) return "";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {
template <typename T>
void Get(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) it->get_to(out);
}
}  // namespace

void to_json(json& j, const Block& b) { j = json{{"kind", BlockKindName(b.kind)}, {"text", b.text}}; }
void from_json(const json& j, Block& b) {
  std::string kind;
  Get(j, "kind", kind);
  b.kind = BlockKindFromName(kind);
  Get(j, "text", b.text);
}

void to_json(json& j, const CitedSentence& s) {
  j = json{{"text", s.text}, {"cites", s.cites}, {"verdict", s.verdict}};
}
void from_json(const json& j, CitedSentence& s) {
  Get(j, "text", s.text);
  Get(j, "cites", s.cites);
  Get(j, "verdict", s.verdict);
}

void to_json(json& j, const Paragraph& p) { j = json{{"sentences", p.sentences}}; }
void from_json(const json& j, Paragraph& p) { Get(j, "sentences", p.sentences); }

void to_json(json& j, const TimelineEntry& t) {
  j = json{{"when", t.when}, {"date", FormatIso8601(t.when)}, {"label", t.label},
           {"text", t.text}, {"cites", t.cites}};
}
void from_json(const json& j, TimelineEntry& t) {
  Get(j, "when", t.when);
  Get(j, "label", t.label);
  Get(j, "text", t.text);
  Get(j, "cites", t.cites);
}

void to_json(json& j, const StoryText& t) {
  j = json{{"lang", t.lang},         {"headline", t.headline},
           {"dek", t.dek},           {"body", t.body},
           {"timeline", t.timeline}, {"analysis", t.analysis},
           {"writer", t.writer},     {"untranslated", t.untranslated},
           {"source_lang", t.source_lang}};
}
void from_json(const json& j, StoryText& t) {
  Get(j, "lang", t.lang);
  Get(j, "headline", t.headline);
  Get(j, "dek", t.dek);
  Get(j, "body", t.body);
  Get(j, "timeline", t.timeline);
  Get(j, "analysis", t.analysis);
  Get(j, "writer", t.writer);
  Get(j, "untranslated", t.untranslated);
  Get(j, "source_lang", t.source_lang);
}

void to_json(json& j, const Article& a) {
  j = json{{"id", a.id},
           {"source_id", a.source_id},
           {"url", a.url},
           {"canonical_url", a.canonical_url},
           {"site_name", a.site_name},
           {"title", a.title},
           {"byline", a.byline},
           {"description", a.description},
           {"image", a.image},
           {"published", FormatIso8601(a.published)},
           {"published_unix", a.published},
           {"updated", FormatIso8601(a.updated)},
           {"updated_unix", a.updated},
           {"fetched_unix", a.fetched},
           {"lang", a.lang},
           {"section", a.section},
           {"paywalled", a.paywalled},
           {"reason", a.reason},
           {"content_hash", a.content_hash},
           {"duplicate_of", a.duplicate_of},
           {"story_id", a.story_id},
           {"blocks", a.blocks},
           {"text", a.Text()}};
}
void from_json(const json& j, Article& a) {
  Get(j, "id", a.id);
  Get(j, "source_id", a.source_id);
  Get(j, "url", a.url);
  Get(j, "canonical_url", a.canonical_url);
  Get(j, "site_name", a.site_name);
  Get(j, "title", a.title);
  Get(j, "byline", a.byline);
  Get(j, "description", a.description);
  Get(j, "image", a.image);
  Get(j, "published_unix", a.published);
  Get(j, "updated_unix", a.updated);
  Get(j, "fetched_unix", a.fetched);
  Get(j, "lang", a.lang);
  Get(j, "section", a.section);
  Get(j, "paywalled", a.paywalled);
  Get(j, "reason", a.reason);
  Get(j, "content_hash", a.content_hash);
  Get(j, "duplicate_of", a.duplicate_of);
  Get(j, "story_id", a.story_id);
  Get(j, "blocks", a.blocks);
}

}  // namespace nd
