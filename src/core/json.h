// JSON forms of the core types (nlohmann::json), used by the store, the API and the batch
// tools. Field names are the API's: snake_case, times as Unix seconds and ISO 8601.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "core/types.h"

namespace nd {

void to_json(nlohmann::json& j, const Block& b);
void from_json(const nlohmann::json& j, Block& b);
void to_json(nlohmann::json& j, const CitedSentence& s);
void from_json(const nlohmann::json& j, CitedSentence& s);
void to_json(nlohmann::json& j, const Paragraph& p);
void from_json(const nlohmann::json& j, Paragraph& p);
void to_json(nlohmann::json& j, const TimelineEntry& t);
void from_json(const nlohmann::json& j, TimelineEntry& t);
void to_json(nlohmann::json& j, const StoryText& t);
void from_json(const nlohmann::json& j, StoryText& t);
// Article: every field, blocks as [{"kind":"p","text":...}], plus "text" (joined body).
void to_json(nlohmann::json& j, const Article& a);
void from_json(const nlohmann::json& j, Article& a);

const char* BlockKindName(BlockKind k);  // "p", "h", "li", "blockquote", "tr"
BlockKind BlockKindFromName(std::string_view name);

// "2026-11-18T09:30:00Z"; empty for 0.
std::string FormatIso8601(UnixTime t);

}  // namespace nd
