// The tally of a budget vote (greedy and MES with add-one completion side by side), which runs in
// the closing request: a large village's vote (30 projects, the options' cap, x 5,000 ballots) and
// a township's (30 x 30,000). docs/votes.md records the times; above a few seconds the tally would
// have to leave the request path. Counter "mes_runs": how many exact MES runs add-one needed.
#include <benchmark/benchmark.h>

#include "modules/votes/testing/synthetic_budget.h"

namespace gz::votes {
namespace {

void Run(benchmark::State& state, const Vote& vote, int ballots_count) {
  const std::vector<Choice> ballots = SyntheticKnapsackBallots(vote, ballots_count);
  int mes_runs = 0;
  for (auto _ : state) {
    Tally t = CountBallots(vote, ballots);
    mes_runs = t.budget ? t.budget->mes.mes_runs : 0;
    benchmark::DoNotOptimize(t);
  }
  state.counters["ballots"] = ballots_count;
  state.counters["mes_runs"] = mes_runs;
}

void BM_BudgetTallyVillage(benchmark::State& state) { Run(state, VillageSizedBudgetVote(), kVillageSizedBallots); }
void BM_BudgetTallyTownship(benchmark::State& state) { Run(state, TownshipSizedBudgetVote(), kTownshipSizedBallots); }

BENCHMARK(BM_BudgetTallyVillage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BudgetTallyTownship)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gz::votes
