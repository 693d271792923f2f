// write: story -> StoryText per language. The extractive writer (the default, no model)
// builds headline, dek, body and timeline from source sentences, each sentence citing its
// report. Simplified and Traditional Chinese texts are converted from each other with
// OpenCC at phrase level.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace nd::write {

struct WriteOptions {
  int dek_max_sentences = 2;
  int body_min_paragraphs = 3;
  int body_max_paragraphs = 6;
  int body_max_words = 450;  // English words; Chinese counted by text::CountWords
};

// Writes the story from its reports (REQUIRES: at least one; cites index into `reports`,
// which the caller orders earliest first) in `lang`, using only reports in that language
// (both Chinese scripts count for each other, converted with OpenCC). When no report is in
// `lang`, writes from the dominant language and sets `untranslated` = true.
StoryText WriteExtractive(const std::vector<Article>& reports, std::string_view lang,
                          const WriteOptions& options = {});

// Texts for every site language: "en", "zh-Hans", "zh-Hant".
std::vector<StoryText> WriteAllLanguages(const std::vector<Article>& reports,
                                         const WriteOptions& options = {});

// What is new in `current` since `previous` (two versions of one story's text in one
// language): the dek and body sentences whose content the previous version did not have
// (compared after folding case, spacing and Chinese script), in reading order, with their
// citations. Empty when nothing is new; every sentence when `previous` is empty.
std::vector<CitedSentence> WhatsNew(const StoryText& current, const StoryText& previous);

// Single-document (or multi-document) extractive summary of about `max_words` words
// (Chinese: text::CountWords units; a target: the last sentence is taken when it brings
// the length nearer to it), sentences in document order, joined by '\n'.
std::string Summarize(const std::vector<std::string>& texts, std::string_view lang, int max_words);

}  // namespace nd::write
