// search page: the /search form with its filters (language, date range, source, section,
// stories or articles), the results with the matched words marked, and the conversion of
// the request parameters to Store::Search options (shared with /api/v1/search).
//
// Parameters: q, language (en | zh | zh-Hans | zh-Hant), from and to (YYYY-MM-DD,
// inclusive), source (source id), section, type (stories | articles | all), offset.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "store/store.h"

namespace nd::web {

struct SearchItem;
struct PageContext;

struct SearchForm {
  std::string q;
  std::string language;
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD
  std::int64_t source_id = 0;
  std::string section;
  std::string type = "stories";  // stories | articles | all
  int offset = 0;
};

// Reads the form from request parameters; an unknown value is an InvalidInput naming it.
Result<SearchForm> ParseSearchForm(const std::function<std::string(const std::string&)>& param);

// The Store::Search options for a form (limit results per page).
SearchOptions SearchOptionsFor(const SearchForm& form, int limit);

// The query string of a form, without the page language (for links).
std::string SearchFormQuery(const SearchForm& form);

// `snippet` escaped for HTML, with the ranges in `highlights` ({offset, length} in bytes)
// wrapped in <mark>. Ranges out of order or out of bounds are ignored.
std::string MarkHighlights(std::string_view snippet,
                           const std::vector<std::pair<int, int>>& highlights);

// The main content of the search page: the form with filters, and the results.
std::string RenderSearchMain(const PageContext& ctx, const SearchForm& form,
                             const std::vector<SearchItem>& items,
                             const std::vector<Source>& sources,
                             const std::vector<std::string>& sections, bool has_more);

}  // namespace nd::web
