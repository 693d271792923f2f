// Hostile-server tests: a server on 127.0.0.1 misbehaves in one way per test (slow drip,
// endless body, gzip and brotli bombs, redirect loop, redirect to a private address, wrong
// content types, a 10 MB single line, invalid UTF-8, malformed XML, 100,000 items, storms
// of 500 and 429). Each test ingests the hostile source and a well-behaved one through the
// real stack (Ingester -> PoliteFetcher -> curl), then checks that the run ended within a
// time bound, that the process's peak RSS grew by less than a memory bound, that the hostile
// source has a clear error recorded, and that the good source was still ingested.
//
// The bounds are loose (several times what a Debug build needs on a loaded 2-core machine);
// they catch a fetcher that hangs or buffers a bomb, not small slowdowns.

#include <arpa/inet.h>
#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/config.h"
#include "app/ingest.h"
#include "fetch/fetch.h"
#include "fetch/polite.h"
#include "store/store.h"

namespace nd {
namespace {

namespace fs = std::filesystem;

// AddressSanitizer keeps freed memory in quarantine and pads every allocation, so the
// same work peaks higher in a sanitizer build (`make test-asan`, which CI runs): the
// memory bounds below are for the plain build and are scaled by this factor there.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kSanitizerMemoryFactor = 3;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kSanitizerMemoryFactor = 3;
#else
constexpr long kSanitizerMemoryFactor = 1;
#endif
#else
constexpr long kSanitizerMemoryFactor = 1;
#endif
using Clock = std::chrono::steady_clock;

// One connection of the test server.
class Conn {
 public:
  Conn(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
  // False once the client went away or the server is stopping.
  bool Send(std::string_view data) {
    if (stopping_) return false;
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool stopping() const { return stopping_; }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
};

// A small threaded HTTP/1.0-style server: one request per connection, then close.
class Server {
 public:
  using Handler = std::function<void(const std::string& path, Conn& conn)>;

  explicit Server(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 64), 0);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~Server() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (std::thread& t : workers_) t.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_; }
  // Requests other than /robots.txt and /.well-known/tdmrep.json.
  int content_requests() const { return content_requests_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        if (stopping_) return;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }
  void Serve(int fd) {
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos && in.size() < 65536) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    std::string path;
    std::size_t sp1 = in.find(' ');
    std::size_t sp2 = in.find(' ', sp1 + 1);
    if (sp1 != std::string::npos && sp2 != std::string::npos) {
      path = in.substr(sp1 + 1, sp2 - sp1 - 1);
    }
    ++requests_;
    if (path != "/robots.txt" && path != "/.well-known/tdmrep.json") ++content_requests_;
    Conn conn(fd, stopping_);
    if (path == "/robots.txt" || path == "/.well-known/tdmrep.json") {
      conn.Send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    } else {
      handler_(path, conn);
    }
    shutdown(fd, SHUT_RDWR);
    close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> content_requests_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

std::string Response(int status, const std::string& content_type, const std::string& body,
                     const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
         "Connection: close\r\n\r\n" + body;
}

std::string Rss(const std::string& title, const std::vector<std::string>& links) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
      "<title>" +
      title + "</title><link>http://example.org/</link>\n";
  int i = 0;
  for (const std::string& l : links) {
    out += "<item><title>Item " + std::to_string(++i) + "</title><link>" + l + "</link></item>\n";
  }
  return out + "</channel></rss>\n";
}

std::string ArticleHtml(const std::string& title) {
  std::string body;
  for (int i = 0; i < 6; ++i) {
    body += "<p>The harbour authority said on Tuesday that the " + title +
            " inquiry would report within weeks, after residents raised concerns about the "
            "dredging contract and the cost of repairs to the northern breakwater.</p>\n";
  }
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><article><h1>" + title + "</h1>" + body + "</article></body></html>";
}

// A well-behaved site: /feed.xml lists two articles.
std::function<void(const std::string&, Conn&)> GoodSite(const Server* const* self) {
  return [self](const std::string& path, Conn& c) {
    if (path == "/feed.xml") {
      c.Send(Response(200, "application/rss+xml",
                      Rss("Good", {(*self)->Url("/a1.html"), (*self)->Url("/a2.html")})));
    } else if (path == "/a1.html" || path == "/a2.html") {
      c.Send(Response(200, "text/html; charset=utf-8", ArticleHtml("Harbour " + path)));
    } else {
      c.Send(Response(404, "text/plain", "no"));
    }
  };
}

long MaxRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// Streams `total` zero bytes through a compressor into a small body.
std::string GzipZeros(std::size_t total) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string zeros(1 << 20, '\0');
  std::string out;
  char buf[1 << 16];
  std::size_t fed = 0;
  int flush = Z_NO_FLUSH;
  do {
    if (zs.avail_in == 0 && flush == Z_NO_FLUSH) {
      std::size_t n = std::min(zeros.size(), total - fed);
      zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
      zs.avail_in = static_cast<uInt>(n);
      fed += n;
      if (fed == total) flush = Z_FINISH;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    deflate(&zs, flush);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (!(flush == Z_FINISH && zs.avail_out != 0));
  deflateEnd(&zs);
  return out;
}

std::string BrotliZeros(std::size_t total) {
  BrotliEncoderState* s = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
  BrotliEncoderSetParameter(s, BROTLI_PARAM_QUALITY, 5);
  std::string zeros(1 << 20, '\0');
  std::string out;
  std::size_t fed = 0;
  while (true) {
    std::size_t n = std::min(zeros.size(), total - fed);
    const uint8_t* next_in = reinterpret_cast<const uint8_t*>(zeros.data());
    std::size_t avail_in = n;
    fed += n;
    BrotliEncoderOperation op = fed == total ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS;
    do {
      uint8_t buf[1 << 16];
      uint8_t* next_out = buf;
      std::size_t avail_out = sizeof buf;
      BrotliEncoderCompressStream(s, op, &avail_in, &next_in, &avail_out, &next_out, nullptr);
      out.append(reinterpret_cast<char*>(buf), sizeof buf - avail_out);
    } while (avail_in > 0 || BrotliEncoderHasMoreOutput(s) ||
             (op == BROTLI_OPERATION_FINISH && !BrotliEncoderIsFinished(s)));
    if (op == BROTLI_OPERATION_FINISH) break;
  }
  BrotliEncoderDestroyInstance(s);
  return out;
}

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) {
      if (n != 0) return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nd_hostile_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_.db = (dir_ / "nd.db").string();
    config_.fetch.allow_networks = {"127.0.0.0/8"};
    config_.fetch.timeout_s = 3;
    config_.fetch.connect_timeout_s = 2;
    config_.fetch.max_bytes = 4 << 20;
    good_ = std::make_unique<Server>(GoodSite(&good_ptr_));
    good_ptr_ = good_.get();
  }
  void TearDown() override {
    good_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Ingests `bad_inputs` then the good feed; returns the stats and checks the bounds.
  app::IngestStats Ingest(const std::vector<std::string>& bad_feeds, double max_seconds,
                          long max_rss_growth_mb) {
    auto store = Store::Open(config_.db);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return {};
    store_ = std::move(*store);
    auto fetcher = fetch::NewPoliteFetcher(fetch::NewCurlFetcher());
    app::Ingester ingester(config_, *store_, *fetcher);
    std::vector<app::IngestInput> inputs;
    for (const std::string& f : bad_feeds) inputs.push_back({app::IngestInput::Kind::kFeed, f});
    inputs.push_back({app::IngestInput::Kind::kFeed, good_->Url("/feed.xml")});
    long rss_before = MaxRssKb();
    Clock::time_point start = Clock::now();
    app::IngestStats stats = ingester.Run(inputs);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    long growth_mb = (MaxRssKb() - rss_before) / 1024;
    std::printf("hostile: %s: %.2f s, peak RSS +%ld MB\n",
                ::testing::UnitTest::GetInstance()->current_test_info()->name(), seconds,
                growth_mb);
    EXPECT_LT(seconds, max_seconds) << "ingest took too long";
    EXPECT_LT(growth_mb, max_rss_growth_mb * kSanitizerMemoryFactor) << "peak RSS grew too much";
    // The good source was still ingested.
    EXPECT_TRUE(*store_->HasArticleUrl(good_->Url("/a1.html")));
    EXPECT_TRUE(*store_->HasArticleUrl(good_->Url("/a2.html")));
    return stats;
  }

  // The error recorded for the source `url` (Source.last_error).
  std::string SourceError(const std::string& url) {
    auto sources = store_->ListSources();
    if (!sources.ok()) return "<no sources>";
    for (const Source& s : *sources) {
      if (s.url == url) return s.last_error;
    }
    return "<source not stored>";
  }

  static bool AnyLineHas(const app::IngestStats& stats, const std::string& a,
                         const std::string& b) {
    for (const std::string& l : stats.errors) {
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_;
  app::Config config_;
  std::unique_ptr<Server> good_;
  const Server* good_ptr_ = nullptr;
  std::unique_ptr<Store> store_;
};

TEST_F(HostileTest, SlowDripTimesOut) {
  Server bad([](const std::string&, Conn& c) {
    if (!c.Send("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                "Content-Length: 100000\r\n\r\n<rss>")) {
      return;
    }
    // One byte every 200 ms: far below the low-speed limit, never finishing.
    for (int i = 0; i < 600 && c.Send(" "); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 20, 64);
  EXPECT_EQ(stats.sources_failed, 1u);
  std::string err = SourceError(url);
  EXPECT_NE(err.find(url), std::string::npos) << err;
  EXPECT_TRUE(err.find("too slow") != std::string::npos ||
              err.find("timed out") != std::string::npos)
      << err;
}

TEST_F(HostileTest, EndlessBodyHitsTheCap) {
  Server bad([](const std::string&, Conn& c) {
    if (!c.Send("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                "Connection: close\r\n\r\n<rss><channel>")) {
      return;
    }
    std::string chunk(64 * 1024, 'x');
    while (c.Send(chunk)) {
    }
  });
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 30, 64);
  std::string err = SourceError(url);
  EXPECT_NE(err.find("exceeds the cap"), std::string::npos) << err;
  EXPECT_EQ(stats.sources_failed, 1u);
}

TEST_F(HostileTest, GzipBombIsCappedAfterDecompression) {
  static const std::string kBomb = GzipZeros(256u << 20);  // 256 MB -> ~250 KB
  ASSERT_LT(kBomb.size(), 1u << 20);
  Server bad([](const std::string&, Conn& c) {
    c.Send(Response(200, "application/rss+xml", kBomb, "Content-Encoding: gzip\r\n"));
  });
  std::string url = bad.Url("/feed.xml");
  Ingest({url}, 30, 64);
  std::string err = SourceError(url);
  EXPECT_NE(err.find("exceeds the cap of 4194304 bytes"), std::string::npos) << err;
}

TEST_F(HostileTest, BrotliBombIsCappedAfterDecompression) {
  static const std::string kBomb = BrotliZeros(256u << 20);
  ASSERT_LT(kBomb.size(), 1u << 20);
  Server bad([](const std::string&, Conn& c) {
    c.Send(Response(200, "application/rss+xml", kBomb, "Content-Encoding: br\r\n"));
  });
  std::string url = bad.Url("/feed.xml");
  Ingest({url}, 30, 64);
  std::string err = SourceError(url);
  EXPECT_NE(err.find("exceeds the cap of 4194304 bytes"), std::string::npos) << err;
}

TEST_F(HostileTest, RedirectLoopStops) {
  const Server* self = nullptr;
  Server bad([&self](const std::string& path, Conn& c) {
    c.Send(Response(302, "text/plain", "", "Location: " + self->Url(path + "x") + "\r\n"));
  });
  self = &bad;
  std::string url = bad.Url("/feed.xml");
  Ingest({url}, 20, 64);
  std::string err = SourceError(url);
  EXPECT_NE(err.find("redirects"), std::string::npos) << err;
  EXPECT_LE(bad.content_requests(), 8);  // the cap of 5 redirects held
}

TEST_F(HostileTest, RedirectToPrivateAddressRefused) {
  Server bad([](const std::string&, Conn& c) {
    c.Send(
        Response(302, "text/plain", "", "Location: http://169.254.169.254/latest/meta-data/\r\n"));
  });
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 20, 64);
  std::string err = SourceError(url);
  EXPECT_NE(err.find("non-public address 169.254.169.254"), std::string::npos) << err;
  EXPECT_EQ(stats.sources_failed, 1u);
}

TEST_F(HostileTest, FileLinkInsideRemoteFeedRefused) {
  Server bad([](const std::string&, Conn& c) {
    c.Send(Response(200, "application/rss+xml", Rss("Evil", {"file:///etc/passwd"})));
  });
  app::IngestStats stats = Ingest({bad.Url("/feed.xml")}, 20, 64);
  EXPECT_TRUE(AnyLineHas(stats, "file:///etc/passwd", "refused"))
      << ::testing::PrintToString(stats.errors);
  EXPECT_FALSE(*store_->HasArticleUrl("file:///etc/passwd"));
}

TEST_F(HostileTest, WrongContentTypes) {
  // A feed sent as image/png is still read as a feed (the bytes decide); binary bytes sent
  // as application/rss+xml are a clear "not a feed" error.
  const Server* self = nullptr;
  Server bad([&self](const std::string& path, Conn& c) {
    if (path == "/mislabelled.xml") {
      c.Send(Response(200, "image/png", Rss("Mislabelled", {self->Url("/page.html")})));
    } else if (path == "/page.html") {
      c.Send(Response(200, "application/octet-stream", ArticleHtml("Mislabelled page")));
    } else {
      std::string png = "\x89PNG\r\n\x1a\n";
      for (int i = 0; i < 4096; ++i) png.push_back(static_cast<char>((i * 7919) & 0xff));
      c.Send(Response(200, "application/rss+xml", png));
    }
  });
  self = &bad;
  std::string binary = bad.Url("/binary.xml");
  Ingest({bad.Url("/mislabelled.xml"), binary}, 20, 64);
  EXPECT_TRUE(*store_->HasArticleUrl(bad.Url("/page.html")));
  EXPECT_EQ(SourceError(bad.Url("/mislabelled.xml")), "");
  std::string err = SourceError(binary);
  EXPECT_NE(err, "");
  EXPECT_NE(err.find(binary), std::string::npos) << err;
}

TEST_F(HostileTest, TenMegabyteSingleLine) {
  config_.fetch.max_bytes = 16 << 20;
  static const std::string kLine = "<rss><channel><title>" + std::string(10u << 20, 'A');
  Server bad(
      [](const std::string&, Conn& c) { c.Send(Response(200, "application/rss+xml", kLine)); });
  std::string url = bad.Url("/feed.xml");
  Ingest({url}, 60, 400);
  std::string err = SourceError(url);
  EXPECT_NE(err, "");
  EXPECT_NE(err.find(url), std::string::npos) << err;
}

TEST_F(HostileTest, InvalidUtf8BecomesReplacementCharacters) {
  const Server* self = nullptr;
  Server bad([&self](const std::string& path, Conn& c) {
    if (path == "/feed.xml") {
      c.Send(Response(200, "application/rss+xml; charset=utf-8",
                      Rss("Bad \xff\xfe bytes \xc3", {self->Url("/p.html")})));
    } else {
      c.Send(Response(200, "text/html; charset=utf-8",
                      ArticleHtml("Broken \xed\xa0\x80 surrogate \xf8\x88\x80\x80\x80 text")));
    }
  });
  self = &bad;
  std::string url = bad.Url("/feed.xml");
  Ingest({url}, 20, 64);
  auto sources = store_->ListSources();
  ASSERT_TRUE(sources.ok());
  for (const Source& s : *sources) EXPECT_TRUE(IsValidUtf8(s.title)) << s.title;
  auto articles = store_->PendingArticles(100);
  ASSERT_TRUE(articles.ok());
  bool found = false;
  for (const Article& a : *articles) {
    EXPECT_TRUE(IsValidUtf8(a.title)) << a.title;
    EXPECT_TRUE(IsValidUtf8(a.Text()));
    if (a.url == bad.Url("/p.html")) found = true;
  }
  EXPECT_TRUE(found) << "the page with invalid UTF-8 was stored, repaired";
}

TEST_F(HostileTest, MalformedXml) {
  Server bad([](const std::string&, Conn& c) {
    c.Send(Response(200, "application/rss+xml",
                    "<?xml version=\"1.0\"?><rss><channel><title>Broken</ti<<<>>&&&;"
                    "<item><title><![CDATA[ never closed <link>http://127.0.0.1:1/x"));
  });
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 20, 64);
  // Either a clear parse error, or whatever could be recovered, but never a crash or a
  // stored article from the broken feed.
  std::string err = SourceError(url);
  EXPECT_TRUE(!err.empty() || stats.articles_failed > 0)
      << err << ::testing::PrintToString(stats.errors) << stats.items_seen << " "
      << stats.sources_ok << " " << stats.sources_failed;
  EXPECT_FALSE(*store_->HasArticleUrl("http://127.0.0.1:1/x"));
}

TEST_F(HostileTest, HundredThousandItems) {
  config_.fetch.max_bytes = 16 << 20;
  static const std::string kFeed = [] {
    std::string out = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title>\n";
    for (int i = 0; i < 100000; ++i) {
      out += "<item><link>/i/" + std::to_string(i) + "</link></item>\n";
    }
    return out + "</channel></rss>";
  }();
  Server bad([](const std::string& path, Conn& c) {
    if (path == "/feed.xml") {
      c.Send(Response(200, "application/rss+xml", kFeed));
    } else {
      c.Send(Response(404, "text/plain", "gone"));
    }
  });
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 120, 300);
  EXPECT_EQ(stats.items_seen >= 500, true);
  EXPECT_TRUE(AnyLineHas(stats, url, "more than 500 new items")) << stats.errors.back();
  // The feed plus at most 500 page fetches this poll.
  EXPECT_LE(bad.content_requests(), 501);
}

TEST_F(HostileTest, ServerErrorStormBacksOff) {
  const Server* self = nullptr;
  Server bad([&self](const std::string& path, Conn& c) {
    if (path == "/feed.xml") {
      std::vector<std::string> links;
      for (int i = 0; i < 50; ++i) links.push_back(self->Url("/p/" + std::to_string(i)));
      c.Send(Response(200, "application/rss+xml", Rss("Storm", links)));
    } else {
      c.Send(Response(500, "text/plain", "boom"));
    }
  });
  self = &bad;
  std::string url = bad.Url("/feed.xml");
  app::IngestStats stats = Ingest({url}, 30, 64);
  // Three failures open the back-off; the other 47 pages are not requested.
  EXPECT_LE(bad.content_requests(), 1 + 3);
  EXPECT_TRUE(AnyLineHas(stats, "/p/10", "backing off")) << ::testing::PrintToString(stats.errors);
  EXPECT_TRUE(AnyLineHas(stats, "/p/0", "HTTP 500"));
}

TEST_F(HostileTest, TooManyRequestsHonoursRetryAfter) {
  Server bad([](const std::string&, Conn& c) {
    c.Send(Response(429, "text/plain", "slow down", "Retry-After: 120\r\n"));
  });
  std::string first = bad.Url("/feed.xml");
  std::string second = bad.Url("/other.xml");
  Ingest({first, second}, 20, 64);
  std::string err = SourceError(first);
  EXPECT_NE(err.find("HTTP 429 (Retry-After: 120 s)"), std::string::npos) << err;
  // The second feed on that host waits: no request is made.
  std::string err2 = SourceError(second);
  EXPECT_NE(err2.find("backing off"), std::string::npos) << err2;
  EXPECT_EQ(bad.content_requests(), 1);
}

}  // namespace
}  // namespace nd
