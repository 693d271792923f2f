// PoliteFetcher: robots.txt, TDMRep, per-host concurrency and delay, Retry-After, back-off.

#include "fetch/polite.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/metrics.h"
#include "core/url.h"

namespace nd::fetch {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct UrlParts {
  std::string origin;  // scheme://host:port
  std::string host;
  std::string path;  // path + "?query"
};

bool SplitUrl(const std::string& url, UrlParts* out) {
  struct Deleter {
    void operator()(CURLU* h) const { curl_url_cleanup(h); }
  };
  std::unique_ptr<CURLU, Deleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return false;
  auto get = [&](CURLUPart part, unsigned flags) -> std::string {
    char* v = nullptr;
    if (curl_url_get(u.get(), part, &v, flags) != CURLUE_OK || v == nullptr) return {};
    std::string s(v);
    curl_free(v);
    return s;
  };
  std::string scheme = Lower(get(CURLUPART_SCHEME, 0));
  out->host = Lower(get(CURLUPART_HOST, 0));
  std::string port = get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (out->host.empty()) return false;
  out->origin = scheme + "://" + out->host + ":" + port;
  out->path = get(CURLUPART_PATH, 0);
  if (out->path.empty()) out->path = "/";
  std::string query = get(CURLUPART_QUERY, 0);
  if (!query.empty()) out->path += "?" + query;
  return true;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" || host == "::1";
}

std::string OriginUrl(const std::string& origin) {
  // "http://h:80" -> "http://h:80"; curl accepts explicit default ports.
  return origin;
}

// Failures that say something about the host (not about one missing page).
bool IsHostFailure(const Status& st) {
  return st.code() == StatusCode::kUnavailable || st.code() == StatusCode::kTimeout;
}

}  // namespace

bool PathPatternMatches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative wildcard match of `pattern` against a prefix of `path`.
  std::size_t p = 0, s = 0, star_p = std::string_view::npos, star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star_p = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star_p == std::string_view::npos || star_s >= path.size()) return false;
    p = star_p + 1;
    s = ++star_s;
  }
}

RobotsRules RobotsRules::Parse(std::string_view text, std::string_view token) {
  std::string want = Lower(token);
  // Groups: consecutive user-agent lines followed by rules. Take the group(s) naming our
  // token; if none, the "*" group(s).
  std::vector<Rule> mine, star;
  bool any_mine = false;
  std::vector<std::string> agents;
  bool in_rules = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (in_rules) {
        agents.clear();
        in_rules = false;
      }
      agents.push_back(Lower(value));
      continue;
    }
    if (key != "allow" && key != "disallow") continue;
    in_rules = true;
    if (key == "disallow" && value.empty()) continue;  // "Disallow:" allows everything
    Rule rule{std::string(value), key == "allow"};
    for (const std::string& a : agents) {
      if (a == "*") {
        star.push_back(rule);
      } else if (a == want) {
        mine.push_back(rule);
      }
    }
    for (const std::string& a : agents) {
      if (a == want) any_mine = true;
    }
  }
  RobotsRules out;
  out.rules_ = any_mine ? std::move(mine) : std::move(star);
  return out;
}

bool RobotsRules::Allowed(std::string_view path) const {
  if (path == "/robots.txt") return true;
  const Rule* best = nullptr;
  for (const Rule& r : rules_) {
    if (!PathPatternMatches(r.pattern, path)) continue;
    if (best == nullptr || r.pattern.size() > best->pattern.size() ||
        (r.pattern.size() == best->pattern.size() && r.allow && !best->allow)) {
      best = &r;
    }
  }
  return best == nullptr || best->allow;
}

bool HtmlReservesTdm(std::string_view html) {
  // Only the head matters; bound the scan.
  std::string head = Lower(html.substr(0, std::min<std::size_t>(html.size(), 64 * 1024)));
  std::size_t pos = 0;
  while ((pos = head.find("tdm-reservation", pos)) != std::string::npos) {
    std::size_t tag_start = head.rfind('<', pos);
    std::size_t tag_end = head.find('>', pos);
    pos += 15;
    if (tag_start == std::string::npos || tag_end == std::string::npos) continue;
    std::string tag = head.substr(tag_start, tag_end - tag_start);
    if (tag.rfind("<meta", 0) != 0) continue;
    static const std::regex kContent(R"re(content\s*=\s*["']?\s*1\b)re");
    if (std::regex_search(tag, kContent)) return true;
  }
  return false;
}

long RetryAfterFromMessage(std::string_view message) {
  static constexpr std::string_view kKey = "(Retry-After: ";
  std::size_t at = message.find(kKey);
  if (at == std::string_view::npos) return -1;
  long value = 0;
  bool any = false;
  for (std::size_t i = at + kKey.size(); i < message.size() && std::isdigit(message[i]); ++i) {
    value = std::min(value * 10 + (message[i] - '0'), 999'999'999L);
    any = true;
  }
  return any ? value : -1;
}

HostGate::HostGate(PoliteOptions options) : options_(std::move(options)) {}

std::vector<HostStatus> HostGate::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<HostStatus> out;
  Clock::time_point now = Clock::now();
  for (const auto& [name, h] : hosts_) {
    HostStatus s;
    s.host = name;
    s.consecutive_failures = h.consecutive_failures;
    if (h.blocked_until > now) {
      s.backoff_remaining_s =
          std::chrono::duration_cast<std::chrono::seconds>(h.blocked_until - now).count() + 1;
    }
    s.last_reason = h.last_reason;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const HostStatus& a, const HostStatus& b) { return a.host < b.host; });
  return out;
}

void PoliteFetcher::LoadRules(const std::string& origin, const FetchOptions& options) {
  const PoliteOptions& po = gate_.options();
  FetchOptions o = options;
  o.etag.clear();
  o.last_modified.clear();
  o.max_bytes = std::min<std::size_t>(o.max_bytes, 512 * 1024);
  o.allow_file = false;
  RobotsRules robots = RobotsRules::AllowAll();
  std::vector<HostGate::Host::TdmRule> tdm;
  if (po.honour_robots) {
    auto r = inner_.Fetch(OriginUrl(origin) + "/robots.txt", o);
    // A missing robots.txt (4xx) allows everything; so, here, does an unreachable one:
    // the page fetch that follows reports the host's trouble itself.
    if (r.ok())
      robots = RobotsRules::Parse(DecodeToUtf8(r->body, r->content_type, false), po.robots_token);
  }
  if (po.honour_tdm) {
    auto r = inner_.Fetch(OriginUrl(origin) + "/.well-known/tdmrep.json", o);
    if (r.ok()) {
      try {
        nlohmann::json j = nlohmann::json::parse(r->body);
        if (j.is_array()) {
          for (const auto& e : j) {
            if (!e.is_object() || !e.contains("location")) continue;
            if (!e["location"].is_string()) continue;
            HostGate::Host::TdmRule rule;
            rule.location = e["location"].get<std::string>();
            const auto& res =
                e.contains("tdm-reservation") ? e["tdm-reservation"] : nlohmann::json();
            rule.reserved = (res.is_number_integer() && res.get<long long>() == 1) ||
                            (res.is_string() && res.get<std::string>() == "1");
            tdm.push_back(std::move(rule));
          }
        }
      } catch (const nlohmann::json::exception&) {
        // A malformed tdmrep.json declares nothing.
      }
    }
  }
  std::lock_guard<std::mutex> lock(gate_.mu_);
  HostGate::Host& h = gate_.hosts_[origin];
  h.robots = std::move(robots);
  h.tdm = std::move(tdm);
  h.rules_loaded = true;
}

Result<FetchResponse> PoliteFetcher::Fetch(const std::string& url, const FetchOptions& options) {
  std::string scheme = UrlScheme(url);
  if (scheme != "http" && scheme != "https") return inner_.Fetch(url, options);
  UrlParts parts;
  if (!SplitUrl(url, &parts)) return Status::InvalidInput(url + ": malformed URL");
  const PoliteOptions& po = gate_.options();
  using Clock = HostGate::Clock;

  bool need_rules = false;
  {
    std::unique_lock<std::mutex> lock(gate_.mu_);
    HostGate::Host& h = gate_.hosts_[parts.origin];
    Clock::time_point now = Clock::now();
    if (h.blocked_until > now) {
      long left = std::chrono::duration_cast<std::chrono::seconds>(h.blocked_until - now).count();
      return Status::Unavailable(url + ": host backing off for " + std::to_string(left + 1) +
                                 " s more (" + h.last_reason + ")");
    }
    need_rules = !h.rules_loaded && (po.honour_robots || po.honour_tdm);
  }
  if (need_rules) LoadRules(parts.origin, options);

  bool loopback = IsLoopbackHost(parts.host);
  {
    std::unique_lock<std::mutex> lock(gate_.mu_);
    HostGate::Host& h = gate_.hosts_[parts.origin];
    if (po.honour_robots && !h.robots.Allowed(parts.path)) {
      return Status::Refused(url + ": disallowed by robots.txt for " + po.robots_token);
    }
    if (po.honour_tdm) {
      const HostGate::Host::TdmRule* best = nullptr;
      for (const auto& r : h.tdm) {
        if (PathPatternMatches(r.location, parts.path) &&
            (best == nullptr || r.location.size() > best->location.size())) {
          best = &r;
        }
      }
      if (best != nullptr && best->reserved) {
        return Status::Refused(url +
                               ": text and data mining reserved by the publisher "
                               "(/.well-known/tdmrep.json)");
      }
    }
    // Wait for a slot and for the politeness delay.
    while (true) {
      gate_.cv_.wait(lock, [&] { return h.in_flight < std::max(1, po.max_per_host); });
      if (loopback || po.min_delay_ms <= 0) break;
      Clock::time_point ready = h.last_start + std::chrono::milliseconds(po.min_delay_ms);
      Clock::time_point now = Clock::now();
      if (now >= ready) break;
      lock.unlock();
      std::this_thread::sleep_for(ready - now);
      lock.lock();
    }
    ++h.in_flight;
    h.last_start = Clock::now();
  }

  Result<FetchResponse> result = inner_.Fetch(url, options);

  {
    std::lock_guard<std::mutex> lock(gate_.mu_);
    HostGate::Host& h = gate_.hosts_[parts.origin];
    --h.in_flight;
    Clock::time_point now = Clock::now();
    if (result.ok()) {
      h.consecutive_failures = 0;
    } else if (IsHostFailure(result.status())) {
      ++h.consecutive_failures;
      long retry_after = RetryAfterFromMessage(result.status().message());
      if (retry_after >= 0) {
        long wait = std::min(retry_after, po.retry_after_max_s);
        h.blocked_until = now + std::chrono::seconds(wait);
        h.last_reason = "Retry-After " + std::to_string(wait) + " s";
      } else if (h.consecutive_failures >= po.failures_before_backoff) {
        int extra = std::min(h.consecutive_failures - po.failures_before_backoff, 20);
        long wait = std::min(po.backoff_base_s << extra, po.backoff_max_s);
        h.blocked_until = now + std::chrono::seconds(wait);
        h.last_reason = std::to_string(h.consecutive_failures) +
                        " consecutive failures, last: " + result.status().message();
      }
    }
  }
  gate_.cv_.notify_all();

  if (result.ok() && po.honour_tdm) {
    if (Trim(result->tdm_reservation) == "1") {
      return Status::Refused(url +
                             ": text and data mining reserved by the publisher "
                             "(tdm-reservation: 1)");
    }
    if (HtmlReservesTdm(result->body)) {
      return Status::Refused(url +
                             ": text and data mining reserved by the publisher "
                             "(<meta name=\"tdm-reservation\">)");
    }
  }
  return result;
}

namespace {

// Counts one fetch in /metrics: newsdesk_fetches_total{result} and the bytes received.
void RecordFetch(const Result<FetchResponse>& r) {
  const char* result = "error";
  if (r.ok()) {
    result = r->not_modified ? "not_modified" : "ok";
    metrics::Count("newsdesk_fetch_bytes_total", "Body bytes received by fetches.", {},
                   static_cast<double>(r->body.size()));
  } else {
    switch (r.status().code()) {
      case StatusCode::kTimeout: result = "timeout"; break;
      case StatusCode::kRefused: result = "refused"; break;
      case StatusCode::kTooLarge: result = "too_large"; break;
      case StatusCode::kInvalidInput: result = "invalid_url"; break;
      default:
        result = r.status().message().find(": HTTP ") != std::string::npos ? "http_error"
                                                                          : "unavailable";
    }
  }
  metrics::Count("newsdesk_fetches_total", "Fetches of feeds and pages, by result.",
                 {{"result", result}});
}

class OwningPoliteFetcher : public Fetcher {
 public:
  OwningPoliteFetcher(std::unique_ptr<Fetcher> inner, PoliteOptions options)
      : inner_(std::move(inner)), gate_(std::move(options)), polite_(*inner_, gate_) {}
  Result<FetchResponse> Fetch(const std::string& url, const FetchOptions& options) override {
    Result<FetchResponse> r = polite_.Fetch(url, options);
    RecordFetch(r);
    return r;
  }

 private:
  std::unique_ptr<Fetcher> inner_;
  HostGate gate_;
  PoliteFetcher polite_;
};

}  // namespace

std::unique_ptr<Fetcher> NewPoliteFetcher(std::unique_ptr<Fetcher> inner, PoliteOptions options) {
  return std::make_unique<OwningPoliteFetcher>(std::move(inner), std::move(options));
}

}  // namespace nd::fetch
