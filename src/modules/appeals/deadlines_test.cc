// Deadlines: the county defaults (Beijing rules), the most specific rule winning, and the bounds.
#include "modules/appeals/deadlines.h"

#include <gtest/gtest.h>

namespace gz::appeals {
namespace {

TEST(Deadlines, DefaultsFollowTheBeijingRules) {
  EXPECT_EQ(DefaultDurations(DeadlineClass::kEmergency), (DeadlineDurations{1 * kHourMs, 2 * kHourMs}));
  EXPECT_EQ(DefaultDurations(DeadlineClass::kUtilities).answer_ms, 24 * kHourMs);
  EXPECT_EQ(DefaultDurations(DeadlineClass::kGeneral).answer_ms, 7 * kDayMs);
  EXPECT_EQ(DefaultDurations(DeadlineClass::kComplex).answer_ms, 15 * kDayMs);
  for (DeadlineClass c : {DeadlineClass::kEmergency, DeadlineClass::kUtilities, DeadlineClass::kGeneral, DeadlineClass::kComplex})
    EXPECT_TRUE(ValidateDurations(DefaultDurations(c)).ok()) << DeadlineClassCode(c);
}

TEST(Deadlines, TheMostSpecificRuleWins) {
  const std::string village = "420114001205";
  std::vector<DeadlineRule> rules = {
      {"420114000000", "roads", {2 * kHourMs, 5 * kDayMs}, 1, 0},   // county
      {"420114001000", "roads", {3 * kHourMs, 4 * kDayMs}, 1, 0},   // township
      {"420114001205", "roads", {4 * kHourMs, 3 * kDayMs}, 1, 0},   // village
      {"420114001206", "water_supply", {kHourMs, 6 * kHourMs}, 1, 0},  // a sibling's: ignored here
      {"420114000000", "water_supply", {kHourMs, 12 * kHourMs}, 1, 0},
  };
  ResolvedDeadlines r = ResolveDeadlines(rules, "roads", village);
  EXPECT_EQ(r.durations, (DeadlineDurations{4 * kHourMs, 3 * kDayMs}));
  EXPECT_EQ(r.source, village);
  rules.erase(rules.begin() + 2);
  r = ResolveDeadlines(rules, "roads", village);
  EXPECT_EQ(r.source, "420114001000");
  EXPECT_EQ(r.durations.answer_ms, 4 * kDayMs);
  rules.erase(rules.begin() + 1);
  EXPECT_EQ(ResolveDeadlines(rules, "roads", village).source, "420114000000");
  rules.erase(rules.begin());
  r = ResolveDeadlines(rules, "roads", village);
  EXPECT_EQ(r.source, "default");
  EXPECT_EQ(r.durations, DefaultDurations(DeadlineClass::kGeneral));
  // The sibling's water rule does not apply here; the county's does.
  r = ResolveDeadlines(rules, "water_supply", village);
  EXPECT_EQ(r.source, "420114000000");
  EXPECT_EQ(r.durations.answer_ms, 12 * kHourMs);
  EXPECT_EQ(ResolveDeadlines(rules, "water_supply", "420114001206").source, "420114001206");
  // Another county's village sees none of them.
  EXPECT_EQ(ResolveDeadlines(rules, "water_supply", "420115001205").source, "default");
}

TEST(Deadlines, Bounds) {
  EXPECT_EQ(ValidateDurations({14 * kMinuteMs, kDayMs}).Arg("reason"), "accept");
  EXPECT_EQ(ValidateDurations({31 * kDayMs, 40 * kDayMs}).Arg("reason"), "accept");
  EXPECT_EQ(ValidateDurations({15 * kMinuteMs, 29 * kMinuteMs}).Arg("reason"), "answer");
  EXPECT_EQ(ValidateDurations({kHourMs, 181 * kDayMs}).Arg("reason"), "answer");
  EXPECT_EQ(ValidateDurations({2 * kDayMs, kDayMs}).Arg("reason"), "order");
  EXPECT_TRUE(ValidateDurations({15 * kMinuteMs, 30 * kMinuteMs}).ok());
}

TEST(Deadlines, RuleScopes) {
  EXPECT_TRUE(IsRuleScope("420114000000"));
  EXPECT_TRUE(IsRuleScope("420114001000"));
  EXPECT_TRUE(IsRuleScope("420114001205"));
  EXPECT_FALSE(IsRuleScope("420100000000"));  // a city: rules are county-level at the widest
  EXPECT_FALSE(IsRuleScope("420114"));
  EXPECT_EQ(RuleScopesFor("420114001205"), (std::vector<std::string>{"420114001205", "420114001000", "420114000000"}));
}

}  // namespace
}  // namespace gz::appeals
