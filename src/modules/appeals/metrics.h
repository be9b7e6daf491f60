// The rates of the 接诉即办 loop, computed honestly: every rate comes with its numerator and
// denominator, and rankings refuse groups whose samples are too small. docs/metrics.md is the
// definition of record; this file implements it (metrics_test.cc checks hand-computed fixtures).
//
// Layer: appeals domain (pure functions over facts the store loads: AppealStore::LoadFacts).
//
// In short (docs/metrics.md has the reasons):
//   population   the appeals SUBMITTED in the period (a cohort), evaluated as of `as_of_ms`;
//   attribution  unit: the appeal's current handling unit; village / township / county: the
//                appeal's village and its ancestors;
//   response     accepted within the acceptance deadline in force when it was accepted
//                / appeals accepted or past an acceptance deadline; rejected, contested and
//                withdrawn appeals left out;
//   resolution   closed with the villager's "solved" (in the app or at a recorded visit)
//                / appeals due: first answer deadline passed, or closed; same exclusions;
//   satisfaction (满意 + 基本满意) / appeals with a rating (the latest rating of each);
//   time to answer  first answer - submission, over answered appeals: median and p90 by the
//                nearest-rank method (no interpolation: each figure is a real appeal's time);
//   reopen       appeals reopened at least once / appeals answered at least once;
//   overdue      appeals (as of as_of) escalated, or past the deadline running in their state.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modules/appeals/appeal.h"

namespace gz::appeals {

// What the rates need of one appeal (no personal data).
struct AppealFacts {
  int64_t id = 0;
  std::string village;
  HandlingUnit unit;
  AppealState state = AppealState::kSubmitted;
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> accept_due_ms;  // the deadlines running now
  std::optional<int64_t> answer_due_ms;
  int64_t first_answer_due_ms = 0;
  std::optional<int64_t> first_accepted_at_ms;
  std::optional<bool> accepted_on_time;
  std::optional<int64_t> first_answered_at_ms;
  std::optional<Rating> rating;
  std::optional<bool> solved;
  int reopen_count = 0;
  int escalation_count = 0;
};
AppealFacts FactsOf(const Appeal& appeal);

struct RateValue {
  int64_t numerator = 0;
  int64_t denominator = 0;
  // numerator / denominator; nullopt when nothing was counted (never shown as 0% or 100%).
  std::optional<double> value() const {
    if (denominator == 0) return std::nullopt;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  bool operator==(const RateValue&) const = default;
};

struct DurationStats {
  int64_t n = 0;
  std::optional<int64_t> median_ms;  // nearest rank: the ceil(n/2)-th smallest
  std::optional<int64_t> p90_ms;     // the ceil(0.9 n)-th smallest
  bool operator==(const DurationStats&) const = default;
};

struct GroupRates {
  std::string key;  // unit key, village, township or county code
  int64_t submitted = 0;
  int64_t open = 0;            // IsOpen(state)
  int64_t awaiting_rating = 0; // answered, not rated yet
  int64_t closed = 0;
  int64_t rejected = 0;        // rejected or contested
  int64_t withdrawn = 0;
  int64_t escalated_ever = 0;
  int64_t overdue = 0;
  RateValue response;
  RateValue resolution;
  RateValue satisfaction;
  RateValue reopen;
  DurationStats time_to_answer;
  // The appeals due: the resolution rate's denominator, and the sample size rankings require.
  int64_t due() const { return resolution.denominator; }
};

enum class GroupBy { kUnit, kVillage, kTownship, kCounty };
std::string_view GroupByCode(GroupBy g);  // "unit" | "village" | "township" | "county"
std::optional<GroupBy> ParseGroupBy(std::string_view code);

// Rates of every group present in `facts`, sorted by key. The caller selects the period (the
// cohort) and the area when loading the facts.
std::vector<GroupRates> ComputeRates(std::span<const AppealFacts> facts, GroupBy group_by, int64_t as_of_ms);
// Rates of all `facts` as one group named `key`.
GroupRates ComputeGroup(std::span<const AppealFacts> facts, std::string key, int64_t as_of_ms);

// The same computation fed one appeal at a time, for a store that streams its rows
// (AppealStore::ForEachFact): a county's million appeals are never held in memory, only one
// counter set per group and the answer times the percentiles need (8 bytes per answered appeal).
// ComputeRates and ComputeGroup are built on it, so both give exactly the same figures.
class RatesAccumulator {
 public:
  RatesAccumulator(GroupBy group_by, int64_t as_of_ms);
  void Add(const AppealFacts& facts);
  // Every group seen, sorted by key. The accumulator is spent.
  std::vector<GroupRates> Finish() &&;

 private:
  struct Group {
    GroupRates rates;
    std::vector<int64_t> answer_times;
  };
  GroupBy group_by_;
  int64_t as_of_ms_;
  std::map<std::string, Group, std::less<>> groups_;
  // The previous appeal's group: rows usually arrive ordered by village, so most lookups are
  // this one comparison.
  Group* last_ = nullptr;
  std::string last_key_;
};

// Rankings.
inline constexpr int64_t kDefaultMinDueForRanking = 20;
enum class RankBy { kResponse, kResolution, kSatisfaction };
std::string_view RankByCode(RankBy r);  // "response" | "resolution" | "satisfaction"
std::optional<RankBy> ParseRankBy(std::string_view code);

struct RankedGroup {
  int position = 0;  // 1-based; equal rates (and equal denominators) share a position
  GroupRates rates;
};
struct UnrankedGroup {
  GroupRates rates;
  std::string reason;  // "sample-too-small": fewer than min_due appeals due; "no-data": the rate has no denominator
};
struct Ranking {
  std::vector<RankedGroup> ranked;  // best first
  std::vector<UnrankedGroup> unranked;
  int64_t min_due = kDefaultMinDueForRanking;
};

// Ranks `groups` by one rate, best first; ties broken by the larger denominator, then the key.
// A group with fewer than `min_due` appeals due is never ranked (min_due < 1 counts as 1).
Ranking Rank(std::span<const GroupRates> groups, RankBy by, int64_t min_due = kDefaultMinDueForRanking);

}  // namespace gz::appeals
