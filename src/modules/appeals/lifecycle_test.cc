// The planning step of each transition, on plain values: deadlines and rounds, the rating window,
// reopen limits, escalation targets, preconditions and conflicts of interest.
#include "modules/appeals/lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "modules/appeals/problems.h"

namespace gz::appeals {
namespace {

constexpr char kVillage[] = "420114001205";
constexpr int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00Z

PlanContext At(int64_t now, DeadlineDurations d = {kHourMs, 10 * kHourMs}) { return PlanContext{now, d, AppealSettings{}}; }

Appeal Fresh(int64_t now = kT0) {
  Appeal a;
  a.id = 42;
  a.village = kVillage;
  a.submitter_account = 101;
  a.submitter_resident = 9101;
  a.recorded_by = 101;
  a.category = "roads";
  a.unit = VillageUnitOf(kVillage);
  a.text_sealed = std::string(50, 'x');
  return PlanSubmission(a, kSubmitter, At(now)).next;
}

Command Cmd(Action action, std::string note = "") {
  Command c;
  c.action = action;
  c.note = std::move(note);
  return c;
}

Command Rated(Action action, Rating rating, bool solved, std::string note = "") {
  Command c = Cmd(action, std::move(note));
  c.rating = rating;
  c.solved = solved;
  return c;
}

Command TransferTo(HandlingUnit unit) {
  Command c = Cmd(Action::kTransfer, "请镇里协调");
  c.unit = std::move(unit);
  return c;
}

Appeal Step(const Appeal& a, const Command& c, Relations who, int64_t now) {
  Result<Plan> p = PlanCommand(a, c, who, At(now));
  EXPECT_TRUE(p.ok()) << ActionCode(c.action) << ": " << p.status().ToString();
  return p.ok() ? p->next : a;
}

bool Notifies(const Plan& plan, const Recipient& r) {
  return std::find(plan.notify.begin(), plan.notify.end(), r) != plan.notify.end();
}

TEST(Lifecycle, SubmissionOpensBothDeadlines) {
  Appeal base;
  base.id = 42;
  base.village = kVillage;
  base.submitter_account = 101;
  base.unit = VillageUnitOf(kVillage);
  base.state = AppealState::kClosed;  // ignored: a submission always starts at submitted
  base.version = 9;
  Plan p = PlanSubmission(base, kSubmitter, At(kT0));
  EXPECT_EQ(p.next.state, AppealState::kSubmitted);
  EXPECT_EQ(p.next.version, 1);
  EXPECT_EQ(p.next.accept_due_ms, kT0 + kHourMs);
  EXPECT_EQ(p.next.answer_due_ms, kT0 + 10 * kHourMs);
  EXPECT_EQ(p.next.accept_round, 1);
  EXPECT_EQ(p.next.answer_round, 1);
  EXPECT_EQ(p.next.first_accept_due_ms, kT0 + kHourMs);
  EXPECT_EQ(p.next.first_answer_due_ms, kT0 + 10 * kHourMs);
  EXPECT_EQ(p.entry.seq, 1);
  EXPECT_FALSE(p.entry.from);
  EXPECT_EQ(p.entry.action, "submit");
  EXPECT_TRUE(Notifies(p, Recipient::Unit(VillageUnitOf(kVillage))));
  EXPECT_TRUE(Notifies(p, Recipient::Account(101)));
}

TEST(Lifecycle, AcceptanceIsTimedAgainstTheDeadlineInForce) {
  Appeal a = Fresh();
  Appeal on_time = Step(a, Cmd(Action::kAccept), kHandler, kT0 + kHourMs);  // at the deadline: on time
  EXPECT_EQ(on_time.state, AppealState::kAccepted);
  EXPECT_EQ(on_time.accepted_on_time, true);
  EXPECT_FALSE(on_time.accept_due_ms);
  EXPECT_EQ(on_time.first_accepted_at_ms, kT0 + kHourMs);
  Appeal late = Step(a, Cmd(Action::kAccept), kHandler, kT0 + kHourMs + 1);
  EXPECT_EQ(late.accepted_on_time, false);
  EXPECT_EQ(late.version, 2);
  EXPECT_EQ(late.updated_at_ms, kT0 + kHourMs + 1);
}

TEST(Lifecycle, AnswerOpensTheRatingWindowAndRatingsCloseOrReopen) {
  Appeal a = Step(Fresh(), Cmd(Action::kAccept), kHandler, kT0 + 10);
  a = Step(a, Cmd(Action::kStart), kHandler, kT0 + 20);
  a = Step(a, Cmd(Action::kAnswer, "路灯已更换"), kHandler, kT0 + 30);
  EXPECT_EQ(a.state, AppealState::kAnswered);
  EXPECT_FALSE(a.answer_due_ms);
  EXPECT_EQ(a.rating_due_ms, kT0 + 30 + AppealSettings{}.rating_window_ms);
  EXPECT_EQ(a.first_answered_at_ms, kT0 + 30);

  Appeal closed = Step(a, Rated(Action::kRate, Rating::kBasicallySatisfied, true), kSubmitterInPerson | kSubmitter, kT0 + 40);
  EXPECT_EQ(closed.state, AppealState::kClosed);
  EXPECT_EQ(closed.rating, Rating::kBasicallySatisfied);
  EXPECT_EQ(closed.solved, true);
  EXPECT_EQ(closed.rated_via, RatedVia::kSubmitter);
  EXPECT_EQ(closed.ended_at_ms, kT0 + 40);
  EXPECT_FALSE(closed.rating_due_ms);

  // Satisfied but not solved still closes (the villager's choice), and counts as unsolved.
  Appeal unsolved = Step(a, Rated(Action::kRate, Rating::kSatisfied, false), kSubmitterInPerson, kT0 + 40);
  EXPECT_EQ(unsolved.state, AppealState::kClosed);
  EXPECT_EQ(unsolved.solved, false);

  Appeal reopened = Step(a, Rated(Action::kRate, Rating::kDissatisfied, false), kSubmitterInPerson, kT0 + 50);
  EXPECT_EQ(reopened.state, AppealState::kReopened);
  EXPECT_EQ(reopened.reopen_count, 1);
  EXPECT_EQ(reopened.accept_round, 2);
  EXPECT_EQ(reopened.answer_round, 2);
  EXPECT_EQ(reopened.accept_due_ms, kT0 + 50 + kHourMs);
  EXPECT_EQ(reopened.answer_due_ms, kT0 + 50 + 10 * kHourMs);
  EXPECT_FALSE(reopened.ended_at_ms);
  // The first acceptance and answer stay what they were (the rates use them).
  Appeal again = Step(reopened, Cmd(Action::kAccept), kHandler, kT0 + 60);
  EXPECT_EQ(again.first_accepted_at_ms, kT0 + 10);
  EXPECT_EQ(again.accepted_on_time, true);
}

TEST(Lifecycle, ReopensRunOutIntoAnEscalation) {
  Appeal a = Fresh();
  for (int i = 0; i < 3; ++i) {
    a = Step(a, Cmd(Action::kAccept), kHandler, kT0 + 100 * i + 1);
    a = Step(a, Cmd(Action::kStart), kHandler, kT0 + 100 * i + 2);
    a = Step(a, Cmd(Action::kAnswer, "处理完毕"), kHandler, kT0 + 100 * i + 3);
    Result<Plan> p = PlanCommand(a, Rated(Action::kRate, Rating::kDissatisfied, false), kSubmitterInPerson, At(kT0 + 100 * i + 4));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    a = p->next;
    if (i < 2) {
      EXPECT_EQ(a.state, AppealState::kReopened) << i;
      EXPECT_EQ(a.reopen_count, i + 1);
    } else {
      EXPECT_EQ(a.state, AppealState::kEscalated);
      EXPECT_EQ(a.reopen_count, 2);
      EXPECT_EQ(a.escalation_count, 1);
      EXPECT_EQ(a.escalated_to->Key(), "township:420114001000");
      EXPECT_TRUE(Notifies(*p, Recipient::Unit(*a.escalated_to)));
      EXPECT_TRUE(a.accept_due_ms);
    }
  }
}

TEST(Lifecycle, ASupervisorVisitsOnlyAfterTheRatingWindow) {
  Appeal a = Step(Fresh(), Cmd(Action::kAccept), kHandler, kT0);
  a = Step(a, Cmd(Action::kStart), kHandler, kT0);
  a = Step(a, Cmd(Action::kAnswer, "已处理"), kHandler, kT0);
  const int64_t window_end = *a.rating_due_ms;
  Result<Plan> early = PlanCommand(a, Rated(Action::kVisit, Rating::kSatisfied, true, "上门回访"), kSupervisor, At(window_end - 1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().slug(), problems::kRatingWindowOpen);
  EXPECT_EQ(early.status().Arg("until"), "2026-01-04T00:00:00.000Z");
  Appeal visited = Step(a, Rated(Action::kVisit, Rating::kSatisfied, true, "上门回访，村民说已修好"), kSupervisor, window_end);
  EXPECT_EQ(visited.state, AppealState::kClosed);
  EXPECT_EQ(visited.rated_via, RatedVia::kVisit);
  // A visit needs its note (how the submitter was reached).
  EXPECT_EQ(PlanCommand(a, Rated(Action::kVisit, Rating::kSatisfied, true), kSupervisor, At(window_end)).status().slug(),
            problems::kFieldRequired);
}

TEST(Lifecycle, OnlyTheSubmitterInPersonRates) {
  Appeal a = Step(Fresh(), Cmd(Action::kAccept), kHandler, kT0);
  a = Step(a, Cmd(Action::kStart), kHandler, kT0);
  a = Step(a, Cmd(Action::kAnswer, "已处理"), kHandler, kT0);
  for (Relations who : {Relations{kSubmitter}, Relations{kHandler}, Relations{kSupervisor}, Relations{kNextLevel},
                        Relations{kEscalationTarget}, Relations{kRecorder}, Relations{0}}) {
    Result<Plan> p = PlanCommand(a, Rated(Action::kRate, Rating::kSatisfied, true), who, At(kT0 + 1));
    ASSERT_FALSE(p.ok()) << RelationsText(who);
    EXPECT_EQ(p.status().slug(), problems::kNotAllowed) << RelationsText(who);
    EXPECT_EQ(p.status().code(), Code::kPermissionDenied);
  }
}

TEST(Lifecycle, NobodyHandlesOrVerifiesTheirOwnAppeal) {
  Appeal a = Fresh();
  Result<Plan> own = PlanCommand(a, Cmd(Action::kAccept), kHandler | kSubmitter | kSubmitterInPerson, At(kT0));
  EXPECT_EQ(own.status().slug(), problems::kConflictOfInterest);
  a = Step(a, Cmd(Action::kAccept), kHandler, kT0);
  a = Step(a, Cmd(Action::kStart), kHandler, kT0);
  a = Step(a, Cmd(Action::kAnswer, "已处理"), kHandler, kT0);
  Result<Plan> self_check = PlanCommand(a, Rated(Action::kVisit, Rating::kSatisfied, true, "回访"), kSupervisor | kHandler,
                                        At(*a.rating_due_ms));
  EXPECT_EQ(self_check.status().slug(), problems::kConflictOfInterest);
}

TEST(Lifecycle, AStaleVersionIsRefused) {
  Appeal a = Fresh();
  Command c = Cmd(Action::kAccept);
  c.expected_version = 2;
  EXPECT_EQ(PlanCommand(a, c, kHandler, At(kT0)).status().code(), Code::kAborted);
  c.expected_version = 1;
  EXPECT_TRUE(PlanCommand(a, c, kHandler, At(kT0)).ok());
}

TEST(Lifecycle, TransfersMoveTheAcceptanceDeadlineNotTheAnswerDeadline) {
  Appeal a = Fresh();
  Result<Plan> p = PlanCommand(a, TransferTo(TownshipUnitOf(kVillage)), kHandler, At(kT0 + 5));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->next.state, AppealState::kTransferred);
  EXPECT_EQ(p->next.unit.Key(), "township:420114001000");
  EXPECT_EQ(p->next.accept_due_ms, kT0 + 5 + kHourMs);
  EXPECT_EQ(p->next.accept_round, 2);
  EXPECT_EQ(p->next.answer_due_ms, a.answer_due_ms);
  EXPECT_EQ(p->next.answer_round, 1);
  EXPECT_TRUE(Notifies(*p, Recipient::Unit(TownshipUnitOf(kVillage))));
  EXPECT_EQ(p->entry.details, "{\"from_unit\":\"village:420114001205\",\"unit\":\"township:420114001000\",\"accept_due_ms\":" +
                                  std::to_string(kT0 + 5 + kHourMs) + "}");

  EXPECT_EQ(PlanCommand(a, TransferTo(VillageUnitOf(kVillage)), kHandler, At(kT0)).status().slug(), problems::kSameUnit);
  EXPECT_EQ(PlanCommand(a, TransferTo(VillageUnitOf("420114001206")), kHandler, At(kT0)).status().Arg("reason"),
            "not-serving");
  EXPECT_EQ(PlanCommand(a, TransferTo(HandlingUnit{UnitLevel::kCounty, "420115000000", ""}), kHandler, At(kT0))
                .status()
                .Arg("reason"),
            "not-serving");
  // A department of the same committee is another unit.
  EXPECT_TRUE(PlanCommand(a, TransferTo(HandlingUnit{UnitLevel::kVillage, kVillage, "water"}), kHandler, At(kT0)).ok());
}

TEST(Lifecycle, CommandFieldsBelongToTheirAction) {
  Appeal a = Fresh();
  Command c = Cmd(Action::kAccept);
  c.rating = Rating::kSatisfied;
  EXPECT_EQ(PlanCommand(a, c, kHandler, At(kT0)).status().Arg("field"), "rating");
  c = Cmd(Action::kAccept);
  c.unit = TownshipUnitOf(kVillage);
  EXPECT_EQ(PlanCommand(a, c, kHandler, At(kT0)).status().slug(), problems::kFieldNotAllowed);
  EXPECT_EQ(PlanCommand(a, Cmd(Action::kTransfer, "理由"), kHandler, At(kT0)).status().Arg("field"), "unit");
  EXPECT_EQ(PlanCommand(a, Cmd(Action::kReject), kHandler, At(kT0)).status().Arg("field"), "note");
  EXPECT_EQ(PlanCommand(a, Cmd(Action::kEscalate), kSystem, At(kT0)).status().slug(), problems::kSystemOnly);
  EXPECT_EQ(PlanCommand(a, Cmd(Action::kSubmit), kSubmitter, At(kT0)).status().slug(), problems::kTransitionNotAllowed);
}

TEST(Lifecycle, EscalationsClimbOneLevelAtATimeAndStopAtTheCounty) {
  Appeal a = Fresh();
  EXPECT_EQ(PlanDeadline(a, DeadlineKind::kAccept, At(kT0 + kHourMs - 1)).status().slug(), problems::kTransitionNotAllowed);
  EXPECT_FALSE(PlanDeadline(a, DeadlineKind::kAnswer, At(kT0 + 11 * kHourMs)).ok());    // not running while submitted
  EXPECT_FALSE(PlanDeadline(a, DeadlineKind::kFollowUp, At(kT0 + 11 * kHourMs)).ok());  // nor the rating window

  const char* targets[] = {"township:420114001000", "county:420114000000", "county:420114000000"};
  int64_t now = kT0 + kHourMs;
  for (int i = 0; i < 3; ++i) {
    Result<Plan> p = PlanDeadline(a, DeadlineKind::kAccept, At(now));
    ASSERT_TRUE(p.ok()) << i << p.status().ToString();
    EXPECT_EQ(p->deadline, (DeadlineKey{42, DeadlineKind::kAccept, i + 1, *a.accept_due_ms}));
    a = p->next;
    EXPECT_EQ(a.state, AppealState::kEscalated);
    EXPECT_EQ(a.escalated_to->Key(), targets[i]);
    EXPECT_EQ(a.escalation_count, i + 1);
    EXPECT_EQ(a.accept_round, i + 2);
    EXPECT_EQ(a.accept_due_ms, now + kHourMs);
    EXPECT_EQ(a.unit.Key(), "village:420114001205");  // the late unit stays on record
    EXPECT_TRUE(Notifies(*p, Recipient::Unit(*a.escalated_to)));
    EXPECT_TRUE(Notifies(*p, Recipient::Account(101)));
    EXPECT_EQ(p->entry.capacity, "system");
    now = *a.accept_due_ms;
  }
  // The escalation target takes it over: it becomes the handling unit with a fresh answer deadline.
  Appeal taken = Step(a, Cmd(Action::kAccept), kEscalationTarget, now + 5);
  EXPECT_EQ(taken.unit.Key(), "county:420114000000");
  EXPECT_FALSE(taken.escalated_to);
  EXPECT_EQ(taken.answer_due_ms, now + 5 + 10 * kHourMs);
  EXPECT_EQ(taken.answer_round, 2);
}

TEST(Lifecycle, AnswerDeadlinesEscalateAcceptedAppeals) {
  Appeal a = Step(Fresh(), Cmd(Action::kAccept), kHandler, kT0 + 1);
  EXPECT_FALSE(PlanDeadline(a, DeadlineKind::kAccept, At(kT0 + 11 * kHourMs)).ok());
  Result<Plan> p = PlanDeadline(a, DeadlineKind::kAnswer, At(kT0 + 10 * kHourMs));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->deadline->kind, DeadlineKind::kAnswer);
  EXPECT_EQ(p->deadline->round, 1);
  EXPECT_EQ(p->next.state, AppealState::kEscalated);
  EXPECT_EQ(p->entry.from, AppealState::kAccepted);
  // Re-dispatched down to the same unit, it gets a new answer deadline.
  Command back = TransferTo(VillageUnitOf(kVillage));
  Appeal redispatched = Step(p->next, back, kEscalationTarget, kT0 + 11 * kHourMs);
  EXPECT_EQ(redispatched.state, AppealState::kTransferred);
  EXPECT_EQ(redispatched.answer_round, 2);
  EXPECT_EQ(redispatched.answer_due_ms, kT0 + 21 * kHourMs);
  EXPECT_FALSE(redispatched.escalated_to);
}

TEST(Lifecycle, TheRatingWindowOnlyNotifies) {
  Appeal a = Step(Fresh(), Cmd(Action::kAccept), kHandler, kT0);
  a = Step(a, Cmd(Action::kStart), kHandler, kT0);
  a = Step(a, Cmd(Action::kAnswer, "已处理"), kHandler, kT0);
  Result<Plan> p = PlanDeadline(a, DeadlineKind::kFollowUp, At(*a.rating_due_ms));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->next.state, AppealState::kAnswered);  // silence never counts as satisfied
  EXPECT_FALSE(p->next.rating);
  EXPECT_EQ(p->next.version, a.version + 1);
  EXPECT_EQ(p->entry.action, "follow_up");
  EXPECT_TRUE(Notifies(*p, Recipient::Supervisors(kVillage)));
  EXPECT_EQ(p->deadline->kind, DeadlineKind::kFollowUp);
}

TEST(Lifecycle, RejectionsAreContestedOnceAndReviewedAbove) {
  Appeal a = Fresh();
  Appeal rejected = Step(a, Cmd(Action::kReject, "属于司法诉讼范围，请向法院起诉"), kHandler, kT0 + 1);
  EXPECT_EQ(rejected.state, AppealState::kRejected);
  EXPECT_FALSE(rejected.accept_due_ms);
  EXPECT_FALSE(rejected.answer_due_ms);
  Result<Plan> contest = PlanCommand(rejected, Cmd(Action::kContest, "这是村里的路，不是私人纠纷"), kSubmitter, At(kT0 + 2));
  ASSERT_TRUE(contest.ok());
  EXPECT_TRUE(Notifies(*contest, Recipient::Unit(TownshipUnitOf(kVillage))));
  Appeal contested = contest->next;
  EXPECT_EQ(contested.contest_count, 1);
  EXPECT_TRUE(contested.accept_due_ms);
  EXPECT_EQ(PlanCommand(contested, Cmd(Action::kUphold, "维持"), kHandler, At(kT0 + 3)).status().slug(), problems::kNotAllowed);
  Appeal upheld = Step(contested, Cmd(Action::kUphold, "经复核，维持原决定"), kNextLevel, kT0 + 3);
  EXPECT_EQ(upheld.state, AppealState::kRejected);
  EXPECT_EQ(PlanCommand(upheld, Cmd(Action::kContest, "再次申诉"), kSubmitter, At(kT0 + 4)).status().slug(),
            problems::kContestLimit);
  Appeal overturned = Step(contested, Cmd(Action::kOverturn, "属于受理范围，由村委会办理"), kNextLevel, kT0 + 3);
  EXPECT_EQ(overturned.state, AppealState::kTransferred);
  EXPECT_EQ(overturned.unit.Key(), "village:420114001205");
  EXPECT_EQ(overturned.answer_round, 2);
  EXPECT_FALSE(overturned.ended_at_ms);
}

TEST(Lifecycle, ARejectionByTheEscalationTargetIsReviewedAboveIt) {
  Appeal a = PlanDeadline(Fresh(), DeadlineKind::kAccept, At(kT0 + kHourMs))->next;
  Appeal rejected = Step(a, Cmd(Action::kReject, "不属于受理范围"), kEscalationTarget, kT0 + kHourMs + 1);
  EXPECT_EQ(rejected.unit.Key(), "township:420114001000");
  Result<Plan> contest = PlanCommand(rejected, Cmd(Action::kContest, "请复核"), kSubmitter, At(kT0 + kHourMs + 2));
  ASSERT_TRUE(contest.ok());
  EXPECT_TRUE(Notifies(*contest, Recipient::Unit(CountyUnitOf(kVillage))));
}

}  // namespace
}  // namespace gz::appeals
