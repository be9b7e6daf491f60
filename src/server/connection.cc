#include "server/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <random>

#include "core/log.h"
#include "http/dispatcher.h"

namespace gz::server {
namespace {

namespace beast = boost::beast;
namespace wire = boost::beast::http;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kFirstReadBytes = 4096;
constexpr size_t kMaxLingerBytes = 1 << 20;
constexpr std::chrono::milliseconds kMaxLinger{2000};

// 64 random bits as 16 hex digits. Not a secret, only unique enough to find a log line.
std::string NewRequestId() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// IMF-fixdate (RFC 9110 §5.6.7), recomputed at most once a second on the I/O thread.
const std::string& HttpDate() {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_at = -1;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached = buf;
    cached_at = now;
  }
  return cached;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// A header value that could split the response (CR, LF) or confuse a client (NUL) is dropped.
bool IsSafeValue(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// True if a header line continues on the next (CRLF followed by SP or HTAB).
bool HasObsFold(std::string_view header) {
  for (size_t i = header.find("\r\n"); i != std::string_view::npos; i = header.find("\r\n", i + 2)) {
    if (i + 2 < header.size() && (header[i + 2] == ' ' || header[i + 2] == '\t')) return true;
  }
  return false;
}

// Headers the server owns (see http/response.h); a handler's values are ignored.
bool IsServerOwnedHeader(std::string_view lower_name) {
  return lower_name == "connection" || lower_name == "keep-alive" || lower_name == "transfer-encoding" ||
         lower_name == "date" || lower_name == "content-length" || lower_name == "upgrade";
}

wire::response<wire::string_body> ToWire(http::Response&& r, unsigned version, bool keep_alive, bool head) {
  wire::response<wire::string_body> res;
  res.version(version);
  int status = r.status;
  if (status < 100 || status > 599) {
    log::Error("server.bad_response_status", {{"status", status}});
    status = 500;
  }
  res.result(static_cast<unsigned>(status));
  std::string_view head_length;
  for (const auto& [name, value] : r.headers) {
    if (!IsToken(name) || !IsSafeValue(value)) {
      log::Error("server.bad_response_header", {{"header", name.substr(0, 64)}});
      continue;
    }
    std::string lower = Lower(name);
    if (lower == "content-length") head_length = value;
    if (IsServerOwnedHeader(lower)) continue;
    res.insert(name, value);
  }
  res.set(wire::field::date, HttpDate());
  bool bodiless_status = status < 200 || status == 204 || status == 304;
  if (bodiless_status) {
    // RFC 9110 §8.6: no Content-Length on 1xx/204; none needed on 304.
  } else if (head) {
    res.set(wire::field::content_length, IsDigits(head_length) ? std::string(head_length) : std::to_string(r.body.size()));
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  res.keep_alive(keep_alive);
  return res;
}

// The handler behind a last line of defence: whatever it throws becomes a 500 problem.
http::Response SafeHandle(ServerState& state, http::Request& request) {
  auto start = Clock::now();
  Status failure;
  try {
    return state.handle(request);
  } catch (const std::exception& e) {
    failure = Internal(std::string("exception from handler: ") + e.what());
  } catch (...) {
    failure = Internal("non-standard exception from handler");
  }
  log::Error("request.internal_error", {{"request_id", request.request_id},
                                        {"route", request.route.empty() ? "unmatched" : request.route},
                                        {"detail", failure.ToString()}});
  http::Response response = http::MakeProblem(failure, request, state.catalog);
  http::AddSecurityHeaders(response);
  response.SetHeader("X-Request-Id", request.request_id);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  state.metrics.ObserveRequest(request.route.empty() ? "unmatched" : request.route,
                               http::MethodName(request.method), response.status, seconds);
  return response;
}

// A problem the server answers itself, before or instead of the handler.
http::Response ServerProblem(ServerState& state, const Status& status, const http::Request& request) {
  http::Response response = http::MakeProblem(status, request, state.catalog);
  http::AddSecurityHeaders(response);
  response.SetHeader("X-Request-Id", request.request_id);
  return response;
}

// The access-log line and metrics for a request the handler never saw.
void RecordRejected(ServerState& state, const http::Request& request, const http::Response& response,
                    std::string_view reason, Clock::time_point started) {
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  state.metrics.ObserveRequest("rejected", http::MethodName(request.method), response.status, seconds);
  log::Info("request", {{"request_id", request.request_id},
                        {"method", http::MethodName(request.method)},
                        {"route", "rejected"},
                        {"status", response.status},
                        {"duration_ms", seconds * 1000.0},
                        {"bytes_out", static_cast<uint64_t>(response.body.size())},
                        {"reason", reason}});
}

}  // namespace

Connection::Connection(ServerState& state, tcp::socket socket)
    : state_(state), socket_(std::move(socket)), deadline_timer_(state.ioc) {
  error_code ec;
  tcp::endpoint remote = socket_.remote_endpoint(ec);
  if (!ec) remote_addr_ = remote.address().to_string();
  state_.connections.insert(this);
  state_.metrics.ConnectionOpened();
}

Connection::~Connection() {
  state_.connections.erase(this);
  state_.metrics.ConnectionClosed();
  if (state_.on_connection_closed) state_.on_connection_closed();
}

asio::awaitable<void> Connection::Serve(std::shared_ptr<Connection> self, bool over_capacity) {
  co_await self->Run(over_capacity);
  self->DisarmDeadline();
  self->Close();
}

void Connection::CloseIfIdle() {
  if (phase_ == Phase::kIdle) Close();
}

void Connection::ForceClose() { Close(); }

void Connection::Close() {
  error_code ignored;
  if (!socket_.is_open()) return;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void Connection::ArmDeadline(Clock::time_point deadline) {
  timed_out_ = false;
  uint64_t generation = ++deadline_generation_;
  deadline_timer_.expires_at(deadline);
  deadline_timer_.async_wait([weak = weak_from_this(), generation](error_code ec) {
    std::shared_ptr<Connection> self = weak.lock();
    // A stale expiry (the deadline was moved after this wait completed) must not cancel anything.
    if (ec || !self || generation != self->deadline_generation_) return;
    self->timed_out_ = true;
    error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void Connection::DisarmDeadline() {
  ++deadline_generation_;
  deadline_timer_.cancel();
}

asio::awaitable<http::Response> Connection::CallHandler(http::Request& request) {
  if (state_.options.inline_handlers) co_return SafeHandle(state_, request);
  // Runs on a worker; co_spawn delivers the result back on this coroutine's executor (the I/O
  // thread). `request` lives in the suspended caller's frame until then.
  co_return co_await asio::co_spawn(
      state_.pool, [&]() -> asio::awaitable<http::Response> { co_return SafeHandle(state_, request); },
      asio::use_awaitable);
}

asio::awaitable<void> Connection::Linger() {
  phase_ = Phase::kClosing;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  ArmDeadline(Clock::now() + std::min<std::chrono::milliseconds>(kMaxLinger, state_.options.header_timeout));
  std::array<char, 4096> sink;
  size_t discarded = 0;
  while (discarded < kMaxLingerBytes) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), kAsTuple);
    if (ec) break;
    discarded += n;
  }
}

asio::awaitable<void> Connection::Run(bool over_capacity) {
  const ServerOptions& options = state_.options;
  if (over_capacity) {
    http::Request request;
    request.method = http::Method::kOther;
    request.request_id = NewRequestId();
    http::Response response = ServerProblem(state_, Unavailable(std::string(http::problems::kOverloaded)), request);
    RecordRejected(state_, request, response, "max_connections", Clock::now());
    auto res = ToWire(std::move(response), 11, /*keep_alive=*/false, /*head=*/false);
    ArmDeadline(Clock::now() + kMaxLinger);
    co_await wire::async_write(socket_, res, kAsTuple);
    co_await Linger();
    co_return;
  }

  // Bounded, so that a header can never make the buffer grow past the header limit by much.
  beast::flat_buffer buffer(options.max_header_bytes + 2 * kFirstReadBytes);
  bool first_request = true;
  for (;;) {
    // 1. Wait for the first byte of the next request. Nothing is in flight: shutdown may close.
    if (buffer.size() == 0) {
      phase_ = Phase::kIdle;
      if (state_.stopping) co_return;
      ArmDeadline(Clock::now() + (first_request ? options.header_timeout : options.idle_timeout));
      auto [ec, n] = co_await socket_.async_read_some(buffer.prepare(kFirstReadBytes), kAsTuple);
      if (ec) co_return;  // client gone, idle timeout or shutdown: nothing is owed
      buffer.commit(n);
    }
    first_request = false;

    // 2. Read the header, then the body, each against its deadline.
    phase_ = Phase::kReading;
    Clock::time_point started = Clock::now();
    http::Request request;
    request.method = http::Method::kOther;  // until the request line is parsed
    request.request_id = NewRequestId();
    request.remote_addr = remote_addr_;
    wire::request_parser<wire::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    ArmDeadline(started + options.header_timeout);
    // Buffer the whole header first, to refuse what Beast's parser tolerates but a proxy in
    // front might read differently (obs-fold, RFC 9112 §5.2: reject or unfold; we reject).
    error_code ec;
    bool obs_fold = false;
    for (;;) {
      std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (size_t end = data.find("\r\n\r\n"); end != std::string_view::npos) {
        obs_fold = HasObsFold(data.substr(0, end + 2));
        break;
      }
      if (data.find("\n\n") != std::string_view::npos) break;  // bare LFs: the parser refuses them
      if (data.size() > options.max_header_bytes) break;  // the parser reports header_limit
      auto [read_ec, n] = co_await socket_.async_read_some(buffer.prepare(kFirstReadBytes), kAsTuple);
      if (read_ec) {
        ec = read_ec == asio::error::eof ? error_code(wire::error::partial_message) : read_ec;
        break;
      }
      buffer.commit(n);
    }
    if (!ec) {
      // Parsed even with an obs-fold (the header is complete, so no read happens): the method,
      // target and language are then known for the error answer.
      auto [header_ec, header_n] = co_await wire::async_read_header(socket_, buffer, parser, kAsTuple);
      ec = header_ec;
    }
    // The route's own body limit, decided before a 100-continue invites the body.
    size_t body_limit = options.max_body_bytes;
    if (!ec && !obs_fold && options.body_limit_for) {
      const auto& head = parser.get();
      Result<http::Target> target = http::ParseTarget(head.target());
      if (target.ok())
        body_limit = std::min(options.max_body_bytes,
                              options.body_limit_for(http::ParseMethod(head.method_string()), target->path));
      if (auto length = parser.content_length(); length && *length > body_limit)
        ec = wire::error::body_limit;
      else
        parser.body_limit(body_limit);  // chunked bodies are counted against it as they arrive
    }
    if (!ec && !obs_fold) {
      const auto& head = parser.get();
      auto expect = head[wire::field::expect];
      if (head.version() == 11 && beast::iequals(expect, "100-continue") && !parser.is_done()) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [write_ec, write_n] = co_await asio::async_write(socket_, asio::buffer(kContinue), kAsTuple);
        ec = write_ec;
      }
    }
    if (!ec && !obs_fold) {
      ArmDeadline(started + options.request_timeout);
      auto [body_ec, body_n] = co_await wire::async_read(socket_, buffer, parser, kAsTuple);
      ec = body_ec;
    }
    // Once the request line is parsed (even if a field then failed), the method, target and
    // whatever fields came are known: enough to answer an error as HEAD, in the client's language.
    if (!parser.get().method_string().empty()) {
      request.method_text = std::string(parser.get().method_string());
      request.method = http::ParseMethod(request.method_text);
      request.language = http::NegotiateLanguage(parser.get()[wire::field::accept_language]);
      Result<http::Target> target = http::ParseTarget(parser.get().target());
      if (target.ok()) request.path = std::move(target->path);
    }
    if (ec || obs_fold) {
      Status status;
      std::string reason;
      if (obs_fold) {
        status = InvalidArgument(std::string(http::problems::kBadRequest));
        reason = "obs-fold";
      } else if (timed_out_) {
        status = InvalidArgument(std::string(http::problems::kRequestTimeout));
        reason = "timeout";
      } else if (ec == wire::error::header_limit) {
        status = TooLarge(std::string(http::problems::kHeaderTooLarge))
                     .With("limit", std::to_string(options.max_header_bytes));
        reason = "header_limit";
      } else if (ec == wire::error::body_limit) {
        status = TooLarge(std::string(http::problems::kBodyTooLarge)).With("limit", std::to_string(body_limit));
        reason = "body_limit";
      } else if (ec == wire::error::end_of_stream || ec == wire::error::partial_message ||
                 ec == asio::error::eof || ec == asio::error::connection_reset ||
                 ec == asio::error::operation_aborted || ec == asio::error::broken_pipe) {
        co_return;  // the client left (or shutdown closed us): nobody to answer
      } else {
        status = InvalidArgument(std::string(http::problems::kBadRequest));
        reason = ec.message();
      }
      http::Response response = ServerProblem(state_, status, request);
      RecordRejected(state_, request, response, reason, started);
      unsigned version = parser.get().version() == 10 ? 10 : 11;
      bool head = request.method == http::Method::kHead;
      auto res = ToWire(std::move(response), version, /*keep_alive=*/false, head);
      phase_ = Phase::kWriting;
      ArmDeadline(Clock::now() + kMaxLinger);
      co_await wire::async_write(socket_, res, kAsTuple);
      co_await Linger();
      co_return;
    }
    DisarmDeadline();

    // 3. A complete request: fill in what handlers see and hand it to a worker.
    wire::request<wire::string_body>& req = parser.get();
    bool keep_alive = req.keep_alive();
    bool head = request.method == http::Method::kHead;
    request.target = std::string(req.target());
    http::Response response;
    Result<http::Target> target = http::ParseTarget(request.target);
    // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one before.
    size_t hosts = req.count(wire::field::host);
    if (hosts > 1 || (hosts == 0 && req.version() >= 11)) {
      response = ServerProblem(state_, InvalidArgument(std::string(http::problems::kBadRequest)), request);
      RecordRejected(state_, request, response, "host", started);
    } else if (!target.ok()) {
      response = ServerProblem(state_, target.status(), request);
      RecordRejected(state_, request, response, "invalid_path", started);
    } else {
      request.path = std::move(target->path);
      request.query = std::move(target->query);
      request.headers.reserve(std::distance(req.begin(), req.end()));
      for (const auto& field : req) request.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
      request.body = std::move(req.body());
      phase_ = Phase::kHandling;
      response = co_await CallHandler(request);
    }

    // 4. Write the response; during shutdown it is the connection's last.
    keep_alive = keep_alive && !state_.stopping;
    phase_ = Phase::kWriting;
    auto res = ToWire(std::move(response), req.version(), keep_alive, head);
    ArmDeadline(Clock::now() + options.request_timeout);
    auto [write_ec, write_n] = co_await wire::async_write(socket_, res, kAsTuple);
    if (write_ec) co_return;
    if (!keep_alive) {
      co_await Linger();
      co_return;
    }
  }
}

}  // namespace gz::server
