#include "web/pages.h"

#include <algorithm>
#include <utility>

#include "core/json.h"
#include "web/escape.h"
#include "web/i18n.h"
#include "write/write.h"

namespace nd::web {
namespace {

constexpr const char* kPageLangs[] = {kLangEnglish, kLangHans, kLangHant};

std::string LangSuffix(std::string_view lang) {
  return lang == kLangEnglish ? std::string() : "." + std::string(lang);
}

// ` lang="xx"` when `content_lang` differs from the page language and is known.
std::string LangAttr(std::string_view content_lang, std::string_view page_lang) {
  if (content_lang.empty() || content_lang == kLangUnknown || content_lang == page_lang) {
    return "";
  }
  return " lang=\"" + Escape(content_lang) + "\"";
}

std::string TimeTag(std::string_view lang, UnixTime t, bool with_time) {
  if (t == 0) return "";
  return "<time datetime=\"" + FormatIso8601(t) + "\">" +
         Escape(with_time ? FormatDateTime(lang, t) : FormatDate(lang, t)) + "</time>";
}

// Citation markers for `cites`; indexes outside the sources list are dropped.
std::string CiteMarks(const std::vector<int>& cites, size_t n_sources) {
  std::string out;
  for (const int c : cites) {
    if (c < 0 || static_cast<size_t>(c) >= n_sources) continue;
    const std::string n = std::to_string(c + 1);
    out += "<sup class=\"cite\"><a href=\"#src-" + n + "\">[" + n + "]</a></sup>";
  }
  return out;
}

// Escaped sentences, each followed by its citation markers.
std::string CitedText(const std::vector<CitedSentence>& sentences, std::string_view lang,
                      size_t n_sources) {
  const bool tight = JoinsWithoutSpaces(lang);
  std::string out;
  for (const CitedSentence& s : sentences) {
    if (!out.empty() && !tight) out += ' ';
    out += Escape(s.text);
    out += CiteMarks(s.cites, n_sources);
  }
  return out;
}

std::string HostOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  const size_t at = url.rfind('@');
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.starts_with('[')) url = url.substr(0, url.find(':'));
  std::string host = AsciiLower(url);
  if (host.starts_with("www.")) host.erase(0, 4);
  return host;
}

std::string PageHead(const PageContext& ctx, std::string_view title, std::string_view description) {
  const Strings& s = StringsFor(ctx.lang);
  std::string full_title(title);
  if (full_title.empty()) {
    full_title = ctx.site_title;
  } else {
    full_title += " · " + ctx.site_title;
  }
  std::string h;
  h += "<!doctype html>\n<html lang=\"" + Escape(ctx.lang) + "\">\n<head>\n";
  h += "<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + Escape(full_title) + "</title>\n";
  if (!description.empty()) {
    h += "<meta name=\"description\" content=\"" + Escape(description) + "\">\n";
  }
  h += "<meta name=\"generator\" content=\"newsdesk\">\n";
  h += "<link rel=\"stylesheet\" href=\"" + Escape(ctx.links.Css()) + "\">\n";
  h += "<link rel=\"icon\" type=\"image/svg+xml\" href=\"" + Escape(ctx.links.Favicon()) + "\">\n";
  h += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"" +
       Escape(ctx.site_title + " (" + s.lang_name + ")") + "\" href=\"" +
       Escape(ctx.links.FeedAtom(ctx.lang)) + "\">\n";
  h += "<link rel=\"alternate\" type=\"application/feed+json\" title=\"" +
       Escape(ctx.site_title + " (" + s.lang_name + ")") + "\" href=\"" +
       Escape(ctx.links.FeedJson(ctx.lang)) + "\">\n";
  if (!ctx.current_section.empty()) {
    const std::string label = ctx.site_title + " · " + SectionLabel(ctx.lang, ctx.current_section);
    h += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"" + Escape(label) +
         "\" href=\"" + Escape(ctx.links.FeedAtom(ctx.lang, ctx.current_section)) + "\">\n";
    h += "<link rel=\"alternate\" type=\"application/feed+json\" title=\"" + Escape(label) +
         "\" href=\"" + Escape(ctx.links.FeedJson(ctx.lang, ctx.current_section)) + "\">\n";
  }
  if (ctx.self_link) {
    for (const char* l : kPageLangs) {
      if (l == ctx.lang) continue;
      h += "<link rel=\"alternate\" hreflang=\"" + std::string(l) + "\" href=\"" +
           Escape(ctx.self_link(l)) + "\">\n";
    }
  }
  h += "</head>\n";
  return h;
}

std::string Masthead(const PageContext& ctx, bool front_page) {
  const Strings& s = StringsFor(ctx.lang);
  std::string h;
  h += "<body>\n<a class=\"skip\" href=\"#main\">" + Escape(s.skip_to_content) + "</a>\n";
  h += "<header class=\"masthead\">\n<div class=\"wrap masthead-top\">\n<div>\n";
  h += "<a class=\"site-title\" href=\"" + Escape(ctx.links.Home(ctx.lang)) + "\">" +
       Escape(ctx.site_title) + "</a>\n";
  h += "<p class=\"tagline\">" + Escape(s.tagline) + "</p>\n</div>\n";
  h += "<nav class=\"lang-switch\" aria-label=\"" + Escape(s.language_nav_label) + "\">";
  bool first = true;
  for (const char* l : kPageLangs) {
    if (!first) h += " | ";
    first = false;
    const std::string href = ctx.self_link ? ctx.self_link(l) : ctx.links.Home(l);
    h += "<a href=\"" + Escape(href) + "\" lang=\"" + l + "\" hreflang=\"" + l + "\"";
    if (ctx.lang == l) h += " aria-current=\"true\"";
    h += ">" + Escape(StringsFor(l).lang_name) + "</a>";
  }
  h += "</nav>\n</div>\n";
  h += "<nav class=\"sections\" aria-label=\"" + Escape(s.sections_nav_label) +
       "\">\n<div class=\"wrap\">\n<ul>\n";
  h += "<li><a href=\"" + Escape(ctx.links.Home(ctx.lang)) + "\"";
  if (front_page && ctx.current_section.empty()) h += " aria-current=\"page\"";
  h += ">" + Escape(s.top_stories) + "</a></li>\n";
  for (const std::string& section : ctx.sections) {
    h += "<li><a href=\"" + Escape(ctx.links.Home(ctx.lang, section)) + "\"";
    if (front_page && ctx.current_section == section) h += " aria-current=\"page\"";
    h += ">" + Escape(SectionLabel(ctx.lang, section)) + "</a></li>\n";
  }
  const std::string search = ctx.links.Search(ctx.lang);
  if (!search.empty()) {
    h += "<li><a href=\"" + Escape(search) + "\">" + Escape(s.search) + "</a></li>\n";
  }
  h += "<li><a href=\"" + Escape(ctx.links.Sources(ctx.lang)) + "\">" + Escape(s.sources_title) +
       "</a></li>\n";
  h += "<li><a href=\"" + Escape(ctx.links.About(ctx.lang)) + "\">" + Escape(s.about) +
       "</a></li>\n";
  h += "</ul>\n</div>\n</nav>\n</header>\n";
  return h;
}

std::string Footer(const PageContext& ctx) {
  const Strings& s = StringsFor(ctx.lang);
  std::string h;
  h += "<footer class=\"site-footer\">\n<div class=\"wrap\">\n";
  h += "<p>" + Escape(s.footer) + "</p>\n";
  h += "<p><a href=\"" + Escape(ctx.links.About(ctx.lang)) + "\">" + Escape(s.about) +
       "</a> · <a href=\"" + Escape(ctx.links.FeedAtom(ctx.lang)) + "\">Atom " + Escape(s.feed) +
       "</a>";
  h +=
      " · <a href=\"" + Escape(ctx.links.FeedJson(ctx.lang)) + "\">JSON " + Escape(s.feed) + "</a>";
  h += " · <a href=\"" + Escape(ctx.links.Sources(ctx.lang)) + "\">" + Escape(s.sources_title) +
       "</a>";
  h += " · " + Escape(ctx.site_title) + "</p>\n";
  h += "</div>\n</footer>\n</body>\n</html>\n";
  return h;
}

std::string Document(const PageContext& ctx, std::string_view title, std::string_view description,
                     std::string_view main_html, bool front_page = false) {
  std::string h = PageHead(ctx, title, description);
  h += Masthead(ctx, front_page);
  h += "<main id=\"main\" class=\"wrap\">\n";
  h += main_html;
  h += "</main>\n";
  h += Footer(ctx);
  return h;
}

}  // namespace

// --- Links -------------------------------------------------------------------------------

std::string Links::Home(std::string_view lang, std::string_view section, int offset) const {
  if (static_) {
    return prefix_ +
           (section.empty() || !IsFileSafe(section) ? HomeFile(lang) : SectionFile(section, lang));
  }
  std::string url = "/?lang=" + UrlEncode(lang);
  if (!section.empty()) url += "&section=" + UrlEncode(section);
  if (offset > 0) url += "&offset=" + std::to_string(offset);
  return url;
}

std::string Links::Story(std::int64_t id, std::string_view lang) const {
  if (static_) return prefix_ + StoryFile(id, lang);
  return "/story/" + std::to_string(id) + "?lang=" + UrlEncode(lang);
}

std::string Links::About(std::string_view lang) const {
  if (static_) return prefix_ + AboutFile(lang);
  return "/about?lang=" + UrlEncode(lang);
}

std::string Links::Sources(std::string_view lang) const {
  if (static_) return prefix_ + SourcesFile(lang);
  return "/sources?lang=" + UrlEncode(lang);
}

std::string Links::Search(std::string_view lang) const {
  if (static_) return "";
  return "/search?lang=" + UrlEncode(lang);
}

std::string Links::Css() const {
  return static_ ? prefix_ + "static/site.css" : "/static/site.css";
}

std::string Links::Favicon() const {
  return static_ ? prefix_ + "static/favicon.svg" : "/static/favicon.svg";
}

std::string Links::FeedAtom(std::string_view lang, std::string_view section) const {
  if (static_) return prefix_ + FeedAtomFile(lang, IsFileSafe(section) ? section : "");
  std::string url = "/feed.atom?lang=" + UrlEncode(lang);
  if (!section.empty()) url += "&section=" + UrlEncode(section);
  return url;
}

std::string Links::FeedJson(std::string_view lang, std::string_view section) const {
  if (static_) return prefix_ + FeedJsonFile(lang, IsFileSafe(section) ? section : "");
  std::string url = "/feed.json?lang=" + UrlEncode(lang);
  if (!section.empty()) url += "&section=" + UrlEncode(section);
  return url;
}

std::string Links::HomeFile(std::string_view lang) { return "index" + LangSuffix(lang) + ".html"; }

std::string Links::StoryFile(std::int64_t id, std::string_view lang) {
  return "story/" + std::to_string(id) + LangSuffix(lang) + ".html";
}

std::string Links::AboutFile(std::string_view lang) { return "about" + LangSuffix(lang) + ".html"; }

std::string Links::SourcesFile(std::string_view lang) {
  return "sources" + LangSuffix(lang) + ".html";
}

std::string Links::SectionFile(std::string_view section, std::string_view lang) {
  return "section/" + std::string(section) + LangSuffix(lang) + ".html";
}

std::string Links::FeedAtomFile(std::string_view lang, std::string_view section) {
  if (!section.empty()) return "feed/" + std::string(section) + LangSuffix(lang) + ".atom";
  return "feed" + LangSuffix(lang) + ".atom";
}

std::string Links::FeedJsonFile(std::string_view lang, std::string_view section) {
  if (!section.empty()) return "feed/" + std::string(section) + LangSuffix(lang) + ".json";
  return "feed" + LangSuffix(lang) + ".json";
}

bool Links::IsFileSafe(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// --- Helpers -----------------------------------------------------------------------------

std::vector<CitedSentence> WhatsNewInStory(const StoryPageData& data, std::string_view lang) {
  const ShownText shown = PickText(data.story, lang);
  if (shown.text == nullptr) return {};
  auto it = data.versions.find(shown.text->lang);
  if (it == data.versions.end() || it->second.size() < 2) return {};
  return write::WhatsNew(it->second[0].text, it->second[1].text);
}

ShownText PickText(const Story& story, std::string_view lang) {
  ShownText shown;
  auto find = [&](std::string_view l) -> const StoryText* {
    for (const StoryText& t : story.texts) {
      if (t.lang == l) return &t;
    }
    return nullptr;
  };
  const StoryText* t = find(lang);
  if (t != nullptr) {
    shown.text = t;
    shown.untranslated = t->untranslated;
    shown.content_lang = t->untranslated && !t->source_lang.empty() ? t->source_lang : t->lang;
    return shown;
  }
  // No text for the page language: the other Chinese script, then English, then any.
  std::vector<std::string_view> order;
  if (lang == kLangHans) order.push_back(kLangHant);
  if (lang == kLangHant) order.push_back(kLangHans);
  order.push_back(kLangEnglish);
  for (std::string_view l : order) {
    if ((t = find(l)) != nullptr) break;
  }
  if (t == nullptr && !story.texts.empty()) t = &story.texts.front();
  if (t == nullptr) return shown;
  shown.text = t;
  shown.untranslated = true;
  shown.content_lang = t->untranslated && !t->source_lang.empty() ? t->source_lang : t->lang;
  return shown;
}

std::string JoinSentences(const std::vector<CitedSentence>& sentences, std::string_view lang) {
  const bool tight = JoinsWithoutSpaces(lang);
  std::string out;
  for (const CitedSentence& s : sentences) {
    if (!out.empty() && !tight) out += ' ';
    out += s.text;
  }
  return out;
}

std::string MarkQuery(std::string_view snippet, std::string_view query) {
  std::vector<std::string> words;
  {
    std::string_view q = query;
    while (!q.empty()) {
      const size_t start = q.find_first_not_of(" \t\r\n\"");
      if (start == std::string_view::npos) break;
      q.remove_prefix(start);
      const size_t end = q.find_first_of(" \t\r\n\"");
      words.push_back(AsciiLower(q.substr(0, end)));
      q = end == std::string_view::npos ? std::string_view() : q.substr(end);
    }
  }
  // Longest words first so "storm" and "storms" mark the longer match.
  std::sort(words.begin(), words.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  const std::string lower = AsciiLower(snippet);
  std::string out;
  size_t plain_start = 0;
  size_t i = 0;
  while (i < lower.size()) {
    size_t match = 0;
    for (const std::string& w : words) {
      if (!w.empty() && lower.compare(i, w.size(), w) == 0) {
        match = w.size();
        break;
      }
    }
    if (match == 0) {
      ++i;
      continue;
    }
    out += Escape(snippet.substr(plain_start, i - plain_start));
    out += "<mark>" + Escape(snippet.substr(i, match)) + "</mark>";
    i += match;
    plain_start = i;
  }
  out += Escape(snippet.substr(plain_start));
  return out;
}

std::string OutletName(const Article& article, std::string_view fallback) {
  if (!article.site_name.empty()) return article.site_name;
  std::string host = HostOf(article.canonical_url.empty() ? article.url : article.canonical_url);
  if (!host.empty()) return host;
  return std::string(fallback);
}

// --- Pages -------------------------------------------------------------------------------

namespace {

// One story in a list: kicker, headline, dek, source count and time.
std::string StoryItem(const PageContext& ctx, const Story& story, std::string_view cls,
                      bool with_dek = true) {
  const ShownText shown = PickText(story, ctx.lang);
  if (shown.text == nullptr) return "";
  const std::string attr = LangAttr(shown.content_lang, ctx.lang);
  std::string m = "<li class=\"" + std::string(cls) + "\">\n";
  if (!story.section.empty()) {
    m += "<p class=\"kicker\">" + Escape(SectionLabel(ctx.lang, story.section)) + "</p>\n";
  }
  m += "<h2 class=\"story-headline\"" + attr + "><a href=\"" +
       Escape(ctx.links.Story(story.id, ctx.lang)) + "\">" + Escape(shown.text->headline) +
       "</a></h2>\n";
  if (with_dek) {
    const std::string dek = JoinSentences(shown.text->dek, shown.content_lang);
    if (!dek.empty()) m += "<p class=\"story-dek\"" + attr + ">" + Escape(dek) + "</p>\n";
  }
  m += "<p class=\"meta\"><span class=\"source-count\">" +
       Escape(SourcesCount(ctx.lang, static_cast<int>(story.article_ids.size()))) + "</span>";
  const UnixTime when = story.first_published != 0 ? story.first_published : story.updated;
  if (when != 0) m += " · " + TimeTag(ctx.lang, when, false);
  m += "</p>\n</li>\n";
  return m;
}

// True when the story has text written (not just shown) in the page language.
bool WrittenIn(const Story& story, std::string_view lang) {
  const ShownText shown = PickText(story, lang);
  return shown.text != nullptr && !shown.untranslated;
}

// The top page: the lead (the most covered recent story written in the page language),
// the most covered list, the latest stories and a block per section.
std::string TopPage(const PageContext& ctx, const std::vector<Story>& stories, bool has_more) {
  const Strings& s = StringsFor(ctx.lang);
  std::vector<const Story*> shown;
  for (const Story& story : stories) {
    if (PickText(story, ctx.lang).text != nullptr) shown.push_back(&story);
  }
  // Most covered: by number of sources, then newest (the input is newest first).
  std::vector<const Story*> covered = shown;
  std::stable_sort(covered.begin(), covered.end(), [](const Story* a, const Story* b) {
    return a->article_ids.size() > b->article_ids.size();
  });
  const Story* lead = nullptr;
  for (const Story* st : covered) {
    if (WrittenIn(*st, ctx.lang)) {
      lead = st;
      break;
    }
  }
  if (lead == nullptr && !covered.empty()) lead = covered.front();

  std::string m;
  m += "<h1 class=\"page-title visually-hidden\">" + Escape(s.top_stories) + "</h1>\n";
  m += "<div class=\"front-top\">\n";
  if (lead != nullptr) {
    m += "<ol class=\"story-list lead-list\">\n" + StoryItem(ctx, *lead, "story-item lead") +
         "</ol>\n";
  }
  m += "<section class=\"most-covered\" aria-labelledby=\"most-covered-title\">\n";
  m += "<h2 id=\"most-covered-title\" class=\"rule-title\">" + Escape(s.most_covered) +
       "</h2>\n<ol>\n";
  int n = 0;
  for (const Story* st : covered) {
    if (st == lead) continue;
    if (++n > 5) break;
    m += StoryItem(ctx, *st, "story-item compact", /*with_dek=*/false);
  }
  m += "</ol>\n</section>\n</div>\n";

  const size_t latest_max = ctx.links.is_static() ? shown.size() : 12;
  m += "<section class=\"latest\" aria-labelledby=\"latest-title\">\n";
  m += "<h2 id=\"latest-title\" class=\"rule-title\">" + Escape(s.latest) + "</h2>\n";
  m += "<ol class=\"story-list\">\n";
  size_t listed = 0;
  for (const Story* st : shown) {
    if (st == lead) continue;
    if (listed == latest_max) break;
    m += StoryItem(ctx, *st, "story-item");
    ++listed;
  }
  m += "</ol>\n";
  if ((has_more || listed < shown.size() - (lead != nullptr ? 1 : 0)) && !ctx.links.is_static()) {
    m += "<p class=\"pager\"><a href=\"" + Escape(ctx.links.Home(ctx.lang, "", 12)) + "\">" +
         Escape(s.older_stories) + " →</a></p>\n";
  }
  m += "</section>\n";

  for (const std::string& section : ctx.sections) {
    std::string items;
    int k = 0;
    for (const Story* st : shown) {
      if (st->section != section) continue;
      if (++k > 3) break;
      items += StoryItem(ctx, *st, "story-item", /*with_dek=*/k == 1);
    }
    if (items.empty()) continue;
    const std::string label = SectionLabel(ctx.lang, section);
    const std::string id = "sec-" + std::to_string(&section - ctx.sections.data());
    m += "<section class=\"section-block\" aria-labelledby=\"" + id + "\">\n";
    m += "<h2 id=\"" + id + "\" class=\"rule-title\"><a href=\"" +
         Escape(ctx.links.Home(ctx.lang, section)) + "\">" + Escape(label) + "</a></h2>\n";
    m += "<ol class=\"story-list\">\n" + items + "</ol>\n";
    m += "<p class=\"more\"><a href=\"" + Escape(ctx.links.Home(ctx.lang, section)) + "\">" +
         Escape(s.more_in) + (ctx.lang == kLangEnglish ? " " : "") + Escape(label) + " →</a></p>\n";
    m += "</section>\n";
  }
  return m;
}

}  // namespace

std::string RenderFrontPage(const PageContext& ctx, const std::vector<Story>& stories, int offset,
                            bool has_more) {
  const Strings& s = StringsFor(ctx.lang);
  const bool top = ctx.current_section.empty() && offset == 0 && !stories.empty();
  if (top) return Document(ctx, "", s.tagline, TopPage(ctx, stories, has_more), true);
  std::string m;
  const std::string title =
      ctx.current_section.empty() ? s.top_stories : SectionLabel(ctx.lang, ctx.current_section);
  m += "<h1 class=\"page-title\">" + Escape(title) + "</h1>\n";
  if (stories.empty()) {
    m += "<p>" + Escape(s.no_stories) + "</p>\n";
  } else {
    m += "<ol class=\"story-list\">\n";
    bool lead = offset == 0;
    for (const Story& story : stories) {
      m += StoryItem(ctx, story, lead ? "story-item lead" : "story-item");
      lead = false;
    }
    m += "</ol>\n";
  }
  if (has_more && !ctx.links.is_static()) {
    m += "<p class=\"pager\"><a href=\"" +
         Escape(ctx.links.Home(ctx.lang, ctx.current_section,
                               offset + static_cast<int>(stories.size()))) +
         "\">" + Escape(s.older_stories) + " →</a></p>\n";
  }
  if (!ctx.current_section.empty()) {
    m += "<p class=\"section-feeds\"><a href=\"" +
         Escape(ctx.links.FeedAtom(ctx.lang, ctx.current_section)) + "\">Atom " + Escape(s.feed) +
         "</a> · <a href=\"" + Escape(ctx.links.FeedJson(ctx.lang, ctx.current_section)) +
         "\">JSON " + Escape(s.feed) + "</a></p>\n";
  }
  return Document(ctx, ctx.current_section.empty() ? "" : title, s.tagline, m, true);
}

std::string RenderSourcesPage(const PageContext& ctx, const std::vector<Source>& sources) {
  const Strings& s = StringsFor(ctx.lang);
  std::string m;
  m += "<h1 class=\"page-title\">" + Escape(s.sources_title) + "</h1>\n";
  m += "<p class=\"intro\">" + Escape(s.sources_intro) + "</p>\n";
  if (sources.empty()) {
    m += "<p>" + Escape(s.no_sources) + "</p>\n";
    return Document(ctx, s.sources_title, s.sources_intro, m);
  }
  m += "<div class=\"table-wrap\">\n<table class=\"sources-table\">\n<thead><tr>";
  for (const char* col :
       {s.col_source, s.col_section, s.col_taken, s.col_last_fetch, s.col_next_poll,
        s.col_status}) {
    m += "<th scope=\"col\">" + Escape(col) + "</th>";
  }
  m += "</tr></thead>\n<tbody>\n";
  for (const Source& src : sources) {
    const std::string name = src.title.empty() ? HostOf(src.url) : src.title;
    m += "<tr><th scope=\"row\">";
    if (IsHttpUrl(src.url)) {
      m += "<a href=\"" + SafeHref(src.url) + "\" rel=\"nofollow noopener\">" + Escape(name) +
           "</a>";
    } else {
      m += Escape(name);
    }
    m += "</th><td>" + Escape(src.section.empty() ? "" : SectionLabel(ctx.lang, src.section)) +
         "</td><td class=\"num\">" + Escape(FormatNumber(ctx.lang, src.articles_taken)) +
         "</td><td>" + TimeTag(ctx.lang, src.last_fetch, true) + "</td><td class=\"next-poll\">" +
         TimeTag(ctx.lang, src.next_poll, true) + "</td><td>";
    // Source::access says what robots.txt / TDM said; sources last polled before it was
    // recorded have only their error text.
    const std::string err = AsciiLower(src.last_error);
    std::string status;
    std::string cls = "status-ok";
    if (src.access == "robots-disallowed" ||
        (src.access.empty() && err.find("robots") != std::string::npos)) {
      status = s.status_robots;
      cls = "status-refused";
    } else if (src.access == "tdm-reserved" ||
               (src.access.empty() && err.find("tdm") != std::string::npos)) {
      status = s.status_tdm;
      cls = "status-refused";
    } else if (!src.last_error.empty()) {
      status = s.status_error;
      cls = "status-error";
    } else if (src.last_fetch != 0) {
      status = s.status_ok;
    } else {
      status = s.status_never;
      cls = "status-never";
    }
    m += "<span class=\"" + cls + "\">" + Escape(status) + "</span>";
    if (!src.last_error.empty()) {
      m += "<br><small>" + Escape(src.last_error) + "</small>";
    }
    if (src.failures > 0) {
      m += "<br><small class=\"failures\">" + Escape(s.consecutive_failures) +
           Escape(FormatNumber(ctx.lang, src.failures)) + "</small>";
    }
    m += "</td></tr>\n";
  }
  m += "</tbody>\n</table>\n</div>\n";
  return Document(ctx, s.sources_title, s.sources_intro, m);
}

std::string RenderStoryPage(const PageContext& ctx, const StoryPageData& data) {
  const Strings& s = StringsFor(ctx.lang);
  const Story& story = data.story;
  const ShownText shown = PickText(story, ctx.lang);
  static const StoryText kEmpty;
  const StoryText& text = shown.text != nullptr ? *shown.text : kEmpty;
  const std::string attr = LangAttr(shown.content_lang, ctx.lang);
  const size_t n_sources = story.article_ids.size();
  auto article_for = [&](std::int64_t id) -> const Article* {
    auto it = data.articles.find(id);
    return it == data.articles.end() ? nullptr : &it->second;
  };

  std::string m;
  m += "<article class=\"story\">\n<header>\n";
  if (!story.section.empty()) {
    m += "<p class=\"kicker\">";
    if (!ctx.links.is_static() || Links::IsFileSafe(story.section)) {
      m += "<a href=\"" + Escape(ctx.links.Home(ctx.lang, story.section)) + "\">" +
           Escape(SectionLabel(ctx.lang, story.section)) + "</a>";
    } else {
      m += Escape(SectionLabel(ctx.lang, story.section));
    }
    m += "</p>\n";
  }
  m += "<h1 class=\"headline\"" + attr + ">" + Escape(text.headline) + "</h1>\n";
  if (!text.dek.empty()) {
    m += "<p class=\"dek\"" + attr + ">" + CitedText(text.dek, shown.content_lang, n_sources) +
         "</p>\n";
  }
  m += "<p class=\"byline\">";
  bool any_byline = false;
  if (const Article* first = article_for(story.first_article_id)) {
    const std::string outlet = OutletName(*first, s.unknown_source);
    m += "<span class=\"first-reported\">" + Escape(s.first_reported_by) +
         (ctx.lang == kLangEnglish ? " " : "");
    if (IsHttpUrl(first->url)) {
      m += "<a href=\"" + SafeHref(first->url) + "\" rel=\"nofollow noopener\">" + Escape(outlet) +
           "</a>";
    } else {
      m += Escape(outlet);
    }
    m += "</span>";
    any_byline = true;
  }
  if (story.first_published != 0) {
    m += "<span class=\"published\">" + Escape(s.published) + " " +
         TimeTag(ctx.lang, story.first_published, false) + "</span>";
    any_byline = true;
  }
  if (story.updated != 0) {
    m += "<span class=\"updated\">" + Escape(s.updated) + " " +
         TimeTag(ctx.lang, story.updated, true) + "</span>";
    any_byline = true;
  }
  if (!any_byline) m += Escape(SourcesCount(ctx.lang, static_cast<int>(n_sources)));
  m += "</p>\n</header>\n";
  if (shown.untranslated) {
    m += "<p class=\"note untranslated\">" + Escape(s.untranslated_note) + "</p>\n";
  }
  if (data.follows.has_value()) {
    const ShownText fs = PickText(*data.follows, ctx.lang);
    if (fs.text != nullptr) {
      m += "<p class=\"follows\">" + Escape(s.follows_up) + (ctx.lang == kLangEnglish ? " " : "") +
           "<a href=\"" + Escape(ctx.links.Story(data.follows->id, ctx.lang)) + "\"" +
           LangAttr(fs.content_lang, ctx.lang) + ">" + Escape(fs.text->headline) + "</a></p>\n";
    }
  }

  // What is new since the previous version of this text (the first few; the API has all).
  constexpr size_t kMaxWhatsNew = 5;
  const std::vector<CitedSentence> news = WhatsNewInStory(data, ctx.lang);
  if (!news.empty()) {
    const bool hant = ctx.lang == kLangHant, hans = ctx.lang == kLangHans;
    const std::string title = hant ? "最新進展" : hans ? "最新进展" : "What’s new";
    const int version = data.versions.at(text.lang).front().version;
    const std::string since = hant   ? "自上一版（第" + std::to_string(version - 1) + "版）以來"
                              : hans ? "自上一版（第" + std::to_string(version - 1) + "版）以来"
                                     : "Since version " + std::to_string(version - 1);
    m += "<aside class=\"whats-new\" aria-labelledby=\"whats-new-title\">\n";
    m += "<h2 id=\"whats-new-title\">" + Escape(title) + "</h2>\n";
    m += "<p class=\"since\">" + Escape(since);
    if (story.updated != 0) m += " · " + TimeTag(ctx.lang, story.updated, true);
    m += "</p>\n<ul" + attr + ">\n";
    for (size_t i = 0; i < news.size() && i < kMaxWhatsNew; ++i) {
      m += "<li>" + CitedText({news[i]}, shown.content_lang, n_sources) + "</li>\n";
    }
    m += "</ul>\n</aside>\n";
  }

  m += "<div class=\"story-body\"" + attr + ">\n";
  for (const Paragraph& p : text.body) {
    if (p.sentences.empty()) continue;
    m += "<p>" + CitedText(p.sentences, shown.content_lang, n_sources) + "</p>\n";
  }
  m += "</div>\n";

  if (!text.timeline.empty()) {
    m += "<section class=\"timeline\" aria-labelledby=\"timeline-title\">\n";
    m += "<h2 id=\"timeline-title\">" + Escape(s.timeline) + "</h2>\n<ol" + attr + ">\n";
    for (const TimelineEntry& e : text.timeline) {
      std::string label = e.label.empty() ? FormatDate(ctx.lang, e.when) : e.label;
      m += "<li>";
      if (!label.empty()) {
        if (e.when != 0) {
          m += "<time class=\"when\" datetime=\"" + FormatIso8601(e.when) + "\">" + Escape(label) +
               "</time> ";
        } else {
          m += "<span class=\"when\">" + Escape(label) + "</span> ";
        }
      }
      m += Escape(e.text) + CiteMarks(e.cites, n_sources) + "</li>\n";
    }
    m += "</ol>\n</section>\n";
  }

  bool has_analysis = false;
  for (const Paragraph& p : text.analysis) has_analysis |= !p.sentences.empty();
  if (has_analysis) {
    m += "<section class=\"analysis\" aria-labelledby=\"analysis-title\">\n";
    m += "<h2 id=\"analysis-title\">" + Escape(s.analysis) + "</h2>\n";
    for (const Paragraph& p : text.analysis) {
      if (p.sentences.empty()) continue;
      m += "<p" + attr + ">" + CitedText(p.sentences, shown.content_lang, n_sources) + "</p>\n";
    }
    m += "</section>\n";
  }

  m += "<section id=\"sources\" class=\"sources\" aria-labelledby=\"sources-title\">\n";
  m += "<h2 id=\"sources-title\">" + Escape(s.sources) + "</h2>\n<ol>\n";
  for (size_t i = 0; i < n_sources; ++i) {
    m += "<li id=\"src-" + std::to_string(i + 1) + "\">";
    const Article* a = article_for(story.article_ids[i]);
    if (a == nullptr) {
      m += "<span class=\"outlet\">" + Escape(s.unknown_source) + "</span></li>\n";
      continue;
    }
    m += "<span class=\"outlet\">" + Escape(OutletName(*a, s.unknown_source)) + "</span> ";
    const std::string title = a->title.empty() ? a->url : a->title;
    m += "<a href=\"" + SafeHref(a->url) + "\" rel=\"nofollow noopener\"" +
         LangAttr(a->lang, ctx.lang) + ">" + Escape(title) + "</a>";
    if (a->published != 0) m += " " + TimeTag(ctx.lang, a->published, false);
    m += "</li>\n";
  }
  m += "</ol>\n</section>\n";

  m += "<aside class=\"disclaimer\" lang=\"" + Escape(ctx.lang) + "\">\n";
  m += "<p>" + Escape(s.disclaimer) + "</p>\n";
  m += "<p><a href=\"#sources\">" + Escape(s.disclaimer_sources_link) + "</a> · <a href=\"" +
       Escape(ctx.links.About(ctx.lang)) + "\">" + Escape(s.disclaimer_about_link) +
       "</a></p>\n</aside>\n";

  if (!data.follow_ups.empty()) {
    m += "<section class=\"follow-ups\" aria-labelledby=\"follow-ups-title\">\n";
    m += "<h2 id=\"follow-ups-title\">" + Escape(s.follow_ups) + "</h2>\n<ul>\n";
    for (const Story& f : data.follow_ups) {
      const ShownText fs = PickText(f, ctx.lang);
      if (fs.text == nullptr) continue;
      m += "<li><a href=\"" + Escape(ctx.links.Story(f.id, ctx.lang)) + "\"" +
           LangAttr(fs.content_lang, ctx.lang) + ">" + Escape(fs.text->headline) + "</a> " +
           TimeTag(ctx.lang, f.first_published, false) + "</li>\n";
    }
    m += "</ul>\n</section>\n";
  }

  if (!data.related.empty()) {
    m += "<section class=\"related\" aria-labelledby=\"related-title\">\n";
    m += "<h2 id=\"related-title\">" + Escape(s.related) + "</h2>\n<ul>\n";
    for (const Story& r : data.related) {
      const ShownText rs = PickText(r, ctx.lang);
      if (rs.text == nullptr) continue;
      const std::string rattr = LangAttr(rs.content_lang, ctx.lang);
      m += "<li><a href=\"" + Escape(ctx.links.Story(r.id, ctx.lang)) + "\"" + rattr + ">" +
           Escape(rs.text->headline) + "</a>";
      const std::string dek = JoinSentences(rs.text->dek, rs.content_lang);
      m += "<p" + rattr + ">" + Escape(dek) + "</p></li>\n";
    }
    m += "</ul>\n</section>\n";
  }
  m += "</article>\n";
  return Document(ctx, text.headline, JoinSentences(text.dek, shown.content_lang), m);
}

std::string RenderSearchPage(const PageContext& ctx, std::string_view query,
                             const std::vector<SearchItem>& items) {
  const Strings& s = StringsFor(ctx.lang);
  std::string m;
  m += "<h1 class=\"page-title\">" + Escape(s.search) + "</h1>\n";
  m += "<form class=\"search-form\" role=\"search\" action=\"/search\" method=\"get\">\n";
  m += "<label for=\"q\">" + Escape(s.search_label) + "</label>\n";
  m += "<input id=\"q\" name=\"q\" type=\"search\" value=\"" + Escape(query) + "\">\n";
  m += "<input type=\"hidden\" name=\"lang\" value=\"" + Escape(ctx.lang) + "\">\n";
  m += "<button type=\"submit\">" + Escape(s.search_button) + "</button>\n</form>\n";
  if (!query.empty()) {
    m += "<p class=\"result-count\" role=\"status\">" +
         Escape(ResultsCount(ctx.lang, static_cast<int>(items.size()))) + "</p>\n";
    if (items.empty()) {
      m += "<p>" + Escape(s.no_results) + "</p>\n";
    } else {
      m += "<ol class=\"results\">\n";
      for (const SearchItem& item : items) {
        const ShownText shown = PickText(item.story, ctx.lang);
        if (shown.text == nullptr) continue;
        const std::string attr = LangAttr(shown.content_lang, ctx.lang);
        m += "<li><h2" + attr + "><a href=\"" + Escape(ctx.links.Story(item.story.id, ctx.lang)) +
             "\">" + Escape(shown.text->headline) + "</a></h2>\n";
        m += "<p class=\"snippet\">" + MarkQuery(item.hit.snippet, query) + "</p></li>\n";
      }
      m += "</ol>\n";
    }
  }
  return Document(ctx, query.empty() ? std::string(s.search) : std::string(query), "", m);
}

std::string RenderSearchDocument(const PageContext& ctx, std::string_view query,
                                 const std::string& main_html) {
  const Strings& s = StringsFor(ctx.lang);
  return Document(ctx, query.empty() ? std::string(s.search) : std::string(query), "", main_html);
}

std::string RenderAboutPage(const PageContext& ctx) {
  const Strings& s = StringsFor(ctx.lang);
  std::string m = "<div class=\"prose\">\n<h1 class=\"page-title\">" + Escape(s.about_title) +
                  "</h1>\n" + s.about_html + "\n</div>\n";
  return Document(ctx, s.about_title, s.tagline, m);
}

std::string RenderErrorPage(const PageContext& ctx, int http_status, std::string_view detail) {
  const Strings& s = StringsFor(ctx.lang);
  std::string title;
  std::string text;
  if (http_status == 404) {
    title = s.not_found_title;
    text = s.not_found_text;
  } else if (http_status == 400) {
    title = s.bad_request_title;
    text = std::string(detail);
  } else if (http_status == 405) {
    title = std::to_string(http_status);
    text = s.method_not_allowed;
  } else {
    title = s.error_title;
    text = s.error_text;
  }
  std::string m = "<div class=\"prose\">\n<h1 class=\"page-title\">" + Escape(title) +
                  "</h1>\n<p>" + Escape(text) + "</p>\n<p><a href=\"" +
                  Escape(ctx.links.Home(ctx.lang)) + "\">" + Escape(s.back_home) +
                  "</a></p>\n</div>\n";
  return Document(ctx, title, "", m);
}

}  // namespace nd::web
