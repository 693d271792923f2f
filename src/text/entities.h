// entities: named entities for matching across languages and scripts, without a model.
//
// A gazetteer compiled into the binary (data/gazetteer/*.tsv) maps the names of countries
// and territories (generated from ICU's CLDR display names, see GenerateCountryTable), of
// capitals and major cities, international organisations, heads of state and government
// and other leaders, and of common news concepts (earthquake / 地震 / 地震) in English,
// Simplified and Traditional Chinese, with their common variants (two transliterations of
// one name, abbreviations, demonyms), to one language-independent id such as
// "country:FR" or "person:xi_jinping". FindEntities finds those names in text: English by
// token n-grams (case-aware, so "US" is not "us"), Chinese by longest match on text folded
// to Simplified. Capitalised English names not in the gazetteer are found too, as
// "name:<lower-cased words>" ids (kind from cues such as "Inc." or "Mr"); they match only
// within English.
//
// Thread-safety: all functions are thread-safe (the gazetteer is built once, on first use).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nd::text {

enum class EntityKind { kPlace, kOrganisation, kPerson, kConcept, kOther };

struct Entity {
  std::string id;  // e.g. "country:US", "person:donald_trump", "name:acme corp"
  EntityKind kind = EntityKind::kOther;
  std::size_t offset = 0;  // byte offset of the mention in the text searched
  std::string surface;     // the mention as written
};

// Entities mentioned in `utf8`, in text order (overlapping mentions resolved to the
// longest). `lang` may be empty; both Latin and Han names are searched in any text.
std::vector<Entity> FindEntities(std::string_view utf8, std::string_view lang = {});

// The distinct gazetteer ids mentioned in `utf8` (no "name:" ids): terms that mean the
// same thing in every language, for cross-lingual matching. Kept in first-mention order.
std::vector<std::string> EntityIds(std::string_view utf8, std::string_view lang = {});

// Names known for one gazetteer id (all languages, as listed), or empty.
std::vector<std::string> GazetteerNames(std::string_view id);

// Number of entries in the compiled gazetteer.
std::size_t GazetteerSize();

// The country and territory table as generated from ICU's CLDR data: one line per ISO
// 3166 region, "country:CC<TAB>place<TAB>en names<TAB>zh-Hans names<TAB>zh-Hant names",
// names separated by '|' (long and short display names, parenthesised alternatives split
// out). tools/gen_gazetteer writes it to data/gazetteer/countries.tsv.
std::string GenerateCountryTable();

}  // namespace nd::text
