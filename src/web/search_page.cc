#include "web/search_page.h"

#include <charconv>

#include "core/time.h"
#include "web/escape.h"
#include "web/i18n.h"
#include "web/pages.h"

namespace nd::web {
namespace {

// Labels of the filter form, by page language.
struct FilterLabels {
  const char* filters;
  const char* language;
  const char* any_language;
  const char* english;
  const char* chinese;
  const char* simplified;
  const char* traditional;
  const char* from;
  const char* to;
  const char* source;
  const char* any_source;
  const char* section;
  const char* any_section;
  const char* type;
  const char* stories;
  const char* articles;
  const char* all;
  const char* report;
  const char* more;
};

const FilterLabels& LabelsFor(std::string_view lang) {
  static const FilterLabels en = {"Filters",
                                  "Language",
                                  "Any language",
                                  "English",
                                  "Chinese",
                                  "Simplified Chinese",
                                  "Traditional Chinese",
                                  "From",
                                  "To",
                                  "Source",
                                  "Any source",
                                  "Section",
                                  "Any section",
                                  "Search in",
                                  "Stories",
                                  "Source reports",
                                  "Stories and reports",
                                  "Report",
                                  "More results"};
  static const FilterLabels hans = {"筛选",     "语言",           "任何语言", "英文",     "中文",
                                    "简体中文", "繁体中文",       "起始日期", "截止日期", "来源",
                                    "任何来源", "栏目",           "任何栏目", "搜索范围", "报道",
                                    "原始报道", "报道和原始报道", "原始报道", "更多结果"};
  static const FilterLabels hant = {"篩選",     "語言",           "任何語言", "英文",     "中文",
                                    "簡體中文", "繁體中文",       "起始日期", "截止日期", "來源",
                                    "任何來源", "欄目",           "任何欄目", "搜尋範圍", "報導",
                                    "原始報導", "報導和原始報導", "原始報導", "更多結果"};
  if (lang == "zh-Hans") return hans;
  if (lang == "zh-Hant") return hant;
  return en;
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return ParseDateTime(std::string(s) + "T00:00:00Z") != 0;
}

std::string Option(std::string_view value, std::string_view label, std::string_view selected) {
  return "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string LangAttribute(std::string_view content, std::string_view page) {
  if (content.empty() || content == page) return "";
  return " lang=\"" + Escape(content) + "\"";
}

}  // namespace

Result<SearchForm> ParseSearchForm(const std::function<std::string(const std::string&)>& param) {
  SearchForm f;
  f.q = param("q");
  const size_t b = f.q.find_first_not_of(" \t\r\n");
  f.q = b == std::string::npos ? "" : f.q.substr(b, f.q.find_last_not_of(" \t\r\n") - b + 1);
  f.language = param("language");
  if (!f.language.empty() && f.language != "en" && f.language != "zh" && f.language != "zh-Hans" &&
      f.language != "zh-Hant") {
    return Status::InvalidInput("language: \"" + f.language +
                                "\" is not en, zh, zh-Hans or zh-Hant");
  }
  f.from = param("from");
  f.to = param("to");
  for (const auto& [name, value] : {std::pair{"from", f.from}, std::pair{"to", f.to}}) {
    if (!value.empty() && !IsDate(value)) {
      return Status::InvalidInput(std::string(name) + ": \"" + value +
                                  "\" is not a YYYY-MM-DD date");
    }
  }
  const std::string source = param("source");
  if (!source.empty()) {
    auto [p, ec] = std::from_chars(source.data(), source.data() + source.size(), f.source_id);
    if (ec != std::errc() || p != source.data() + source.size() || f.source_id < 0) {
      return Status::InvalidInput("source: \"" + source + "\" is not a source id");
    }
  }
  f.section = param("section");
  const std::string type = param("type");
  if (!type.empty()) {
    if (type != "stories" && type != "articles" && type != "all") {
      return Status::InvalidInput("type: \"" + type + "\" is not stories, articles or all");
    }
    f.type = type;
  }
  const std::string offset = param("offset");
  if (!offset.empty()) {
    auto [p, ec] = std::from_chars(offset.data(), offset.data() + offset.size(), f.offset);
    if (ec != std::errc() || p != offset.data() + offset.size() || f.offset < 0 ||
        f.offset > 10000) {
      return Status::InvalidInput("offset: \"" + offset + "\" is not a number from 0 to 10000");
    }
  }
  return f;
}

SearchOptions SearchOptionsFor(const SearchForm& form, int limit) {
  SearchOptions o;
  o.query = form.q;
  o.limit = limit;
  o.offset = form.offset;
  o.stories = form.type != "articles";
  o.articles = form.type != "stories";
  o.lang = form.language;
  if (!form.from.empty()) o.since = ParseDateTime(form.from + "T00:00:00Z");
  if (!form.to.empty()) o.until = ParseDateTime(form.to + "T00:00:00Z") + 86400;  // inclusive
  o.source_id = form.source_id;
  o.section = form.section;
  return o;
}

std::string SearchFormQuery(const SearchForm& form) {
  std::string s = "q=" + UrlEncode(form.q);
  if (!form.language.empty()) s += "&language=" + UrlEncode(form.language);
  if (!form.from.empty()) s += "&from=" + UrlEncode(form.from);
  if (!form.to.empty()) s += "&to=" + UrlEncode(form.to);
  if (form.source_id != 0) s += "&source=" + std::to_string(form.source_id);
  if (!form.section.empty()) s += "&section=" + UrlEncode(form.section);
  if (form.type != "stories") s += "&type=" + UrlEncode(form.type);
  return s;
}

std::string MarkHighlights(std::string_view snippet,
                           const std::vector<std::pair<int, int>>& highlights) {
  std::string out;
  size_t at = 0;
  for (const auto& [offset, length] : highlights) {
    if (offset < 0 || length <= 0) continue;
    const size_t b = static_cast<size_t>(offset);
    const size_t e = b + static_cast<size_t>(length);
    if (b < at || e > snippet.size()) continue;
    out += Escape(snippet.substr(at, b - at));
    out += "<mark>" + Escape(snippet.substr(b, e - b)) + "</mark>";
    at = e;
  }
  out += Escape(snippet.substr(at));
  return out;
}

std::string RenderSearchMain(const PageContext& ctx, const SearchForm& form,
                             const std::vector<SearchItem>& items,
                             const std::vector<Source>& sources,
                             const std::vector<std::string>& sections, bool has_more) {
  const Strings& s = StringsFor(ctx.lang);
  const FilterLabels& l = LabelsFor(ctx.lang);
  std::string m;
  m += "<h1 class=\"page-title\">" + Escape(s.search) + "</h1>\n";
  m += "<form class=\"search-form\" role=\"search\" action=\"/search\" method=\"get\">\n";
  m += "<label for=\"q\">" + Escape(s.search_label) + "</label>\n";
  m += "<input id=\"q\" name=\"q\" type=\"search\" value=\"" + Escape(form.q) + "\">\n";
  m += "<input type=\"hidden\" name=\"lang\" value=\"" + Escape(ctx.lang) + "\">\n";
  m += "<button type=\"submit\">" + Escape(s.search_button) + "</button>\n";
  m += "<fieldset class=\"search-filters\"><legend>" + Escape(l.filters) + "</legend>\n";
  m += "<label for=\"f-language\">" + Escape(l.language) +
       "</label> <select id=\"f-language\" name=\"language\">" +
       Option("", l.any_language, form.language) + Option("en", l.english, form.language) +
       Option("zh", l.chinese, form.language) + Option("zh-Hans", l.simplified, form.language) +
       Option("zh-Hant", l.traditional, form.language) + "</select>\n";
  m += "<label for=\"f-from\">" + Escape(l.from) +
       "</label> <input id=\"f-from\" name=\"from\" type=\"date\" value=\"" + Escape(form.from) +
       "\">\n";
  m += "<label for=\"f-to\">" + Escape(l.to) +
       "</label> <input id=\"f-to\" name=\"to\" type=\"date\" value=\"" + Escape(form.to) + "\">\n";
  m += "<label for=\"f-source\">" + Escape(l.source) +
       "</label> <select id=\"f-source\" name=\"source\">" +
       Option("", l.any_source, form.source_id == 0 ? "" : std::to_string(form.source_id));
  for (const Source& src : sources) {
    m += Option(std::to_string(src.id), src.title.empty() ? src.url : src.title,
                form.source_id == 0 ? "" : std::to_string(form.source_id));
  }
  m += "</select>\n";
  m += "<label for=\"f-section\">" + Escape(l.section) +
       "</label> <select id=\"f-section\" name=\"section\">" +
       Option("", l.any_section, form.section);
  for (const std::string& sec : sections) {
    m += Option(sec, SectionLabel(ctx.lang, sec), form.section);
  }
  m += "</select>\n";
  m += "<label for=\"f-type\">" + Escape(l.type) + "</label> <select id=\"f-type\" name=\"type\">" +
       Option("stories", l.stories, form.type) + Option("articles", l.articles, form.type) +
       Option("all", l.all, form.type) + "</select>\n";
  m += "</fieldset>\n</form>\n";
  if (form.q.empty()) return m;
  m += "<p class=\"result-count\" role=\"status\">" +
       Escape(ResultsCount(ctx.lang, static_cast<int>(items.size()))) + "</p>\n";
  if (items.empty()) {
    m += "<p>" + Escape(s.no_results) + "</p>\n";
    return m;
  }
  m += "<ol class=\"results\">\n";
  for (const SearchItem& item : items) {
    const SearchHit& hit = item.hit;
    std::string title = hit.title;
    std::string title_lang = hit.lang;
    if (hit.article_id == 0) {
      // A story: its headline in the reader's language where it has one.
      const ShownText shown = PickText(item.story, ctx.lang);
      if (shown.text != nullptr) {
        title = shown.text->headline;
        title_lang = shown.content_lang;
      }
    }
    const std::int64_t story = hit.story_id != 0 ? hit.story_id : item.story.id;
    m += "<li><h2" + LangAttribute(title_lang, ctx.lang) + ">";
    if (story != 0 && !ctx.links.is_static()) {
      m += "<a href=\"" + Escape(ctx.links.Story(story, ctx.lang)) + "\">" + Escape(title) + "</a>";
    } else {
      m += Escape(title);
    }
    m += "</h2>\n";
    if (hit.article_id != 0) {
      m += "<p class=\"result-kind\">" + Escape(l.report) + "</p>\n";
    }
    m += "<p class=\"snippet\"" + LangAttribute(hit.lang, ctx.lang) + ">" +
         MarkHighlights(hit.snippet, hit.highlights) + "</p></li>\n";
  }
  m += "</ol>\n";
  if (has_more) {
    SearchForm next = form;
    next.offset = form.offset + static_cast<int>(items.size());
    m += "<p class=\"more\"><a href=\"/search?lang=" + UrlEncode(ctx.lang) + "&amp;" +
         Escape(SearchFormQuery(next)) + "&amp;offset=" + std::to_string(next.offset) + "\">" +
         Escape(l.more) + "</a></p>\n";
  }
  return m;
}

}  // namespace nd::web
