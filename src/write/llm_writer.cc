#include "write/llm_writer.h"

#include <algorithm>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/json.h"
#include "core/metrics.h"
#include "text/text.h"
#include "write/verify.h"

namespace nd::write {
namespace {

using json = nlohmann::json;

std::string LanguageName(std::string_view lang) {
  if (lang == kLangEnglish) return "English";
  if (lang == kLangHans) return "Simplified Chinese (zh-Hans, mainland usage)";
  if (lang == kLangHant) return "Traditional Chinese (zh-Hant, Taiwan usage)";
  return std::string(lang);
}

std::string ReportLang(const Article& a) {
  if (!a.lang.empty() && a.lang != kLangUnknown) return a.lang;
  std::string sample = a.title + "\n" + a.Text();
  if (sample.size() > 4000) sample.resize(4000);
  return text::DetectLanguage(sample);
}

bool SameFamily(std::string_view a, std::string_view b) {
  if (text::IsChinese(a) && text::IsChinese(b)) return true;
  return a.substr(0, a.find('-')) == b.substr(0, b.find('-'));
}

// Cuts `s` to at most `max_bytes` at a line end (or a UTF-8 boundary).
std::string Cut(const std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = s.rfind('\n', max_bytes);
  if (end == std::string::npos || end < max_bytes / 2) {
    end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  }
  return s.substr(0, end);
}

const char* kSystemPrompt =
    "You are the editor of a careful news desk. From the numbered source reports only, you "
    "write one short, neutral news article about the event they report.\n"
    "Rules:\n"
    "- State only facts the reports state. Every number, amount, date, and name of a person, "
    "organisation or place must appear in the reports. Do not guess, round up, or add "
    "background the reports do not give.\n"
    "- Quotation marks only around words that appear verbatim in a report. Otherwise "
    "paraphrase without quotation marks and set \"paraphrase\": true.\n"
    "- Write names as the reports write them. When you write a name in another language or "
    "script than the report, follow it with the report's form in parentheses, e.g. "
    "\"Wang Wei (王伟)\" or \"微软（Microsoft）\".\n"
    "- Cite every sentence with the numbers of the reports it comes from.\n"
    "- Headline: informative, plain, no outlet names, no clickbait, no question.\n"
    "- Dek: one or two sentences: what happened and why it matters.\n"
    "- Body: 3 to 6 short paragraphs: what happened, the timeline that led here, "
    "background.\n"
    "- Analysis: one paragraph: what it means and what to watch, grounded in the reports.\n"
    "Answer with one JSON object and nothing else:\n"
    "{\"headline\": \"...\", \"dek\": [S, ...], \"body\": [[S, ...], ...], "
    "\"analysis\": [S, ...]}\n"
    "where S is {\"text\": \"one sentence\", \"cites\": [1, 2], \"paraphrase\": false}.";

std::vector<ChatMessage> BuildPrompt(const std::vector<Article>& reports, std::string_view lang,
                                     const LlmWriterOptions& options) {
  std::string user = "Write the article in " + LanguageName(lang) + ".\n\nReports:\n";
  size_t per_report = options.max_report_chars;
  if (!reports.empty()) {
    per_report = std::min(per_report, options.max_prompt_chars / reports.size());
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    const Article& a = reports[i];
    user += "\n[" + std::to_string(i + 1) + "] ";
    if (!a.site_name.empty()) user += a.site_name + " — ";
    user += a.title;
    user += " (language " + ReportLang(a);
    if (a.published != 0) user += ", published " + FormatIso8601(a.published);
    user += ")\n";
    std::string body;
    for (const Block& b : a.blocks) {
      if (b.text.empty()) continue;
      body += b.text;
      body += '\n';
    }
    user += Cut(body, per_report);
  }
  return {{"system", kSystemPrompt}, {"user", user}};
}

// A sentence the model wrote, before verification.
struct Draft {
  std::string id;  // "h", "d1", "b2.3", "a1"
  SentenceRole role = SentenceRole::kBody;
  int paragraph = 0;
  CitedSentence sentence;
  bool paraphrase = false;
  bool ok = false;
  std::string reason;
};

std::vector<int> ParseCites(const json& j, size_t n) {
  std::vector<int> out;
  auto add = [&](long long c) {
    if (c >= 1 && static_cast<size_t>(c) <= n) out.push_back(static_cast<int>(c - 1));
  };
  auto one = [&](const json& v) {
    if (v.is_number_integer()) {
      add(v.get<long long>());
    } else if (v.is_string()) {
      std::string s = v.get<std::string>();
      long long c = 0;
      bool digits = false;
      for (char ch : s) {
        if (ch >= '0' && ch <= '9') {
          c = c * 10 + (ch - '0');
          digits = true;
        } else if (digits) {
          add(c);
          c = 0;
          digits = false;
        }
      }
      if (digits) add(c);
    }
  };
  if (j.is_array()) {
    for (const json& v : j) one(v);
  } else {
    one(j);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A sentence object, or a bare string.
bool ParseSentence(const json& j, size_t n, CitedSentence* out, bool* paraphrase) {
  *paraphrase = false;
  if (j.is_string()) {
    out->text = j.get<std::string>();
    return !out->text.empty();
  }
  if (!j.is_object()) return false;
  for (const char* key : {"text", "sentence"}) {
    if (j.contains(key) && j[key].is_string()) out->text = j[key].get<std::string>();
  }
  for (const char* key : {"cites", "citations", "sources"}) {
    if (j.contains(key)) out->cites = ParseCites(j[key], n);
  }
  if (j.contains("paraphrase") && j["paraphrase"].is_boolean()) {
    *paraphrase = j["paraphrase"].get<bool>();
  }
  return !out->text.empty();
}

void AddSentences(const json& j, SentenceRole role, const std::string& prefix, int paragraph,
                  size_t n, std::vector<Draft>* drafts) {
  if (j.is_string() || j.is_object()) {
    // A paragraph given as one string or one sentence object.
    Draft d;
    d.role = role;
    d.paragraph = paragraph;
    if (j.is_object() && j.contains("sentences")) {
      AddSentences(j["sentences"], role, prefix, paragraph, n, drafts);
      return;
    }
    if (ParseSentence(j, n, &d.sentence, &d.paraphrase)) {
      d.id = prefix + std::to_string(drafts->size() + 1);
      drafts->push_back(std::move(d));
    }
    return;
  }
  if (!j.is_array()) return;
  int k = 0;
  for (const json& s : j) {
    Draft d;
    d.role = role;
    d.paragraph = paragraph;
    if (!ParseSentence(s, n, &d.sentence, &d.paraphrase)) continue;
    d.id = prefix + std::to_string(++k);
    drafts->push_back(std::move(d));
  }
}

// Reads the model's article; false when it is not one.
bool ParseArticle(const std::string& answer, size_t n, std::vector<Draft>* drafts) {
  std::string object = ExtractJsonObject(answer);
  if (object.empty()) return false;
  json j = json::parse(object, nullptr, false);
  if (!j.is_object()) return false;
  if (j.contains("headline") && j["headline"].is_string()) {
    Draft h;
    h.id = "h";
    h.role = SentenceRole::kHeadline;
    h.sentence.text = j["headline"].get<std::string>();
    if (!h.sentence.text.empty()) drafts->push_back(std::move(h));
  }
  if (j.contains("dek")) {
    std::vector<Draft> dek;
    AddSentences(j["dek"], SentenceRole::kDek, "d", 0, n, &dek);
    for (Draft& d : dek) drafts->push_back(std::move(d));
  }
  if (j.contains("body") && j["body"].is_array()) {
    int p = 0;
    for (const json& para : j["body"]) {
      ++p;
      std::vector<Draft> sentences;
      if (para.is_array()) {
        AddSentences(para, SentenceRole::kBody, "b" + std::to_string(p) + ".", p, n, &sentences);
      } else if (para.is_object() && para.contains("sentences")) {
        AddSentences(para["sentences"], SentenceRole::kBody, "b" + std::to_string(p) + ".", p, n,
                     &sentences);
      } else {
        json one = json::array({para});
        AddSentences(one, SentenceRole::kBody, "b" + std::to_string(p) + ".", p, n, &sentences);
      }
      for (Draft& d : sentences) drafts->push_back(std::move(d));
    }
  }
  if (j.contains("analysis")) {
    std::vector<Draft> analysis;
    AddSentences(j["analysis"], SentenceRole::kAnalysis, "a", 0, n, &analysis);
    for (Draft& d : analysis) drafts->push_back(std::move(d));
  }
  bool has_body = false;
  for (const Draft& d : *drafts) has_body |= d.role == SentenceRole::kBody;
  return has_body;
}

bool HoldsJsonObject(const std::string& answer) { return !ExtractJsonObject(answer).empty(); }

void Check(Draft* d, std::string_view lang, const Evidence& evidence) {
  Verdict v = VerifySentence(d->sentence, d->paraphrase, d->role, lang, evidence);
  d->ok = v.ok;
  d->reason = v.reason;
  if (v.ok) {
    d->sentence.text = v.text;
    d->sentence.cites = v.cites;
    d->sentence.verdict = "verified";
  } else {
    d->sentence.verdict = "rejected";
    metrics::Count("newsdesk_verification_rejections_total",
                   "Generated sentences that failed verification against the sources (each "
                   "check: a sentence regenerated and rejected again counts twice).");
  }
}

std::string ConvertScript(std::string_view s, std::string_view target) {
  return target == kLangHant ? text::ToTraditional(s) : text::ToSimplified(s);
}

std::vector<CitedSentence> ConvertSentences(const std::vector<CitedSentence>& in,
                                            std::string_view target) {
  std::vector<CitedSentence> out = in;
  for (CitedSentence& s : out) s.text = ConvertScript(s.text, target);
  return out;
}

std::vector<Paragraph> ConvertParagraphs(const std::vector<Paragraph>& in,
                                         std::string_view target) {
  std::vector<Paragraph> out = in;
  for (Paragraph& p : out) p.sentences = ConvertSentences(p.sentences, target);
  return out;
}

}  // namespace

StoryText ConvertChineseScript(const StoryText& text, std::string_view target_lang) {
  StoryText out = text;
  out.lang = std::string(target_lang);
  out.headline = ConvertScript(text.headline, target_lang);
  out.dek = ConvertSentences(text.dek, target_lang);
  out.body = ConvertParagraphs(text.body, target_lang);
  out.analysis = ConvertParagraphs(text.analysis, target_lang);
  for (TimelineEntry& e : out.timeline) {
    e.label = ConvertScript(e.label, target_lang);
    e.text = ConvertScript(e.text, target_lang);
  }
  return out;
}

LlmWriter::LlmWriter(LlmOptions llm, AnswerCache cache, LlmWriterOptions options)
    : client_(std::move(llm), std::move(cache)), options_(std::move(options)) {}

LlmWriterStats LlmWriter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::string LlmWriter::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

std::string LlmWriter::Summary() const {
  LlmWriterStats w = stats();
  LlmStats c = client_.stats();
  std::string out = "llm: " + std::to_string(w.texts_llm) + " texts written, " +
                    std::to_string(w.texts_fallback) + " fell back to extractive; " +
                    std::to_string(w.sentences_verified) + " sentences verified, " +
                    std::to_string(w.sentences_regenerated) + " regenerated, " +
                    std::to_string(w.sentences_rejected) + " rejected; " +
                    std::to_string(c.requests) + " requests, " + std::to_string(c.cache_hits) +
                    " cached, " + std::to_string(c.failures) + " failed, " +
                    std::to_string(c.prompt_tokens + c.completion_tokens) + " tokens";
  std::string error = last_error();
  if (!error.empty()) out += "; last error: " + error;
  return out;
}

StoryText LlmWriter::Write(const std::vector<Article>& reports, std::string_view lang) {
  StoryText fallback = WriteExtractive(reports, lang, options_.extractive);
  auto fall_back = [&](const std::string& why) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.texts_fallback;
    if (!why.empty()) last_error_ = why;
    return fallback;
  };
  if (reports.empty()) return fallback;
  const size_t n = reports.size();

  std::vector<ChatMessage> messages = BuildPrompt(reports, lang, options_);
  auto answer = client_.Complete(messages, HoldsJsonObject);
  if (!answer.ok()) return fall_back(answer.status().ToString());
  std::vector<Draft> drafts;
  if (!ParseArticle(answer->content, n, &drafts)) {
    return fall_back(std::string(lang) + ": the model's answer is not an article");
  }

  const Evidence evidence(reports);
  std::vector<Draft*> failed;
  for (Draft& d : drafts) {
    Check(&d, lang, evidence);
    if (!d.ok) failed.push_back(&d);
  }

  // One more chance for what failed, with the reasons.
  long long regenerated = 0;
  if (!failed.empty()) {
    std::string request =
        "Some sentences failed the fact check against the reports. Rewrite each one so that "
        "it states only what the reports say (leave out any claim you cannot support), and "
        "answer with one JSON object and nothing else: {\"sentences\": [{\"id\": \"...\", "
        "\"text\": \"...\", \"cites\": [1], \"paraphrase\": false}]}.\n";
    for (const Draft* d : failed) {
      request += "- id " + d->id + ": " + d->sentence.text + "\n  reason: " + d->reason + "\n";
    }
    std::vector<ChatMessage> retry = messages;
    retry.push_back({"assistant", answer->content});
    retry.push_back({"user", request});
    auto second = client_.Complete(retry, HoldsJsonObject);
    if (second.ok()) {
      json j = json::parse(ExtractJsonObject(second->content), nullptr, false);
      const json* list = nullptr;
      if (j.is_object() && j.contains("sentences") && j["sentences"].is_array()) {
        list = &j["sentences"];
      }
      std::map<std::string, const json*> by_id;
      if (list != nullptr) {
        for (const json& s : *list) {
          if (s.is_object() && s.contains("id") && s["id"].is_string()) {
            by_id[s["id"].get<std::string>()] = &s;
          }
        }
      }
      for (Draft* d : failed) {
        auto it = by_id.find(d->id);
        if (it == by_id.end()) continue;
        CitedSentence s;
        bool paraphrase = false;
        if (!ParseSentence(*it->second, n, &s, &paraphrase)) continue;
        d->sentence = s;
        d->paraphrase = paraphrase;
        ++regenerated;
        Check(d, lang, evidence);
      }
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      last_error_ = second.status().ToString();
    }
  }

  // Assemble what passed.
  StoryText out;
  out.lang = std::string(lang);
  out.writer = "llm:" + client_.options().model;
  out.timeline = fallback.timeline;
  out.untranslated = false;
  out.source_lang = std::string(lang);
  bool any_in_lang = false;
  for (const Article& a : reports) any_in_lang |= SameFamily(ReportLang(a), lang);
  if (!any_in_lang) out.source_lang = fallback.source_lang;

  long long verified = 0, rejected = 0;
  std::map<int, Paragraph> body;
  for (const Draft& d : drafts) {
    if (!d.ok) {
      ++rejected;
      continue;
    }
    switch (d.role) {
      case SentenceRole::kHeadline:
        out.headline = d.sentence.text;
        break;
      case SentenceRole::kDek:
        out.dek.push_back(d.sentence);
        break;
      case SentenceRole::kBody:
        body[d.paragraph].sentences.push_back(d.sentence);
        break;
      case SentenceRole::kAnalysis:
        if (out.analysis.empty()) out.analysis.emplace_back();
        out.analysis.front().sentences.push_back(d.sentence);
        break;
    }
    if (d.role != SentenceRole::kHeadline) ++verified;
  }
  for (auto& [index, paragraph] : body) {
    if (!paragraph.sentences.empty()) out.body.push_back(std::move(paragraph));
  }
  size_t body_sentences = 0;
  for (const Paragraph& p : out.body) body_sentences += p.sentences.size();

  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.sentences_regenerated += regenerated;
    stats_.sentences_rejected += rejected;
  }
  // Too little survived: the extractive text is better than a torso. (When no report is
  // in `lang`, the extractive text is the original-language one, marked untranslated.)
  if (body_sentences < 2) {
    return fall_back(std::string(lang) + ": too few sentences passed verification");
  }
  // A missing or rejected headline or dek is replaced by the extractive one, when that is
  // in this language.
  if (out.headline.empty()) {
    if (fallback.untranslated) return fall_back(std::string(lang) + ": headline rejected");
    out.headline = fallback.headline;
  }
  if (out.dek.empty()) {
    if (fallback.untranslated) return fall_back(std::string(lang) + ": dek rejected");
    out.dek = fallback.dek;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.texts_llm;
    stats_.sentences_verified += verified;
  }
  return out;
}

std::vector<StoryText> LlmWriter::WriteAllLanguages(const std::vector<Article>& reports) {
  // The Chinese text is written in the script most reports use and converted to the other.
  int hans = 0, hant = 0;
  for (const Article& a : reports) {
    std::string l = ReportLang(a);
    if (l == kLangHans) ++hans;
    if (l == kLangHant) ++hant;
  }
  const std::string zh = hant > hans ? kLangHant : kLangHans;
  const std::string other = zh == kLangHans ? kLangHant : kLangHans;

  auto chinese = std::async(std::launch::async, [&] { return Write(reports, zh); });
  StoryText en = Write(reports, kLangEnglish);
  StoryText zh_text = chinese.get();
  StoryText other_text = zh_text.writer == "extractive"
                             ? WriteExtractive(reports, other, options_.extractive)
                             : ConvertChineseScript(zh_text, other);
  std::vector<StoryText> out;
  out.push_back(std::move(en));
  if (zh == kLangHans) {
    out.push_back(std::move(zh_text));
    out.push_back(std::move(other_text));
  } else {
    out.push_back(std::move(other_text));
    out.push_back(std::move(zh_text));
  }
  return out;
}

}  // namespace nd::write
