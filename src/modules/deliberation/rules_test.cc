// The procedure's rules at their boundaries: exact thresholds (exactly 2/3 passes, one below
// fails; exactly half fails "more than half", one above passes), the default chain's bodies as
// the law states them, chain validation and the stored form.
#include "modules/deliberation/rules.h"

#include <gtest/gtest.h>

namespace gz::deliberation {
namespace {

const BodyRule& BodyOf(std::string_view step, std::string_view body) {
  for (const StepDef& s : DefaultChain().steps)
    if (s.code == step)
      for (const BodyRule& b : s.bodies)
        if (b.code == body) return b;
  ADD_FAILURE() << step << "/" << body;
  static BodyRule none;
  return none;
}

Outcome Evaluated(std::string_view step, std::string_view body, Attendance a, Tally t, int notice = 30) {
  EXPECT_TRUE(CheckCounts(a, t).ok());
  return Evaluate(BodyOf(step, body), a, t, notice);
}

TEST(Threshold, ExactRationalComparison) {
  const Threshold two_thirds{2, 3, Compare::kAtLeast};
  EXPECT_TRUE(Meets(20, 30, two_thirds));   // exactly 2/3
  EXPECT_FALSE(Meets(19, 30, two_thirds));  // one below
  EXPECT_TRUE(Meets(21, 30, two_thirds));
  // Not a multiple of 3: 2/3 of 31 is 20.67, so 21 is needed and 20 is not enough.
  EXPECT_FALSE(Meets(20, 31, two_thirds));
  EXPECT_TRUE(Meets(21, 31, two_thirds));
  const Threshold half{1, 2, Compare::kMoreThan};
  EXPECT_FALSE(Meets(10, 20, half));  // exactly half is not "more than half"
  EXPECT_TRUE(Meets(11, 20, half));   // one above
  EXPECT_TRUE(Meets(11, 21, half));
  EXPECT_FALSE(Meets(10, 21, half));
  EXPECT_FALSE(Meets(0, 0, half));  // nobody should attend: nothing is decided
  // Large counts do not overflow (128-bit cross-multiplication).
  EXPECT_TRUE(Meets(666'667, 1'000'000, Threshold{2, 3, Compare::kAtLeast}));
  EXPECT_FALSE(Meets(666'666, 1'000'000, Threshold{2, 3, Compare::kAtLeast}));
  EXPECT_TRUE(Meets(int64_t{1} << 61, (int64_t{1} << 61) + 1, Threshold{999, 1000, Compare::kAtLeast}));
}

TEST(PartyMembersAssembly, TwoThirdsAttendAndMoreThanHalfOfAllMembersAgree) {
  // 30 members: 20 present is exactly 2/3 (quorum met), 19 is one below.
  EXPECT_TRUE(Evaluated("review", "party_members", {30, 20, 0, 0}, {16, 4, 0}).passed);
  Outcome below = Evaluated("review", "party_members", {30, 19, 0, 0}, {19, 0, 0});
  EXPECT_FALSE(below.quorum_met);
  EXPECT_FALSE(below.passed);
  EXPECT_EQ(below.failure, "quorum");
  // More than half of the members who SHOULD attend (30), not of those present: 15 is exactly
  // half (fails), 16 passes, even though 15 of 20 present is a clear majority of the room.
  Outcome half = Evaluated("review", "party_members", {30, 20, 0, 0}, {15, 5, 0});
  EXPECT_TRUE(half.quorum_met);
  EXPECT_FALSE(half.passed);
  EXPECT_EQ(half.failure, "majority");
  EXPECT_TRUE(Evaluated("review", "party_members", {30, 20, 0, 0}, {16, 0, 4}).passed);
}

TEST(VillagersMeeting, HalfOfAdultsOrTwoThirdsOfHouseholds) {
  // 400 villagers aged 18+: 200 present is exactly half (not more than half), 201 is enough.
  EXPECT_FALSE(Evaluated("resolve", "villagers_meeting", {400, 200, 0, 0}, {200, 0, 0}).quorum_met);
  Outcome ok = Evaluated("resolve", "villagers_meeting", {400, 201, 0, 0}, {101, 100, 0});
  EXPECT_TRUE(ok.quorum_met);
  EXPECT_TRUE(ok.passed);  // 101 of 201 present is more than half of the attendees
  // Majority of attendees: exactly half fails, one above passes.
  EXPECT_FALSE(Evaluated("resolve", "villagers_meeting", {400, 202, 0, 0}, {101, 101, 0}).passed);
  EXPECT_TRUE(Evaluated("resolve", "villagers_meeting", {400, 202, 0, 0}, {102, 100, 0}).passed);
  // Or: representatives of at least 2/3 of households (120 of 180 exactly; 119 one below).
  EXPECT_TRUE(Evaluated("resolve", "villagers_meeting", {400, 130, 180, 120}, {70, 60, 0}).quorum_met);
  EXPECT_FALSE(Evaluated("resolve", "villagers_meeting", {400, 130, 180, 119}, {70, 60, 0}).quorum_met);
}

TEST(VillagersMeeting, TenDaysNotice) {
  EXPECT_TRUE(Evaluated("resolve", "villagers_meeting", {400, 300, 0, 0}, {200, 0, 0}, 10).passed);
  Outcome short_notice = Evaluated("resolve", "villagers_meeting", {400, 300, 0, 0}, {200, 0, 0}, 9);
  EXPECT_FALSE(short_notice.passed);
  EXPECT_EQ(short_notice.failure, "notice");
  EXPECT_FALSE(Evaluated("resolve", "villagers_meeting", {400, 300, 0, 0}, {200, 0, 0}, -1).passed);  // not recorded
}

TEST(RepresentativesMeeting, TwoThirdsPresentAndMajorityOfAttendees) {
  EXPECT_TRUE(Evaluated("resolve", "representatives_meeting", {45, 30, 0, 0}, {16, 14, 0}).passed);  // exactly 2/3
  EXPECT_FALSE(Evaluated("resolve", "representatives_meeting", {45, 29, 0, 0}, {29, 0, 0}).passed);  // one below
  EXPECT_FALSE(Evaluated("resolve", "representatives_meeting", {45, 30, 0, 0}, {15, 15, 0}).passed);  // exactly half
  EXPECT_TRUE(Evaluated("resolve", "representatives_meeting", {45, 30, 0, 0}, {16, 0, 14}).passed);  // one above
}

TEST(Outcome, ExplainsWithTheNumbers) {
  Outcome o = Evaluated("review", "party_members", {30, 19, 0, 0}, {19, 0, 0});
  EXPECT_NE(o.explanation_zh.find("到会 19 人，应到 30 人"), std::string::npos) << o.explanation_zh;
  EXPECT_NE(o.explanation_en.find("19 present of 30 members, needs at least 2/3 (not met)"), std::string::npos)
      << o.explanation_en;
}

TEST(Counts, ImpossibleRecordsRefused) {
  EXPECT_FALSE(CheckCounts({0, 0, 0, 0}, {}).ok());
  EXPECT_FALSE(CheckCounts({10, 11, 0, 0}, {}).ok());
  EXPECT_FALSE(CheckCounts({10, 5, 0, 0}, {4, 1, 1}).ok());
  EXPECT_FALSE(CheckCounts({10, 5, 3, 4}, {}).ok());
  EXPECT_FALSE(CheckCounts({10, 5, 0, 0}, {-1, 0, 0}).ok());
  EXPECT_TRUE(CheckCounts({10, 5, 0, 0}, {3, 1, 1}).ok());
}

TEST(Chain, DefaultIsValidAndRoundTrips) {
  ASSERT_TRUE(ValidateChain(DefaultChain()).ok());
  Result<Chain> back = DecodeChain(EncodeChain(DefaultChain()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, DefaultChain());
  EXPECT_EQ(DefaultChain().steps.size(), 6u);
  EXPECT_FALSE(DecodeChain("gz-chain/2\n").ok());
  EXPECT_FALSE(DecodeChain("gz-chain/1\nbody|x|y|named|members|1/2/gt|0|\n").ok());
}

TEST(Chain, LocalAdditionsAndTheAllowedMerge) {
  // 五议两公开: a local step (e.g. 群众提议/村民小组议) before the Party organization's proposal.
  Chain five = DefaultChain();
  StepDef extra{"canvass", "村民小组会议酝酿", StepKind::kMeeting, {}, {five.steps[1].bodies[0]}};
  extra.bodies[0].code = "group_meeting";
  five.steps.insert(five.steps.begin(), extra);
  EXPECT_TRUE(ValidateChain(five).ok());
  // 一肩挑: the proposal and the committees' meeting as one step.
  Chain merged = DefaultChain();
  merged.steps[1].covers = {"propose", "deliberate"};
  merged.steps.erase(merged.steps.begin());
  EXPECT_TRUE(ValidateChain(merged).ok());
  // No other merge: the Party members' review cannot be folded into the villagers' decision.
  Chain bad = DefaultChain();
  bad.steps[3].covers = {"review", "resolve"};
  bad.steps.erase(bad.steps.begin() + 2);
  EXPECT_EQ(ValidateChain(bad).Arg("reason"), "merge-not-allowed");
}

TEST(Chain, LegalStepsInOrderAndNeverLooserThanTheLaw) {
  Chain swapped = DefaultChain();
  std::swap(swapped.steps[2], swapped.steps[3]);
  EXPECT_EQ(ValidateChain(swapped).Arg("reason"), "legal-steps-out-of-order");
  Chain missing = DefaultChain();
  missing.steps.pop_back();
  EXPECT_EQ(ValidateChain(missing).Arg("reason"), "legal-steps-out-of-order");
  Chain loose = DefaultChain();
  loose.steps[2].bodies[0].quorum[0].threshold = Threshold{3, 5, Compare::kAtLeast};  // 3/5 < 2/3
  EXPECT_EQ(ValidateChain(loose).Arg("reason"), "looser-than-law");
  Chain stricter = DefaultChain();
  stricter.steps[2].bodies[0].quorum[0].threshold = Threshold{4, 5, Compare::kAtLeast};  // 4/5 > 2/3
  EXPECT_TRUE(ValidateChain(stricter).ok());
  Chain half_or_more = DefaultChain();
  half_or_more.steps[3].bodies[1].majority.compare = Compare::kAtLeast;  // a tie would pass
  EXPECT_EQ(ValidateChain(half_or_more).Arg("reason"), "majority");
  Chain two_thirds_or_more = DefaultChain();
  two_thirds_or_more.steps[3].bodies[1].majority = Threshold{2, 3, Compare::kAtLeast};  // stricter: allowed
  EXPECT_TRUE(ValidateChain(two_thirds_or_more).ok());
  Chain more_than_two_thirds = DefaultChain();
  more_than_two_thirds.steps[3].bodies[1].quorum[0].threshold = Threshold{2, 3, Compare::kMoreThan};  // > 2/3: stricter
  EXPECT_TRUE(ValidateChain(more_than_two_thirds).ok());
  Chain short_notice = DefaultChain();
  short_notice.steps[3].bodies[0].notice_days = 5;
  EXPECT_EQ(ValidateChain(short_notice).Arg("reason"), "looser-than-law");
  Chain attendees = DefaultChain();
  attendees.steps[2].bodies[0].majority_basis = MajorityBasis::kAttendees;  // of those present: looser
  EXPECT_EQ(ValidateChain(attendees).Arg("reason"), "looser-than-law");
  Chain bad_fraction = DefaultChain();
  bad_fraction.steps[0].bodies[0].majority = Threshold{3, 2, Compare::kAtLeast};
  EXPECT_EQ(ValidateChain(bad_fraction).Arg("reason"), "majority");
  Chain pipe = DefaultChain();
  pipe.steps[0].name_zh = "a|b";
  EXPECT_EQ(ValidateChain(pipe).Arg("reason"), "step-name");
}

}  // namespace
}  // namespace gz::deliberation
