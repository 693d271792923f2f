// cluster_bench: clustering speed and memory on a synthetic archive.
//
// Generates N articles (English, with one in five in Chinese) about events that each run
// for about a day with a handful of reports; every event has its own words, two or three
// named actors from the gazetteer (countries, cities, leaders, organisations, in English or
// Chinese), numbers and a date, over a Zipf-distributed background vocabulary of 40,000
// words shared by all, so candidate retrieval has long posting lists to cut through.
// Runs text analysis (MakeClusterDoc) and assignment (Clusterer::Add) in time order on one
// thread and prints one JSON line: per-article assignment time over the last 1,000
// articles before 10,000 and before N, articles per second for the whole stage
// (analysis + assignment) and for assignment alone, BCubed F1 against the generated
// events, and peak memory (max RSS).
//
// Usage: nd_cluster_bench [N=100000 [ARTICLES_PER_DAY=3333 [FOLLOW_WINDOW_DAYS=21]]]
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/cluster.h"
#include "core/types.h"

namespace {

struct Rng {
  std::uint64_t s = 0x9E3779B97F4A7C15ULL;
  std::uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
};

const char* const kActorsEn[] = {
    "France",        "Germany",        "Japan",   "China",      "Brazil",
    "India",         "Kenya",          "Canada",  "Mexico",     "Poland",
    "Turkey",        "Egypt",          "Vietnam", "Chile",      "Norway",
    "Beijing",       "Tokyo",          "Berlin",  "Paris",      "Nairobi",
    "Ottawa",        "Lima",           "Hanoi",   "Xi Jinping", "Emmanuel Macron",
    "Narendra Modi", "William Ruto",   "NATO",    "World Bank", "IMF",
    "WHO",           "European Union", "Tesla",   "Huawei",     "Toyota",
    "Boeing",        "United Nations", "ASEAN",   "OPEC",       "G20"};
const char* const kActorsZh[] = {"法国",     "德国",   "日本",   "中国",     "巴西",
                                 "印度",     "肯尼亚", "加拿大", "墨西哥",   "波兰",
                                 "土耳其",   "埃及",   "越南",   "智利",     "挪威",
                                 "北京",     "东京",   "柏林",   "巴黎",     "内罗毕",
                                 "渥太华",   "利马",   "河内",   "习近平",   "马克龙",
                                 "莫迪",     "鲁托",   "北约",   "世界银行", "国际货币基金组织",
                                 "世卫组织", "欧盟",   "特斯拉", "华为",     "丰田",
                                 "波音",     "联合国", "东盟",   "欧佩克",   "二十国集团"};
constexpr std::size_t kActors = sizeof(kActorsEn) / sizeof(kActorsEn[0]);
const char* const kHan =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你";

std::string EnWord(std::size_t i) {
  static const char* const kSyl[] = {"ka",  "lo", "mi", "ren", "tor", "sa",  "vel", "qu",
                                     "dan", "ix", "pe", "mor", "lun", "gra", "fi",  "zo"};
  std::string w;
  do {
    w += kSyl[i % 16];
    i /= 16;
  } while (i > 0);
  return w;
}

std::string ZhWord(std::size_t i) {
  // Two or three Han characters from a fixed set (3 bytes each).
  const std::string han(kHan);
  const std::size_t n = han.size() / 3;
  std::string w;
  for (int k = 0; k < 2 + static_cast<int>(i % 2); ++k) {
    w += han.substr((i % n) * 3, 3);
    i /= n;
  }
  return w;
}

struct Event {
  std::vector<std::size_t> words;
  std::vector<std::size_t> actors;
  int number = 0;
};

// CPU time of this thread, in seconds (not wall time: other work on the machine does not
// count).
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  // Articles per day in the synthetic stream (default: 100,000 over 30 days).
  const double per_day = argc > 2 ? std::strtod(argv[2], nullptr) : 100000.0 / 30;
  constexpr std::size_t kVocab = 40000;
  constexpr std::size_t kPerEvent = 6;
  constexpr nd::UnixTime kT0 = 1772409600;
  Rng rng;
  // Zipf background: cumulative weights 1/(rank+1).
  std::vector<double> cdf(kVocab);
  double acc = 0;
  for (std::size_t r = 0; r < kVocab; ++r) cdf[r] = acc += 1.0 / static_cast<double>(r + 1);
  auto zipf = [&] {
    const double x = rng.Unit() * acc;
    return static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
  };
  // Events overlap: a new one starts every kPerEvent/2 articles on average and runs a day.
  std::vector<Event> events;
  std::vector<std::size_t> gold;
  std::vector<nd::Article> articles;
  articles.reserve(n);
  const double seconds_per_article = 86400.0 / per_day;
  std::vector<std::size_t> live;
  for (std::size_t i = 0; i < n; ++i) {
    if (live.empty() || rng.Below(kPerEvent) < 2 || live.size() < 8) {
      Event e;
      for (int k = 0; k < 8; ++k) e.words.push_back(kVocab + rng.Below(2'000'000));
      for (int k = 0; k < 2 + static_cast<int>(rng.Below(2)); ++k) {
        e.actors.push_back(rng.Below(kActors));
      }
      e.number = 10 + static_cast<int>(rng.Below(99990));
      events.push_back(e);
      live.push_back(events.size() - 1);
      if (live.size() > 40) live.erase(live.begin());
    }
    const std::size_t ev = live[rng.Below(live.size())];
    const Event& e = events[ev];
    const bool zh = rng.Below(5) == 0;
    auto word = [&](std::size_t w) { return zh ? ZhWord(w) : EnWord(w); };
    auto actor = [&](std::size_t a) { return std::string(zh ? kActorsZh[a] : kActorsEn[a]); };
    const std::string sep = zh ? "" : " ";
    nd::Article a;
    a.id = static_cast<std::int64_t>(i + 1);
    a.lang = zh ? "zh-Hans" : "en";
    a.published = kT0 + static_cast<nd::UnixTime>(static_cast<double>(i) * seconds_per_article);
    a.title = actor(e.actors[0]) + sep + word(e.words[rng.Below(8)]) + sep +
              word(e.words[rng.Below(8)]) + sep + word(zipf());
    std::string body;
    for (int k = 0; k < 90; ++k) {
      const std::size_t r = rng.Below(10);
      std::string w = r < 3   ? word(e.words[rng.Below(8)])
                      : r < 4 ? actor(e.actors[rng.Below(e.actors.size())])
                              : word(zipf());
      body += w + sep;
      if (k % 15 == 14) body += zh ? "。" : ". ";
    }
    body += std::to_string(e.number) + (zh ? "万人。" : " people.");
    a.blocks.push_back({nd::BlockKind::kParagraph, body});
    articles.push_back(std::move(a));
    gold.push_back(ev);
  }

  std::int64_t next_id = 1;
  nd::cluster::ClusterOptions options;
  if (argc > 3) options.follow_window_seconds = std::atol(argv[3]) * 86400;
  nd::cluster::Clusterer clusterer(options, [&] { return next_id++; });
  std::vector<std::int64_t> pred(n);
  double analysis_s = 0, assign_s = 0, window_s = 0;
  double at_10k_us = 0, at_end_us = 0;
  std::size_t max_scored = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t0 = CpuNow();
    const nd::cluster::ClusterDoc doc = nd::cluster::MakeClusterDoc(articles[i]);
    const double t1 = CpuNow();
    pred[i] = clusterer.Add(doc).cluster;
    const double t2 = CpuNow();
    analysis_s += (t1 - t0);
    assign_s += (t2 - t1);
    max_scored = std::max(max_scored, clusterer.last_candidates_scored());
    const std::size_t done = i + 1;
    if (done % 10000 > 9000 || done % 10000 == 0) window_s += (t2 - t1);
    if (done % 10000 == 0) {
      if (done == 10000) at_10k_us = window_s / 1000 * 1e6;
      at_end_us = window_s / 1000 * 1e6;
      std::fprintf(stderr, "%zu articles: %.1f us per assignment (last 1000)\n", done,
                   window_s / 1000 * 1e6);
      window_s = 0;
    }
  }
  // BCubed F1 against the generated events (sampled items for speed).
  std::unordered_map<std::int64_t, std::vector<std::size_t>> by_pred;
  std::unordered_map<std::size_t, std::vector<std::size_t>> by_gold;
  for (std::size_t i = 0; i < n; ++i) {
    by_pred[pred[i]].push_back(i);
    by_gold[gold[i]].push_back(i);
  }
  double p = 0, r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double both = 0;
    for (std::size_t j : by_pred[pred[i]]) both += gold[j] == gold[i];
    p += both / static_cast<double>(by_pred[pred[i]].size());
    r += both / static_cast<double>(by_gold[gold[i]].size());
  }
  p /= static_cast<double>(n);
  r /= static_cast<double>(n);
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "{\"articles\":%zu,\"assign_us_at_10k\":%.1f,\"assign_us_at_end\":%.1f,"
      "\"articles_per_s_stage\":%.0f,\"articles_per_s_assign\":%.0f,"
      "\"analysis_us\":%.1f,\"max_candidates_scored\":%zu,\"bcubed_p\":%.3f,"
      "\"bcubed_r\":%.3f,\"bcubed_f1\":%.3f,\"peak_rss_mib\":%.0f}\n",
      n, at_10k_us, at_end_us, static_cast<double>(n) / (analysis_s + assign_s),
      static_cast<double>(n) / assign_s, analysis_s / static_cast<double>(n) * 1e6, max_scored, p,
      r, 2 * p * r / (p + r), static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
