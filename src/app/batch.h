// The JSONL batch tools (DESIGN.md): extract, cluster, summarize, related and feed, usable
// on any data set. Each reads files or JSON lines and writes one JSON object per line to
// `out`; bad records are reported on `err` as one line naming the record and the reason,
// and skipped.
//
// Thread-safety: functions; no shared state.
#pragma once

#include <iosfwd>
#include <string>

#include "core/status.h"

namespace nd::app {

// One article from one HTML file ("-" = stdin) as a JSON object.
Status ExtractOne(const std::string& file, const std::string& url, std::ostream& out);
// One JSON line per *.html / *.htm file in `dir`, "id" = file name without extension.
Status ExtractBatch(const std::string& dir, std::ostream& out, std::ostream& err);
// {"id","cluster"[, "follows"]} per article line, in time order.
Status ClusterJsonl(const std::string& in_path, std::ostream& out, std::ostream& err);
// {"id","summary"} per {"id","text"} or {"id","texts":[...]} line.
Status SummarizeJsonl(const std::string& in_path, int words, std::ostream& out,
                      std::ostream& err);
// {"id","related":[ids]} per article line.
Status RelatedJsonl(const std::string& in_path, int k, std::ostream& out, std::ostream& err);
// What newsdesk reads in one feed file, or the feeds an HTML page advertises.
Status FeedOne(const std::string& file, const std::string& base, std::ostream& out);

}  // namespace nd::app
