// A Server with synthetic handlers, for the measurements in docs/decisions/0002 (driven by
// wrk from outside; this program only serves). Not built by default: make gz_server_bench.
//
//   gz_server_bench [--port N] [--threads N] [--inline]
//   GET /hello     trivial 200
//   GET /cpu1ms    ~1 ms of CPU (like a SQLite read that misses the page cache)
//   GET /sleep1ms  blocks 1 ms off-CPU (like waiting for a lock or fsync)
//   GET /slow      blocks 200 ms (an export, a long transaction)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "core/log.h"
#include "http/dispatcher.h"
#include "server/server.h"

namespace {

using gz::Result;
using gz::http::Method;
using gz::http::Request;
using gz::http::Response;

gz::http::Route Get(std::string pattern, gz::http::Handler handler) {
  gz::http::Route r;
  r.method = Method::kGet;
  r.pattern = pattern;
  r.operation_id = "bench" + pattern;
  r.permission = "public";
  r.summary = "benchmark route";
  r.handler = std::move(handler);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  gz::server::ServerOptions options;
  options.port = 8080;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--port") && i + 1 < argc) options.port = static_cast<uint16_t>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) options.threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--inline")) options.inline_handlers = true;
    else {
      std::fprintf(stderr, "usage: %s [--port N] [--threads N] [--inline]\n", argv[0]);
      return 2;
    }
  }
  gz::http::Router router;
  router.Add(Get("/hello", [](Request&) -> Result<Response> { return Response::Text(200, "hello"); }));
  router.Add(Get("/cpu1ms", [](Request&) -> Result<Response> {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    volatile uint64_t spin = 0;
    while (std::chrono::steady_clock::now() < until) spin = spin + 1;
    return Response::Text(200, "cpu");
  }));
  router.Add(Get("/sleep1ms", [](Request&) -> Result<Response> {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return Response::Text(200, "slept");
  }));
  router.Add(Get("/slow", [](Request&) -> Result<Response> {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return Response::Text(200, "slow");
  }));
  gz::http::ProblemCatalog catalog;
  gz::http::Metrics metrics;
  gz::http::Dispatcher dispatcher(router, catalog, metrics);
  gz::server::Server server(options, [&](Request& r) { return dispatcher.Handle(r); }, metrics);
  if (gz::Status s = server.Listen(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  server.Run();
  return 0;
}
