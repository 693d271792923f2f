// The LLM client and writer (issue 5, parts 3-5) against a local server on 127.0.0.1 that
// speaks the chat-completions protocol and answers from a script: malformed JSON, an
// empty answer, a timeout, 429 with Retry-After, 500, a fabricated number, a fabricated
// quotation and a name no report mentions must each be caught or survived. No test
// touches the network beyond 127.0.0.1.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "write/llm_client.h"
#include "write/llm_writer.h"

namespace nd::write {
namespace {

using json = nlohmann::json;

struct Request {
  std::string path;
  std::string headers;  // lower-cased
  json body;
  std::string LastUser() const {
    std::string out;
    if (body.contains("messages")) {
      for (const json& m : body["messages"]) {
        if (m.value("role", "") == "user") out = m.value("content", "");
      }
    }
    return out;
  }
};

struct Response {
  int status = 200;
  std::string body;
  std::string headers;  // extra header lines, each ending in \r\n
  int delay_ms = 0;
};

// A chat-completions answer carrying `content`.
Response Chat(const std::string& content, int tokens = 120) {
  json j = {
      {"id", "chatcmpl-test"},
      {"object", "chat.completion"},
      {"model", "test-model"},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", content}}},
         {"finish_reason", "stop"}}}},
      {"usage",
       {{"prompt_tokens", tokens - 20}, {"completion_tokens", 20}, {"total_tokens", tokens}}}};
  return {200, j.dump(), "", 0};
}

// A tiny HTTP/1.1 server: one thread accepting, one per connection; every response
// closes the connection. The handler answers each request (the script).
class ChatServer {
 public:
  using Handler = std::function<Response(const Request&)>;

  explicit ChatServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 16), 0);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~ChatServer() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (std::thread& t : workers_) t.join();
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int requests() const { return requests_; }
  int max_in_flight() const { return max_in_flight_; }
  std::vector<Request> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

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
    int now = ++in_flight_;
    for (int m = max_in_flight_; now > m && !max_in_flight_.compare_exchange_weak(m, now);) {
    }
    std::string in;
    char buf[8192];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      if (header_end == std::string::npos) {
        header_end = in.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          std::string lower = in.substr(0, header_end);
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          size_t cl = lower.find("content-length:");
          if (cl != std::string::npos) content_length = std::stoul(lower.substr(cl + 15));
        }
      }
      if (header_end != std::string::npos && in.size() >= header_end + 4 + content_length) break;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    ++requests_;
    Request req;
    size_t sp1 = in.find(' ');
    size_t sp2 = in.find(' ', sp1 + 1);
    if (sp1 != std::string::npos && sp2 != std::string::npos) {
      req.path = in.substr(sp1 + 1, sp2 - sp1 - 1);
    }
    if (header_end != std::string::npos) {
      req.headers = in.substr(0, header_end);
      for (char& c : req.headers)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.body = json::parse(in.substr(header_end + 4), nullptr, false);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(req);
    }
    Response r = handler_(req);
    if (r.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(r.delay_ms));
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " X\r\nContent-Type: " +
                      "application/json\r\nContent-Length: " + std::to_string(r.body.size()) +
                      "\r\nConnection: close\r\n" + r.headers + "\r\n" + r.body;
    // Counted out before the answer leaves, so a client that waits for it before sending
    // the next request is never seen twice.
    --in_flight_;
    size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<Request> seen_;
};

// Waits recorded instead of slept, so retries are checked without timing.
struct Waits {
  std::mutex mu;
  std::vector<long long> ms;
  std::function<void(std::chrono::milliseconds)> Fn() {
    return [this](std::chrono::milliseconds d) {
      std::lock_guard<std::mutex> lock(mu);
      ms.push_back(d.count());
    };
  }
};

LlmOptions Options(const ChatServer& server, Waits* waits = nullptr) {
  LlmOptions o;
  o.base_url = server.BaseUrl();
  o.model = "test-model";
  o.api_key = "sk-test-key";
  o.timeout_s = 5;
  o.connect_timeout_s = 2;
  o.initial_backoff_ms = 10;
  if (waits != nullptr) o.sleep = waits->Fn();
  return o;
}

std::vector<ChatMessage> Hello() { return {{"user", "Say hello as JSON."}}; }

// ---------------------------------------------------------------------------------------
// The client.

TEST(LlmClient, PostsChatCompletionsWithKeyAndJsonMode) {
  ChatServer server([](const Request&) { return Chat("{\"hello\": \"world\"}", 57); });
  LlmClient client(Options(server), {});
  auto answer = client.Complete(Hello());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->content, "{\"hello\": \"world\"}");
  EXPECT_EQ(answer->tokens, 57);
  std::vector<Request> seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "/v1/chat/completions");
  EXPECT_NE(seen[0].headers.find("authorization: bearer sk-test-key"), std::string::npos);
  EXPECT_EQ(seen[0].body["model"], "test-model");
  EXPECT_EQ(seen[0].body["messages"][0]["role"], "user");
  EXPECT_EQ(seen[0].body["response_format"]["type"], "json_object");
  EXPECT_EQ(client.stats().prompt_tokens + client.stats().completion_tokens, 57);
}

TEST(LlmClient, RetriesAfter429HonouringRetryAfter) {
  std::atomic<int> n{0};
  ChatServer server([&](const Request&) {
    if (n++ == 0) return Response{429, "{\"error\":\"slow down\"}", "Retry-After: 1\r\n", 0};
    return Chat("{\"ok\": true}");
  });
  Waits waits;
  LlmClient client(Options(server, &waits), {});
  auto answer = client.Complete(Hello());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(server.requests(), 2);
  ASSERT_EQ(waits.ms.size(), 1u);
  EXPECT_EQ(waits.ms[0], 1000);  // Retry-After, not the 10 ms backoff
  EXPECT_EQ(client.stats().retries, 1);
}

TEST(LlmClient, RetriesAfter500WithBackoffThenGivesUpAndMarksTheEndpointDown) {
  std::atomic<int> n{0};
  ChatServer server([&](const Request&) {
    if (n++ == 0) return Response{500, "oops", "", 0};
    return Chat("{\"ok\": true}");
  });
  Waits waits;
  LlmClient client(Options(server, &waits), {});
  ASSERT_TRUE(client.Complete(Hello()).ok());
  EXPECT_EQ(waits.ms, std::vector<long long>{10});

  ChatServer broken([](const Request&) { return Response{503, "down", "", 0}; });
  Waits waits2;
  LlmOptions o = Options(broken, &waits2);
  o.max_attempts = 3;
  o.failures_before_down = 2;
  LlmClient down(o, {});
  for (int call = 0; call < 2; ++call) {
    auto r = down.Complete({{"user", "call " + std::to_string(call)}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  }
  EXPECT_EQ(broken.requests(), 6);
  EXPECT_EQ(waits2.ms, (std::vector<long long>{10, 20, 10, 20}));  // exponential backoff
  // Marked down: fails fast without another request.
  auto r = down.Complete({{"user", "call 3"}});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("down"), std::string::npos);
  EXPECT_EQ(broken.requests(), 6);
}

TEST(LlmClient, TimeoutIsAnError) {
  ChatServer server([](const Request&) {
    Response r = Chat("{\"late\": true}");
    r.delay_ms = 2500;
    return r;
  });
  LlmOptions o = Options(server);
  o.timeout_s = 1;
  o.max_attempts = 1;
  LlmClient client(o, {});
  auto r = client.Complete(Hello());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTimeout);
}

TEST(LlmClient, MalformedAndEmptyAnswersAreErrors) {
  std::atomic<int> n{0};
  ChatServer server([&](const Request&) {
    switch (n++) {
      case 0:
        return Response{200, "{\"choices\": [", "", 0};  // not JSON
      case 1:
        return Chat("");  // empty content
      default:
        return Chat("no json object here");
    }
  });
  LlmClient client(Options(server), {});
  auto r = client.Complete(Hello());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  r = client.Complete(Hello());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  r = client.Complete(Hello(),
                      [](const std::string& s) { return s.find('{') != std::string::npos; });
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  // Bad answers do not mark a live endpoint down.
  r = client.Complete(Hello());
  EXPECT_EQ(server.requests(), 4);
}

TEST(LlmClient, AnswersAreCachedByInputHash) {
  ChatServer server([](const Request&) { return Chat("{\"n\": 1}", 30); });
  std::map<std::string, std::string> store;
  std::map<std::string, long long> tokens;
  AnswerCache cache;
  cache.get = [&](const std::string& key) -> std::optional<std::string> {
    auto it = store.find(key);
    if (it == store.end()) return std::nullopt;
    return it->second;
  };
  cache.put = [&](const std::string& key, const std::string& value, long long t) {
    store[key] = value;
    tokens[key] = t;
  };
  LlmClient client(Options(server), cache);
  ASSERT_TRUE(client.Complete(Hello()).ok());
  auto again = client.Complete(Hello());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->cached);
  EXPECT_EQ(server.requests(), 1);
  ASSERT_EQ(store.size(), 1u);
  EXPECT_EQ(store.begin()->first, client.CacheKey(Hello()));
  EXPECT_EQ(tokens.begin()->second, 30);
  // Another input is another key; another client over the same cache reuses it.
  ASSERT_TRUE(client.Complete({{"user", "Something else"}}).ok());
  EXPECT_EQ(server.requests(), 2);
  LlmClient second(Options(server), cache);
  ASSERT_TRUE(second.Complete(Hello()).ok());
  EXPECT_EQ(server.requests(), 2);
}

TEST(LlmClient, DailyTokenBudgetStopsCalls) {
  ChatServer server([](const Request&) { return Chat("{\"n\": 1}", 500); });
  LlmOptions o = Options(server);
  o.daily_token_budget = 400;
  LlmClient client(o, {});
  ASSERT_TRUE(client.Complete(Hello()).ok());
  auto r = client.Complete({{"user", "more"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("budget"), std::string::npos);
  EXPECT_EQ(server.requests(), 1);
}

TEST(LlmClient, MaxConcurrencyIsHonoured) {
  ChatServer server([](const Request&) {
    Response r = Chat("{\"n\": 1}");
    r.delay_ms = 50;
    return r;
  });
  LlmOptions o = Options(server);
  o.max_concurrency = 1;
  LlmClient client(o, {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      EXPECT_TRUE(client.Complete({{"user", "n" + std::to_string(t)}}).ok());
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(server.requests(), 4);
  EXPECT_EQ(server.max_in_flight(), 1);
}

TEST(ExtractJsonObject, CodeFencesAndProse) {
  EXPECT_EQ(ExtractJsonObject("{\"a\": 1}"), "{\"a\": 1}");
  EXPECT_EQ(ExtractJsonObject("Here it is:\n```json\n{\"a\": \"}\"}\n```\nThanks"),
            "{\"a\": \"}\"}");
  EXPECT_EQ(ExtractJsonObject("{broken {\"b\": [1, 2]} tail"), "{\"b\": [1, 2]}");
  EXPECT_EQ(ExtractJsonObject("no object"), "");
  EXPECT_EQ(ExtractJsonObject("{\"a\": [1, 2"), "");
}

// ---------------------------------------------------------------------------------------
// The writer.

Article Report(std::string lang, std::string site, std::string title,
               std::vector<std::string> paragraphs, UnixTime published) {
  Article a;
  a.lang = std::move(lang);
  a.site_name = std::move(site);
  a.title = std::move(title);
  a.published = published;
  for (std::string& p : paragraphs) a.blocks.push_back({BlockKind::kParagraph, std::move(p)});
  return a;
}

// An invented event, reported in English and in Traditional Chinese.
std::vector<Article> Reports() {
  return {
      Report("en", "Meridian Wire", "Harbor Lines to buy Corvane Freight for $1.2 billion",
             {"Harbor Lines agreed on Tuesday to buy Corvane Freight for 1.2 billion dollars, the "
              "shipping group said in a statement.",
              "Chief executive Lena Ortiz said the deal \"makes us the largest carrier on the "
              "northern route\" and would close in March.",
              "Corvane shares rose 14.5% in Rotterdam. The company employs 3,400 people.",
              "Harbor Lines bought two smaller rivals last year as freight rates fell."},
             1795000000),
      Report("zh-Hant", "東方晨報", "海港航運以12億美元收購科凡貨運",
             {"海港航運週二宣布，將以12億美元收購科凡貨運。",
              "執行長奧爾蒂斯表示，這筆交易預計在3月完成。",
              "科凡貨運股價在鹿特丹上漲14.5%，該公司有3400名員工。"},
             1795003600),
  };
}

json S(const std::string& text, std::vector<int> cites, bool paraphrase = false) {
  return {{"text", text}, {"cites", cites}, {"paraphrase", paraphrase}};
}

json EnglishArticle() {
  return {
      {"headline", "Harbor Lines agrees to buy Corvane Freight for $1.2 billion"},
      {"dek",
       {S("Harbor Lines agreed on Tuesday to buy Corvane Freight for $1.2 billion, a deal that "
          "would make it the largest carrier on the northern route.",
          {1})}},
      {"body",
       {{S("Harbor Lines agreed to buy Corvane Freight for 1.2 billion dollars, the shipping "
           "group said in a statement.",
           {1}),
         S("Chief executive Lena Ortiz said the deal “makes us the largest carrier on the "
           "northern route”.",
           {1})},
        {S("The deal is expected to close in March.", {1, 2})},
        {S("Corvane shares rose 14.5% in Rotterdam, and the company employs 3,400 people.", {1}),
         S("Harbor Lines bought two smaller rivals last year as freight rates fell.", {1})}}},
      {"analysis",
       {S("The purchase extends a buying spree that began as freight rates fell; the next test "
          "is whether the deal closes in March.",
          {1}, true)}},
  };
}

json ChineseArticle() {
  return {
      {"headline", "海港航運以12億美元收購科凡貨運"},
      {"dek", {S("海港航運週二宣布，將以12億美元收購科凡貨運。", {2})}},
      {"body",
       {{S("海港航運宣布將以12億美元收購科凡貨運。", {2})},
        {S("執行長奧爾蒂斯表示，這筆交易預計在3月完成。", {2})},
        {S("科凡貨運股價在鹿特丹上漲14.5%。", {2})}}},
      {"analysis", {S("交易預計在3月完成，後續進展值得關注。", {2})}},
  };
}

bool IsChinesePrompt(const Request& r) { return r.LastUser().find("Chinese") != std::string::npos; }
bool IsRegeneration(const Request& r) {
  return r.LastUser().find("failed the fact check") != std::string::npos;
}

// Every published sentence of a text.
std::vector<CitedSentence> Published(const StoryText& t) {
  std::vector<CitedSentence> out = t.dek;
  for (const Paragraph& p : t.body) out.insert(out.end(), p.sentences.begin(), p.sentences.end());
  for (const Paragraph& p : t.analysis) {
    out.insert(out.end(), p.sentences.begin(), p.sentences.end());
  }
  return out;
}

std::string AllText(const StoryText& t) {
  std::string out = t.headline;
  for (const CitedSentence& s : Published(t)) out += "\n" + s.text;
  return out;
}

TEST(LlmWriter, CorrectAnswerIsPublishedVerifiedInAllLanguages) {
  ChatServer server([](const Request& r) {
    return Chat((IsChinesePrompt(r) ? ChineseArticle() : EnglishArticle()).dump());
  });
  LlmWriter writer(Options(server), {});
  std::vector<StoryText> texts = writer.WriteAllLanguages(Reports());
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0].lang, "en");
  EXPECT_EQ(texts[1].lang, "zh-Hans");
  EXPECT_EQ(texts[2].lang, "zh-Hant");
  for (const StoryText& t : texts) {
    EXPECT_EQ(t.writer, "llm:test-model") << t.lang << ": " << writer.Summary();
    EXPECT_FALSE(t.untranslated);
    EXPECT_FALSE(t.headline.empty());
    EXPECT_GE(t.body.size(), 3u) << t.lang;
    EXPECT_FALSE(t.analysis.empty()) << t.lang;
    for (const CitedSentence& s : Published(t)) {
      EXPECT_EQ(s.verdict, "verified") << s.text;
      EXPECT_FALSE(s.cites.empty()) << s.text;
    }
  }
  EXPECT_EQ(texts[0].headline, "Harbor Lines agrees to buy Corvane Freight for $1.2 billion");
  // Cites are 0-based report indexes; report numbers in the prompt are 1-based.
  EXPECT_EQ(texts[0].dek[0].cites, std::vector<int>{0});
  // Simplified converted from the Traditional text with OpenCC, never asked of the model.
  EXPECT_EQ(texts[1].headline, "海港航运以12亿美元收购科凡货运");
  EXPECT_EQ(texts[2].headline, "海港航運以12億美元收購科凡貨運");
  EXPECT_EQ(server.requests(), 2);
  // The prompt numbers the reports and asks for the page's language.
  std::vector<Request> seen = server.seen();
  bool saw_numbered = false;
  for (const Request& r : seen) {
    saw_numbered |= r.LastUser().find("[2] 東方晨報") != std::string::npos;
  }
  EXPECT_TRUE(saw_numbered);
  // The paraphrased analysis sentence keeps its words but no quote marks were needed.
  EXPECT_EQ(writer.stats().sentences_rejected, 0);
}

TEST(LlmWriter, FabricatedNumberIsRegeneratedOnceThenDropped) {
  json article = EnglishArticle();
  article["body"][2].push_back(
      S("Harbor Lines will also pay a $1.5 billion break fee to Corvane Freight.", {1}));
  ChatServer server([&](const Request& r) {
    if (IsChinesePrompt(r)) return Chat(ChineseArticle().dump());
    if (IsRegeneration(r)) {
      json fix = {
          {"sentences",
           {S("Harbor Lines will also pay a $1.6 billion break fee to Corvane Freight.", {1})}}};
      fix["sentences"][0]["id"] = "b3.3";
      return Chat(fix.dump());
    }
    return Chat(article.dump());
  });
  LlmWriter writer(Options(server), {});
  StoryText t = writer.Write(Reports(), "en");
  EXPECT_EQ(t.writer, "llm:test-model");
  EXPECT_EQ(AllText(t).find("break fee"), std::string::npos) << AllText(t);
  EXPECT_EQ(writer.stats().sentences_regenerated, 1);
  EXPECT_EQ(writer.stats().sentences_rejected, 1);
  // The regeneration request named the sentence and the reason.
  bool asked = false;
  for (const Request& r : server.seen()) {
    if (!IsRegeneration(r)) continue;
    asked = r.LastUser().find("b3.3") != std::string::npos &&
            r.LastUser().find("the number 1500000000 is in no report") != std::string::npos;
  }
  EXPECT_TRUE(asked);
  for (const CitedSentence& s : Published(t)) EXPECT_EQ(s.verdict, "verified") << s.text;
}

TEST(LlmWriter, FabricatedQuotationIsFixedAsParaphraseOnRegeneration) {
  json article = EnglishArticle();
  article["body"][0][1] =
      S("Lena Ortiz said the deal “will double our profits within a year”.", {1});
  ChatServer server([&](const Request& r) {
    if (IsRegeneration(r)) {
      json fix = {{"sentences",
                   {S("Lena Ortiz said the deal would make Harbor Lines the largest carrier on "
                      "the northern route.",
                      {1}, true)}}};
      fix["sentences"][0]["id"] = "b1.2";
      return Chat(fix.dump());
    }
    return Chat(article.dump());
  });
  LlmWriter writer(Options(server), {});
  StoryText t = writer.Write(Reports(), "en");
  EXPECT_EQ(t.writer, "llm:test-model");
  std::string all = AllText(t);
  EXPECT_EQ(all.find("double our profits"), std::string::npos);
  EXPECT_NE(all.find("would make Harbor Lines the largest carrier"), std::string::npos) << all;
  EXPECT_EQ(writer.stats().sentences_regenerated, 1);
  EXPECT_EQ(writer.stats().sentences_rejected, 0);
}

TEST(LlmWriter, UnknownNameIsDroppedWhenRegenerationKeepsIt) {
  json article = EnglishArticle();
  article["body"][1].push_back(S("Analyst Peter Vance said the deal would close in March.", {1}));
  ChatServer server([&](const Request& r) {
    if (IsRegeneration(r)) {
      json fix = {
          {"sentences", {S("Analyst Peter Vance expects the deal to close in March.", {1})}}};
      fix["sentences"][0]["id"] = "b2.2";
      return Chat(fix.dump());
    }
    return Chat(article.dump());
  });
  LlmWriter writer(Options(server), {});
  StoryText t = writer.Write(Reports(), "en");
  EXPECT_EQ(t.writer, "llm:test-model");
  EXPECT_EQ(AllText(t).find("Vance"), std::string::npos);
  EXPECT_EQ(writer.stats().sentences_rejected, 1);
}

TEST(LlmWriter, FabricatedChineseClaimsAreCaught) {
  json article = ChineseArticle();
  article["body"][0].push_back(S("海港航運將另付5億美元分手費。", {2}));
  article["body"][1].push_back(S("分析師王志明表示，交易價格合理。", {2}));
  ChatServer server([&](const Request&) { return Chat(article.dump()); });
  LlmWriter writer(Options(server), {});
  StoryText t = writer.Write(Reports(), "zh-Hant");
  EXPECT_EQ(t.writer, "llm:test-model");
  std::string all = AllText(t);
  EXPECT_EQ(all.find("分手費"), std::string::npos);
  EXPECT_EQ(all.find("王志明"), std::string::npos);
  EXPECT_EQ(writer.stats().sentences_rejected, 2);
}

TEST(LlmWriter, AnswerInCodeFenceWithProseIsRead) {
  ChatServer server([](const Request&) {
    return Chat("Here is the article you asked for:\n```json\n" + EnglishArticle().dump(2) +
                "\n```\nLet me know if you need changes.");
  });
  LlmWriter writer(Options(server), {});
  EXPECT_EQ(writer.Write(Reports(), "en").writer, "llm:test-model") << writer.Summary();
}

TEST(LlmWriter, FallsBackToExtractiveOnBadAnswersAndDeadEndpoints) {
  struct Case {
    const char* name;
    ChatServer::Handler handler;
    int timeout_s;
  };
  std::vector<Case> cases = {
      {"malformed JSON", [](const Request&) { return Chat("{\"headline\": \"x\", \"body\": ["); },
       5},
      {"empty answer", [](const Request&) { return Chat(""); }, 5},
      {"not an article", [](const Request&) { return Chat("{\"answer\": 42}"); }, 5},
      {"timeout",
       [](const Request&) {
         Response r = Chat(EnglishArticle().dump());
         r.delay_ms = 2500;
         return r;
       },
       1},
      {"HTTP 500",
       [](const Request&) {
         return Response{500, "error", "", 0};
       },
       5},
  };
  for (const Case& c : cases) {
    ChatServer server(c.handler);
    LlmOptions o = Options(server);
    o.timeout_s = c.timeout_s;
    o.max_attempts = 2;
    LlmWriter writer(o, {});
    StoryText t = writer.Write(Reports(), "en");
    EXPECT_EQ(t.writer, "extractive") << c.name;
    EXPECT_FALSE(t.body.empty()) << c.name;
    EXPECT_FALSE(writer.last_error().empty()) << c.name;
    for (const CitedSentence& s : Published(t)) EXPECT_EQ(s.verdict, "extractive") << c.name;
  }
  // Nobody listening.
  LlmOptions o;
  {
    ChatServer gone([](const Request&) { return Chat("{}"); });
    o.base_url = gone.BaseUrl();
  }
  o.model = "m";
  o.max_attempts = 1;
  LlmWriter writer(o, {});
  EXPECT_EQ(writer.Write(Reports(), "en").writer, "extractive");
}

TEST(LlmWriter, RetriesLaterThroughTheCache) {
  // First run: the endpoint fails; second run: it answers and the answer is cached; third
  // run: the cache answers although the endpoint is gone.
  std::map<std::string, std::string> store;
  AnswerCache cache;
  cache.get = [&](const std::string& key) -> std::optional<std::string> {
    auto it = store.find(key);
    if (it == store.end()) return std::nullopt;
    return it->second;
  };
  cache.put = [&](const std::string& key, const std::string& value, long long) {
    store[key] = value;
  };
  {
    ChatServer server([](const Request&) { return Response{503, "busy", "", 0}; });
    LlmOptions o = Options(server);
    o.max_attempts = 1;
    EXPECT_EQ(LlmWriter(o, cache).Write(Reports(), "en").writer, "extractive");
  }
  EXPECT_TRUE(store.empty());
  LlmOptions o;
  {
    ChatServer server([](const Request&) { return Chat(EnglishArticle().dump()); });
    o = Options(server);
    EXPECT_EQ(LlmWriter(o, cache).Write(Reports(), "en").writer, "llm:test-model");
  }
  EXPECT_EQ(store.size(), 1u);
  o.max_attempts = 1;
  EXPECT_EQ(LlmWriter(o, cache).Write(Reports(), "en").writer, "llm:test-model");
}

TEST(LlmWriter, TranslatesWhenNoReportIsInTheLanguage) {
  // Only an English report; the Chinese text is the model's translation, verified the
  // same way (numbers across languages; names with the report's form in parentheses).
  std::vector<Article> reports = {Reports()[0]};
  json zh = {
      {"headline", "Harbor Lines以12亿美元收购Corvane Freight"},
      {"dek", {S("Harbor Lines周二同意以12亿美元收购Corvane Freight。", {1})}},
      {"body",
       {{S("Harbor Lines同意以12亿美元收购Corvane Freight。", {1})},
        {S("交易预计在3月完成。", {1})},
        {S("Corvane股价在鹿特丹（Rotterdam）上涨14.5%，该公司有3400名员工。", {1})},
        {S("该公司将另付5亿美元。", {1})}}},
  };
  ChatServer server([&](const Request& r) {
    if (IsRegeneration(r)) return Chat("{\"sentences\": []}");
    return Chat(zh.dump());
  });
  LlmWriter writer(Options(server), {});
  StoryText t = writer.Write(reports, "zh-Hans");
  EXPECT_EQ(t.writer, "llm:test-model") << writer.Summary();
  EXPECT_FALSE(t.untranslated);
  EXPECT_EQ(t.source_lang, "en");
  std::string all = AllText(t);
  EXPECT_NE(all.find("12亿美元"), std::string::npos);
  EXPECT_EQ(all.find("5亿"), std::string::npos);
}

}  // namespace
}  // namespace nd::write
