#include "app/process.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "app/llm_stories.h"
#include "app/logging.h"
#include "app/progress.h"
#include "app/relate_stories.h"
#include "cluster/cluster.h"
#include "core/metrics.h"
#include "core/time.h"
#include "dedup/dedup.h"
#include "text/text.h"
#include "write/write.h"

namespace nd::app {
namespace {

std::string MostCommon(const std::vector<std::string>& values) {
  std::map<std::string, int> counts;
  for (const std::string& v : values) {
    if (!v.empty()) ++counts[v];
  }
  std::string best;
  int best_n = 0;
  for (const auto& [v, n] : counts) {
    if (n > best_n) best = v, best_n = n;
  }
  return best;
}

}  // namespace

Processor::Processor(const Config& config, Store& store) : config_(config), store_(store) {}

Result<ProcessStats> Processor::Run() {
  ProcessStats stats;
  auto pending = store_.PendingArticles(1'000'000);
  if (!pending.ok()) return pending.status();
  // Members assigned by a processor that stopped before writing their stories.
  auto unsaved = store_.UnsavedStoryMembers();
  if (!unsaved.ok()) return unsaved.status();
  // [llm]: the model writes (falling back to extractive text by itself); recent stories
  // whose texts fell back earlier are tried again first.
  std::unique_ptr<write::LlmWriter> llm = MakeLlmWriter(config_, store_);
  if (llm != nullptr) {
    auto retried = RetryLlmStories(*llm, store_, 20);
    if (!retried.ok()) return retried.status();
    stats.stories_written += *retried;
  }
  if (pending->empty() && unsaved->empty()) {
    if (llm != nullptr) log::Event("llm_summary").Info(llm->Summary());
    return stats;
  }
  auto beat = [this]() { return heartbeat_ ? heartbeat_() : Status::Ok(); };

  cluster::ClusterOptions copts;
  // Merging stories needs the store to redirect a merged story's id (pages, feeds, links);
  // until it can, the daemon keeps bridged stories apart (newsdesk cluster merges them).
  copts.merge_stories = false;
  Status create_error;
  cluster::Clusterer clusterer(copts, [&]() -> std::int64_t {
    auto id = store_.CreateStory();
    if (!id.ok()) {
      create_error = id.status();
      return 0;
    }
    ++stats.stories_created;
    metrics::Count("newsdesk_stories_created_total", "Stories created by clustering.");
    return *id;
  });
  dedup::NearDuplicateIndex near_dups;
  // Wire copies come out within days of each other; an older "copy" is a fingerprint
  // collision (about 2e-7 per pair, so a certainty in a large archive), and matching it
  // would make a story depend on which articles a run happened to load.
  std::unordered_map<std::int64_t, UnixTime> published_of;  // articles in near_dups
  std::unordered_map<std::int64_t, std::int64_t> story_of;  // article -> story

  // Resume: stories active within the window before the first pending article.
  UnixTime since = pending->empty() ? SystemClock().Now()
                                    : pending->front().published -
                                          std::max(copts.window_seconds,
                                                   copts.follow_window_seconds);
  auto active = store_.StoriesActiveSince(since);
  if (!active.ok()) return active.status();
  std::map<std::int64_t, std::vector<std::int64_t>> unsaved_of;
  for (const auto& [story, article] : *unsaved) unsaved_of[story].push_back(article);
  for (const Story& s : *active) {
    std::vector<std::int64_t> member_ids = s.article_ids;
    for (std::int64_t id : unsaved_of[s.id]) member_ids.push_back(id);
    // Stories are held for follow-up links longer than they can be joined; their first
    // and latest reports stand for them well enough, and bound the cost of resuming.
    constexpr std::size_t kSeedFirst = 4, kSeedLast = 24;
    if (member_ids.size() > kSeedFirst + kSeedLast) {
      member_ids.erase(member_ids.begin() + kSeedFirst,
                       member_ids.end() - static_cast<std::ptrdiff_t>(kSeedLast));
    }
    auto members = store_.GetArticles(member_ids);
    if (!members.ok()) return members.status();
    for (const Article& a : *members) {
      story_of[a.id] = s.id;
      if (a.duplicate_of != 0) continue;
      cluster::ClusterDoc doc = cluster::MakeClusterDoc(a);
      clusterer.Seed(s.id, doc);
      near_dups.Add(a.id, dedup::Fingerprint(a.Text()));
      published_of[a.id] = a.published;
    }
  }

  std::set<std::int64_t> changed;
  std::map<std::int64_t, std::vector<std::int64_t>> new_members;
  std::map<std::int64_t, std::int64_t> follows_of;  // new story -> story it follows up
  for (const auto& [story, article] : *unsaved) {
    new_members[story].push_back(article);
    changed.insert(story);
  }
  Progress progress("cluster", pending->size());
  for (const Article& a : *pending) {
    progress.Tick();
    if (Status st = beat(); !st.ok()) return st;
    cluster::ClusterDoc doc = cluster::MakeClusterDoc(a);
    std::uint64_t sh = dedup::Fingerprint(a.Text());
    std::int64_t dup = near_dups.Find(sh);
    std::int64_t story = 0;
    if (dup != 0 && story_of.count(dup) &&
        std::llabs(published_of[dup] - a.published) <= copts.window_seconds) {
      story = story_of[dup];
      ++stats.duplicates;
    } else {
      dup = 0;
      cluster::Assignment as = clusterer.Add(doc);
      if (!create_error.ok()) return create_error;
      story = as.cluster;
      if (as.created && as.follows != 0) follows_of[story] = as.follows;
      near_dups.Add(a.id, sh);
      published_of[a.id] = a.published;
    }
    Status st = store_.AssignArticle(a.id, story, dup);
    if (!st.ok()) return st;
    story_of[a.id] = story;
    new_members[story].push_back(a.id);
    changed.insert(story);
    ++stats.articles;
    metrics::Count("newsdesk_articles_processed_total", "Articles clustered (or marked duplicate).",
                   {{"result", dup != 0 ? "duplicate" : "clustered"}});
  }
  progress.Finish();

  // Write every story that changed.
  Progress writing("write", changed.size());
  for (std::int64_t id : changed) {
    writing.Tick();
    if (Status st = beat(); !st.ok()) return st;
    auto loaded = store_.GetStory(id);
    if (!loaded.ok()) return loaded.status();
    Story story = loaded->value_or(Story{});
    story.id = id;
    // Members: stored ones plus the ones just assigned.
    std::vector<std::int64_t> ids = story.article_ids;
    for (std::int64_t article : new_members[id]) {
      if (std::find(ids.begin(), ids.end(), article) == ids.end()) ids.push_back(article);
    }
    auto reports = store_.GetArticles(ids);
    if (!reports.ok()) return reports.status();
    std::vector<Article> members = std::move(*reports);
    std::sort(members.begin(), members.end(), [](const Article& x, const Article& y) {
      return x.published != y.published ? x.published < y.published : x.id < y.id;
    });
    if (members.empty()) continue;
    story.article_ids.clear();
    std::vector<std::string> langs, sections;
    for (const Article& a : members) {
      story.article_ids.push_back(a.id);
      langs.push_back(a.lang);
      sections.push_back(a.section);
    }
    story.first_published = members.front().published;
    story.first_article_id = members.front().id;
    if (story.follows == 0 && follows_of.count(id)) story.follows = follows_of[id];
    story.lang = MostCommon(langs);
    story.section = MostCommon(sections);
    story.texts = llm != nullptr ? llm->WriteAllLanguages(members) : write::WriteAllLanguages(members);
    story.updated = SystemClock().Now();
    Status st = store_.SaveStory(story);
    if (!st.ok()) return st;
    ++stats.stories_written;
    metrics::Count("newsdesk_stories_written_total", "Story texts written and saved.");
    log::Event("story_written")
        .Story(id)
        .Debug(story.texts.empty() ? std::string() : story.texts[0].headline);
  }
  writing.Finish();
  if (llm != nullptr) log::Event("llm_summary").Info(llm->Summary());

  // Related stories, bounded: the changed stories and their neighbours, over the newest
  // kRelateWindow stories (app/relate_stories.h).
  auto related = UpdateRelatedStories(store_, changed);
  if (!related.ok()) return related.status();
  return stats;
}

}  // namespace nd::app
