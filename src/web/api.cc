#include "web/api.h"

#include <algorithm>

#include "core/json.h"
#include "core/time.h"
#include "core/url.h"
#include "web/escape.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/web.h"

namespace nd::web {
namespace {

using nlohmann::json;

std::string Iso(UnixTime t) {
  const std::string s = FormatIso8601(t);
  return s.empty() ? "1970-01-01T00:00:00Z" : s;
}

std::string Headline(const Story& story, std::string_view lang) {
  const ShownText shown = PickText(story, lang);
  return shown.text != nullptr ? shown.text->headline : std::string();
}

std::string Dek(const Story& story, std::string_view lang) {
  const ShownText shown = PickText(story, lang);
  return shown.text != nullptr ? JoinSentences(shown.text->dek, shown.content_lang) : std::string();
}

UnixTime UpdatedOf(const Story& story) {
  return story.updated != 0 ? story.updated : story.first_published;
}

}  // namespace

json StorySummaryJson(const Story& story, std::string_view lang, const UrlBase& base) {
  return json{{"id", story.id},
              {"headline", Headline(story, lang)},
              {"dek", Dek(story, lang)},
              {"section", story.section},
              {"lang", story.lang},
              {"sources", story.article_ids.size()},
              {"first_published", FormatIso8601(story.first_published)},
              {"updated", FormatIso8601(story.updated)},
              {"url", base.Story(story.id, lang)}};
}

json StoriesJson(const std::vector<Story>& stories, std::string_view lang, int offset, int limit,
                 std::int64_t total, const UrlBase& base) {
  json list = json::array();
  for (const Story& s : stories) list.push_back(StorySummaryJson(s, lang, base));
  return json{{"stories", std::move(list)},
              {"lang", lang},
              {"offset", offset},
              {"limit", limit},
              {"total", total}};
}

json StoryJson(const StoryPageData& data, std::string_view lang, const UrlBase& base) {
  const Story& story = data.story;
  json j{{"id", story.id},
         {"section", story.section},
         {"version", story.version},
         {"lang", lang},
         {"first_published", FormatIso8601(story.first_published)},
         {"updated", FormatIso8601(story.updated)},
         {"url", base.Story(story.id, lang)}};
  auto first = data.articles.find(story.first_article_id);
  if (first != data.articles.end()) {
    j["first_reported_by"] = json{{"outlet", OutletName(first->second, "")},
                                  {"url", IsHttpUrl(first->second.url) ? first->second.url : ""}};
  } else {
    j["first_reported_by"] = nullptr;
  }
  const ShownText shown = PickText(story, lang);
  if (shown.text != nullptr) {
    json text = *shown.text;
    text["untranslated"] = shown.untranslated;
    text["content_lang"] = shown.content_lang;
    j["text"] = std::move(text);
  } else {
    j["text"] = nullptr;
  }
  json sources = json::array();
  for (size_t i = 0; i < story.article_ids.size(); ++i) {
    json src{{"n", i + 1}, {"article_id", story.article_ids[i]}};
    auto it = data.articles.find(story.article_ids[i]);
    if (it != data.articles.end()) {
      const Article& a = it->second;
      src["outlet"] = OutletName(a, "");
      src["title"] = a.title;
      src["url"] = IsHttpUrl(a.url) ? a.url : "";
      src["published"] = FormatIso8601(a.published);
      src["lang"] = a.lang;
    }
    sources.push_back(std::move(src));
  }
  j["sources"] = std::move(sources);
  json related = json::array();
  for (const Story& r : data.related) {
    related.push_back(json{{"id", r.id},
                           {"headline", Headline(r, lang)},
                           {"dek", Dek(r, lang)},
                           {"url", base.Story(r.id, lang)}});
  }
  j["related"] = std::move(related);
  // Versions of the shown text, newest first, and what the current one adds to the one
  // before.
  json versions = json::array();
  if (shown.text != nullptr) {
    auto it = data.versions.find(shown.text->lang);
    if (it != data.versions.end()) {
      for (const StoryTextVersion& v : it->second) {
        versions.push_back(json{{"version", v.version},
                                {"headline", v.text.headline},
                                {"writer", v.text.writer}});
      }
    }
  }
  j["versions"] = std::move(versions);
  json news = json::array();
  for (const CitedSentence& c : WhatsNewInStory(data, lang)) news.push_back(c);
  j["whats_new"] = std::move(news);
  auto link = [&](const Story& s) {
    return json{{"id", s.id},
                {"headline", Headline(s, lang)},
                {"dek", Dek(s, lang)},
                {"url", base.Story(s.id, lang)}};
  };
  if (data.follows.has_value()) j["follows"] = link(*data.follows);
  json follow_ups = json::array();
  for (const Story& f : data.follow_ups) follow_ups.push_back(link(f));
  j["follow_ups"] = std::move(follow_ups);
  return j;
}

json SearchJson(std::string_view query, const std::vector<SearchItem>& items,
                std::string_view lang) {
  json results = json::array();
  for (const SearchItem& item : items) {
    const SearchHit& hit = item.hit;
    // "id" is the story (0 for an article not yet in one); an article hit adds
    // "article_id" and its own title as the headline.
    json r{{"id", hit.article_id != 0 ? hit.story_id : item.story.id},
           {"type", hit.article_id != 0 ? "article" : "story"},
           {"headline", hit.article_id != 0 ? hit.title : Headline(item.story, lang)},
           {"snippet", hit.snippet},
           {"score", hit.score}};
    if (hit.article_id != 0) r["article_id"] = hit.article_id;
    if (!hit.lang.empty()) r["lang"] = hit.lang;
    if (hit.published != 0) r["published"] = FormatIso8601(hit.published);
    json marks = json::array();
    for (const auto& [offset, length] : hit.highlights) marks.push_back({offset, length});
    r["highlights"] = std::move(marks);  // [byte offset, byte length] in snippet
    results.push_back(std::move(r));
  }
  return json{{"query", query}, {"lang", lang}, {"results", std::move(results)}};
}

std::string RenderAtom(const std::vector<Story>& stories, std::string_view lang,
                       std::string_view site_title, const UrlBase& base, std::string_view section) {
  UnixTime newest = 0;
  for (const Story& s : stories) newest = std::max(newest, UpdatedOf(s));
  const std::string tag = "tag:" + base.tag_authority + ",2026:";
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  x += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + Escape(lang) + "\">\n";
  std::string title(site_title);
  if (!section.empty()) title += " · " + SectionLabel(lang, section);
  x += "  <title>" + Escape(title) + "</title>\n";
  x += "  <subtitle>" + Escape(StringsFor(lang).tagline) + "</subtitle>\n";
  x += "  <id>" +
       Escape(tag + "feed:" + std::string(lang) +
              (section.empty() ? std::string() : ":" + std::string(section))) +
       "</id>\n";
  x += "  <updated>" + Iso(newest) + "</updated>\n";
  x += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" +
       Escape(base.origin + base.links.FeedAtom(lang, section)) + "\"/>\n";
  x += "  <link rel=\"alternate\" type=\"text/html\" href=\"" +
       Escape(base.origin + base.links.Home(lang, section)) + "\"/>\n";
  x += "  <author><name>" + Escape(site_title) + "</name></author>\n";
  x += "  <generator>newsdesk</generator>\n";
  for (const Story& s : stories) {
    const ShownText shown = PickText(s, lang);
    if (shown.text == nullptr) continue;
    x += "  <entry>\n";
    x += "    <id>" + Escape(tag + "story:" + std::to_string(s.id)) + "</id>\n";
    x += "    <title>" + Escape(shown.text->headline) + "</title>\n";
    x += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(base.Story(s.id, lang)) +
         "\"/>\n";
    if (s.first_published != 0) {
      x += "    <published>" + Iso(s.first_published) + "</published>\n";
    }
    x += "    <updated>" + Iso(UpdatedOf(s)) + "</updated>\n";
    if (!s.section.empty()) {
      x += "    <category term=\"" + Escape(s.section) + "\" label=\"" +
           Escape(SectionLabel(lang, s.section)) + "\"/>\n";
    }
    x += "    <summary type=\"text\">" +
         Escape(JoinSentences(shown.text->dek, shown.content_lang)) + "</summary>\n";
    x += "  </entry>\n";
  }
  x += "</feed>\n";
  return x;
}

std::string RenderJsonFeed(const std::vector<Story>& stories, std::string_view lang,
                           std::string_view site_title, const UrlBase& base,
                           std::string_view section) {
  json items = json::array();
  for (const Story& s : stories) {
    const ShownText shown = PickText(s, lang);
    if (shown.text == nullptr) continue;
    const std::string dek = JoinSentences(shown.text->dek, shown.content_lang);
    json item{{"id", "tag:" + base.tag_authority + ",2026:story:" + std::to_string(s.id)},
              {"url", base.Story(s.id, lang)},
              {"title", shown.text->headline},
              {"summary", dek},
              {"content_text", dek},
              {"date_published", Iso(s.first_published != 0 ? s.first_published : s.updated)},
              {"date_modified", Iso(UpdatedOf(s))},
              {"language", shown.content_lang}};
    if (!s.section.empty()) item["tags"] = json::array({s.section});
    items.push_back(std::move(item));
  }
  std::string title(site_title);
  if (!section.empty()) title += " · " + SectionLabel(lang, section);
  json feed{{"version", "https://jsonfeed.org/version/1.1"},
            {"title", title},
            {"home_page_url", base.origin + base.links.Home(lang, section)},
            {"feed_url", base.origin + base.links.FeedJson(lang, section)},
            {"language", lang},
            {"items", std::move(items)}};
  return feed.dump(2, ' ', false, json::error_handler_t::replace);
}

Status ApplySourceFields(const json& body, Source* source) {
  if (!body.is_object()) return Status::InvalidInput("request body: not a JSON object");
  Source s = *source;
  for (auto [key, field] : {std::pair<const char*, std::string*>{"title", &s.title},
                            {"kind", &s.kind},
                            {"section", &s.section},
                            {"lang", &s.lang}}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) return Status::InvalidInput(std::string(key) + ": must be a string");
    *field = it->get<std::string>();
  }
  if (s.kind.empty()) s.kind = source->kind.empty() ? "feed" : source->kind;
  if (s.kind != "feed" && s.kind != "page") {
    return Status::InvalidInput("kind: must be feed or page: '" + s.kind.substr(0, 100) + "'");
  }
  if (s.title.size() > 300) return Status::InvalidInput("title: longer than 300 bytes");
  if (s.section.size() > 64) return Status::InvalidInput("section: longer than 64 bytes");
  if (s.lang.size() > 35) return Status::InvalidInput("lang: longer than 35 bytes");
  if (auto it = body.find("interval"); it != body.end() && !it->is_null()) {
    std::int64_t seconds = 0;
    if (it->is_number_integer()) {
      seconds = it->get<std::int64_t>();
    } else if (it->is_string()) {
      auto parsed = ParseDuration(it->get<std::string>());
      if (!parsed.ok()) return Status::InvalidInput("interval: " + parsed.status().message());
      seconds = *parsed;
    } else {
      return Status::InvalidInput("interval: must be a duration (\"15m\") or seconds");
    }
    if (seconds < 10 || seconds > 10LL * 366 * 86400) {
      return Status::InvalidInput("interval: " + std::to_string(seconds) +
                                  " s is out of range (10 s to 10 years)");
    }
    s.interval_s = static_cast<int>(seconds);
  }
  *source = std::move(s);
  return Status::Ok();
}

Result<SourceImport> ImportSources(Store& store, const std::vector<Source>& sources) {
  auto before = store.ListSources();
  if (!before.ok()) return before.status();
  SourceImport result;
  for (Source s : sources) {
    const std::string norm = NormalizeUrl(s.url);
    auto known = std::find_if(before->begin(), before->end(), [&](const Source& k) {
      return k.url == s.url || (!norm.empty() && NormalizeUrl(k.url) == norm);
    });
    if (known != before->end()) {
      // What the list leaves out stays as stored.
      s.url = known->url;
      if (s.title.empty()) s.title = known->title;
      if (s.section.empty()) s.section = known->section;
      if (s.lang.empty()) s.lang = known->lang;
      ++result.updated;
    } else {
      ++result.added;
    }
    auto id = store.UpsertSource(s);
    if (!id.ok()) return id.status();
  }
  return result;
}

}  // namespace nd::web
