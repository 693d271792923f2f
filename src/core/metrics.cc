#include "core/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>

namespace nd::metrics {
namespace {

// HELP text escaping: backslash and newline (double quotes stay).
std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} with names sorted, or "" for no labels.
std::string CanonicalLabels(const Labels& labels) {
  if (labels.empty()) return {};
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  std::string out = "{";
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out += ',';
    out += sorted[i].first;
    out += "=\"";
    out += EscapeLabelValue(sorted[i].second);
    out += '"';
  }
  out += '}';
  return out;
}

// `labels` ({...} or "") with one more label appended (for le="...").
std::string WithLabel(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 9e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  const std::size_t i =
      std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();  // le: v <= bound
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::Cumulative() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                              0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
  return kBounds;
}

template <typename T>
T& Registry::Get(Type type, std::string_view name, std::string_view help, const Labels& labels,
                 const std::vector<double>* bounds) {
  auto series_map = [](Family& f) -> std::map<std::string, std::unique_ptr<T>>& {
    if constexpr (std::is_same_v<T, Counter>) {
      return f.counters;
    } else if constexpr (std::is_same_v<T, Gauge>) {
      return f.gauges;
    } else {
      return f.histograms;
    }
  };
  const std::string key = CanonicalLabels(labels);
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto fam = families_.find(name);
    if (fam != families_.end() && fam->second.type == type) {
      auto& series = series_map(fam->second);
      auto it = series.find(key);
      if (it != series.end()) return *it->second;
    }
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto fam = families_.find(name);
  if (fam == families_.end()) {
    Family f{type, std::string(help), bounds ? *bounds : std::vector<double>{}, {}, {}, {}};
    fam = families_.emplace(std::string(name), std::move(f)).first;
  }
  Family& family = fam->second.type == type ? fam->second : mismatched_;
  auto& series = series_map(family);
  auto it = series.find(key);
  if (it == series.end()) {
    std::unique_ptr<T> made;
    if constexpr (std::is_same_v<T, Histogram>) {
      made = std::make_unique<T>(family.bounds.empty() && bounds ? *bounds : family.bounds);
    } else {
      made = std::make_unique<T>();
    }
    it = series.emplace(key, std::move(made)).first;
  }
  return *it->second;
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, const Labels& labels) {
  return Get<Counter>(Type::kCounter, name, help, labels, nullptr);
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help, const Labels& labels) {
  return Get<Gauge>(Type::kGauge, name, help, labels, nullptr);
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  const Labels& labels, const std::vector<double>& bounds) {
  return Get<Histogram>(Type::kHistogram, name, help, labels, &bounds);
}

std::string Registry::Render() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + EscapeHelp(f.help) + "\n";
    switch (f.type) {
      case Type::kCounter:
        out += "# TYPE " + name + " counter\n";
        for (const auto& [labels, c] : f.counters) {
          out += name + labels + " " + FormatValue(c->Value()) + "\n";
        }
        break;
      case Type::kGauge:
        out += "# TYPE " + name + " gauge\n";
        for (const auto& [labels, g] : f.gauges) {
          out += name + labels + " " + FormatValue(g->Value()) + "\n";
        }
        break;
      case Type::kHistogram:
        out += "# TYPE " + name + " histogram\n";
        for (const auto& [labels, h] : f.histograms) {
          const std::vector<std::uint64_t> cum = h->Cumulative();
          for (std::size_t i = 0; i < cum.size(); ++i) {
            const std::string le =
                i < h->bounds().size() ? FormatValue(h->bounds()[i]) : std::string("+Inf");
            out += name + "_bucket" + WithLabel(labels, "le=\"" + le + "\"") + " " +
                   std::to_string(cum[i]) + "\n";
          }
          out += name + "_sum" + labels + " " + FormatValue(h->Sum()) + "\n";
          // The +Inf bucket and _count agree even when an Observe races this scrape.
          out += name + "_count" + labels + " " + std::to_string(cum.back()) + "\n";
        }
        break;
    }
  }
  return out;
}

Registry& Global() {
  // Never destroyed: stages may count from threads still running at exit.
  static Registry* registry = new Registry();
  return *registry;
}

void Count(std::string_view name, std::string_view help, const Labels& labels, double n) {
  Global().GetCounter(name, help, labels).Inc(n);
}

void SetGauge(std::string_view name, std::string_view help, const Labels& labels, double v) {
  Global().GetGauge(name, help, labels).Set(v);
}

void Observe(std::string_view name, std::string_view help, const Labels& labels, double v) {
  Global().GetHistogram(name, help, labels).Observe(v);
}

}  // namespace nd::metrics
