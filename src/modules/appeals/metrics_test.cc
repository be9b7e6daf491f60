// The rates against hand-computed fixtures (docs/metrics.md has the definitions). Each expected
// number below was worked out on paper from the eleven appeals of Fixture(); the comments show
// the working, so a changed definition has to change the working too.
#include "modules/appeals/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "modules/appeals/deadlines.h"

namespace gz::appeals {
namespace {

constexpr int64_t H = kHourMs;
constexpr int64_t kT0 = 1'767'225'600'000;
constexpr int64_t kAsOf = kT0 + 100 * H;
constexpr char kV1[] = "420114001205";
constexpr char kV2[] = "420114001206";

struct F {
  int64_t id;
  const char* village;
  const char* unit;  // unit key
  AppealState state;
  double submitted_h;
  std::optional<double> accept_due_h, answer_due_h;
  double first_answer_due_h;
  std::optional<double> accepted_h;
  std::optional<bool> on_time;
  std::optional<double> answered_h;
  std::optional<Rating> rating;
  std::optional<bool> solved;
  int reopens, escalations;
};

std::optional<int64_t> Ms(std::optional<double> h) {
  if (!h) return std::nullopt;
  return kT0 + static_cast<int64_t>(*h * H);
}

std::vector<AppealFacts> Fixture() {
  using S = AppealState;
  using R = Rating;
  const std::vector<F> rows = {
      // id village unit                     state           sub  acc_due ans_due 1st_ans_due accepted on_time answered rating solved reopens esc
      {1, kV1, "village:420114001205", S::kClosed, 0, {}, {}, 10, 0.5, true, 5, R::kSatisfied, true, 0, 0},
      {2, kV1, "village:420114001205", S::kClosed, 1, {}, {}, 11, 3, false, 21, R::kBasicallySatisfied, false, 1, 0},
      {3, kV1, "village:420114001205", S::kAnswered, 2, {}, {}, 12, 2.5, true, 9, {}, {}, 0, 0},
      {4, kV1, "village:420114001205", S::kSubmitted, 95, 101, 105, 105, {}, {}, {}, {}, {}, 0, 0},
      {5, kV1, "village:420114001205", S::kEscalated, 10, 30, 20, 20, {}, {}, {}, {}, {}, 0, 1},
      {6, kV1, "village:420114001205", S::kRejected, 3, {}, {}, 13, {}, {}, {}, {}, {}, 0, 0},
      {7, kV1, "village:420114001205", S::kWithdrawn, 4, {}, {}, 14, 4.5, true, {}, {}, {}, 0, 0},
      {8, kV1, "village:420114001205", S::kInProgress, 50, {}, 60, 60, 50.5, true, {}, {}, {}, 0, 0},
      {9, kV1, "village:420114001205", S::kReopened, 5, 110, 120, 15, 6, true, 15, R::kDissatisfied, false, 1, 0},
      {10, kV2, "village:420114001206", S::kClosed, 0, {}, {}, 24, 0.2, true, 30, R::kSatisfied, true, 0, 0},
      {11, kV1, "township:420114001000", S::kClosed, 6, {}, {}, 16, 8, true, 8, R::kSatisfied, true, 0, 0},
  };
  std::vector<AppealFacts> out;
  for (const F& r : rows) {
    AppealFacts f;
    f.id = r.id;
    f.village = r.village;
    f.unit = *ParseUnitKey(r.unit);
    f.state = r.state;
    f.submitted_at_ms = *Ms(r.submitted_h);
    f.accept_due_ms = Ms(r.accept_due_h);
    f.answer_due_ms = Ms(r.answer_due_h);
    f.first_answer_due_ms = *Ms(r.first_answer_due_h);
    f.first_accepted_at_ms = Ms(r.accepted_h);
    f.accepted_on_time = r.on_time;
    f.first_answered_at_ms = Ms(r.answered_h);
    f.rating = r.rating;
    f.solved = r.solved;
    f.reopen_count = r.reopens;
    f.escalation_count = r.escalations;
    out.push_back(f);
  }
  return out;
}

const GroupRates& Find(const std::vector<GroupRates>& groups, std::string_view key) {
  for (const GroupRates& g : groups)
    if (g.key == key) return g;
  static GroupRates none;
  ADD_FAILURE() << "no group " << key;
  return none;
}

TEST(Metrics, VillageFixtureByHand) {
  std::vector<GroupRates> groups = ComputeRates(Fixture(), GroupBy::kVillage, kAsOf);
  ASSERT_EQ(groups.size(), 2u);
  const GroupRates& v1 = Find(groups, kV1);
  EXPECT_EQ(v1.submitted, 10);
  EXPECT_EQ(v1.open, 4);             // 4 submitted, 5 escalated, 8 in progress, 9 reopened
  EXPECT_EQ(v1.awaiting_rating, 1);  // 3
  EXPECT_EQ(v1.closed, 3);           // 1, 2, 11
  EXPECT_EQ(v1.rejected, 1);         // 6
  EXPECT_EQ(v1.withdrawn, 1);        // 7
  EXPECT_EQ(v1.escalated_ever, 1);   // 5
  EXPECT_EQ(v1.overdue, 2);          // 5 (escalated), 8 (answer due at 60 h); 4 and 9 not yet
  // Response: 6 and 7 left out; 4 not yet due (acceptance due at 101 h). Due: 1 2 3 5 8 9 11;
  // on time: 1 3 8 9 11 (2 was late, 5 never accepted).
  EXPECT_EQ(v1.response, (RateValue{5, 7}));
  // Resolution: due = first answer deadline passed or closed, 6 and 7 left out: 1 2 3 5 8 9 11
  // (4 is due at 105 h); solved and closed: 1 and 11 (2 closed unsolved, 3 still unrated).
  EXPECT_EQ(v1.resolution, (RateValue{2, 7}));
  EXPECT_EQ(v1.due(), 7);
  // Satisfaction over the latest ratings: 1 满意, 2 基本满意, 9 不满意, 11 满意.
  EXPECT_EQ(v1.satisfaction, (RateValue{3, 4}));
  // Reopened at least once (2, 9) out of answered at least once (1 2 3 9 11).
  EXPECT_EQ(v1.reopen, (RateValue{2, 5}));
  // Times to the first answer: 5, 20, 7, 10, 2 hours -> sorted 2 5 7 10 20; median = 3rd, p90 = 5th.
  EXPECT_EQ(v1.time_to_answer, (DurationStats{5, 7 * H, 20 * H}));

  const GroupRates& v2 = Find(groups, kV2);
  EXPECT_EQ(v2.submitted, 1);
  EXPECT_EQ(v2.response, (RateValue{1, 1}));
  EXPECT_EQ(v2.resolution, (RateValue{1, 1}));
  EXPECT_EQ(v2.satisfaction, (RateValue{1, 1}));
  EXPECT_EQ(v2.reopen, (RateValue{0, 1}));
  EXPECT_EQ(v2.time_to_answer, (DurationStats{1, 30 * H, 30 * H}));
  EXPECT_EQ(v2.overdue, 0);
}

TEST(Metrics, UnitTownshipAndCountyByHand) {
  std::vector<GroupRates> units = ComputeRates(Fixture(), GroupBy::kUnit, kAsOf);
  ASSERT_EQ(units.size(), 3u);
  const GroupRates& committee = Find(units, "village:420114001205");  // appeals 1-9
  EXPECT_EQ(committee.submitted, 9);
  EXPECT_EQ(committee.response, (RateValue{4, 6}));      // 11 moved to the township
  EXPECT_EQ(committee.resolution, (RateValue{1, 6}));
  EXPECT_EQ(committee.satisfaction, (RateValue{2, 3}));  // 1, 2, 9
  EXPECT_EQ(committee.reopen, (RateValue{2, 4}));
  EXPECT_EQ(committee.time_to_answer, (DurationStats{4, 7 * H, 20 * H}));  // 5 7 10 20: 2nd and 4th
  const GroupRates& township = Find(units, "township:420114001000");
  EXPECT_EQ(township.response, (RateValue{1, 1}));
  EXPECT_EQ(township.time_to_answer, (DurationStats{1, 2 * H, 2 * H}));

  // Both villages lie in township 420114001000 and county 420114.
  for (GroupBy g : {GroupBy::kTownship, GroupBy::kCounty}) {
    std::vector<GroupRates> all = ComputeRates(Fixture(), g, kAsOf);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].key, g == GroupBy::kTownship ? "420114001000" : "420114000000");
    EXPECT_EQ(all[0].submitted, 11);
    EXPECT_EQ(all[0].response, (RateValue{6, 8}));
    EXPECT_EQ(all[0].resolution, (RateValue{3, 8}));
    EXPECT_EQ(all[0].satisfaction, (RateValue{4, 5}));
    EXPECT_EQ(all[0].reopen, (RateValue{2, 6}));
    // 2 5 7 10 20 30 hours: median = 3rd (7 h), p90 = ceil(5.4) = 6th (30 h).
    EXPECT_EQ(all[0].time_to_answer, (DurationStats{6, 7 * H, 30 * H}));
    EXPECT_EQ(all[0].overdue, 2);
  }
}

TEST(Metrics, TheClockOfTheEvaluationMatters) {
  // At 106 h appeal 4 is past both of its deadlines: due for response and resolution, overdue.
  const GroupRates later = ComputeGroup(Fixture(), "all", kT0 + 106 * H);
  EXPECT_EQ(later.response, (RateValue{6, 9}));
  EXPECT_EQ(later.resolution, (RateValue{3, 9}));
  EXPECT_EQ(later.overdue, 3);
  // Before anything was due only what is closed or was accepted counts.
  const GroupRates early = ComputeGroup(Fixture(), "all", kT0);
  EXPECT_EQ(early.resolution.denominator, 4);  // the closed ones: 1 2 10 11
}

void ExpectSameRates(const GroupRates& a, const GroupRates& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(std::tie(a.submitted, a.open, a.awaiting_rating, a.closed, a.rejected, a.withdrawn, a.escalated_ever, a.overdue),
            std::tie(b.submitted, b.open, b.awaiting_rating, b.closed, b.rejected, b.withdrawn, b.escalated_ever, b.overdue))
      << a.key;
  EXPECT_EQ(a.response, b.response) << a.key;
  EXPECT_EQ(a.resolution, b.resolution) << a.key;
  EXPECT_EQ(a.satisfaction, b.satisfaction) << a.key;
  EXPECT_EQ(a.reopen, b.reopen) << a.key;
  EXPECT_EQ(a.time_to_answer, b.time_to_answer) << a.key;
}

// The store streams rows in whatever order its index gives (RatesAccumulator): the figures must
// not depend on it, and each group must be exactly ComputeGroup over that group's appeals alone.
TEST(Metrics, StreamedRatesDoNotDependOnOrderAndEqualEachGroupAlone) {
  std::vector<AppealFacts> facts = Fixture();
  for (GroupBy g : {GroupBy::kUnit, GroupBy::kVillage, GroupBy::kTownship, GroupBy::kCounty}) {
    const std::vector<GroupRates> reference = ComputeRates(facts, g, kAsOf);
    std::vector<AppealFacts> shuffled = facts;
    std::mt19937 rng(7);
    for (int round = 0; round < 20; ++round) {
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      RatesAccumulator acc(g, kAsOf);
      for (const AppealFacts& f : shuffled) acc.Add(f);
      std::vector<GroupRates> streamed = std::move(acc).Finish();
      ASSERT_EQ(streamed.size(), reference.size());
      for (size_t i = 0; i < reference.size(); ++i) ExpectSameRates(streamed[i], reference[i]);
    }
    for (const GroupRates& group : reference) {
      std::vector<AppealFacts> members;
      for (const AppealFacts& f : facts) {
        const std::string key = g == GroupBy::kUnit       ? f.unit.Key()
                                : g == GroupBy::kVillage  ? f.village
                                : g == GroupBy::kTownship ? TownshipOf(f.village)
                                                          : CountyOf(f.village);
        if (key == group.key) members.push_back(f);
      }
      ExpectSameRates(group, ComputeGroup(members, group.key, kAsOf));
    }
  }
}

TEST(Metrics, EmptyRatesHaveNoValue) {
  GroupRates g = ComputeGroup({}, "none", kAsOf);
  EXPECT_EQ(g.submitted, 0);
  EXPECT_FALSE(g.response.value());
  EXPECT_FALSE(g.time_to_answer.median_ms);
  EXPECT_DOUBLE_EQ(*RateValue({3, 4}).value(), 0.75);
}

TEST(Metrics, RankingRefusesSmallSamples) {
  std::vector<GroupRates> villages = ComputeRates(Fixture(), GroupBy::kVillage, kAsOf);
  Ranking r = Rank(villages, RankBy::kResolution);  // default: 20 appeals due
  EXPECT_TRUE(r.ranked.empty());
  ASSERT_EQ(r.unranked.size(), 2u);
  EXPECT_EQ(r.unranked[0].reason, "sample-too-small");
  EXPECT_EQ(r.min_due, 20);
  // With a threshold of 7 only V1 (7 due) is ranked; V2 (1 due) is not.
  r = Rank(villages, RankBy::kResolution, 7);
  ASSERT_EQ(r.ranked.size(), 1u);
  EXPECT_EQ(r.ranked[0].rates.key, kV1);
  ASSERT_EQ(r.unranked.size(), 1u);
  EXPECT_EQ(r.unranked[0].rates.key, kV2);
  r = Rank(villages, RankBy::kResolution, 1);
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.ranked[0].rates.key, kV2);  // 1/1 before 2/7
  EXPECT_EQ(r.ranked[1].position, 2);
}

TEST(Metrics, RankingTiesAndMissingData) {
  auto group = [](std::string key, RateValue sat, int64_t due) {
    GroupRates g;
    g.key = std::move(key);
    g.satisfaction = sat;
    g.resolution = RateValue{0, due};
    return g;
  };
  std::vector<GroupRates> groups = {group("a", {1, 2}, 30), group("b", {2, 4}, 30), group("c", {2, 4}, 30),
                                    group("d", {3, 4}, 30), group("e", {0, 0}, 30), group("f", {9, 9}, 19)};
  Ranking r = Rank(groups, RankBy::kSatisfaction, 20);
  ASSERT_EQ(r.ranked.size(), 4u);
  EXPECT_EQ(r.ranked[0].rates.key, "d");  // 3/4
  EXPECT_EQ(r.ranked[1].rates.key, "b");  // 2/4 before 1/2: same rate, larger sample
  EXPECT_EQ(r.ranked[2].rates.key, "c");
  EXPECT_EQ(r.ranked[1].position, 2);
  EXPECT_EQ(r.ranked[2].position, 2);     // equal rate and sample: shared position
  EXPECT_EQ(r.ranked[3].rates.key, "a");
  EXPECT_EQ(r.ranked[3].position, 4);
  ASSERT_EQ(r.unranked.size(), 2u);
  EXPECT_EQ(r.unranked[0].rates.key, "e");
  EXPECT_EQ(r.unranked[0].reason, "no-data");
  EXPECT_EQ(r.unranked[1].rates.key, "f");  // 9/9 but only 19 due
  EXPECT_EQ(r.unranked[1].reason, "sample-too-small");
}

}  // namespace
}  // namespace gz::appeals
