// Private to write/: verification of generated sentences against the story's reports.
//
// A sentence written by a model may only state what the reports support. Each generated
// sentence is checked for the claims that can be checked mechanically:
//  - numbers and amounts, normalised across English and Chinese (1.2 billion = 12亿 =
//    12億 = 1,200,000,000; 5% = 百分之五; $3bn), allowing rounding to fewer digits than
//    the report gives but never more;
//  - dates: month and weekday names (March = 3月, Tuesday = 星期二/週二) and the day and
//    year numbers, which are numbers above;
//  - names of people, organisations and places: capitalised Latin words and Han names
//    (before a speech verb, or ending in an organisation/place suffix) must be found in a
//    report, scripts folded with OpenCC, or be a gazetteer name (text/entities.h) whose
//    entity a report mentions in any language (Beijing = 北京); a name followed by the
//    reports' form in parentheses ("Wang Wei (王伟)", "微软（Microsoft）") is checked by
//    that form;
//  - quotations: text in quote marks must appear verbatim in a report after whitespace,
//    case and script folding (an ellipsis splits it into parts). A sentence marked as a
//    paraphrase has its quote marks removed instead;
//  - support: a body sentence in the language of its cited reports must share a fair
//    part of its content words with them.
// Citations are completed with the reports where a claim was found.
//
// Thread-safety: Evidence is immutable after construction; the functions are pure.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/types.h"

namespace nd::write {

// A number found in text, in base units (1.2 billion -> 1.2e9).
struct Quantity {
  double value = 0;
  // Half of the smallest step the text can express: "1.2 billion" -> 0.05e9, "12" -> 0.5.
  // A report's value within this distance is the same number, rounded.
  double tolerance = 0;
  bool percent = false;
};

// Numbers in `text` ("1,200", "1.2 billion", "12亿", "十二亿", "3.5%", "百分之五", "$3bn").
std::vector<Quantity> FindQuantities(std::string_view text);

// Months (1-12) and weekdays (1 = Monday ... 7 = Sunday) named in `text`, English or
// Chinese.
std::set<int> FindMonths(std::string_view text);
std::set<int> FindWeekdays(std::string_view text);

// Quoted passages in `text` (“…”, "…", ‘…’, 「…」, 『…』), without their marks.
std::vector<std::string> FindQuotations(std::string_view text);

// A name the sentence uses, and the form to look for in the reports.
struct NameClaim {
  std::string name;    // as written in the sentence
  std::string lookup;  // what must be found: the name, or its parenthesised original
};
// Names of people, organisations and places in `text` (see the header comment).
std::vector<NameClaim> FindNames(std::string_view text);

// Folding for verbatim comparison: Simplified script, ASCII lower case, typographic
// quotes and dashes unified, whitespace runs collapsed to one space.
std::string FoldForMatch(std::string_view text);

// The reports, prepared once per story for checking many sentences.
class Evidence {
 public:
  explicit Evidence(const std::vector<Article>& reports);

  size_t size() const { return reports_.size(); }
  const std::string& lang(size_t report) const { return reports_[report].lang; }

  struct Report {
    std::string lang;
    std::string folded;  // FoldForMatch of title, description and body
    std::vector<Quantity> quantities;
    std::set<int> months;
    std::set<int> weekdays;
    std::unordered_set<std::string> terms;  // text::MatchTerms
    // Gazetteer ids of the names it mentions (text::EntityIds): "country:FR" for France,
    // 法国 and 法國 alike, so a translated name is found across languages.
    std::unordered_set<std::string> entity_ids;
  };
  const Report& report(size_t i) const { return reports_[i]; }

 private:
  std::vector<Report> reports_;
};

// What a generated sentence may claim, and where it sits.
enum class SentenceRole { kHeadline, kDek, kBody, kAnalysis };

struct Verdict {
  bool ok = false;
  std::string reason;      // why it failed, for the model and the logs; empty when ok
  std::string text;        // the sentence as it may be published
  std::vector<int> cites;  // valid cites, completed with the reports holding its claims
};

// Checks one generated sentence written in `lang` against the reports. `paraphrase`: the
// model marked it as a paraphrase, so quote marks that do not hold a verbatim quotation
// are removed instead of failing the sentence.
Verdict VerifySentence(const CitedSentence& sentence, bool paraphrase, SentenceRole role,
                       std::string_view lang, const Evidence& evidence);

}  // namespace nd::write
