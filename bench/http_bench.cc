// The HTTP layer's per-request work without the network: content negotiation, target parsing,
// routing, problem rendering, a whole dispatch, and the metrics it records.
#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/status.h"
#include "http/dispatcher.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace {

using namespace gz;

http::Router MakeRouter() {
  http::Router router;
  auto add = [&](http::Method m, std::string pattern, std::string id) {
    http::Route r;
    r.method = m;
    r.pattern = std::move(pattern);
    r.operation_id = std::move(id);
    r.permission = "public";
    r.summary = "bench";
    r.handler = [](http::Request&) -> Result<http::Response> {
      return http::Response::Json(200, R"({"code":"420114000000","name":"蔡甸区","level":"county"})");
    };
    router.Add(std::move(r));
  };
  add(http::Method::kGet, "/healthz", "system.health");
  add(http::Method::kGet, "/readyz", "system.ready");
  add(http::Method::kGet, "/metrics", "system.metrics");
  add(http::Method::kGet, "/api/openapi.json", "system.openapi");
  add(http::Method::kGet, "/api/v1/divisions", "divisions.list");
  add(http::Method::kGet, "/api/v1/divisions/{code}", "divisions.get");
  add(http::Method::kGet, "/api/v1/divisions/{code}/children", "divisions.children");
  add(http::Method::kGet, "/api/v1/appeals/{id}", "appeals.get");
  add(http::Method::kPost, "/api/v1/appeals", "appeals.create");
  add(http::Method::kPost, "/api/v1/appeals/{id}/feedback", "appeals.rate");
  return router;
}

void BM_NegotiateLanguage(benchmark::State& state) {
  const std::vector<std::string> headers = {"", "en", "en-US,en;q=0.9", "zh-CN,zh;q=0.9,en;q=0.8",
                                            "fr;q=0.9, en;q=0.5, zh-CN;q=0.7"};
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(http::NegotiateLanguage(headers[i++ % headers.size()]));
}
BENCHMARK(BM_NegotiateLanguage);

void BM_ParseTarget(benchmark::State& state) {
  for (auto _ : state) {
    auto t = http::ParseTarget("/api/v1/divisions/420114001/children?limit=50&offset=0");
    benchmark::DoNotOptimize(t.ok());
  }
}
BENCHMARK(BM_ParseTarget);

void BM_RouterFind(benchmark::State& state) {
  http::Router router = MakeRouter();
  std::vector<std::pair<std::string, std::string>> params;
  for (auto _ : state) {
    params.clear();
    auto match = router.Find(http::Method::kGet, "/api/v1/divisions/420114001/children", &params);
    benchmark::DoNotOptimize(match.route);
  }
}
BENCHMARK(BM_RouterFind);

void BM_MakeProblem(benchmark::State& state) {
  http::ProblemCatalog catalog;
  http::Request request;
  request.path = "/api/v1/nope";
  request.request_id = "01HZY3J8Q6W5N2";
  request.language = state.range(0) ? http::Language::kEn : http::Language::kZh;
  Status status = NotFound(std::string(http::problems::kNotFound));
  for (auto _ : state) {
    http::Response r = http::MakeProblem(status, request, catalog);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_MakeProblem)->Arg(0)->Arg(1)->ArgName("en");

// A whole dispatch of a small JSON GET: routing, language, handler, security headers, metrics.
// The access log is silenced (level warn) so the benchmark measures the work, not stderr.
void BM_DispatchJsonGet(benchmark::State& state) {
  log::SetMinLevel(log::Level::kWarn);
  http::Router router = MakeRouter();
  http::ProblemCatalog catalog;
  http::Metrics metrics;
  http::Dispatcher dispatcher(router, catalog, metrics);
  for (auto _ : state) {
    http::Request request;
    request.method = http::Method::kGet;
    request.method_text = "GET";
    request.target = "/api/v1/divisions/420114";
    request.path = "/api/v1/divisions/420114";
    request.headers = {{"host", "127.0.0.1"}, {"accept-language", "zh-CN,zh;q=0.9"}};
    request.request_id = "01HZY3J8Q6W5N2";
    request.remote_addr = "127.0.0.1";
    http::Response r = dispatcher.Handle(request);
    benchmark::DoNotOptimize(r.body.data());
  }
  log::SetMinLevel(log::Level::kInfo);
}
BENCHMARK(BM_DispatchJsonGet);

void BM_MetricsObserve(benchmark::State& state) {
  http::Metrics metrics;
  for (auto _ : state) metrics.ObserveRequest("/api/v1/divisions/{code}", "GET", 200, 0.00042);
}
BENCHMARK(BM_MetricsObserve);

}  // namespace
