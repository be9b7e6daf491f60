// Server tests: a real Server on an ephemeral loopback port, driven over plain POSIX sockets so
// that the client side is independent of Beast and can misbehave on purpose.
#include "server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/log.h"
#include "http/dispatcher.h"

namespace gz::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct RawResponse {
  std::string version;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
        return v;
    }
    return "";
  }
  bool HasHeader(std::string_view name) const { return !Header(name).empty(); }
};

// A deliberately simple blocking HTTP/1.1 client.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (a 1xx counts as one). nullopt on EOF, reset or timeout before it is whole.
  std::optional<RawResponse> Read(std::chrono::milliseconds timeout = 5s, bool head = false) {
    auto deadline = Clock::now() + timeout;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill(deadline)) return std::nullopt;
    RawResponse r;
    std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    r.version = status_line.substr(0, status_line.find(' '));
    r.status = std::atoi(status_line.c_str() + status_line.find(' ') + 1);
    while (line_end != std::string::npos) {
      size_t start = line_end + 2;
      line_end = head_text.find("\r\n", start);
      std::string line = head_text.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      size_t value_start = line.find_first_not_of(' ', colon + 1);
      r.headers.emplace_back(line.substr(0, colon), value_start == std::string::npos ? "" : line.substr(value_start));
    }
    if (head || r.status < 200 || r.status == 204 || r.status == 304) return r;
    if (r.HasHeader("Content-Length")) {
      size_t length = std::stoul(r.Header("Content-Length"));
      while (buffer_.size() < length)
        if (!Fill(deadline)) return std::nullopt;
      r.body = buffer_.substr(0, length);
      buffer_.erase(0, length);
    } else {
      while (Fill(deadline)) {
      }
      r.body = std::move(buffer_);
      buffer_.clear();
    }
    return r;
  }

  // True if the server closes the connection within `timeout` without sending anything more.
  bool WaitForClose(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    size_t before = buffer_.size();
    while (Fill(deadline)) {
    }
    return eof_ && buffer_.size() == before;
  }
  bool eof() const { return eof_; }

 private:
  // Reads more into buffer_; false on EOF, error or deadline.
  bool Fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  static ServerOptions TestOptions() {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.header_timeout = 2s;
    o.request_timeout = 3s;
    o.idle_timeout = 3s;
    o.shutdown_grace = 3s;
    return o;
  }

  void SetUp() override { log::CaptureForTest(&log_); }

  void Start(ServerOptions options = TestOptions(), Server::HandleFn handle = nullptr) {
    if (!handle) handle = [this](http::Request& r) { return Echo(r); };
    server_ = std::make_unique<Server>(options, std::move(handle), metrics_);
    Status listening = server_->Listen();
    ASSERT_TRUE(listening.ok()) << listening.ToString();
    ASSERT_NE(server_->port(), 0);
    run_thread_ = std::thread([this] {
      server_->Run(/*handle_signals=*/false);
      run_returned_ = true;
    });
  }

  void StopAndJoin() {
    if (!server_) return;
    server_->Stop();
    if (run_thread_.joinable()) run_thread_.join();
  }

  void TearDown() override {
    StopAndJoin();
    server_.reset();
    log::CaptureForTest(nullptr);
  }

  http::Response Echo(http::Request& r) {
    {
      std::lock_guard lock(mu_);
      last_ = r;
      request_ids_.insert(r.request_id);
    }
    return http::Response::Text(200, r.method_text + " " + r.path + " ?" + r.query + " body=" + r.body);
  }

  http::Request LastRequest() {
    std::lock_guard lock(mu_);
    return last_;
  }

  uint16_t port() const { return server_->port(); }

  http::Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread run_thread_;
  std::atomic<bool> run_returned_{false};
  std::string log_;
  std::mutex mu_;
  http::Request last_;
  std::set<std::string> request_ids_;
};

TEST_F(ServerTest, ServesABasicGet) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/api/v1/%E6%9D%91/x?q=1&b=%20", "X-Custom-Header: Value\r\nAccept-Language: en\r\n")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "HTTP/1.1");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /api/v1/村/x ?q=1&b=%20 body=");
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(r->body.size()));
  EXPECT_EQ(r->Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_TRUE(r->HasHeader("Date"));
  http::Request seen = LastRequest();
  EXPECT_EQ(seen.method, http::Method::kGet);
  EXPECT_EQ(seen.method_text, "GET");
  EXPECT_EQ(seen.target, "/api/v1/%E6%9D%91/x?q=1&b=%20");
  EXPECT_EQ(seen.path, "/api/v1/村/x");
  EXPECT_EQ(seen.query, "q=1&b=%20");
  EXPECT_EQ(seen.Header("x-custom-header"), "Value");
  EXPECT_EQ(seen.Header("host"), "test");
  EXPECT_EQ(seen.remote_addr, "127.0.0.1");
  ASSERT_EQ(seen.request_id.size(), 16u);
  EXPECT_EQ(seen.request_id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(ServerTest, KeepsAliveAcrossRequestsIncludingPipelined) {
  Start();
  Client c(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send("POST /echo/" + std::to_string(i) +
                       " HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "POST /echo/" + std::to_string(i) + " ? body=hello");
    EXPECT_NE(r->Header("Connection"), "close");
  }
  // Two requests in one segment: answered in order on the same connection.
  ASSERT_TRUE(c.Send(Get("/a") + Get("/b")));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "GET /a ? body=");
  EXPECT_EQ(b->body, "GET /b ? body=");
  EXPECT_EQ(metrics_.RenderPrometheus().find("gz_http_connections_total 1\n") != std::string::npos, true);
  std::lock_guard lock(mu_);
  EXPECT_EQ(request_ids_.size(), 5u);  // a fresh id per request
}

TEST_F(ServerTest, ChunkedRequestBodyIsAssembled) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /c ? body=abcdefg");
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
  http::Router router;
  router.Add({.method = http::Method::kGet, .pattern = "/page", .operation_id = "page", .permission = "public",
              .summary = "a page", .handler = [](http::Request&) -> Result<http::Response> { return http::Response::Text(200, "0123456789"); }});
  http::ProblemCatalog catalog;
  http::Dispatcher dispatcher(router, catalog, metrics_);
  Start(TestOptions(), [&](http::Request& r) { return dispatcher.Handle(r); });
  Client c(port());
  ASSERT_TRUE(c.Send("HEAD /page HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = c.Read(5s, /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "10");
  // No body bytes followed: the next response on this connection parses cleanly.
  ASSERT_TRUE(c.Send(Get("/page")));
  auto get = c.Read();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "0123456789");
  // Through the dispatcher: 404 problem and security headers on the wire.
  ASSERT_TRUE(c.Send(Get("/nope")));
  auto missing = c.Read();
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->Header("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(missing->Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(missing->Header("X-Request-Id").size(), 16u);
  StopAndJoin();
}

// Per-route limits: the server asks once the head is read, so an upload route can take more
// than the rest without every path reading that much.
TEST_F(ServerTest, BodyLimitIsAskedPerRequestHead) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1000;
  o.body_limit_for = [](http::Method, std::string_view path) -> size_t { return path == "/upload" ? 5000 : 100; };
  Start(o);
  {
    Client c(port());
    ASSERT_TRUE(c.Send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 200\r\n\r\n" + std::string(200, 'x')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("100"), std::string::npos) << r->body;
  }
  {
    // Capped by max_body_bytes, whatever the function says.
    Client c(port());
    ASSERT_TRUE(c.Send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'x')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  {
    Client c(port());
    ASSERT_TRUE(c.Send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n\r\n" + std::string(900, 'x')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_NE(r->status, 413);
  }
  {
    // Chunked: counted against the route's limit while it arrives.
    Client c(port());
    std::string chunk(80, 'y');
    ASSERT_TRUE(c.Send("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "50\r\n" + chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  StopAndJoin();
}

TEST_F(ServerTest, BodyOverTheLimitGets413) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1000;
  Start(o);
  {
    Client c(port());
    ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'x')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->Header("Content-Type"), "application/problem+json; charset=utf-8");
    EXPECT_EQ(r->Header("Connection"), "close");
    auto body = boost::json::parse(r->body).as_object();
    EXPECT_EQ(body.at("type"), "/problems/http/body-too-large");
    EXPECT_EQ(body.at("instance"), "/up");
    EXPECT_TRUE(c.WaitForClose(3s));
  }
  {
    // The same limit holds for a chunked body, whose size is only known while reading it.
    Client c(port());
    std::string chunk(600, 'y');
    ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  {
    // At the limit is fine.
    Client c(port());
    ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'z')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
}

TEST_F(ServerTest, BodyUpToTheDefaultLimitArrivesWhole) {
  std::atomic<size_t> received{0};
  Start(TestOptions(), [&](http::Request& r) {
    received = r.body.size();
    return http::Response::Text(200, r.body.substr(r.body.size() - 3));
  });
  Client c(port());
  std::string body(1 << 20, 'b');
  body.replace(body.size() - 3, 3, "end");
  ASSERT_TRUE(c.Send("PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "end");
  EXPECT_EQ(received, body.size());
}

TEST_F(ServerTest, Http11WithoutOrWithTwoHostsGets400) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  // The framing was intact, so the connection goes on.
  ASSERT_TRUE(c.Send(Get("/x")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, HugeHeaderGets431) {
  ServerOptions o = TestOptions();
  o.max_header_bytes = 4096;
  Start(o);
  Client c(port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  auto body = boost::json::parse(r->body).as_object();
  EXPECT_EQ(body.at("type"), "/problems/http/header-too-large");
  EXPECT_EQ(body.at("detail"), "请求头超过了 4096 字节的上限");
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST_F(ServerTest, SlowHeaderIsCutOffWhileOthersAreServed) {
  ServerOptions o = TestOptions();
  o.header_timeout = 400ms;
  Start(o);
  Client slow(port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: t\r\nX-A: "));  // and never the rest
  Client silent(port());                                              // connects, sends nothing
  auto start = Clock::now();
  // Meanwhile another client is served promptly, several times.
  for (int i = 0; i < 5; ++i) {
    Client fast(port());
    ASSERT_TRUE(fast.Send(Get("/fast")));
    auto r = fast.Read(1s);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
  }
  auto r = slow.Read(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  auto body = boost::json::parse(r->body).as_object();
  EXPECT_EQ(body.at("type"), "/problems/http/request-timeout");
  EXPECT_TRUE(slow.WaitForClose(3s));
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 350ms);
  EXPECT_LT(elapsed, 2500ms);
  // The silent one is simply closed: it never started a request.
  EXPECT_TRUE(silent.WaitForClose(3s));
}

TEST_F(ServerTest, SlowBodyIsCutOff) {
  ServerOptions o = TestOptions();
  o.request_timeout = 400ms;
  Start(o);
  Client c(port());
  ASSERT_TRUE(c.Send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly-a-little"));
  auto r = c.Read(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o = TestOptions();
  o.idle_timeout = 300ms;
  Start(o);
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/x")));
  ASSERT_TRUE(c.Read());
  auto start = Clock::now();
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_GE(Clock::now() - start, 250ms);
}

TEST_F(ServerTest, GarbageGets400AndServerKeepsServing) {
  Start();
  for (std::string garbage : {std::string("HELLO THERE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                              std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 16),
                              std::string("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
                              std::string("GET / HTTP/1.1\r\nHost: t\r\nX-Folded: one\r\n two\r\n\r\n"),
                              std::string("GET / HTTP/1.1\r\n Host: t\r\n\r\n"),
                              std::string("GET / HTTP/1.1\nHost: t\n\n"),
                              std::string("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                              std::string("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
                              std::string("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"),
                              std::string("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
    Client c(port());
    ASSERT_TRUE(c.Send(garbage));
    auto r = c.Read(3s);
    ASSERT_TRUE(r) << garbage;
    EXPECT_EQ(r->status, 400) << garbage;
    EXPECT_EQ(r->Header("Content-Type"), "application/problem+json; charset=utf-8");
    EXPECT_EQ(boost::json::parse(r->body).as_object().at("type"), "/problems/http/bad-request") << garbage;
    EXPECT_TRUE(c.WaitForClose(3s)) << garbage;
  }
  Client after(port());
  ASSERT_TRUE(after.Send(Get("/still-alive")));
  auto r = after.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, ErrorAnswersToHeadHaveNoBody) {
  Start();
  for (std::string broken : {std::string("HEAD /x HTTP/1.1\r\nHost\0: x\r\n\r\n", 30),
                             std::string("HEAD /x HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n"),
                             std::string("HEAD /x HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n")}) {
    Client c(port());
    ASSERT_TRUE(c.Send(broken));
    auto r = c.Read(3s, /*head=*/true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->Header("Content-Length"), "0");
    // Nothing but the close follows the head.
    EXPECT_TRUE(c.WaitForClose(3s)) << broken;
  }
  Client c(port());
  ASSERT_TRUE(c.Send("HEAD /x HTTP/1.1\r\n\r\n"));  // no Host: a request-level 400, connection kept
  auto r = c.Read(3s, /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  ASSERT_TRUE(c.Send(Get("/after")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, InvalidPathGets400AndTheConnectionStaysUsable) {
  Start();
  Client c(port());
  for (const char* target : {"/a%zz", "/a/%2e%2e/etc/passwd", "/a%00b", "/%C0%AF"}) {
    ASSERT_TRUE(c.Send(Get(target)));
    auto r = c.Read();
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(boost::json::parse(r->body).as_object().at("type"), "/problems/http/invalid-path");
  }
  ASSERT_TRUE(c.Send(Get("/ok")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(LastRequest().path, "/ok");  // the handler never saw the bad ones
}

TEST_F(ServerTest, ConnectionCloseAndHttp10AreHonoured) {
  Start();
  {
    Client c(port());
    ASSERT_TRUE(c.Send(Get("/x", "Connection: close\r\n")));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitForClose(3s));
  }
  {
    Client c(port());
    ASSERT_TRUE(c.Send("GET /old HTTP/1.0\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, "HTTP/1.0");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /old ? body=");
    EXPECT_TRUE(c.WaitForClose(3s));
  }
  {
    Client c(port());
    ASSERT_TRUE(c.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "keep-alive");
    ASSERT_TRUE(c.Send("GET /again HTTP/1.0\r\n\r\n"));
    r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /again ? body=");
  }
}

TEST_F(ServerTest, ExpectContinueGetsA100First) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.Send("abc"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "POST /e ? body=abc");
}

TEST_F(ServerTest, HandlerThatThrowsGets500AndServerKeepsServing) {
  Start(TestOptions(), [this](http::Request& r) -> http::Response {
    if (r.path == "/boom") throw std::runtime_error("resident 张三 exploded");
    return Echo(r);
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/boom")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find("张三"), std::string::npos);
  auto body = boost::json::parse(r->body).as_object();
  EXPECT_EQ(body.at("type"), "/problems/internal");
  EXPECT_EQ(body.at("request_id").as_string(), r->Header("X-Request-Id"));
  // Same connection, and a new one, both still work.
  ASSERT_TRUE(c.Send(Get("/fine")));
  auto again = c.Read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  Client c2(port());
  ASSERT_TRUE(c2.Send(Get("/fine")));
  ASSERT_TRUE(c2.Read());
  StopAndJoin();
  EXPECT_NE(log_.find("\"event\":\"request.internal_error\""), std::string::npos);
  EXPECT_NE(log_.find(std::string("\"request_id\":\"") + r->Header("X-Request-Id") + "\""), std::string::npos);
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequestAndClosesIdleOnes) {
  std::mutex mu;
  std::condition_variable cv;
  bool handler_started = false;
  Start(TestOptions(), [&](http::Request& r) -> http::Response {
    if (r.path == "/slow") {
      {
        std::lock_guard lock(mu);
        handler_started = true;
      }
      cv.notify_all();
      std::this_thread::sleep_for(500ms);
      return http::Response::Text(200, "finished");
    }
    return Echo(r);
  });
  Client idle(port());
  ASSERT_TRUE(idle.Send(Get("/warm")));
  ASSERT_TRUE(idle.Read());  // now idle on keep-alive
  Client busy(port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 3s, [&] { return handler_started; }));
  }
  auto stop_at = Clock::now();
  server_->Stop();
  server_->Stop();  // idempotent
  EXPECT_TRUE(idle.WaitForClose(2s));
  EXPECT_FALSE(run_returned_);  // the slow request is still being handled
  auto r = busy.Read(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(busy.WaitForClose(2s));
  busy.Close();  // the server lingers until the client closes its side too
  run_thread_.join();
  EXPECT_TRUE(run_returned_);
  EXPECT_LT(Clock::now() - stop_at, 1500ms);
  // No longer accepting.
  Client late(port());
  EXPECT_TRUE(!late.connected() || late.WaitForClose(1s));
  EXPECT_EQ(metrics_.open_connections(), 0);
}

TEST_F(ServerTest, ShutdownGraceBoundsTheWaitForConnections) {
  ServerOptions o = TestOptions();
  o.shutdown_grace = 200ms;
  std::atomic<bool> started{false};
  Start(o, [&](http::Request&) -> http::Response {
    started = true;
    std::this_thread::sleep_for(800ms);
    return http::Response::Text(200, "too late");
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/slower-than-grace")));
  while (!started) std::this_thread::sleep_for(5ms);
  auto stop_at = Clock::now();
  server_->Stop();
  // The connection is closed when the grace period ends, without the late response.
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_LT(Clock::now() - stop_at, 700ms);
  run_thread_.join();  // Run() still waits for the worker to return
  EXPECT_TRUE(run_returned_);
}

TEST_F(ServerTest, StopBeforeRunReturnsAtOnce) {
  server_ = std::make_unique<Server>(TestOptions(), [](http::Request&) { return http::Response(); }, metrics_);
  ASSERT_TRUE(server_->Listen().ok());
  server_->Stop();
  auto start = Clock::now();
  server_->Run(false);
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST_F(ServerTest, OverMaxConnectionsGets503WithRetryAfter) {
  ServerOptions o = TestOptions();
  o.max_connections = 2;
  Start(o);
  std::optional<Client> a(std::in_place, port());
  Client b(port());
  for (Client* c : {&*a, &b}) {
    ASSERT_TRUE(c->Send(Get("/x")));
    ASSERT_TRUE(c->Read());
  }
  EXPECT_EQ(metrics_.open_connections(), 2);
  {
    Client third(port());
    auto r = third.Read(3s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->Header("Retry-After"), "5");
    EXPECT_EQ(boost::json::parse(r->body).as_object().at("type"), "/problems/http/overloaded");
    EXPECT_TRUE(third.WaitForClose(3s));
  }
  // A slot freed is a slot usable again.
  a.reset();
  for (int i = 0; i < 300 && metrics_.open_connections() >= 2; ++i) std::this_thread::sleep_for(10ms);
  a.emplace(port());
  ASSERT_TRUE(a->Send(Get("/again")));
  auto again = a->Read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(ServerTest, CountsOpenConnectionsAndRejectedRequests) {
  Start();
  {
    Client a(port()), b(port());
    ASSERT_TRUE(a.Send(Get("/1")));
    ASSERT_TRUE(b.Send("BROKEN\r\n\r\n"));
    ASSERT_TRUE(a.Read());
    ASSERT_TRUE(b.Read());
    EXPECT_EQ(metrics_.open_connections(), 2);
  }
  for (int i = 0; i < 300 && metrics_.open_connections() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(metrics_.open_connections(), 0);
  std::string text = metrics_.RenderPrometheus();
  EXPECT_NE(text.find("gz_http_connections_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("gz_http_requests_total{route=\"rejected\",method=\"OTHER\",status=\"400\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(ServerListenTest, ReportsWhyItCannotListen) {
  http::Metrics metrics;
  std::string sink;
  log::CaptureForTest(&sink);
  ServerOptions o;
  o.port = 0;
  Server first(o, [](http::Request&) { return http::Response(); }, metrics);
  ASSERT_TRUE(first.Listen().ok());
  o.port = first.port();
  Server second(o, [](http::Request&) { return http::Response(); }, metrics);
  Status s = second.Listen();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.slug(), "server/cannot-listen");
  EXPECT_NE(s.Arg("reason").find("in use"), std::string_view::npos) << s.ToString();
  o.address = "not-an-address";
  Server third(o, [](http::Request&) { return http::Response(); }, metrics);
  EXPECT_EQ(third.Listen().slug(), "server/cannot-listen");
  log::CaptureForTest(nullptr);
}

}  // namespace
}  // namespace gz::server
