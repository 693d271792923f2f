// Process metrics: counters, gauges and histograms with labels, kept in one process-wide
// registry and rendered in the Prometheus text exposition format 0.0.4 (what /metrics
// serves). Stages count what they do with one line:
//
//   nd::metrics::Count("newsdesk_fetches_total", "Fetches by result.", {{"result", "ok"}});
//
// or, on a hot path, keep the returned reference (it lives as long as the process):
//
//   static nd::metrics::Counter& c = nd::metrics::Global().GetCounter("...", "...", {});
//   c.Inc();
//
// Why hand-written: prometheus-cpp is not packaged in Debian 12 and the format is small.
//
// Thread-safety: everything here is safe from any thread. Looking a series up takes a
// shared (reader) lock; updating it is one relaxed atomic operation.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nd::metrics {

// Label name -> value pairs, e.g. {{"result", "ok"}}. Order does not matter.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(double n = 1.0) { value_.fetch_add(n, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double n) { value_.fetch_add(n, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: bucket upper bounds, ascending; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Cumulative counts, one per bound plus +Inf.
  std::vector<std::uint64_t> Cumulative() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

// Bucket bounds for durations in seconds, 1 ms to 10 s.
const std::vector<double>& LatencyBuckets();

class Registry {
 public:
  // The series `name`{labels} of a family, created on first use. `help` is kept from the
  // first call. A name used with another type is a programming error: the call returns
  // a series that is never rendered. Returned references stay valid for the registry's
  // lifetime.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels);
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels);
  Histogram& GetHistogram(std::string_view name, std::string_view help, const Labels& labels,
                          const std::vector<double>& bounds = LatencyBuckets());

  // All families, sorted by name: # HELP and # TYPE once per family, then its samples.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    // Canonical label string ({a="x",b="y"}, sorted, escaped) -> series.
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  template <typename T>
  T& Get(Type type, std::string_view name, std::string_view help, const Labels& labels,
         const std::vector<double>* bounds);

  mutable std::shared_mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
  Family mismatched_{Type::kCounter, {}, {}, {}, {}, {}};  // series of misused names
};

// The process-wide registry that /metrics renders.
Registry& Global();

// One-line helpers on Global().
void Count(std::string_view name, std::string_view help, const Labels& labels = {}, double n = 1.0);
void SetGauge(std::string_view name, std::string_view help, const Labels& labels, double v);
void Observe(std::string_view name, std::string_view help, const Labels& labels, double v);

// Escapes a label value for the text format: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view value);
// A sample value: integers without a fraction, NaN and +Inf/-Inf spelled as Prometheus does.
std::string FormatValue(double v);

}  // namespace nd::metrics
