#include "web/server.h"

#include <sys/stat.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "web/escape.h"
#include "web/rate_limit.h"
#include "web/router.h"

namespace nd::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// Time allowed for a whole request (headers and body) to arrive, and for an idle
// keep-alive connection to send its next request.
constexpr auto kReadTimeout = std::chrono::seconds(15);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr auto kStopPoll = std::chrono::milliseconds(200);

// One server thread: its io_context and the Store only it uses.
struct Worker {
  std::unique_ptr<Store> store;  // declared first: outlives the sessions in `ioc`
  net::io_context ioc{1};
  net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
};

// The store generation for the response cache: for a SQLite file, its size and
// modification time and those of its WAL (every committed write changes one of them);
// for other stores (a postgresql:// URL), the current second, so pages are at most a
// second old.
std::uint64_t StoreGeneration(const std::string& db) {
  const bool file = !db.empty() && db.find("://") == std::string::npos;
  if (!file) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
  }
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
  };
  for (const std::string& path : {db, db + "-wal"}) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      mix(0);
      continue;
    }
    mix(static_cast<std::uint64_t>(st.st_size));
    mix(static_cast<std::uint64_t>(st.st_mtim.tv_sec));
    mix(static_cast<std::uint64_t>(st.st_mtim.tv_nsec));
    mix(static_cast<std::uint64_t>(st.st_ino));
  }
  return h;
}

// State shared by all threads.
struct Shared {
  SiteOptions site;
  Metrics metrics;
  SectionCache sections;
  ResponseCache responses;
  std::string db;  // for StoreGeneration
  // Per-client token buckets (loopback exempt): search 2/s burst 20, the API 10/s burst 60.
  RateLimiter search_limit{2.0, 20};
  RateLimiter api_limit{10.0, 60};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Worker& worker, Shared& shared)
      : stream_(std::move(socket)), worker_(worker), shared_(shared) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) return SendPlain(413, "request body too large\n");
    if (ec == http::error::header_limit) return SendPlain(431, "request headers too large\n");
    if (ec == http::error::bad_target || ec == http::error::bad_method ||
        ec == http::error::bad_version || ec == http::error::bad_field ||
        ec == http::error::bad_value) {
      return SendPlain(400, "malformed request\n");
    }
    if (ec) return;  // timeout, reset: drop the connection

    const auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name = AsciiLower(std::string(field.name_string()));
      auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    request.body = req.body();
    if (std::string_view cls = RateLimitClass(request.target); !cls.empty()) {
      beast::error_code rec;
      const auto peer = stream_.socket().remote_endpoint(rec);
      RateLimiter& limiter = cls == "search" ? shared_.search_limit : shared_.api_limit;
      if (int wait = rec ? 0 : limiter.Take(peer.address().to_string()); wait > 0) {
        return SendPlain(429, "too many requests\n", wait);
      }
    }
    const auto started = std::chrono::steady_clock::now();
    Response response = shared_.responses.Handle(request, *worker_.store, shared_.site,
                                                 &shared_.metrics, StoreGeneration(shared_.db));
    metrics::Observe("newsdesk_http_request_duration_seconds",
                     "Time to answer an HTTP request (routing and rendering), by route.",
                     {{"route", response.route}},
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                         .count());

    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), req.version());
    res->set(http::field::server, "newsdesk");
    if (!response.content_type.empty()) res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->keep_alive(req.keep_alive());
    if (req.method() == http::verb::head) {
      const std::size_t size = response.body.size();
      res->prepare_payload();
      if (response.status != 304) res->content_length(size);
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    Write(std::move(res));
  }

  void SendPlain(int status, std::string body, int retry_after_s = 0) {
    auto res =
        std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::server, "newsdesk");
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    if (retry_after_s > 0) res->set(http::field::retry_after, std::to_string(retry_after_s));
    res->keep_alive(false);
    res->body() = std::move(body);
    res->prepare_payload();
    shared_.metrics.Record("bad_request", status);
    Write(std::move(res));
  }

  void Write(std::shared_ptr<http::response<http::string_body>> res) {
    res_ = std::move(res);
    stream_.expires_after(kWriteTimeout);
    http::async_write(
        stream_, *res_,
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(), res_->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    res_.reset();
    if (ec) return;
    if (close) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
  Worker& worker_;
  Shared& shared_;
};

class Server {
 public:
  Server(std::vector<std::unique_ptr<Worker>>& workers, Shared& shared,
         const std::atomic<bool>& stop)
      : workers_(workers),
        shared_(shared),
        stop_(stop),
        acceptor_(workers[0]->ioc),
        timer_(workers[0]->ioc) {}

  Status Listen(const std::string& listen, std::string* bound) {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return Status::InvalidInput("listen address '" + listen + "': expected host:port");
    }
    std::string host = listen.substr(0, colon);
    const std::string port = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    if (host.empty()) host = "0.0.0.0";
    beast::error_code ec;
    tcp::resolver resolver(workers_[0]->ioc);
    auto results = resolver.resolve(host, port, net::ip::resolver_base::numeric_service, ec);
    if (ec || results.empty()) {
      return Status::InvalidInput("listen address '" + listen +
                                  "': " + (ec ? ec.message() : std::string("no address")));
    }
    const tcp::endpoint endpoint = results.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    tcp::endpoint local;
    if (!ec) local = acceptor_.local_endpoint(ec);
    if (ec) return Status::Unavailable("listen on " + listen + ": " + ec.message());
    const std::string addr = local.address().to_string();
    *bound =
        (local.address().is_v6() ? "[" + addr + "]" : addr) + ":" + std::to_string(local.port());
    return Status::Ok();
  }

  void Start() {
    Accept();
    PollStop();
  }

 private:
  void Accept() {
    Worker& worker = *workers_[next_];
    next_ = (next_ + 1) % workers_.size();
    acceptor_.async_accept(worker.ioc, [this, &worker](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        // Responses go out in one or two writes; without this a second small segment can
        // wait for the peer's delayed ACK (tens of milliseconds).
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), worker, shared_)->Start();
      }
      Accept();
    });
  }

  void PollStop() {
    timer_.expires_after(kStopPoll);
    timer_.async_wait([this](beast::error_code ec) {
      if (ec == net::error::operation_aborted) return;
      if (!stop_.load()) return PollStop();
      beast::error_code ignored;
      acceptor_.close(ignored);
      for (auto& w : workers_) {
        w->guard.reset();
        w->ioc.stop();
      }
    });
  }

  std::vector<std::unique_ptr<Worker>>& workers_;
  Shared& shared_;
  const std::atomic<bool>& stop_;
  tcp::acceptor acceptor_;
  net::steady_timer timer_;
  size_t next_ = 0;
};

void RunWorker(Worker& worker) {
  for (;;) {
    try {
      worker.ioc.run();
      return;
    } catch (const std::exception& e) {
      // A handler threw: report it and keep serving the other connections.
      std::fprintf(stderr, "newsdesk web: request handler failed: %s\n", e.what());
    }
  }
}

}  // namespace

Status ServeWithStores(const ServeOptions& options, const StoreFactory& open_store,
                       const std::atomic<bool>& stop) {
  try {
    const int n = options.threads < 1 ? 1 : options.threads;
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < n; ++i) {
      auto store = open_store();
      if (!store.ok()) return store.status();
      auto worker = std::make_unique<Worker>();
      worker->store = std::move(*store);
      workers.push_back(std::move(worker));
    }
    Shared shared;
    shared.site.title = options.site_title;
    shared.site.sections = &shared.sections;
    shared.site.api_token = options.api_token;
    shared.db = options.db;
    {
      Server server(workers, shared, stop);
      std::string bound;
      Status listening = server.Listen(options.listen, &bound);
      if (!listening.ok()) return listening;
      server.Start();
      if (options.on_listening) options.on_listening(bound);
      std::vector<std::thread> threads;
      for (auto& w : workers) threads.emplace_back(RunWorker, std::ref(*w));
      for (auto& t : threads) t.join();
    }
    // Pending sessions are destroyed with their io_context, before their Store.
    for (auto& w : workers) w.reset();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal("web server on " + options.listen + ": " + e.what());
  }
}

}  // namespace nd::web
