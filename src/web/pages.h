// HTML renderers for the reader's pages: front page, story page, search, about and error
// pages. They take data already read from the store and return a whole document. Every
// string that comes from a source goes through Escape(); links from sources go through
// SafeHref(). No script, no inline style. Private to src/web.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "store/store.h"

namespace nd::web {

// How pages link to each other. The server form gives root-relative URLs with ?lang=;
// the static-export form gives relative file paths (index.zh-Hans.html,
// story/12.zh-Hant.html) from a page `prefix` ("" at the root, "../" one level down).
class Links {
 public:
  static Links Server() { return Links(false, ""); }
  static Links Static(std::string prefix) { return Links(true, std::move(prefix)); }

  bool is_static() const { return static_; }
  std::string Home(std::string_view lang, std::string_view section = "", int offset = 0) const;
  std::string Story(std::int64_t id, std::string_view lang) const;
  std::string About(std::string_view lang) const;
  std::string Sources(std::string_view lang) const;
  std::string Search(std::string_view lang) const;  // empty in a static export
  std::string Css() const;
  std::string Favicon() const;
  std::string FeedAtom(std::string_view lang, std::string_view section = "") const;
  std::string FeedJson(std::string_view lang, std::string_view section = "") const;

  // File names used by the static export, relative to the site root.
  static std::string HomeFile(std::string_view lang);
  static std::string StoryFile(std::int64_t id, std::string_view lang);
  static std::string AboutFile(std::string_view lang);
  static std::string SourcesFile(std::string_view lang);
  // section/<key>.<lang>.html; feed/<key>.<lang>.atom|json for a section's feeds.
  static std::string SectionFile(std::string_view section, std::string_view lang);
  static std::string FeedAtomFile(std::string_view lang, std::string_view section = "");
  static std::string FeedJsonFile(std::string_view lang, std::string_view section = "");
  // True when `key` can be a file name in a static export: [A-Za-z0-9_-], 1-64 bytes.
  static bool IsFileSafe(std::string_view key);

 private:
  Links(bool is_static, std::string prefix) : static_(is_static), prefix_(std::move(prefix)) {}
  bool static_;
  std::string prefix_;
};

// What every page needs besides its content.
struct PageContext {
  std::string lang = "en";  // page language: en, zh-Hans, zh-Hant
  std::string site_title = "newsdesk";
  Links links = Links::Server();
  // This same page in another language (the language switch).
  std::function<std::string(std::string_view lang)> self_link;
  std::vector<std::string> sections;  // section keys shown in the nav
  std::string current_section;        // highlighted in the nav, may be empty
};

// The text of a story to show on a page in `lang`.
struct ShownText {
  const StoryText* text = nullptr;  // null when the story has no text at all
  std::string content_lang;         // language the words are actually in
  bool untranslated = false;        // shown in another language than the page's
};
ShownText PickText(const Story& story, std::string_view lang);

// The sentences of `sentences` as plain text, joined with spaces unless `lang` is written
// without them.
std::string JoinSentences(const std::vector<CitedSentence>& sentences, std::string_view lang);

// `snippet` escaped, with the words of `query` wrapped in <mark> (ASCII case-insensitive).
std::string MarkQuery(std::string_view snippet, std::string_view query);

struct StoryPageData {
  Story story;
  std::map<std::int64_t, Article> articles;  // members and first_article_id, by id
  std::vector<Story> related;                // in story.related order, those found
  std::optional<Story> follows;              // the story this one follows up, if found
  std::vector<Story> follow_ups;             // stories that follow this one up, newest first
  // Saved versions of each language's text, newest (the current) first: the page shows
  // what is new since the version before, the API lists them.
  std::map<std::string, std::vector<StoryTextVersion>> versions;
};

// What the current text in `lang` (PickText's) says that the version before did not:
// empty when there is no earlier version.
std::vector<CitedSentence> WhatsNewInStory(const StoryPageData& data, std::string_view lang);

struct SearchItem {
  Story story;
  SearchHit hit;
};

std::string RenderFrontPage(const PageContext& ctx, const std::vector<Story>& stories, int offset,
                            bool has_more);
std::string RenderStoryPage(const PageContext& ctx, const StoryPageData& data);
std::string RenderSearchPage(const PageContext& ctx, std::string_view query,
                             const std::vector<SearchItem>& items);
// The search page around `main_html` (web/search_page.h renders it).
std::string RenderSearchDocument(const PageContext& ctx, std::string_view query,
                                 const std::string& main_html);
std::string RenderAboutPage(const PageContext& ctx);
// The sources newsdesk reads: per source what is taken and its robots.txt / TDM status.
std::string RenderSourcesPage(const PageContext& ctx, const std::vector<Source>& sources);
// A page for an HTTP error status (404, 400, 405, 500...). `detail` is shown escaped.
std::string RenderErrorPage(const PageContext& ctx, int http_status, std::string_view detail);

// Outlet name for a source article: site_name, else the URL's host, else `fallback`.
std::string OutletName(const Article& article, std::string_view fallback);

}  // namespace nd::web
