// A budget vote and knapsack ballots of a chosen size, for the tests and for
// bench/budget_tally_bench.cc: the largest instances the closing request must tally (30 projects,
// the options' cap; a village's or a township's electorate). Deterministic: the same arguments give
// the same instance, so a measured time can be compared between runs.
#ifndef GZ_MODULES_VOTES_TESTING_SYNTHETIC_BUDGET_H_
#define GZ_MODULES_VOTES_TESTING_SYNTHETIC_BUDGET_H_

#include <cstdint>
#include <vector>

#include "modules/votes/vote.h"

namespace gz::votes {

// A budget vote (rule MES) of `projects` projects costing first_cost, first_cost + cost_step, ...
Vote SyntheticBudgetVote(int64_t budget, int projects, int64_t first_cost, int64_t cost_step);

// `count` ballots, each approving about a sixth of the projects, never over the budget (as the
// service accepts them), at least one project each.
std::vector<Choice> SyntheticKnapsackBallots(const Vote& vote, int count, uint64_t seed = 12345);

// The two sizes docs/votes.md records: a large village (5,000 ballots) and a township (30,000).
Vote VillageSizedBudgetVote();
Vote TownshipSizedBudgetVote();
constexpr int kVillageSizedBallots = 5'000;
constexpr int kTownshipSizedBallots = 30'000;

}  // namespace gz::votes

#endif  // GZ_MODULES_VOTES_TESTING_SYNTHETIC_BUDGET_H_
