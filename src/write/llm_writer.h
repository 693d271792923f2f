// LLM writer: a story's headline, dek, body and analysis written by a model over an
// OpenAI-compatible endpoint (see llm_client.h), every sentence verified against the
// reports (see verify.h) before it is published.
//
// For each language the model gets the reports, numbered, and is asked for JSON
//   {"headline": "...", "dek": [S...], "body": [[S...], ...], "analysis": [S...]}
// with S = {"text": "...", "cites": [report numbers], "paraphrase": false}, in the page's
// language (translating when no report is in it). Every sentence is verified; those that
// fail go back to the model once, with the reason; what fails again is dropped (a
// headline or dek is replaced by the extractive one). Published sentences carry the
// verdict "verified" (passed the checks) or "extractive" (copied from a report); nothing
// unverified is published. Simplified and Traditional Chinese are never asked of the model
// separately: one is written, the other converted with OpenCC (s2twp / tw2sp).
//
// When the endpoint is down, over budget or answers nonsense, the text is the extractive
// writer's (writer "extractive"), and the next processing run tries again.
//
// Thread-safety: an LlmWriter may be used from several threads.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "write/llm_client.h"
#include "write/write.h"

namespace nd::write {

struct LlmWriterOptions {
  WriteOptions extractive;          // for the fallback text and the timeline
  size_t max_report_chars = 6000;   // per report in the prompt
  size_t max_prompt_chars = 24000;  // all reports together
};

// Counters for logs and /metrics.
struct LlmWriterStats {
  long long texts_llm = 0;           // texts published from the model
  long long texts_fallback = 0;      // texts that fell back to the extractive writer
  long long sentences_verified = 0;  // published model sentences
  long long sentences_regenerated = 0;
  long long sentences_rejected = 0;  // failed twice, not published
};

class LlmWriter {
 public:
  LlmWriter(LlmOptions llm, AnswerCache cache, LlmWriterOptions options = {});

  // Texts for "en", "zh-Hans" and "zh-Hant" (REQUIRES: reports non-empty, earliest first;
  // cites index into `reports`). English and Chinese are requested concurrently.
  std::vector<StoryText> WriteAllLanguages(const std::vector<Article>& reports);

  // One language, written by the model ("en", "zh-Hans", "zh-Hant", or another tag).
  StoryText Write(const std::vector<Article>& reports, std::string_view lang);

  LlmWriterStats stats() const;
  LlmStats client_stats() const { return client_.stats(); }
  // "llm: 3 texts, 1 fallback, 24 sentences verified, 2 regenerated, 1 rejected; ..."
  std::string Summary() const;
  // The last error met talking to the model (for logs); empty if none.
  std::string last_error() const;

 private:
  LlmClient client_;
  const LlmWriterOptions options_;
  mutable std::mutex mu_;
  LlmWriterStats stats_;
  std::string last_error_;
};

// Converts a written text to the other Chinese script with OpenCC (headline, dek, body,
// analysis, timeline); verdicts and cites are kept.
StoryText ConvertChineseScript(const StoryText& text, std::string_view target_lang);

}  // namespace nd::write
