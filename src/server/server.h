// The HTTP/1.1 server: sockets in, http::Request to a handler, http::Response out.
//
// Layer: server (the only layer that sees Boost.Beast and Asio; this header shows neither).
// Threading (docs/decisions/0002-server-threading.md): Run() turns the calling thread into the
// one I/O thread, which accepts, parses and writes for every connection; each complete
// request is handed to a pool of `threads` workers, because handlers may block (SQLite), and
// the connection resumes on the I/O thread with the response. A slow handler therefore holds
// one worker, never the I/O of other connections.
//
// What the server enforces before a handler sees anything:
//   header bytes   > max_header_bytes              -> 431 problem "http/header-too-large", close
//   body bytes     > max_body_bytes                -> 413 problem "http/body-too-large", close
//   header not complete header_timeout after its first byte, or body not complete
//   request_timeout after the request's first byte -> 408 problem "http/request-timeout", close
//   no byte of a first request within header_timeout, or of a next request within
//   idle_timeout                                   -> close (nothing is owed to the client)
//   unparseable HTTP, CL+TE or conflicting lengths -> 400 problem "http/bad-request", close
//   a target with bad %-escapes, NUL, "..", non-UTF-8 -> 400 problem "http/invalid-path"
//   more than max_connections open                 -> 503 problem "http/overloaded", close
// After an error response the server stops sending, discards what the client still sends for
// a moment (so the client reads the response instead of a reset), and closes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::server {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal; "0.0.0.0" / "::" for all
  uint16_t port = 8080;               // 0: an ephemeral port, see Server::port()
  int threads = 0;                    // handler workers; 0: four per hardware core, at least 8
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1 << 20;
  // The body limit of one request, asked once its head is read (method and decoded path), so
  // that a route taking file uploads can allow more than the rest without every path accepting
  // that much (http::Router::Find + Route::max_body_bytes). Empty: max_body_bytes for all.
  // Must be thread-safe and fast; the answer is capped at max_body_bytes.
  std::function<size_t(http::Method, std::string_view path)> body_limit_for;
  // Durations are milliseconds so tests can use short ones; seconds convert implicitly.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};  // also bounds one write
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  size_t max_connections = 4096;
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
  // Runs handlers on the I/O thread instead of the worker pool. Only for handlers that never
  // block; it exists so that the cost of the hand-off can be measured (bench in 0002).
  bool inline_handlers = false;
};

class Server {
 public:
  // Called on a worker thread with a complete request (request_id, remote_addr, method,
  // method_text, target, path, query, lower-case headers and body filled in), e.g.
  // Dispatcher::Handle. May block. Should not throw; if it does, the exception is logged with
  // the request id and the client gets a 500 problem.
  using HandleFn = std::function<http::Response(http::Request&)>;

  // `metrics` must outlive the server; it receives open/total connection counts and the
  // requests the server answers itself (route label "rejected").
  Server(ServerOptions options, HandleFn handle, http::Metrics& metrics);
  ~Server();  // REQUIRES: Run() is not running (it has returned, or was never called)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors: kUnavailable "server/cannot-listen" with arguments address,
  // port and reason (e.g. "Address already in use").
  Status Listen();
  // The bound port; valid after Listen() returned OK.
  uint16_t port() const;

  // Serves until Stop() or, with `handle_signals`, SIGTERM/SIGINT. Then: stops accepting,
  // closes idle keep-alive connections at once, lets requests in progress finish and answers
  // them with Connection: close; connections still open after shutdown_grace are closed,
  // and Run() returns once the workers are done with the requests they hold.
  // REQUIRES: Listen() returned OK; called once.
  void Run(bool handle_signals = true);

  // Begins the shutdown described at Run(). Thread-safe, idempotent, may be called before Run()
  // (Run() then returns at once).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gz::server
