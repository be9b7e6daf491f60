// The rules on small hand-made instances whose outcomes can be worked out on paper (each test
// says how), including where greedy and equal shares differ, ties, exact fits and free projects.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pb/pb.h"

namespace gz::pb {
namespace {

using testing::HasSubstr;

// projects: {id, cost}; ballots: the ids each voter approves.
Instance Make(int64_t budget, std::vector<std::pair<std::string, int64_t>> projects,
              std::vector<std::vector<std::string>> ballots) {
  Instance inst;
  inst.budget = budget;
  for (auto& [id, cost] : projects) inst.projects.push_back({id, "project " + id, cost, std::nullopt});
  for (size_t v = 0; v < ballots.size(); ++v) {
    Ballot b;
    b.voter_id = "v" + std::to_string(v);
    for (const std::string& id : ballots[v])
      for (size_t p = 0; p < inst.projects.size(); ++p)
        if (inst.projects[p].id == id) b.approved.push_back(p);
    inst.ballots.push_back(std::move(b));
  }
  return inst;
}

std::vector<std::string> Chosen(const Instance& inst, const Outcome& out) {
  std::vector<std::string> ids;
  for (size_t p : out.selected) ids.push_back(inst.projects[p].id);
  return ids;
}

std::vector<std::vector<std::string>> Repeat(int times, std::vector<std::string> ballot) {
  return std::vector<std::vector<std::string>>(static_cast<size_t>(times), ballot);
}

std::vector<std::vector<std::string>> Concat(std::vector<std::vector<std::string>> a,
                                             const std::vector<std::vector<std::string>>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// a: 3 votes, b: 2, c: 1; budget 1000. Greedy takes a (400 left), skips b (500), takes c (400).
TEST(Greedy, SkipsWhatDoesNotFitAndGoesOn) {
  Instance inst = Make(1000, {{"a", 600}, {"b", 500}, {"c", 400}}, {{"a", "b", "c"}, {"a", "b"}, {"a"}});
  Outcome out = Tally(inst, Rule::kGreedy, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(out.spent, 1000);
  EXPECT_EQ(out.results[1].reason_code, "over-budget");
  EXPECT_EQ(out.results[1].explanation_en,
            "not selected: ranked 2 of 3 with 2 approvals; costs 500, more than the 400 left when its turn came");
  EXPECT_EQ(out.results[2].explanation_en,
            "selected: ranked 3 of 3 with 1 approval; costs 400, which fit in the 400 left; 0 left after it");
}

// The same instance under greedy-no-skip stops at b: c is not reached.
TEST(Greedy, NoSkipStopsAtTheFirstProjectThatDoesNotFit) {
  Instance inst = Make(1000, {{"a", 600}, {"b", 500}, {"c", 400}}, {{"a", "b", "c"}, {"a", "b"}, {"a"}});
  Outcome out = Tally(inst, Rule::kGreedyNoSkip, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"a"}));
  EXPECT_EQ(out.results[1].reason_code, "over-budget");
  EXPECT_EQ(out.results[2].reason_code, "greedy-stopped");
  EXPECT_THAT(out.results[2].explanation_en, HasSubstr("counting stopped at project b"));
}

// A project that costs exactly what is left fits (<=, not <).
TEST(Greedy, ExactBudgetFits) {
  Instance inst = Make(1000, {{"a", 600}, {"b", 400}}, {{"a", "b"}, {"a"}});
  Outcome out = Tally(inst, Rule::kGreedy, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out.spent, 1000);
}

// Equal approvals: the cheaper project first; equal cost too: the one listed first in the file.
TEST(Greedy, TiesGoToTheCheaperThenToFileOrder) {
  Instance cheaper = Make(600, {{"a", 500}, {"b", 300}}, {{"a", "b"}, {"a", "b"}});
  EXPECT_EQ(Chosen(cheaper, Tally(cheaper, Rule::kGreedy, Completion::kNone)), (std::vector<std::string>{"b"}));
  Instance same = Make(500, {{"z", 300}, {"y", 300}}, {{"y", "z"}});
  EXPECT_EQ(Chosen(same, Tally(same, Rule::kGreedy, Completion::kNone)), (std::vector<std::string>{"z"}));
}

// Cumulative ballots: greedy ranks by points, not by how many voters named a project.
TEST(Greedy, RanksByPointsWhenBallotsHavePoints) {
  Instance inst = Make(500, {{"a", 500}, {"b", 500}}, {{"a", "b"}, {"a"}, {"b"}});
  inst.ballots[0].points = {1, 9};
  inst.ballots[1].points = {5};
  inst.ballots[2].points = {1};
  // a: 2 voters, 6 points; b: 2 voters, 10 points.
  Outcome out = Tally(inst, Rule::kGreedy, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"b"}));
  EXPECT_THAT(out.results[1].explanation_en, HasSubstr("with 10 points"));
}

// Free projects fit always; a project nobody voted for is not funded even if it would fit.
TEST(Greedy, ZeroCostAndZeroSupport) {
  Instance inst = Make(100, {{"a", 100}, {"free", 0}, {"lonely", 0}}, {{"a", "free"}});
  Outcome out = Tally(inst, Rule::kGreedy, Completion::kNone);
  // Equal support: the cheaper (free) one is ranked first.
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"free", "a"}));
  EXPECT_EQ(out.results[2].reason_code, "no-support");
}

// 10 voters, budget 100 (10 each). 6 voters want a1, a2, a3 (30 each); 4 voters want b (30).
// Greedy: a1, a2, a3 (6 votes each) = 90; b does not fit in 10.
// MES: a1 costs the 6 a-voters 5 each (effective vote count 30/5 = 6) and b would cost its 4
// voters 7.5 each (count 4): a1, then a2 (5 each again); the a-voters have nothing left for a3;
// the b-voters' 40 buy b. The majority gets 60% of the money, the minority 30%: proportional.
TEST(EqualShares, GivesTheMinorityItsShareWhereGreedyDoesNot) {
  auto ballots = Concat(Repeat(6, {"a1", "a2", "a3"}), Repeat(4, {"b"}));
  Instance inst = Make(100, {{"a1", 30}, {"a2", 30}, {"a3", 30}, {"b", 30}}, ballots);
  EXPECT_EQ(Chosen(inst, Tally(inst, Rule::kGreedy, Completion::kNone)),
            (std::vector<std::string>{"a1", "a2", "a3"}));
  Outcome mes = Tally(inst, Rule::kEqualShares, Completion::kNone);
  EXPECT_EQ(Chosen(inst, mes), (std::vector<std::string>{"a1", "a2", "b"}));
  EXPECT_EQ(mes.spent, 90);
  EXPECT_EQ(mes.results[0].explanation_en,
            "selected: chosen in round 1: its cost 30 split among its 6 supporters asked at most 5.00 of each "
            "(effective vote count 6.00, the best that round)");
  EXPECT_EQ(mes.results[2].reason_code, "mes-unaffordable");
  EXPECT_EQ(mes.results[2].explanation_en,
            "not selected: in round 3 (after 2 projects were chosen) its 6 supporters had 0.00 left together, less "
            "than its cost 30");
  EXPECT_EQ(mes.results[3].explanation_en,
            "selected: chosen in round 3: its cost 30 split among its 4 supporters asked at most 7.50 of each "
            "(effective vote count 4.00, the best that round)");
}

// Ten voters share a budget of 1, a tenth each; one project costs 1 and all ten approve it. In
// binary floating point ten tenths add up to 0.9999999999999999 < 1 and the project would be
// "unaffordable"; exact arithmetic funds it.
TEST(EqualShares, ExactArithmeticAffordsWhatFloatsWouldMiss) {
  Instance inst = Make(1, {{"p", 1}}, Repeat(10, {"p"}));
  Outcome out = Tally(inst, Rule::kEqualShares, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"p"}));
  EXPECT_EQ(out.spent, 1);
}

// The poorest pay all they have, the rest share equally. 4 voters with 10 each. q (18) is wanted
// by v0, v1, v2 (6 each, effective vote count 3); p (12) by v2 and v3 (6 each, count 2): q first.
// Then v2 has 4 left: v2 pays those 4 and v3 pays 8, so p's count falls to 12 / 8 = 1.5.
TEST(EqualShares, ThePoorestPayWhatTheyHave) {
  Instance inst = Make(40, {{"q", 18}, {"p", 12}}, {{"q"}, {"q"}, {"q", "p"}, {"p"}});
  Outcome out = Tally(inst, Rule::kEqualShares, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"q", "p"}));
  EXPECT_EQ(out.results[1].explanation_en,
            "selected: chosen in round 2: its cost 12 split among its 2 supporters asked at most 8.00 of each "
            "(effective vote count 1.50, the best that round)");
}

// Equal effective vote counts: more approvals first, then lower cost, then file order.
TEST(EqualShares, TiesAreBrokenByApprovalsThenCostThenFileOrder) {
  // x (20) and y (10), each approved by the same 2 voters with 100 each: counts 2 and 2.
  Instance by_cost = Make(200, {{"x", 20}, {"y", 10}}, Repeat(2, {"x", "y"}));
  EXPECT_EQ(Chosen(by_cost, Tally(by_cost, Rule::kEqualShares, Completion::kNone)),
            (std::vector<std::string>{"y", "x"}));
  Instance by_order = Make(200, {{"x", 10}, {"y", 10}}, Repeat(2, {"y", "x"}));
  EXPECT_EQ(Chosen(by_order, Tally(by_order, Rule::kEqualShares, Completion::kNone)),
            (std::vector<std::string>{"x", "y"}));
}

// A free project someone wants is chosen first and costs nobody anything.
TEST(EqualShares, FreeProjectsAreChosenFirst) {
  Instance inst = Make(10, {{"a", 10}, {"free", 0}, {"unwanted", 0}}, {{"a", "free"}});
  Outcome out = Tally(inst, Rule::kEqualShares, Completion::kNone);
  EXPECT_EQ(Chosen(inst, out), (std::vector<std::string>{"free", "a"}));
  EXPECT_EQ(out.results[2].reason_code, "no-support");
}

// 10 voters, budget 100. x (60) is wanted by the 5 a-voters, who hold only 50; y (40) by the 5
// b-voters. Without completion: y only. Add-one raises each share: at 12 each the a-voters can
// pay for x, and every supported project is in, so the search ends there.
TEST(EqualShares, AddOneSpendsWhatMesLeftOver) {
  auto ballots = Concat(Repeat(5, {"x"}), Repeat(5, {"y"}));
  Instance inst = Make(100, {{"x", 60}, {"y", 40}}, ballots);
  Outcome none = Tally(inst, Rule::kEqualShares, Completion::kNone);
  EXPECT_EQ(Chosen(inst, none), (std::vector<std::string>{"y"}));
  Outcome add1 = Tally(inst, Rule::kEqualShares, Completion::kAddOne);
  // At 12 each: x costs 12 per a-voter (count 5), y 8 per b-voter (count 5): tie, cheaper y first.
  EXPECT_EQ(Chosen(inst, add1), (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(add1.spent, 100);
  EXPECT_EQ(add1.mes_budget_used, 120);
}

// Add-one keeps the last outcome that fits. a-voters (5) want z (30) and x (60); b-voters (5)
// want y (40). Up to 17 each the a-voters buy z and cannot add x; at 18 each they buy both and the
// outcome costs 130 > 100, so add-one stops and keeps the outcome at 17 each.
TEST(EqualShares, AddOneKeepsTheLastOutcomeThatFits) {
  auto ballots = Concat(Repeat(5, {"z", "x"}), Repeat(5, {"y"}));
  Instance inst = Make(100, {{"x", 60}, {"y", 40}, {"z", 30}}, ballots);
  Outcome add1 = Tally(inst, Rule::kEqualShares, Completion::kAddOne);
  EXPECT_EQ(Chosen(inst, add1), (std::vector<std::string>{"z", "y"}));
  EXPECT_EQ(add1.spent, 70);
  EXPECT_EQ(add1.mes_budget_used, 170);
  EXPECT_EQ(add1.results[0].reason_code, "mes-unaffordable");
}

// Add-one steps one currency unit per voter, whatever the smallest unit: with costs in fen
// (unit_scale 100) the result is that of the same instance in yuan.
TEST(EqualShares, AddOneStepsOneCurrencyUnit) {
  auto ballots = Concat(Repeat(5, {"z", "x"}), Repeat(5, {"y"}));
  Instance fen = Make(10000, {{"x", 6000}, {"y", 4000}, {"z", 3000}}, ballots);
  fen.unit_scale = 100;
  Outcome add1 = Tally(fen, Rule::kEqualShares, Completion::kAddOne);
  EXPECT_EQ(Chosen(fen, add1), (std::vector<std::string>{"z", "y"}));
  EXPECT_EQ(add1.mes_budget_used, 17000);
}

// When everything together fits the budget, add-one goes on until every supported project is in
// (equalshares.net skips add-one then and keeps plain MES, which here would leave x out).
TEST(EqualShares, AddOneFundsEverythingWhenEverythingFits) {
  Instance inst = Make(100, {{"x", 60}, {"y", 40}}, Concat(Repeat(9, {"y"}), Repeat(1, {"x"})));
  EXPECT_EQ(Chosen(inst, Tally(inst, Rule::kEqualShares, Completion::kNone)), (std::vector<std::string>{"y"}));
  Outcome add1 = Tally(inst, Rule::kEqualShares, Completion::kAddOne);
  EXPECT_EQ(Chosen(inst, add1), (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(add1.mes_budget_used, 600);
}

TEST(Rules, NoBallotsSelectNothing) {
  Instance inst = Make(100, {{"x", 60}}, {});
  for (Rule rule : {Rule::kGreedy, Rule::kGreedyNoSkip, Rule::kEqualShares}) {
    Outcome out = Tally(inst, rule, Completion::kAddOne);
    EXPECT_TRUE(out.selected.empty());
    EXPECT_EQ(out.results[0].reason_code, "no-support");
  }
}

TEST(Validate, RefusesWhatTallyIsNotMeantFor) {
  Instance ok = Make(100, {{"x", 60}, {"y", 40}}, {{"x", "y"}});
  EXPECT_TRUE(Validate(ok).ok());
  Instance twice = ok;
  twice.ballots[0].approved = {0, 0};
  EXPECT_EQ(Validate(twice).Arg("reason"), "ballot v0 names project x twice");
  Instance out_of_range = ok;
  out_of_range.ballots[0].approved = {7};
  EXPECT_EQ(Validate(out_of_range).Arg("reason"), "ballot v0 names a project index out of range");
  Instance negative = ok;
  negative.projects[1].cost = -1;
  EXPECT_EQ(Validate(negative).Arg("reason"), "the cost of project y is negative or too large");
  Instance points = ok;
  points.ballots[0].points = {3};
  EXPECT_EQ(Validate(points).Arg("reason"), "ballot v0 has 1 points for 2 projects");
}

TEST(FormatAmount, WritesTheDecimalsOfTheScale) {
  EXPECT_EQ(FormatAmount(123456, 100), "1234.56");
  EXPECT_EQ(FormatAmount(5, 100), "0.05");
  EXPECT_EQ(FormatAmount(5, 1), "5");
  EXPECT_EQ(FormatAmount(-150, 10), "-15.0");
}

}  // namespace
}  // namespace gz::pb
