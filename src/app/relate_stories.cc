#include "app/relate_stories.h"

#include <unordered_map>
#include <utility>

#include "text/text.h"

namespace nd::app {

relate::RelateDoc StoryRelateDoc(const Story& story, const std::vector<Article>& reports) {
  std::string text;
  for (const StoryText& t : story.texts) {
    if (t.lang != story.lang && !(text::IsChinese(t.lang) && text::IsChinese(story.lang))) {
      continue;
    }
    text += t.headline + "\n";
    for (const CitedSentence& s : t.dek) text += s.text + "\n";
    for (const Paragraph& p : t.body) {
      for (const CitedSentence& s : p.sentences) text += s.text + "\n";
    }
    break;
  }
  for (const Article& a : reports) text += a.title + "\n";
  relate::RelateDoc doc;
  doc.id = story.id;
  doc.time = story.first_published;
  doc.terms = text::MatchTerms(text, story.lang);
  doc.keys = relate::CrossLingualKeys(text, story.lang);
  doc.follows = story.follows;
  return doc;
}

Result<std::size_t> UpdateRelatedStories(Store& store, const std::set<std::int64_t>& changed) {
  if (changed.empty()) return std::size_t{0};
  StoryListOptions window;
  window.limit = kRelateWindow;
  auto newest = store.ListStories(window);
  if (!newest.ok()) return newest.status();
  std::unordered_map<std::int64_t, Story> stories;
  for (Story& s : *newest) stories.emplace(s.id, std::move(s));
  for (std::int64_t id : changed) {
    if (stories.contains(id)) continue;
    auto s = store.GetStory(id);
    if (!s.ok()) return s.status();
    if (s->has_value()) stories.emplace(id, std::move(**s));
  }

  relate::RelatedIndex index;
  for (const auto& [id, s] : stories) {
    auto reports = store.GetArticles(s.article_ids);
    if (!reports.ok()) return reports.status();
    index.Add(StoryRelateDoc(s, *reports));
  }

  // The changed stories, then the ones they list and their follow-up neighbours.
  std::set<std::int64_t> todo;
  for (std::int64_t id : changed) {
    if (!stories.contains(id)) continue;
    todo.insert(id);
    for (std::int64_t r : index.Related(id, kRelatedPerStory)) todo.insert(r);
    const Story& s = stories.at(id);
    if (s.follows != 0 && stories.contains(s.follows)) todo.insert(s.follows);
  }
  std::size_t saved = 0;
  for (std::int64_t id : todo) {
    Story& s = stories.at(id);
    std::vector<std::int64_t> related = index.Related(id, kRelatedPerStory);
    if (related == s.related) continue;
    s.related = std::move(related);
    Status st = store.SaveStory(s);
    if (!st.ok()) return st;
    ++saved;
  }
  return saved;
}

}  // namespace nd::app
