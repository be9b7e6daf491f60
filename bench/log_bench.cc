// Structured logging: every request writes an access-log line, so escaping and formatting are
// on the hot path of every response.
#include <benchmark/benchmark.h>

#include <string>

#include "core/log.h"

namespace {

void BM_AppendJsonEscaped_Ascii(benchmark::State& state) {
  const std::string text = "GET /api/v1/divisions/{code}/children 200 application/json";
  std::string out;
  for (auto _ : state) {
    out.clear();
    gz::log::AppendJsonEscaped(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_AppendJsonEscaped_Ascii);

void BM_AppendJsonEscaped_Chinese(benchmark::State& state) {
  const std::string text = "湖北省武汉市蔡甸区蔡甸街道成功村委会 \"quoted\"\n第二行";
  std::string out;
  for (auto _ : state) {
    out.clear();
    gz::log::AppendJsonEscaped(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_AppendJsonEscaped_Chinese);

// One access-log-sized line, captured in memory instead of written to stderr.
void BM_LogWrite_AccessLine(benchmark::State& state) {
  std::string sink;
  gz::log::CaptureForTest(&sink);
  for (auto _ : state) {
    sink.clear();
    gz::log::Info("http.request", {{"request_id", "01HZY3J8Q6W5N2"},
                                   {"method", "GET"},
                                   {"route", "/api/v1/divisions/{code}/children"},
                                   {"status", 200},
                                   {"bytes", 4812},
                                   {"seconds", 0.00042}});
    benchmark::DoNotOptimize(sink.data());
  }
  gz::log::CaptureForTest(nullptr);
}
BENCHMARK(BM_LogWrite_AccessLine);

}  // namespace
