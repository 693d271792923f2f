// Logs: readable text (the default, for a terminal) or JSON lines (`--log-format json`,
// `[log] format = "json"`), one object per event on stderr:
//
//   {"ts":"2026-11-28T03:30:00.123Z","level":"warn","event":"fetch_failed",
//    "msg":"https://x/feed.xml: HTTP 503","source":"https://x/feed.xml"}
//
// Events that concern one source, article or story name it in a field:
//
//   log::Event("fetch_failed").Source(url).Warn(message);
//
// Plain spdlog calls (spdlog::warn(...)) and Note() lines come out in the same format.
// In text mode an event prints as "<level>: <msg>" ("error: ..." for warnings and errors,
// as the CLI always printed failures), a Note as its text.
//
// Thread-safety: Setup() once at start, before other threads log; the rest from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace nd::app::log {

// Sends spdlog's default logger to stderr in `format` ("text" or "json") at `level`
// (trace, debug, info, warn, error). InvalidInput naming the value otherwise.
Status Setup(std::string_view format, std::string_view level = "info");

// True after Setup("json").
bool JsonMode();

// A progress or summary line: as is in text mode, {"level":"info","msg":...} in JSON.
void Note(std::string_view text);

class Event {
 public:
  // `name`: what happened, snake_case ("fetch_failed", "article_stored", "story_written").
  explicit Event(std::string_view name);

  Event& Source(std::string_view url) { return Field("source", url); }
  Event& Article(std::string_view url) { return Field("article", url); }
  Event& Story(std::int64_t id) { return Field("story", std::to_string(id)); }
  Event& Field(std::string_view key, std::string_view value);

  void Debug(std::string_view msg) const;
  void Info(std::string_view msg) const;
  void Warn(std::string_view msg) const;
  void Error(std::string_view msg) const;

 private:
  void Emit(int level, std::string_view msg) const;

  std::vector<std::pair<std::string, std::string>> fields_;  // "event" first
};

}  // namespace nd::app::log
