// Internal to server/: the state the listener and the connections share, and one connection.
//
// Everything here runs on the single I/O thread (the thread in Server::Run), so none of it
// needs a lock or a strand; the only other threads are the workers, which see nothing but an
// http::Request and return an http::Response. Asio types appear here, Beast types do not
// (they stay in connection.cc).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <memory>
#include <unordered_set>

#include "http/metrics.h"
#include "http/problem.h"
#include "server/server.h"

namespace gz::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Connection;

// Owned by Server::Impl. Members are declared so that connections (destroyed with the
// io_context) can still reach `connections` and `metrics` while they go.
struct ServerState {
  ServerState(ServerOptions o, Server::HandleFn h, http::Metrics& m, int worker_threads)
      : options(std::move(o)), handle(std::move(h)), metrics(m), pool(worker_threads) {}

  ServerOptions options;
  Server::HandleFn handle;
  http::Metrics& metrics;
  http::ProblemCatalog catalog;            // the http/* problems the server answers itself
  std::unordered_set<Connection*> connections;  // open ones; I/O thread only
  bool stopping = false;                   // I/O thread only
  std::function<void()> on_connection_closed;   // lets the listener finish a shutdown
  asio::io_context ioc{1};
  asio::thread_pool pool;                  // destroyed (joined) before ioc
};

// One TCP connection: a coroutine that reads requests, hands each to a worker and writes the
// response, until the client or a limit ends it. Timeouts are a per-connection deadline
// timer that cancels the socket's pending operation, so the coroutine can still answer 408.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };

  Connection(ServerState& state, tcp::socket socket);
  ~Connection();  // unregisters, counts the connection as closed

  // Serves the connection to its end. With `over_capacity`, only answers 503 and closes.
  static asio::awaitable<void> Serve(std::shared_ptr<Connection> self, bool over_capacity);

  // Shutdown: closes the connection now if it waits for a next request (nothing in flight).
  void CloseIfIdle();
  // Shutdown after the grace period: closes the socket whatever is in flight.
  void ForceClose();

 private:
  asio::awaitable<void> Run(bool over_capacity);
  // Runs the handler on a worker (or inline, see ServerOptions), resuming on the I/O thread.
  asio::awaitable<http::Response> CallHandler(http::Request& request);
  // After an error response: stop sending, read and drop what the client still sends (up to a
  // bound), so that closing does not reset the connection before the client read the answer.
  asio::awaitable<void> Linger();
  // Pending socket operations are cancelled at `deadline`; timed_out_ tells them apart.
  void ArmDeadline(std::chrono::steady_clock::time_point deadline);
  void DisarmDeadline();
  void Close();

  ServerState& state_;
  tcp::socket socket_;
  asio::steady_timer deadline_timer_;
  uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  Phase phase_ = Phase::kIdle;
  std::string remote_addr_;
};

}  // namespace gz::server
