#include "modules/votes/testing/synthetic_budget.h"

#include <string>
#include <utility>

namespace gz::votes {

Vote SyntheticBudgetVote(int64_t budget, int projects, int64_t first_cost, int64_t cost_step) {
  Vote v;
  v.method = Method::kBudget;
  v.budget = budget;
  v.budget_rule = BudgetRule::kMes;
  for (int i = 0; i < projects; ++i) {
    v.options.push_back("项目" + std::to_string(i));
    v.costs.push_back(first_cost + cost_step * i);
  }
  return v;
}

std::vector<Choice> SyntheticKnapsackBallots(const Vote& vote, int count, uint64_t seed) {
  const int projects = static_cast<int>(vote.costs.size());
  std::vector<Choice> ballots;
  ballots.reserve(static_cast<size_t>(count));
  uint64_t x = seed;
  for (int b = 0; b < count; ++b) {
    Choice c;
    int64_t total = 0;
    for (int i = 0; i < projects; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX LCG
      const int64_t cost = vote.costs[static_cast<size_t>(i)];
      if ((x >> 59) < 5 && total + cost <= vote.budget) {
        c.push_back(i);
        total += cost;
      }
    }
    if (c.empty()) c.push_back(b % projects);
    ballots.push_back(std::move(c));
  }
  return ballots;
}

// Cheap projects against the budget so that MES's add-one completion runs many times.
Vote VillageSizedBudgetVote() { return SyntheticBudgetVote(1'000'000, 30, 20'000, 9'000); }
Vote TownshipSizedBudgetVote() { return SyntheticBudgetVote(5'000'000, 30, 100'000, 45'000); }

}  // namespace gz::votes
