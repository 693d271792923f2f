// Related-stories and search latency on a synthetic archive.
//
// Generates N stories (default 100,000) over 8,000 events: each story has a headline and a
// body of ~120 words drawn from a Zipf-distributed vocabulary of 60,000 synthetic English
// words plus 12 words specific to its event, 3-6 entity keys (from 20,000) and 2 numbers of
// its event; one story in five is Chinese (synthetic Han text, half of it in Traditional
// characters written through OpenCC). Then, on one thread:
//  - relate: RelatedIndex::Add for every story (the incremental update, timed per add),
//    then Related(id, 6) for 2,000 random stories;
//  - search: every story saved through SqliteStore::SaveStory into a fresh database (the
//    incremental index update, timed per story), then Store::Search(SearchOptions) for
//    1,000 queries: 1-3 words (English, Simplified, Traditional, mixed, one in five
//    misspelled), 20 results with highlighted snippets;
// and prints p50/p99/max for each, the index memory (RSS growth) and the database size.
//
// Usage: nd_relate_bench [--stories N] [--db-dir DIR] [--queries Q] [--db FILE]
//                        [--search-only 1]
// --db FILE keeps the database there and, when FILE already holds N stories (from an earlier
// run with the same N), searches it without saving the stories again. --search-only 1 skips
// the relate half (the queries are the same: the random stream is consumed alike).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "relate/relate.h"
#include "store/store.h"
#include "text/text.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr long kDay = 86400;
constexpr long kT0 = 1767225600;  // 2026-01-01

long RssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// CPU time of this thread, in ms: what one core spends, whatever else the machine runs.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Stats {
  std::vector<double> ms;
  std::vector<double> cpu;
  double cpu_start = 0;
  Clock::time_point Start() {
    cpu_start = ThreadCpuMs();
    return Clock::now();
  }
  void Add(Clock::time_point start) {
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    cpu.push_back(ThreadCpuMs() - cpu_start);
  }
  static double Pct(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  }
  void Print(const char* what) {
    std::printf("| %-32s | %7zu | %8.3f | %8.3f | %8.3f | %8.3f |\n", what, ms.size(),
                Pct(cpu, 0.5), Pct(cpu, 0.99), Pct(ms, 0.5), Pct(ms, 0.99));
  }
};

// Synthetic English word number i: syllables from a fixed table.
std::string Word(int i) {
  static const char* kSyl[] = {"ka", "to", "re",  "mi",   "lan", "dor", "ve",  "su", "pri", "gol",
                               "ne", "ba", "sto", "quen", "fa",  "ri",  "mon", "te", "zu",  "hal"};
  std::string w;
  int x = i + 20;
  while (x > 0) {
    w += kSyl[x % 20];
    x /= 20;
  }
  return w + "s";  // plural: exercised by the stemmer
}

// Synthetic Chinese word number i: two Han characters from a block of common ones.
std::string Han(int i) {
  auto ch = [](int c) {
    const unsigned cp = 0x4E00 + static_cast<unsigned>(c % 3000) * 5;
    std::string s;
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
    return s;
  };
  return ch(i) + ch(i / 3000 + i * 7);
}

struct Gen {
  std::mt19937_64 rng{42};
  std::vector<double> zipf_cdf;
  explicit Gen(int vocab) {
    zipf_cdf.resize(vocab);
    double sum = 0;
    for (int i = 0; i < vocab; ++i) zipf_cdf[i] = (sum += 1.0 / std::pow(i + 1, 1.05));
    for (double& c : zipf_cdf) c /= sum;
  }
  int Zipf() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<int>(std::lower_bound(zipf_cdf.begin(), zipf_cdf.end(), u) -
                            zipf_cdf.begin());
  }
  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
};

struct Synthetic {
  nd::Story story;
  nd::relate::RelateDoc doc;
};

constexpr int kVocab = 60000;
constexpr int kEvents = 8000;
constexpr int kEntities = 20000;

Synthetic MakeStory(Gen& g, std::int64_t id) {
  const int event = g.Uniform(kEvents);
  const bool zh = g.Uniform(5) == 0;
  const bool hant = zh && g.Uniform(2) == 0;
  auto word = [&](int i) { return zh ? Han(i) : Word(i); };
  auto event_word = [&]() { return word(kVocab + event * 12 + g.Uniform(12)); };
  std::string headline;
  for (int i = 0; i < 6; ++i) headline += (i ? " " : "") + (i % 2 ? word(g.Zipf()) : event_word());
  std::string body;
  for (int s = 0; s < 8; ++s) {
    for (int i = 0; i < 15; ++i) {
      body += (i ? " " : "") + (g.Uniform(5) == 0 ? event_word() : word(g.Zipf()));
    }
    body += zh ? "。" : ". ";
  }
  if (hant) {
    headline = nd::text::ToTraditional(headline);
    body = nd::text::ToTraditional(body);
  }
  Synthetic out;
  nd::Story& st = out.story;
  st.id = id;
  st.lang = zh ? (hant ? "zh-Hant" : "zh-Hans") : "en";
  st.section = std::vector<std::string>{"world", "business", "china", "tech"}[event % 4];
  st.first_published = kT0 + (event % 365) * kDay + g.Uniform(3 * kDay);
  nd::StoryText t;
  t.lang = st.lang;
  t.headline = headline;
  t.dek.push_back({body.substr(0, body.find(zh ? "。" : ". ")), {0}});
  t.body.push_back(nd::Paragraph{{{body, {0}}}});
  st.texts = {t};
  nd::relate::RelateDoc& d = out.doc;
  d.id = id;
  d.time = st.first_published;
  d.terms = nd::text::MatchTerms(headline + "\n" + body, st.lang);
  const int n_keys = 3 + g.Uniform(4);
  for (int i = 0; i < n_keys; ++i) {
    // Half the keys are the event's, half any entity (popular ones more often).
    const int e = i % 2 ? (event * 3 + i) % kEntities : g.Zipf() % kEntities;
    d.keys.push_back("entity:" + std::to_string(e));
  }
  d.keys.push_back("#" + std::to_string(event % 997) + ".5");
  d.keys.push_back("@" + std::to_string(1 + event % 12) + "-" + std::to_string(1 + event % 28));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000;
  int queries = 1000;
  std::string db_dir;
  std::string keep_db;
  bool search_only = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--stories") n = std::atoi(argv[i + 1]);
    if (a == "--queries") queries = std::atoi(argv[i + 1]);
    if (a == "--db-dir") db_dir = argv[i + 1];
    if (a == "--db") keep_db = argv[i + 1];
    if (a == "--search-only") search_only = std::atoi(argv[i + 1]) != 0;
  }
  if (db_dir.empty()) db_dir = std::filesystem::temp_directory_path().string();

  Gen g(kVocab);
  std::vector<Synthetic> stories;
  stories.reserve(n);
  const auto gen_start = Clock::now();
  for (int i = 1; i <= n; ++i) stories.push_back(MakeStory(g, i));
  std::printf("generated %d stories in %.1f s\n", n,
              std::chrono::duration<double>(Clock::now() - gen_start).count());

  // --- Relate --------------------------------------------------------------------------
  if (search_only) {
    for (int i = 0; i < 2000; ++i) g.Uniform(n);  // the Related queries' draws
  } else {
    const long rss_before = RssKb();
    nd::relate::RelatedIndex index;
    Stats add;
    for (const Synthetic& s : stories) {
      const auto t = add.Start();
      index.Add(s.doc);
      add.Add(t);
    }
    const long rss_index = RssKb() - rss_before;
    Stats related;
    std::size_t listed = 0;
    for (int i = 0; i < 2000; ++i) {
      const std::int64_t id = 1 + g.Uniform(n);
      const auto t = related.Start();
      listed += index.Related(id, 6).size();
      related.Add(t);
    }
    std::printf("| operation | n | CPU p50 ms | CPU p99 ms | wall p50 ms | wall p99 ms |\n");
    std::printf("|---|---|---|---|---|---|\n");
    add.Print("relate: index add (incremental)");
    related.Print("relate: Related(id, 6)");
    std::printf("relate: %.2f items per query; index memory (RSS growth) %.1f MB\n",
                listed / 2000.0, rss_index / 1024.0);
  }

  // --- Search --------------------------------------------------------------------------
  const std::string db =
      keep_db.empty() ? db_dir + "/nd_relate_bench_" + std::to_string(getpid()) + ".db" : keep_db;
  if (keep_db.empty()) std::filesystem::remove(db);
  auto opened = nd::Store::Open(db);
  if (!opened.ok()) {
    std::cerr << opened.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<nd::Store> store = std::move(opened).value();
  Stats save;
  auto saved = store->CountStories();
  const bool reuse = saved.ok() && *saved == n;
  if (saved.ok() && *saved != 0 && !reuse) {
    std::cerr << db << ": holds " << *saved << " stories, not 0 or " << n << "\n";
    return 1;
  }
  for (Synthetic& s : stories) {
    if (reuse) break;
    auto id = store->CreateStory();
    if (!id.ok()) {
      std::cerr << id.status().ToString() << "\n";
      return 1;
    }
    s.story.id = *id;
    const auto t = save.Start();
    nd::Status st = store->SaveStory(s.story);
    save.Add(t);
    if (!st.ok()) {
      std::cerr << st.ToString() << "\n";
      return 1;
    }
  }
  const long rss_search = RssKb();
  Stats search;
  Stats search_filtered;
  std::size_t hits = 0;
  for (int i = 0; i < queries; ++i) {
    const int kind = i % 5;  // en, zh-Hans, zh-Hant, mixed, misspelled en
    std::string q;
    const int words = 1 + g.Uniform(3);
    for (int w = 0; w < words; ++w) {
      const int v = g.Uniform(4) == 0 ? kVocab + g.Uniform(kEvents * 12) : g.Zipf();
      std::string term = kind == 1 || kind == 2 || (kind == 3 && w % 2) ? Han(v) : Word(v);
      if (kind == 2) term = nd::text::ToTraditional(term);
      if (kind == 4 && term.size() > 4) std::swap(term[1], term[2]);  // a typing error
      q += (w ? " " : "") + term;
    }
    nd::SearchOptions o;
    o.query = q;
    o.limit = 20;
    auto t = search.Start();
    auto r = store->Search(o);
    search.Add(t);
    if (!r.ok()) {
      std::cerr << r.status().ToString() << "\n";
      return 1;
    }
    hits += r->size();
    o.section = "business";
    o.since = kT0 + 30 * kDay;
    o.until = kT0 + 200 * kDay;
    t = search_filtered.Start();
    r = store->Search(o);
    search_filtered.Add(t);
  }
  std::printf("| operation | n | CPU p50 ms | CPU p99 ms | wall p50 ms | wall p99 ms |\n");
  std::printf("|---|---|---|---|---|---|\n");
  if (!reuse) save.Print("search: SaveStory (index update)");
  search.Print("search: Search, 20 hits");
  search_filtered.Print("search: Search + section/date");
  std::printf(
      "search: %.1f hits per query; database %.1f MB; RSS growth while searching %.1f MB; "
      "process max RSS %.1f MB\n",
      static_cast<double>(hits) / queries, std::filesystem::file_size(db) / (1024.0 * 1024.0),
      (RssKb() - rss_search) / 1024.0, [] {
        struct rusage ru {};
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_maxrss / 1024.0;
      }());
  store.reset();
  if (!keep_db.empty()) return 0;
  std::filesystem::remove(db);
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  return 0;
}
