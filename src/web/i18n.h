// The reader-facing strings of the site in en, zh-Hans and zh-Hant, choosing the page
// language (?lang=, else Accept-Language), and locale-formatted dates (ICU).
// Private to src/web.
//
// Thread-safety: pure functions; the date formatters are cached per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.h"

namespace nd::web {

// All strings one page language needs. Plain UTF-8 text, not yet escaped.
struct Strings {
  const char* lang;       // "en", "zh-Hans", "zh-Hant"
  const char* lang_name;  // "English", "简体中文", "繁體中文"
  const char* tagline;
  const char* skip_to_content;
  const char* language_nav_label;
  const char* sections_nav_label;
  const char* top_stories;
  const char* search;
  const char* search_label;
  const char* search_button;
  const char* about;
  const char* no_stories;
  const char* older_stories;
  const char* first_reported_by;  // followed by the outlet
  const char* updated;            // followed by a time
  const char* published;
  const char* timeline;
  const char* analysis;
  const char* sources;
  const char* related;
  const char* disclaimer;
  const char* disclaimer_sources_link;
  const char* disclaimer_about_link;
  const char* untranslated_note;
  const char* no_results;
  const char* not_found_title;
  const char* not_found_text;
  const char* bad_request_title;
  const char* error_title;
  const char* error_text;
  const char* method_not_allowed;
  const char* back_home;
  const char* feed;
  const char* footer;
  const char* unknown_source;
  const char* about_title;
  const char* about_html;  // trusted, hand-written HTML for the about page
  // Front page, follow-ups and the sources page.
  const char* most_covered;
  const char* latest;
  const char* more_in;  // followed by a section label
  const char* follows_up;
  const char* follow_ups;
  const char* sources_title;
  const char* sources_intro;
  const char* col_source;
  const char* col_section;
  const char* col_taken;
  const char* col_last_fetch;
  const char* col_status;
  const char* status_ok;
  const char* status_robots;
  const char* status_tdm;
  const char* status_error;
  const char* status_never;
  const char* no_sources;
  // Sources page: the schedule of `newsdesk run`.
  const char* col_next_poll;
  const char* consecutive_failures;  // followed by a number
};

// The strings for `lang` (one of the three page languages; anything else gives en).
const Strings& StringsFor(std::string_view lang);

// True for "en", "zh-Hans", "zh-Hant".
bool IsPageLang(std::string_view lang);

// Canonical page language for a ?lang= value ("zh-hans" -> "zh-Hans"); empty when it is
// not one of the three.
std::string CanonicalPageLang(std::string_view value);

// The page language: `query_lang` when it names one, else the best match in an
// Accept-Language header (zh-TW/zh-HK/zh-MO/zh-Hant -> zh-Hant, other zh -> zh-Hans,
// en -> en), else en.
std::string PickLang(std::string_view query_lang, std::string_view accept_language);

// "3 sources" / "3 个来源" / "3 個來源".
std::string SourcesCount(std::string_view lang, int n);
// "3 results" / "3 条结果" / "3 筆結果".
std::string ResultsCount(std::string_view lang, int n);

// A section key ("world") as a reader label in `lang` ("World", "国际", "國際").
std::string SectionLabel(std::string_view lang, std::string_view section);

// Dates in UTC: en "Nov 18, 2026", zh "2026年11月18日"; FormatDateTime adds "09:30 UTC".
// Empty for 0.
std::string FormatDate(std::string_view lang, UnixTime t);
std::string FormatDateTime(std::string_view lang, UnixTime t);

// `n` with the locale's grouping (ICU): en "12,345", zh "12,345".
std::string FormatNumber(std::string_view lang, std::int64_t n);

// True when sentences in this language are written without spaces between them.
bool JoinsWithoutSpaces(std::string_view lang);

}  // namespace nd::web
