#include "write/llm_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "core/metrics.h"

namespace nd::write {
namespace {

using json = nlohmann::json;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  constexpr size_t kMaxBody = 8u << 20;  // an answer is a few kilobytes; refuse floods
  if (body->size() + size * n > kMaxBody) return 0;
  body->append(data, size * n);
  return size * n;
}

size_t ReadHeader(char* data, size_t size, size_t n, void* user) {
  auto* retry_after = static_cast<int*>(user);
  std::string line(data, size * n);
  std::string lower = line;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("retry-after:", 0) == 0) {
    std::string value = line.substr(12);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
      value.erase(value.begin());
    }
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
      value.pop_back();
    }
    if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      *retry_after = std::stoi(value.substr(0, 6));
    } else if (!value.empty()) {
      time_t when = curl_getdate(value.c_str(), nullptr);
      if (when > 0) *retry_after = static_cast<int>(std::max<time_t>(0, when - std::time(nullptr)));
    }
  }
  return size * n;
}

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 0xF];
  }
  return out;
}

long long UtcDay() { return static_cast<long long>(std::time(nullptr)) / 86400; }

bool Retriable(long status) { return status == 429 || status == 408 || status >= 500; }

}  // namespace

LlmClient::LlmClient(LlmOptions options, AnswerCache cache)
    : options_(std::move(options)), cache_(std::move(cache)), endpoint_([&] {
        std::string base = options_.base_url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base + "/chat/completions";
      }()) {
  InitCurlOnce();
}

std::string LlmClient::CacheKey(const std::vector<ChatMessage>& messages) const {
  json j;
  j["model"] = options_.model;
  j["temperature"] = options_.temperature;
  for (const ChatMessage& m : messages) j["messages"].push_back({m.role, m.content});
  std::string text = j.dump();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return Hex(digest.data(), length);
}

LlmStats LlmClient::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

Status LlmClient::CheckAvailable() {
  // REQUIRES: mu_ held.
  if (std::chrono::steady_clock::now() < down_until_) {
    return Status::Unavailable(endpoint_ + ": endpoint marked down after repeated failures");
  }
  long long day = UtcDay();
  if (day != budget_day_) {
    budget_day_ = day;
    stats_.tokens_today = 0;
  }
  if (options_.daily_token_budget > 0 && stats_.tokens_today >= options_.daily_token_budget) {
    return Status::Unavailable(endpoint_ + ": daily token budget of " +
                               std::to_string(options_.daily_token_budget) + " tokens is spent");
  }
  return Status::Ok();
}

void LlmClient::RecordOutcome(bool ok, bool endpoint_fault) {
  // REQUIRES: mu_ held.
  metrics::Count("newsdesk_llm_calls_total", "LLM chat completions by result.",
                 {{"result", ok ? "ok" : "failed"}});
  if (ok) {
    consecutive_failures_ = 0;
    return;
  }
  ++stats_.failures;
  if (!endpoint_fault) return;
  if (++consecutive_failures_ >= options_.failures_before_down) {
    down_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(options_.down_for_s);
    consecutive_failures_ = 0;
  }
}

Result<LlmClient::HttpReply> LlmClient::Post(const std::string& body) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal(endpoint_ + ": cannot create a curl handle");
  HttpReply reply;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!options_.api_key.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options_.api_key).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, endpoint_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_s) * 1000L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout_s) * 1000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.retry_after_s);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "newsdesk/0.1");
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Status::Timeout(endpoint_ + ": no answer within " + std::to_string(options_.timeout_s) +
                           " s");
  }
  if (rc != CURLE_OK) {
    return Status::Unavailable(endpoint_ + ": " + curl_easy_strerror(rc));
  }
  return reply;
}

Result<ChatAnswer> LlmClient::Complete(const std::vector<ChatMessage>& messages,
                                       const std::function<bool(const std::string&)>& accept) {
  const std::string key = CacheKey(messages);
  {
    std::unique_lock<std::mutex> lock(mu_);
    ++stats_.calls;
    if (cache_.get) {
      std::optional<std::string> hit = cache_.get(key);
      if (hit.has_value() && !hit->empty() && (!accept || accept(*hit))) {
        ++stats_.cache_hits;
        metrics::Count("newsdesk_llm_calls_total", "LLM chat completions by result.",
                       {{"result", "cache_hit"}});
        return ChatAnswer{*hit, 0, true};
      }
    }
    Status available = CheckAvailable();
    if (!available.ok()) {
      ++stats_.failures;
      metrics::Count("newsdesk_llm_calls_total", "LLM chat completions by result.",
                     {{"result", "refused"}});
      return available;
    }
    slots_.wait(lock, [&] { return in_flight_ < std::max(1, options_.max_concurrency); });
    ++in_flight_;
  }
  struct Release {
    LlmClient* self;
    ~Release() {
      std::lock_guard<std::mutex> lock(self->mu_);
      --self->in_flight_;
      self->slots_.notify_one();
    }
  } release{this};

  json request;
  request["model"] = options_.model;
  request["temperature"] = options_.temperature;
  request["stream"] = false;
  for (const ChatMessage& m : messages) {
    request["messages"].push_back({{"role", m.role}, {"content", m.content}});
  }
  if (options_.json_mode) request["response_format"] = {{"type", "json_object"}};
  const std::string body = request.dump(-1, ' ', false, json::error_handler_t::replace);

  Status last_error;
  int backoff_ms = std::max(1, options_.initial_backoff_ms);
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    if (attempt > 1) {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.retries;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.requests;
    }
    auto reply = Post(body);
    int wait_ms = backoff_ms;
    if (!reply.ok()) {
      last_error = reply.status();
      if (last_error.code() == StatusCode::kTimeout) {
        // A server that hangs once usually hangs again: no retry, and marked down at once
        // so that a run of stories does not wait for one timeout each.
        std::lock_guard<std::mutex> lock(mu_);
        consecutive_failures_ = std::max(0, options_.failures_before_down - 1);
        RecordOutcome(false);
        return last_error;
      }
    } else if (reply->status >= 200 && reply->status < 300) {
      json answer = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
      const json* content = nullptr;
      if (answer.is_object() && answer.contains("choices") && answer["choices"].is_array() &&
          !answer["choices"].empty() && answer["choices"][0].is_object()) {
        const json& choice = answer["choices"][0];
        if (choice.contains("message") && choice["message"].is_object() &&
            choice["message"].contains("content") && choice["message"]["content"].is_string()) {
          content = &choice["message"]["content"];
        } else if (choice.contains("text") && choice["text"].is_string()) {
          content = &choice["text"];
        }
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (content == nullptr) {
        RecordOutcome(false, /*endpoint_fault=*/false);
        return Status::ParseError(endpoint_ + ": not a chat-completions answer");
      }
      ChatAnswer out;
      out.content = content->get<std::string>();
      long long prompt = 0, completion = 0;
      if (answer.contains("usage") && answer["usage"].is_object()) {
        const json& usage = answer["usage"];
        if (usage.contains("prompt_tokens") && usage["prompt_tokens"].is_number()) {
          prompt = usage["prompt_tokens"].get<long long>();
        }
        if (usage.contains("completion_tokens") && usage["completion_tokens"].is_number()) {
          completion = usage["completion_tokens"].get<long long>();
        }
        out.tokens = prompt + completion;
        if (usage.contains("total_tokens") && usage["total_tokens"].is_number()) {
          out.tokens = usage["total_tokens"].get<long long>();
        }
      }
      stats_.prompt_tokens += prompt;
      stats_.completion_tokens += completion;
      stats_.tokens_today += out.tokens;
      metrics::Count("newsdesk_llm_tokens_total", "Tokens the LLM endpoint reported using.",
                     {{"kind", "prompt"}}, static_cast<double>(prompt));
      metrics::Count("newsdesk_llm_tokens_total", "Tokens the LLM endpoint reported using.",
                     {{"kind", "completion"}}, static_cast<double>(completion));
      if (out.content.find_first_not_of(" \t\r\n") == std::string::npos) {
        RecordOutcome(false, /*endpoint_fault=*/false);
        return Status::ParseError(endpoint_ + ": the model's answer is empty");
      }
      if (accept && !accept(out.content)) {
        RecordOutcome(false, /*endpoint_fault=*/false);
        return Status::ParseError(endpoint_ + ": the model's answer is not in the form asked for");
      }
      RecordOutcome(true);
      if (cache_.put) cache_.put(key, out.content, out.tokens);
      return out;
    } else if (Retriable(reply->status)) {
      last_error = Status::Unavailable(endpoint_ + ": HTTP " + std::to_string(reply->status));
      if (reply->retry_after_s >= 0) wait_ms = reply->retry_after_s * 1000;
    } else {
      std::string detail = reply->body.substr(0, 200);
      std::lock_guard<std::mutex> lock(mu_);
      RecordOutcome(false);
      return Status::InvalidInput(endpoint_ + ": HTTP " + std::to_string(reply->status) +
                                  (detail.empty() ? "" : ": " + detail));
    }
    if (attempt < options_.max_attempts) {
      std::chrono::milliseconds wait(std::min(wait_ms, options_.max_backoff_ms));
      if (options_.sleep) {
        options_.sleep(wait);
      } else {
        std::this_thread::sleep_for(wait);
      }
      backoff_ms = std::min(backoff_ms * 2, options_.max_backoff_ms);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  RecordOutcome(false);
  return last_error;
}

std::string ExtractJsonObject(std::string_view answer) {
  for (size_t start = answer.find('{'); start != std::string_view::npos;
       start = answer.find('{', start + 1)) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = start; i < answer.size(); ++i) {
      char c = answer[i];
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        std::string candidate(answer.substr(start, i - start + 1));
        if (json::accept(candidate)) return candidate;
        break;
      }
    }
  }
  return {};
}

}  // namespace nd::write
