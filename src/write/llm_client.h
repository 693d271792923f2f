// LLM client: one OpenAI-compatible chat-completions endpoint, as llama.cpp's
// llama-server, Ollama, vLLM and hosted APIs accept it.
//
// POST {base_url}/chat/completions with {"model","messages","temperature",
// "response_format":{"type":"json_object"}} (libcurl), the key from the environment
// variable named by `api_key_env` sent as "Authorization: Bearer". Transient failures
// (429, 5xx, refused connections) are retried with exponential backoff, honouring
// Retry-After; a timeout is not retried and marks the endpoint down at once. Answers are cached by
// a SHA-256 of the request (model and messages) through an AnswerCache the caller provides (the
// store's llm_cache table), so the same story is never paid for twice. Tokens reported in "usage"
// count against a daily budget (UTC day, this process); over budget, calls fail fast. After
// repeated failures the endpoint is considered down for a while and calls fail fast too, so a dead
// server never holds up processing: callers fall back to the extractive text and the
// next processing run tries again.
//
// Thread-safety: Complete() may be called from several threads; at most
// `max_concurrency` requests are in flight. The cache is called under the client's lock,
// one call at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace nd::write {

struct LlmOptions {
  std::string base_url;  // "http://127.0.0.1:8080/v1"; "/chat/completions" is appended
  std::string model;
  std::string api_key;  // the key itself (the caller reads the environment); may be empty
  int timeout_s = 60;
  int connect_timeout_s = 10;
  int max_concurrency = 2;
  long long daily_token_budget = 0;  // 0: no limit
  int max_attempts = 3;              // per call, counting the first
  int initial_backoff_ms = 500;      // doubled after each failed attempt
  int max_backoff_ms = 30'000;       // also caps Retry-After
  int failures_before_down = 2;      // failed calls (after retries) that mark it down
  int down_for_s = 300;              // how long it stays marked down
  double temperature = 0.2;
  bool json_mode = true;  // send response_format json_object
  // How to wait between attempts (a seam for tests); empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Where answers are kept between runs. Both functions may be empty (no cache).
struct AnswerCache {
  std::function<std::optional<std::string>(const std::string& key)> get;
  std::function<void(const std::string& key, const std::string& value, long long tokens)> put;
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct ChatAnswer {
  std::string content;
  long long tokens = 0;  // usage.total_tokens (0 when cached)
  bool cached = false;
};

// Counters for logs and /metrics.
struct LlmStats {
  long long requests = 0;  // HTTP requests sent (retries included)
  long long calls = 0;     // Complete() calls
  long long cache_hits = 0;
  long long failures = 0;  // calls that returned an error
  long long retries = 0;
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long tokens_today = 0;
};

class LlmClient {
 public:
  LlmClient(LlmOptions options, AnswerCache cache);

  // Sends the messages and returns the assistant's content. Errors: kUnavailable
  // (endpoint down, refused, 5xx/429 after retries, over budget), kTimeout,
  // kParseError (not a chat-completions answer), kInvalidInput (4xx). The message names
  // the endpoint and the reason.
  // `accept`, when given, judges the content (e.g. "holds a JSON object"); an answer it
  // refuses is a kParseError and is not cached.
  Result<ChatAnswer> Complete(const std::vector<ChatMessage>& messages,
                              const std::function<bool(const std::string&)>& accept = {});

  // The cache key of a request: hex SHA-256 over model and messages.
  std::string CacheKey(const std::vector<ChatMessage>& messages) const;

  LlmStats stats() const;
  const LlmOptions& options() const { return options_; }

 private:
  struct HttpReply {
    long status = 0;
    std::string body;
    int retry_after_s = -1;
  };
  Result<HttpReply> Post(const std::string& body);
  Status CheckAvailable();
  // Counts a call's outcome; failures of the endpoint itself (not of the model's
  // answer) mark it down after `failures_before_down` in a row.
  void RecordOutcome(bool ok, bool endpoint_fault = true);

  const LlmOptions options_;
  const AnswerCache cache_;
  const std::string endpoint_;

  mutable std::mutex mu_;
  std::condition_variable slots_;
  int in_flight_ = 0;
  LlmStats stats_;
  long long budget_day_ = -1;  // UTC day number tokens_today counts
  int consecutive_failures_ = 0;
  std::chrono::steady_clock::time_point down_until_{};
};

// Pulls the first JSON object out of a model's answer: plain JSON, JSON in a ``` code
// fence, or JSON followed or preceded by prose. Empty when there is none.
std::string ExtractJsonObject(std::string_view answer);

}  // namespace nd::write
