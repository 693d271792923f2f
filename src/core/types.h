// The plain data types the stages exchange: sources, feed items, articles, stories and
// the text written for a story. Stages talk through these, never through each other's
// internals.
//
// Conventions:
//  - Times are Unix seconds UTC (int64_t); 0 means "unknown".
//  - Language tags are "en", "zh-Hans", "zh-Hant", other BCP 47 primary tags ("fr", "de")
//    or "und" when unknown.
//  - All strings are UTF-8.
//  - Ids are assigned by the store; 0 means "not stored yet".
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nd {

using UnixTime = std::int64_t;

// Language tags used everywhere.
inline constexpr const char* kLangEnglish = "en";
inline constexpr const char* kLangHans = "zh-Hans";
inline constexpr const char* kLangHant = "zh-Hant";
inline constexpr const char* kLangUnknown = "und";

// A source an editor follows: a feed, or a single page URL.
struct Source {
  std::int64_t id = 0;
  std::string url;      // feed or page URL (http, https, or file)
  std::string title;    // outlet name as the editor or the feed gives it
  std::string kind;     // "feed" or "page"
  std::string section;  // editor's section key ("world", "business", ...), may be empty
  std::string lang;     // editor's language hint, may be empty
  // Poll state.
  UnixTime last_fetch = 0;
  std::string last_error;  // empty when the last fetch worked
  std::string etag;
  std::string last_modified;
  int articles_taken = 0;
  // Schedule (`newsdesk run`). The editor's poll interval in seconds; 0 = the config's
  // [poll] interval_s. Store::UpsertSource keeps the stored value when given 0.
  int interval_s = 0;
  // Consecutive failed polls (0 after a poll that worked, a 304 included); drives the
  // exponential back-off.
  int failures = 0;
  // When the source is due again (Unix seconds); 0 = due now (never scheduled).
  UnixTime next_poll = 0;
  // What the site's robots.txt / text-and-data-mining reservations said at the last poll:
  // "" not known yet, "allowed", "robots-disallowed" or "tdm-reserved".
  std::string access;
};

// One entry of a parsed feed. `link` is absolute (resolved against the feed URL).
struct FeedItem {
  std::string title;
  std::string link;
  std::string guid;
  UnixTime published = 0;
  std::string summary;  // plain text
  std::string author;
};

// A parsed feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed).
struct Feed {
  std::string format;  // "rss", "atom", "jsonfeed"
  std::string title;
  std::string link;  // the site's home page, absolute
  std::string lang;
  std::vector<FeedItem> items;
};

// One entry of an OPML subscription list.
struct OpmlOutline {
  std::string title;
  std::string xml_url;   // absolute
  std::string html_url;  // absolute, may be empty
  std::string category;  // section, may be empty
};

// A block of an article body, in reading order.
enum class BlockKind { kParagraph, kHeading, kListItem, kQuote, kTableRow };

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string text;  // plain text, whitespace collapsed
};

// One original news report, as extracted from its page.
struct Article {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::string url;            // the URL it was fetched from
  std::string canonical_url;  // <link rel=canonical> / og:url, else url
  std::string site_name;      // outlet: og:site_name, JSON-LD publisher, feed title
  std::string title;
  std::string byline;
  std::string description;  // meta/og description, may be empty
  std::string image;        // lead image URL, may be empty
  UnixTime published = 0;
  UnixTime updated = 0;
  UnixTime fetched = 0;
  std::string lang;  // en, zh-Hans, zh-Hant, ...
  std::string section;
  std::vector<Block> blocks;
  bool paywalled = false;
  // Why `blocks` is empty when it is (extract says, e.g. "no article body found (page has
  // 3 short paragraphs, 80% link text)"); "" when there is a body.
  std::string reason;
  std::string content_hash;  // hex digest of the normalised body text (dedup)
  std::int64_t duplicate_of = 0;  // id of the article this one copies, 0 if none
  std::int64_t story_id = 0;      // 0 until clustered

  // Body text: the blocks joined with '\n'.
  std::string Text() const;
};

// A sentence of generated text and the reports it is taken from.
struct CitedSentence {
  std::string text;
  // Indexes into Story::article_ids / StoryText::sources order (0-based). Empty for
  // connective text that states no fact.
  std::vector<int> cites;
  // Verification verdict: "verified", "extractive" (copied from a source), "unverified".
  std::string verdict = "extractive";
};

struct Paragraph {
  std::vector<CitedSentence> sentences;
};

// A dated event on a story's timeline.
struct TimelineEntry {
  UnixTime when = 0;
  std::string label;  // date as written for the reader, e.g. "Nov 18" / "11月18日"
  std::string text;
  std::vector<int> cites;
};

// What is written for a story in one language.
struct StoryText {
  std::string lang;  // en, zh-Hans, zh-Hant
  std::string headline;
  std::vector<CitedSentence> dek;      // one or two sentences
  std::vector<Paragraph> body;         // 3-6 paragraphs
  std::vector<TimelineEntry> timeline;
  std::vector<Paragraph> analysis;     // may be empty (extractive writer)
  std::string writer;                  // "extractive" or "llm:<model>"
  // True when this text is not in `lang` originally but shown from another language
  // (e.g. an English story shown on a zh-Hans page without a translation).
  bool untranslated = false;
  std::string source_lang;  // language the text was written from
};

// A story: the reports about one event and what newsdesk wrote about it.
struct Story {
  std::int64_t id = 0;
  std::vector<std::int64_t> article_ids;  // member reports, earliest first
  std::string section;
  std::string lang;             // dominant language of its reports
  UnixTime first_published = 0;  // earliest member report
  UnixTime updated = 0;          // last time the text changed
  std::int64_t first_article_id = 0;  // "first reported by"
  std::int64_t follows = 0;           // story this one follows up, 0 if none
  int version = 0;
  std::vector<StoryText> texts;  // one per language written
  std::vector<std::int64_t> related;  // related story ids, best first
};

}  // namespace nd
