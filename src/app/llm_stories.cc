#include "app/llm_stories.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>

#include "core/time.h"

namespace nd::app {
namespace {

int CountModelTexts(const std::vector<StoryText>& texts) {
  int n = 0;
  for (const StoryText& t : texts) n += t.writer.rfind("llm:", 0) == 0 ? 1 : 0;
  return n;
}

}  // namespace

std::unique_ptr<write::LlmWriter> MakeLlmWriter(const Config& config, Store& store) {
  if (config.llm.base_url.empty()) return nullptr;
  write::LlmOptions o;
  o.base_url = config.llm.base_url;
  o.model = config.llm.model;
  if (!config.llm.api_key_env.empty()) {
    if (const char* key = std::getenv(config.llm.api_key_env.c_str()); key != nullptr) {
      o.api_key = key;
    }
  }
  o.timeout_s = std::max(1, config.llm.timeout_s);
  o.max_concurrency = std::max(1, config.llm.max_concurrency);
  o.daily_token_budget = config.llm.daily_token_budget;
  // The writer calls the cache from its worker threads; the store takes one at a time.
  auto mu = std::make_shared<std::mutex>();
  write::AnswerCache cache;
  cache.get = [&store, mu](const std::string& key) -> std::optional<std::string> {
    std::lock_guard<std::mutex> lock(*mu);
    auto hit = store.GetCachedAnswer(key);
    if (!hit.ok()) return std::nullopt;  // a cache that cannot be read is a miss
    return *hit;
  };
  cache.put = [&store, mu](const std::string& key, const std::string& value, long long tokens) {
    std::lock_guard<std::mutex> lock(*mu);
    (void)store.PutCachedAnswer(key, value, tokens);  // best effort: the text is written
  };
  return std::make_unique<write::LlmWriter>(std::move(o), std::move(cache));
}

Result<std::size_t> RetryLlmStories(write::LlmWriter& writer, Store& store, int limit) {
  auto recent = store.ListStories({0, limit, ""});
  if (!recent.ok()) return recent.status();
  std::size_t saved = 0;
  for (const Story& listed : *recent) {
    auto loaded = store.GetStory(listed.id);
    if (!loaded.ok()) return loaded.status();
    if (!loaded->has_value()) continue;
    Story story = std::move(**loaded);
    const int before = CountModelTexts(story.texts);
    if (story.texts.empty() || before == static_cast<int>(story.texts.size())) continue;
    auto reports = store.GetArticles(story.article_ids);
    if (!reports.ok()) return reports.status();
    if (reports->empty()) continue;
    // Cites index the story's member order; GetArticles may return another order.
    std::vector<Article> members;
    for (std::int64_t id : story.article_ids) {
      for (Article& a : *reports) {
        if (a.id == id) members.push_back(a);
      }
    }
    std::vector<StoryText> texts = writer.WriteAllLanguages(members);
    if (CountModelTexts(texts) <= before) continue;
    story.texts = std::move(texts);
    story.updated = SystemClock().Now();
    Status st = store.SaveStory(story);
    if (!st.ok()) return st;
    ++saved;
  }
  return saved;
}

}  // namespace nd::app
