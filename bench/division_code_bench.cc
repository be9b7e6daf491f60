// Division codes are parsed on every divisions request and for every row of an import (about
// 665,000 for the whole country), and display names are computed for every village row.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "modules/divisions/division.h"
#include "modules/divisions/division_code.h"

namespace {

using gz::divisions::DivisionCode;

void BM_DivisionCodeParse(benchmark::State& state) {
  const std::vector<std::string> inputs = {"42", "4201", "420114", "420114001", "420114001205",
                                           "420114000000", "42011x", "4201141"};
  size_t i = 0;
  for (auto _ : state) {
    auto code = DivisionCode::Parse(inputs[i++ % inputs.size()]);
    benchmark::DoNotOptimize(code.ok());
  }
}
BENCHMARK(BM_DivisionCodeParse);

void BM_DivisionCodeAncestors(benchmark::State& state) {
  auto code = DivisionCode::Parse("420114001205");
  for (auto _ : state) {
    auto ancestors = code->Ancestors();
    benchmark::DoNotOptimize(ancestors.data());
  }
}
BENCHMARK(BM_DivisionCodeAncestors);

void BM_ShortName(benchmark::State& state) {
  const std::vector<std::string> names = {"成功村委会", "正街居委会", "河街社区居委会", "枫树村村委会",
                                          "丙令村民委员会", "蔡甸街道"};
  size_t i = 0;
  for (auto _ : state) {
    auto s = gz::divisions::ShortName(names[i++ % names.size()], gz::divisions::Level::kVillage);
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_ShortName);

}  // namespace
