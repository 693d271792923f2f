// Fetcher tests against a real HTTP server on 127.0.0.1 (a thread with a POSIX socket
// serving canned responses) and against temp files for file:// URLs.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/url.h"
#include "fetch/fetch.h"

namespace nd::fetch {
namespace {

struct Request {
  std::string method;
  std::string path;
  std::string headers;  // raw header block, lower-cased
};

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A tiny HTTP/1.1 server: one thread accepting, one thread per connection, every
// response closes the connection.
class TestServer {
 public:
  using Handler = std::function<std::string(const Request&)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 16), 0);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestServer() {
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
  int port() const { return port_; }
  int requests() const { return requests_; }
  bool stopping() const { return stopping_; }

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
    while (in.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    ++requests_;
    Request req;
    std::size_t sp1 = in.find(' ');
    std::size_t sp2 = in.find(' ', sp1 + 1);
    if (sp1 != std::string::npos && sp2 != std::string::npos) {
      req.method = in.substr(0, sp1);
      req.path = in.substr(sp1 + 1, sp2 - sp1 - 1);
    }
    req.headers = in;
    for (char& c : req.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string out = handler_(req);
    std::size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

std::string Response(int status, const std::string& reason, const std::string& headers,
                     const std::string& body, bool with_length = true) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + headers;
  if (with_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n" + body;
  return out;
}

const char kFeedBody[] = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";

std::string Route(const TestServer* server, const Request& req) {
  if (req.path == "/feed") {
    if (req.headers.find("if-none-match: \"v1\"") != std::string::npos) {
      return Response(304, "Not Modified", "ETag: \"v1\"\r\n", "");
    }
    return Response(200, "OK",
                    "Content-Type: application/rss+xml; charset=utf-8\r\nETag: \"v1\"\r\n"
                    "Last-Modified: Wed, 18 Nov 2026 09:30:00 GMT\r\n",
                    kFeedBody);
  }
  if (req.path == "/moved") return Response(301, "Moved", "Location: /feed\r\n", "");
  if (req.path == "/missing") return Response(404, "Not Found", "", "no such page");
  if (req.path == "/broken") return Response(503, "Unavailable", "", "down");
  if (req.path == "/big") return Response(200, "OK", "", std::string(5000, 'x'));
  if (req.path == "/big-unsized") return Response(200, "OK", "", std::string(5000, 'x'), false);
  if (req.path == "/gzip-bomb") {
    return Response(200, "OK", "Content-Encoding: gzip\r\n", Gzip(std::string(200000, 'a')));
  }
  if (req.path == "/gzip") {
    return Response(200, "OK", "Content-Encoding: gzip\r\n", Gzip(kFeedBody));
  }
  if (req.path == "/loop") return Response(302, "Found", "Location: /loop\r\n", "");
  if (req.path == "/to-metadata") {
    return Response(302, "Found", "Location: http://169.254.169.254/latest/meta-data\r\n", "");
  }
  if (req.path == "/to-v6-loopback") {
    return Response(302, "Found",
                    "Location: http://[::1]:" + std::to_string(server->port()) + "/feed\r\n", "");
  }
  if (req.path == "/slow") {
    for (int i = 0; i < 40 && !server->stopping(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Response(200, "OK", "", "late");
  }
  return Response(404, "Not Found", "", "");
}

class FetcherTest : public ::testing::Test {
 protected:
  FetcherTest() : server_([this](const Request& r) { return Route(&server_, r); }) {
    options_.allow_networks = {"127.0.0.0/8"};
    options_.connect_timeout_ms = 2000;
    options_.total_timeout_ms = 5000;
  }

  TestServer server_;
  std::unique_ptr<Fetcher> fetcher_ = NewCurlFetcher();
  FetchOptions options_;
};

TEST_F(FetcherTest, OkWithValidators) {
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/feed"), options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kFeedBody);
  EXPECT_EQ(r->etag, "\"v1\"");
  EXPECT_EQ(r->last_modified, "Wed, 18 Nov 2026 09:30:00 GMT");
  EXPECT_EQ(r->content_type, "application/rss+xml; charset=utf-8");
  EXPECT_FALSE(r->not_modified);
  EXPECT_EQ(r->url, server_.Url("/feed"));
}

TEST_F(FetcherTest, ConditionalGetNotModified) {
  options_.etag = "\"v1\"";
  options_.last_modified = "Wed, 18 Nov 2026 09:30:00 GMT";
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/feed"), options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 304);
  EXPECT_TRUE(r->not_modified);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->etag, "\"v1\"");
  EXPECT_EQ(r->last_modified, "Wed, 18 Nov 2026 09:30:00 GMT");
  // A stale validator gets the full body.
  options_.etag = "\"v0\"";
  options_.last_modified.clear();
  r = fetcher_->Fetch(server_.Url("/feed"), options_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->not_modified);
  EXPECT_EQ(r->body, kFeedBody);
}

TEST_F(FetcherTest, FollowsRedirectAndReportsFinalUrl) {
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/moved"), options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->url, server_.Url("/feed"));
  EXPECT_EQ(r->body, kFeedBody);
}

TEST_F(FetcherTest, DecodesGzip) {
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/gzip"), options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, kFeedBody);
}

TEST_F(FetcherTest, NotFoundNamesUrlAndStatus) {
  std::string url = server_.Url("/missing");
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find(url), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("404"), std::string::npos) << r.status().message();
  r = fetcher_->Fetch(server_.Url("/broken"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("503"), std::string::npos);
}

TEST_F(FetcherTest, BodyOverCapIsTooLarge) {
  options_.max_bytes = 1000;
  for (const char* path : {"/big", "/big-unsized", "/gzip-bomb"}) {
    std::string url = server_.Url(path);
    Result<FetchResponse> r = fetcher_->Fetch(url, options_);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kTooLarge) << r.status().ToString();
    EXPECT_NE(r.status().message().find(url), std::string::npos) << r.status().message();
  }
  options_.max_bytes = 5000;  // exactly the size: fine
  EXPECT_TRUE(fetcher_->Fetch(server_.Url("/big-unsized"), options_).ok());
}

TEST_F(FetcherTest, RedirectLoopIsError) {
  options_.max_redirects = 3;
  std::string url = server_.Url("/loop");
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find(url), std::string::npos);
  EXPECT_NE(r.status().message().find("redirect"), std::string::npos) << r.status().message();
}

TEST_F(FetcherTest, LoopbackRefusedWithoutAllowNetworks) {
  options_.allow_networks.clear();
  std::string url = server_.Url("/feed");
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRefused) << r.status().ToString();
  EXPECT_NE(r.status().message().find(url), std::string::npos);
  EXPECT_NE(r.status().message().find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(server_.requests(), 0);  // never connected
}

TEST_F(FetcherTest, RedirectToPrivateAddressRefused) {
  // 127/8 is allowed, the metadata address and ::1 are not, even after a redirect.
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/to-metadata"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRefused) << r.status().ToString();
  EXPECT_NE(r.status().message().find("169.254.169.254"), std::string::npos);
  r = fetcher_->Fetch(server_.Url("/to-v6-loopback"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRefused) << r.status().ToString();
}

TEST_F(FetcherTest, BadAllowNetworkIsInvalidInput) {
  options_.allow_networks = {"not-a-network"};
  Result<FetchResponse> r = fetcher_->Fetch(server_.Url("/feed"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("not-a-network"), std::string::npos);
}

TEST_F(FetcherTest, TotalTimeout) {
  options_.total_timeout_ms = 300;
  std::string url = server_.Url("/slow");
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTimeout) << r.status().ToString();
  EXPECT_NE(r.status().message().find(url), std::string::npos);
}

TEST_F(FetcherTest, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    // Find a port nobody listens on: bind, note, close.
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    close(fd);
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  EXPECT_NE(r.status().message().find(url), std::string::npos);
}

class FileFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("nd_fetch_") + info->name() + "_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::filesystem::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Fetcher> fetcher_ = NewCurlFetcher();
  FetchOptions options_;
};

TEST_F(FileFetchTest, ReadsFileUrl) {
  std::string path = Write("world feed.xml", kFeedBody);
  std::string url = FileUrlFromPath(path);
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kFeedBody);
  EXPECT_EQ(r->url, url);
  EXPECT_EQ(r->content_type, "application/xml");
}

TEST_F(FileFetchTest, RefusedWhenNotAllowed) {
  std::string url = FileUrlFromPath(Write("a.xml", kFeedBody));
  options_.allow_file = false;
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRefused);
  EXPECT_NE(r.status().message().find(url), std::string::npos);
}

TEST_F(FileFetchTest, MissingAndTooLarge) {
  std::string url = FileUrlFromPath((dir_ / "absent.xml").string());
  Result<FetchResponse> r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("absent.xml"), std::string::npos);

  url = FileUrlFromPath(Write("big.xml", std::string(3000, 'x')));
  options_.max_bytes = 2999;
  r = fetcher_->Fetch(url, options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
}

TEST_F(FileFetchTest, UnsupportedScheme) {
  Result<FetchResponse> r = fetcher_->Fetch("ftp://example.com/feed.xml", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("ftp://example.com/feed.xml"), std::string::npos);
}

TEST_F(FileFetchTest, ReadFileDirect) {
  std::string path = Write("plain.txt", "hello");
  Result<std::string> r = ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hello");
  Result<std::string> dir = ReadFile(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find(dir_.string()), std::string::npos);
}

}  // namespace
}  // namespace nd::fetch
