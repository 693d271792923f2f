// fetch/polite: a Fetcher decorator that behaves like a well-mannered crawler.
//
// PoliteFetcher wraps any Fetcher and, per host (scheme://host:port):
//   - honours robots.txt (RFC 9309: the group for our product token or "*", longest
//     Allow/Disallow match, "*" and "$" patterns; a 4xx robots.txt allows everything);
//   - honours text-and-data-mining reservations (the W3C TDMRep: a "tdm-reservation: 1"
//     response header, <meta name="tdm-reservation" content="1">, and
//     /.well-known/tdmrep.json location rules): a reserved resource is refused;
//   - limits concurrent fetches (max_per_host) and spaces request starts by a politeness
//     delay (not for loopback hosts: the operator's own machine);
//   - honours Retry-After on 429 and 503 and backs off exponentially after consecutive
//     failures (5xx, timeouts, connection errors), refusing fetches to the host without
//     touching the network until the back-off ends.
// file:// URLs pass straight through.
//
// Thread-safety: HostGate is thread-safe and may be shared by several PoliteFetchers (one
// per thread, each with its own inner Fetcher); a PoliteFetcher itself, like every
// Fetcher, is used from one thread at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fetch/fetch.h"

namespace nd::fetch {

struct PoliteOptions {
  std::string robots_token = "newsdesk";  // product token matched in robots.txt groups
  bool honour_robots = true;
  bool honour_tdm = true;
  int max_per_host = 2;             // concurrent fetches per host
  long min_delay_ms = 1000;         // between request starts to one host
  int failures_before_backoff = 3;  // consecutive failures that open a back-off
  long backoff_base_s = 60;         // doubled for each further failure
  long backoff_max_s = 6 * 3600;
  long retry_after_max_s = 24 * 3600;  // Retry-After values are clamped to this
};

// Parsed robots.txt rules for one product token.
class RobotsRules {
 public:
  // Parses `text` for `token` (case-insensitive). Unknown lines are ignored.
  static RobotsRules Parse(std::string_view text, std::string_view token);
  static RobotsRules AllowAll() { return {}; }
  // `path` is the URL path plus query ("/a/b?x=1").
  bool Allowed(std::string_view path) const;

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
};

// Whether `pattern` (robots/TDMRep syntax: "*" any run, trailing "$" anchors) matches
// the start of `path`.
bool PathPatternMatches(std::string_view pattern, std::string_view path);

// Whether an HTML page declares <meta name="tdm-reservation" content="1">.
bool HtmlReservesTdm(std::string_view html);

// The "Retry-After: N s" the curl fetcher appends to 429/503 errors, or -1.
long RetryAfterFromMessage(std::string_view message);

// What the gate knows about one host, for status pages.
struct HostStatus {
  std::string host;  // "https://example.com:443"
  int consecutive_failures = 0;
  long backoff_remaining_s = 0;  // 0 when the host may be fetched
  std::string last_reason;       // why the back-off started
};

class HostGate {
 public:
  explicit HostGate(PoliteOptions options = {});

  const PoliteOptions& options() const { return options_; }
  std::vector<HostStatus> Snapshot() const;

 private:
  friend class PoliteFetcher;
  using Clock = std::chrono::steady_clock;
  struct Host {
    int in_flight = 0;
    Clock::time_point last_start{};
    Clock::time_point blocked_until{};
    int consecutive_failures = 0;
    std::string last_reason;
    bool rules_loaded = false;
    RobotsRules robots;
    struct TdmRule {
      std::string location;
      bool reserved = false;
    };
    std::vector<TdmRule> tdm;
  };

  PoliteOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Host> hosts_;
};

class PoliteFetcher : public Fetcher {
 public:
  // `inner` and `gate` must outlive the PoliteFetcher.
  PoliteFetcher(Fetcher& inner, HostGate& gate) : inner_(inner), gate_(gate) {}

  Result<FetchResponse> Fetch(const std::string& url, const FetchOptions& options) override;

 private:
  void LoadRules(const std::string& origin, const FetchOptions& options);

  Fetcher& inner_;
  HostGate& gate_;
};

// A PoliteFetcher that owns its inner fetcher and gate (for single-threaded callers).
std::unique_ptr<Fetcher> NewPoliteFetcher(std::unique_ptr<Fetcher> inner,
                                          PoliteOptions options = {});

}  // namespace nd::fetch
