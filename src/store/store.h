// store: everything newsdesk keeps. The Store interface has one implementation per
// backend: SQLite (embedded default, WAL mode, one file) and, later, PostgreSQL.
// Schema changes are versioned migrations applied by Open(). Writes are idempotent: an
// article already stored (same normalised canonical URL, or same content hash) is not
// stored again, and each write is one transaction, so nothing is half-written.
//
// Thread-safety: a Store object is used by one thread at a time; open one per thread.
// Several processes may open the same SQLite file (WAL, busy timeout).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace nd {

struct SearchHit {
  std::int64_t story_id = 0;
  double score = 0;
  std::string snippet;  // plain text around the match
  // Filled by Search(const SearchOptions&):
  std::int64_t article_id = 0;  // non-zero for a source-article hit (story_id: its story or 0)
  std::string lang;             // language of the matched text
  std::string title;            // headline of the matched text (article title, story headline)
  UnixTime published = 0;       // story first_published / article published
  // The matched words in `snippet`: {byte offset, byte length}, ascending, not overlapping.
  // The snippet is plain text; callers escape it and mark these ranges.
  std::vector<std::pair<int, int>> highlights;
};

// What Search(const SearchOptions&) looks for. Query terms are text::MatchTerms of the
// query (English stemmed, Chinese words plus character bigrams, Traditional folded to
// Simplified), OR-ed and ranked by BM25; an English word found nowhere in the index is
// also searched as its closest indexed spellings (edit distance 1, or 2 from 5 letters).
struct SearchOptions {
  std::string query;
  int limit = 20;
  int offset = 0;
  bool stories = true;    // search story texts (all languages of a story)
  bool articles = false;  // search source articles too (hits with article_id != 0)
  // Filters; empty / 0 for none.
  std::string lang;            // "en", "zh-Hans", "zh-Hant", or "zh" (either script): the
                               // story's language / the article's language
  UnixTime since = 0;          // published at or after
  UnixTime until = 0;          // published before
  std::int64_t source_id = 0;  // articles from this source; stories with a report from it
  std::string section;         // story / article section
};

struct StoryListOptions {
  int offset = 0;
  int limit = 50;
  std::string section;  // filter; empty for all
  // More filters (as in SearchOptions); empty / 0 for none.
  std::string lang{};  // the story's language: "en", "zh-Hans", "zh-Hant", or "zh" (either)
  UnixTime since = 0;  // first_published at or after
  UnixTime until = 0;  // first_published before
};

// One saved version of a story's text in one language.
struct StoryTextVersion {
  int version = 0;  // 1 = first written
  StoryText text;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens (creating and migrating as needed) the store named by `db`: a file path for
  // SQLite or a postgresql:// URL. Errors name `db` and the reason.
  static Result<std::unique_ptr<Store>> Open(const std::string& db);

  virtual int SchemaVersion() = 0;

  // Sources, unique by URL. Returns the id (existing or new); updates title/section/lang,
  // and interval_s when it is given (> 0).
  virtual Result<std::int64_t> UpsertSource(const Source& source) = 0;
  virtual Result<std::vector<Source>> ListSources() = 0;
  // Records poll state: last_fetch, last_error, etag, last_modified, articles_taken, and the
  // schedule: failures, next_poll, access.
  virtual Status UpdateSourceState(const Source& source) = 0;
  // Removes a source (it is no longer polled); the articles taken from it stay.
  // NotFound when there is no such source.
  virtual Status RemoveSource(std::int64_t id) {
    return Status::Unavailable("source " + std::to_string(id) +
                               ": removing sources is not supported by this store");
  }

  // True when an article with this URL (normalised) is stored.
  virtual Result<bool> HasArticleUrl(const std::string& url) = 0;

  struct PutResult {
    std::int64_t id = 0;
    bool inserted = false;  // false: an equal article was already stored (id is its id)
  };
  // Stores a new article in one transaction. Idempotent on normalised canonical URL and on
  // content_hash.
  virtual Result<PutResult> PutArticle(const Article& article) = 0;
  virtual Result<Article> GetArticle(std::int64_t id) = 0;
  virtual Result<std::vector<Article>> GetArticles(const std::vector<std::int64_t>& ids) = 0;
  // Articles not yet clustered (story_id == 0 and duplicate_of == 0), oldest first.
  virtual Result<std::vector<Article>> PendingArticles(int limit) = 0;
  // Marks an article as clustered into `story_id`, or as a duplicate of another article.
  virtual Status AssignArticle(std::int64_t article_id, std::int64_t story_id,
                               std::int64_t duplicate_of) = 0;
  virtual Result<std::int64_t> CountArticles() = 0;
  // How many articles PendingArticles would return with no limit (the processing queue,
  // for /metrics). The default counts what PendingArticles(-1) returns.
  virtual Result<std::int64_t> CountPendingArticles() {
    auto pending = PendingArticles(-1);
    if (!pending.ok()) return pending.status();
    return static_cast<std::int64_t>(pending->size());
  }

  // Creates an empty story row and returns its id.
  virtual Result<std::int64_t> CreateStory() = 0;
  // Writes a story: metadata, member list, texts (a new version when texts change),
  // related ids and the search index. One transaction.
  virtual Status SaveStory(const Story& story) = 0;
  virtual Result<std::optional<Story>> GetStory(std::int64_t id) = 0;
  // Newest first (by first_published, then id).
  virtual Result<std::vector<Story>> ListStories(const StoryListOptions& options) = 0;
  // Stories with a member published at or after `since` (for resuming the clusterer).
  virtual Result<std::vector<Story>> StoriesActiveSince(UnixTime since) = 0;
  virtual Result<std::int64_t> CountStories() = 0;
  // How many stories ListStories(options) lists without paging (offset and limit are
  // ignored). The default counts what ListStories returns.
  virtual Result<std::int64_t> CountListedStories(const StoryListOptions& options) {
    StoryListOptions all = options;
    all.offset = 0;
    all.limit = -1;
    auto stories = ListStories(all);
    if (!stories.ok()) return stories.status();
    return static_cast<std::int64_t>(stories->size());
  }
  // Saved versions of story `id`'s text in `lang`, newest (the current text) first, at most
  // `limit`. Empty when the story has no text in `lang`. A backend that keeps no history
  // returns the current text only (this default).
  virtual Result<std::vector<StoryTextVersion>> StoryTextVersions(std::int64_t id,
                                                                  const std::string& lang,
                                                                  int limit) {
    auto story = GetStory(id);
    if (!story.ok()) return story.status();
    std::vector<StoryTextVersion> out;
    if (!story->has_value() || limit <= 0) return out;
    for (const StoryText& t : (*story)->texts) {
      if (t.lang == lang) out.push_back({(*story)->version, t});
    }
    return out;
  }

  // Full-text search over story texts (all languages, scripts folded). Best first.
  virtual Result<std::vector<SearchHit>> Search(const std::string& query, int limit) = 0;
  // Ranked search over stories and/or articles with filters, snippets with the matched
  // words marked, and spelling fallback for English (see SearchOptions). Best first.
  // The default runs Search(query, limit) over stories without filters, for backends that
  // do not implement it yet.
  virtual Result<std::vector<SearchHit>> Search(const SearchOptions& options) {
    return Search(options.query, options.offset + options.limit);
  }

  // LLM answer cache (write/llm_client.h): the model's answers keyed by a hash of the
  // request, so a story is never paid for twice and a failed run is retried cheaply.
  // `tokens` is what the answer cost. The defaults (backends without the table) answer a
  // miss and keep nothing.
  virtual Result<std::optional<std::string>> GetCachedAnswer(const std::string& key) {
    (void)key;
    return std::optional<std::string>();
  }
  virtual Status PutCachedAnswer(const std::string& key, const std::string& value,
                                 std::int64_t tokens) {
    (void)key, (void)value, (void)tokens;
    return Status::Ok();
  }

  // Leases: time-limited claims through which several worker processes share polling and
  // processing with no other coordinator. A lease whose holder died expires at its end
  // time and is then taken over. `owner` names the holder (e.g. "host:pid:start").
  //
  // Claims a due feed source that is not leased (or whose lease expired), leasing it to
  // `owner` until now + lease_seconds; nullopt when none is due. Due: next_poll <= now; or
  // last_fetch <= due_before for a source never scheduled (next_poll == 0) or on the default
  // interval (interval_s == 0) and not failing (failures == 0), so that a shorter default
  // interval applies at once. Never-scheduled sources come first, then the earliest
  // next_poll. Concurrent callers get different sources.
  virtual Result<std::optional<Source>> LeaseDueSource(const std::string& owner, UnixTime now,
                                                       int lease_seconds, UnixTime due_before) = 0;
  // Ends `owner`'s lease on a source (no-op when it does not hold it).
  virtual Status ReleaseSource(std::int64_t source_id, const std::string& owner) = 0;
  // Takes or renews the named lease: true when `owner` now holds it until now +
  // lease_seconds, false when another owner holds an unexpired one.
  virtual Result<bool> AcquireLease(const std::string& name, const std::string& owner, UnixTime now,
                                    int lease_seconds) = 0;
  virtual Status ReleaseLease(const std::string& name, const std::string& owner) = 0;
  // (story id, article id) for each article assigned to a story (articles.story_id) that
  // the story's saved member list lacks: a processor stopped between assigning and
  // writing. Those stories are to be written again with these members.
  virtual Result<std::vector<std::pair<std::int64_t, std::int64_t>>> UnsavedStoryMembers() = 0;
};

// Copies the archive in `from` (a SQLite file) into `to` (a postgresql:// URL whose
// database holds no articles yet): sources, articles, stories with every text version,
// relations, ids kept; the search index is rebuilt. `progress` receives one line per step.
Status MigrateStore(const std::string& from, const std::string& to,
                    const std::function<void(const std::string&)>& progress);

}  // namespace nd
