// Layer: appeals domain (see metrics.h and docs/metrics.md).
#include "modules/appeals/metrics.h"

#include <algorithm>
#include <map>

namespace gz::appeals {
namespace {

// A standing rejection (or one under review) and a withdrawal are not demands the units owe an
// answer to: they are counted apart, not as failures or successes.
bool OutOfDue(AppealState s) {
  return s == AppealState::kRejected || s == AppealState::kContested || s == AppealState::kWithdrawn;
}

std::optional<int64_t> NearestRank(const std::vector<int64_t>& sorted, int percent) {
  if (sorted.empty()) return std::nullopt;
  const int64_t n = static_cast<int64_t>(sorted.size());
  int64_t rank = (percent * n + 99) / 100;  // ceil(percent/100 * n), >= 1 for n >= 1
  return sorted[static_cast<size_t>(std::clamp<int64_t>(rank, 1, n) - 1)];
}

bool Overdue(const AppealFacts& f, int64_t as_of) {
  if (f.state == AppealState::kEscalated) return true;
  if (AwaitsAcceptance(f.state) && f.accept_due_ms && *f.accept_due_ms <= as_of) return true;
  if ((f.state == AppealState::kAccepted || f.state == AppealState::kInProgress) && f.answer_due_ms &&
      *f.answer_due_ms <= as_of)
    return true;
  return false;
}

std::string KeyOf(const AppealFacts& f, GroupBy g) {
  switch (g) {
    case GroupBy::kUnit: return f.unit.Key();
    case GroupBy::kVillage: return f.village;
    case GroupBy::kTownship: return TownshipOf(f.village);
    case GroupBy::kCounty: return CountyOf(f.village);
  }
  return f.village;
}

const RateValue& RateOf(const GroupRates& g, RankBy by) {
  switch (by) {
    case RankBy::kResponse: return g.response;
    case RankBy::kResolution: return g.resolution;
    case RankBy::kSatisfaction: return g.satisfaction;
  }
  return g.resolution;
}

// a/b > c/d without floating point (denominators > 0, counts far below 2^31).
int CompareRates(const RateValue& x, const RateValue& y) {
  const __int128 l = static_cast<__int128>(x.numerator) * y.denominator;
  const __int128 r = static_cast<__int128>(y.numerator) * x.denominator;
  return l < r ? -1 : l > r ? 1 : 0;
}

}  // namespace

AppealFacts FactsOf(const Appeal& a) {
  AppealFacts f;
  f.id = a.id;
  f.village = a.village;
  f.unit = a.unit;
  f.state = a.state;
  f.submitted_at_ms = a.submitted_at_ms;
  f.accept_due_ms = a.accept_due_ms;
  f.answer_due_ms = a.answer_due_ms;
  f.first_answer_due_ms = a.first_answer_due_ms;
  f.first_accepted_at_ms = a.first_accepted_at_ms;
  f.accepted_on_time = a.accepted_on_time;
  f.first_answered_at_ms = a.first_answered_at_ms;
  f.rating = a.rating;
  f.solved = a.solved;
  f.reopen_count = a.reopen_count;
  f.escalation_count = a.escalation_count;
  return f;
}

std::string_view GroupByCode(GroupBy g) {
  switch (g) {
    case GroupBy::kUnit: return "unit";
    case GroupBy::kVillage: return "village";
    case GroupBy::kTownship: return "township";
    case GroupBy::kCounty: return "county";
  }
  return "village";
}

std::optional<GroupBy> ParseGroupBy(std::string_view code) {
  for (GroupBy g : {GroupBy::kUnit, GroupBy::kVillage, GroupBy::kTownship, GroupBy::kCounty})
    if (GroupByCode(g) == code) return g;
  return std::nullopt;
}

std::string_view RankByCode(RankBy r) {
  switch (r) {
    case RankBy::kResponse: return "response";
    case RankBy::kResolution: return "resolution";
    case RankBy::kSatisfaction: return "satisfaction";
  }
  return "resolution";
}

std::optional<RankBy> ParseRankBy(std::string_view code) {
  for (RankBy r : {RankBy::kResponse, RankBy::kResolution, RankBy::kSatisfaction})
    if (RankByCode(r) == code) return r;
  return std::nullopt;
}

namespace {

void AddTo(GroupRates& g, std::vector<int64_t>& answer_times, const AppealFacts& f, int64_t as_of) {
  ++g.submitted;
  if (IsOpen(f.state)) ++g.open;
  if (f.state == AppealState::kAnswered) ++g.awaiting_rating;
  if (f.state == AppealState::kClosed) ++g.closed;
  if (f.state == AppealState::kRejected || f.state == AppealState::kContested) ++g.rejected;
  if (f.state == AppealState::kWithdrawn) ++g.withdrawn;
  if (f.escalation_count > 0) ++g.escalated_ever;
  if (Overdue(f, as_of)) ++g.overdue;

  if (!OutOfDue(f.state)) {
    const bool acceptance_due = f.first_accepted_at_ms.has_value() || f.escalation_count > 0 ||
                                (AwaitsAcceptance(f.state) && f.accept_due_ms && *f.accept_due_ms <= as_of);
    if (acceptance_due) {
      ++g.response.denominator;
      if (f.accepted_on_time.value_or(false)) ++g.response.numerator;
    }
    if (f.first_answer_due_ms <= as_of || f.state == AppealState::kClosed) {
      ++g.resolution.denominator;
      if (f.state == AppealState::kClosed && f.solved.value_or(false)) ++g.resolution.numerator;
    }
  }
  if (f.rating) {
    ++g.satisfaction.denominator;
    if (CountsAsSatisfied(*f.rating)) ++g.satisfaction.numerator;
  }
  if (f.first_answered_at_ms) {
    ++g.reopen.denominator;
    if (f.reopen_count > 0) ++g.reopen.numerator;
    answer_times.push_back(std::max<int64_t>(0, *f.first_answered_at_ms - f.submitted_at_ms));
  }
}

void FinishTimes(GroupRates& g, std::vector<int64_t>& answer_times) {
  std::sort(answer_times.begin(), answer_times.end());
  g.time_to_answer.n = static_cast<int64_t>(answer_times.size());
  g.time_to_answer.median_ms = NearestRank(answer_times, 50);
  g.time_to_answer.p90_ms = NearestRank(answer_times, 90);
}

}  // namespace

RatesAccumulator::RatesAccumulator(GroupBy group_by, int64_t as_of_ms) : group_by_(group_by), as_of_ms_(as_of_ms) {}

void RatesAccumulator::Add(const AppealFacts& f) {
  std::string key = KeyOf(f, group_by_);
  if (last_ == nullptr || key != last_key_) {
    auto it = groups_.find(key);
    if (it == groups_.end()) {
      it = groups_.emplace(key, Group{}).first;
      it->second.rates.key = key;
    }
    last_ = &it->second;
    last_key_ = std::move(key);
  }
  AddTo(last_->rates, last_->answer_times, f, as_of_ms_);
}

std::vector<GroupRates> RatesAccumulator::Finish() && {
  std::vector<GroupRates> out;
  out.reserve(groups_.size());
  for (auto& [key, group] : groups_) {  // std::map: sorted by key
    FinishTimes(group.rates, group.answer_times);
    out.push_back(std::move(group.rates));
  }
  groups_.clear();
  last_ = nullptr;
  return out;
}

GroupRates ComputeGroup(std::span<const AppealFacts> facts, std::string key, int64_t as_of) {
  GroupRates g;
  g.key = std::move(key);
  std::vector<int64_t> answer_times;
  for (const AppealFacts& f : facts) AddTo(g, answer_times, f, as_of);
  FinishTimes(g, answer_times);
  return g;
}

std::vector<GroupRates> ComputeRates(std::span<const AppealFacts> facts, GroupBy group_by, int64_t as_of) {
  RatesAccumulator acc(group_by, as_of);
  for (const AppealFacts& f : facts) acc.Add(f);
  return std::move(acc).Finish();
}

Ranking Rank(std::span<const GroupRates> groups, RankBy by, int64_t min_due) {
  Ranking out;
  out.min_due = std::max<int64_t>(1, min_due);
  std::vector<const GroupRates*> eligible;
  for (const GroupRates& g : groups) {
    if (g.due() < out.min_due) out.unranked.push_back({g, "sample-too-small"});
    else if (RateOf(g, by).denominator == 0) out.unranked.push_back({g, "no-data"});
    else eligible.push_back(&g);
  }
  std::sort(eligible.begin(), eligible.end(), [by](const GroupRates* a, const GroupRates* b) {
    int c = CompareRates(RateOf(*a, by), RateOf(*b, by));
    if (c != 0) return c > 0;
    if (RateOf(*a, by).denominator != RateOf(*b, by).denominator)
      return RateOf(*a, by).denominator > RateOf(*b, by).denominator;
    return a->key < b->key;
  });
  for (size_t i = 0; i < eligible.size(); ++i) {
    int position = static_cast<int>(i) + 1;
    if (i > 0 && CompareRates(RateOf(*eligible[i], by), RateOf(*eligible[i - 1], by)) == 0 &&
        RateOf(*eligible[i], by).denominator == RateOf(*eligible[i - 1], by).denominator)
      position = out.ranked.back().position;
    out.ranked.push_back({position, *eligible[i]});
  }
  std::sort(out.unranked.begin(), out.unranked.end(),
            [](const UnrankedGroup& a, const UnrankedGroup& b) { return a.rates.key < b.rates.key; });
  return out;
}

}  // namespace gz::appeals
