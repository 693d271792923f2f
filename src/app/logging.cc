#include "app/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

namespace nd::app::log {
namespace {

std::atomic<bool> g_json{false};

// What the current thread is logging, read by the sink (spdlog's default logger is
// synchronous: the sink runs on the logging thread).
thread_local const std::vector<std::pair<std::string, std::string>>* t_fields = nullptr;
thread_local bool t_note = false;

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

const char* LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "info";
  }
}

// Writes each record as one line on stderr: JSON or text (see logging.h). Written here
// because spdlog's pattern formatter cannot escape JSON or carry per-event fields.
class LineSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit LineSink(bool json) : json_(json) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    std::string line;
    if (json_) {
      nlohmann::ordered_json j;
      j["ts"] = Rfc3339(msg.time);
      j["level"] = LevelName(msg.level);
      if (t_fields != nullptr && !t_fields->empty()) j["event"] = t_fields->front().second;
      j["msg"] = text;
      if (t_fields != nullptr) {
        for (std::size_t i = 1; i < t_fields->size(); ++i) {
          j[(*t_fields)[i].first] = (*t_fields)[i].second;
        }
      }
      line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else if (t_note) {
      line = std::string(text);
    } else {
      line = LevelName(msg.level);
      line += ": ";
      line += text;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  bool json_;
};

}  // namespace

Status Setup(std::string_view format, std::string_view level) {
  if (format != "text" && format != "json") {
    return Status::InvalidInput("log format '" + std::string(format) +
                                "': not a log format (use text or json)");
  }
  const spdlog::level::level_enum lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    return Status::InvalidInput("log level '" + std::string(level) +
                                "': not a level (use trace, debug, info, warn or error)");
  }
  // Same format again (a config reload): change the level only, so that threads logging
  // meanwhile never see their logger replaced.
  static std::mutex setup_mu;
  static int current = -1;  // -1: not set up; 0: text; 1: json
  std::lock_guard<std::mutex> lock(setup_mu);
  if (current == (format == "json" ? 1 : 0)) {
    spdlog::default_logger_raw()->set_level(lvl);
    return Status::Ok();
  }
  current = format == "json" ? 1 : 0;
  auto logger =
      std::make_shared<spdlog::logger>("newsdesk", std::make_shared<LineSink>(format == "json"));
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::trace);  // every line reaches the log as it happens
  spdlog::set_default_logger(std::move(logger));
  g_json = format == "json";
  return Status::Ok();
}

bool JsonMode() { return g_json.load(); }

void Note(std::string_view text) {
  t_note = true;
  spdlog::info("{}", text);
  t_note = false;
}

Event::Event(std::string_view name) { fields_.emplace_back("event", std::string(name)); }

Event& Event::Field(std::string_view key, std::string_view value) {
  fields_.emplace_back(std::string(key), std::string(value));
  return *this;
}

void Event::Emit(int level, std::string_view msg) const {
  t_fields = &fields_;
  spdlog::log(static_cast<spdlog::level::level_enum>(level), "{}", msg);
  t_fields = nullptr;
}

void Event::Debug(std::string_view msg) const { Emit(spdlog::level::debug, msg); }
void Event::Info(std::string_view msg) const { Emit(spdlog::level::info, msg); }
void Event::Warn(std::string_view msg) const { Emit(spdlog::level::warn, msg); }
void Event::Error(std::string_view msg) const { Emit(spdlog::level::err, msg); }

}  // namespace nd::app::log
