// The deadline sweep with a FakeClock: exactly once per deadline across repeated runs, clock
// steps forward and back, restarts of the store, concurrent sweepers and failures mid-way.
#include "modules/appeals/sweep.h"

#include <gtest/gtest.h>

#include <thread>

#include "modules/appeals/lifecycle.h"
#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals {
namespace {

using namespace testing;  // NOLINT
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

SweepReport Sweep(AppealTestEnv& env) {
  Result<SweepReport> r = env.sweeper->RunOnce();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.ok() ? r->failed : -1, 0);
  return r.ok() ? *r : SweepReport{};
}

int64_t Events(AppealTestEnv& env, int64_t id, const char* kind) {
  return env.Count("SELECT COUNT(*) FROM appeals_deadline_events WHERE appeal_id = $1 AND kind = $2", {id, std::string(kind)});
}
int64_t Escalations(AppealTestEnv& env, int64_t id) {
  return env.Count("SELECT COUNT(*) FROM appeals_timeline WHERE appeal_id = $1 AND action = 'escalate'", {id});
}

TEST(Sweep, EscalatesAnOverdueAcceptanceExactlyOnce) {
  AppealTestEnv env;
  Appeal a = env.Submit();  // street lights: accept within 24 h
  env.Advance(hours(24) - milliseconds(1));
  EXPECT_EQ(Sweep(env).escalated, 0);  // not yet
  env.Advance(milliseconds(1));
  EXPECT_EQ(Sweep(env).escalated, 1);  // at the deadline
  EXPECT_EQ(Sweep(env).escalated, 0);
  env.Advance(minutes(5));
  EXPECT_EQ(Sweep(env).escalated, 0);

  Appeal e = *env.service->Get(a.id);
  EXPECT_EQ(e.state, AppealState::kEscalated);
  EXPECT_EQ(e.escalated_to->Key(), "township:420114001000");
  EXPECT_EQ(e.escalation_count, 1);
  EXPECT_EQ(Events(env, a.id, "accept"), 1);
  EXPECT_EQ(Escalations(env, a.id), 1);
  EXPECT_EQ(env.AuditRows("appeals.escalate"), 1);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM audit_records WHERE action = 'appeals.escalate' AND actor_account = 0"), 1);
  // The next level is told, and so are the late unit and the villager.
  auto township = env.service->Inbox(env.Who(kTownshipOfficial), false, 0, 50);
  ASSERT_TRUE(township.ok());
  ASSERT_EQ(township->size(), 1u);
  EXPECT_EQ(township->at(0).kind, "escalate");
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_inbox WHERE appeal_id = $1 AND kind = 'escalate'", {a.id}), 3);
}

TEST(Sweep, EachDeadlineOfTheChainEscalatesOnceUpToTheCounty) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  const char* targets[] = {"township:420114001000", "county:420114000000", "county:420114000000"};
  for (int i = 0; i < 3; ++i) {
    env.Advance(hours(24));
    EXPECT_EQ(Sweep(env).escalated, 1) << i;
    EXPECT_EQ(Sweep(env).escalated, 0) << i;
    Appeal e = *env.service->Get(a.id);
    EXPECT_EQ(e.escalated_to->Key(), targets[i]);
    EXPECT_EQ(e.accept_round, i + 2);
  }
  EXPECT_EQ(Events(env, a.id, "accept"), 3);
  EXPECT_EQ(Escalations(env, a.id), 3);
  // The county takes it over; nothing is due for a while, then the answer deadline escalates once.
  Appeal taken = env.Must(env.Who(kCountyAdmin), a.id, Action::kAccept);
  EXPECT_EQ(taken.unit.Key(), "county:420114000000");
  EXPECT_EQ(Sweep(env).escalated, 0);
  env.Advance(hours(24 * 7));
  EXPECT_EQ(Sweep(env).escalated, 1);
  EXPECT_EQ(Events(env, a.id, "answer"), 1);
  EXPECT_EQ(Sweep(env).escalated, 0);
}

TEST(Sweep, ClockStepsNeitherRepeatNorSkipAnEscalation) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  Appeal b = env.Submit(env.Who(kVillager2), env.Request("停电两天了，全组都没电", "power_supply"));  // accept within 2 h
  env.Advance(hours(3));
  EXPECT_EQ(Sweep(env).escalated, 1);  // b only
  // Wall clock stepped back two days (NTP, a wrong manual setting): nothing new, nothing repeated.
  env.clock.StepWallForTest(-hours(48));
  EXPECT_EQ(Sweep(env).escalated, 0);
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kSubmitted);
  // Back to the right time: a's deadline (24 h) still lies ahead.
  env.clock.StepWallForTest(hours(48));
  EXPECT_EQ(Sweep(env).escalated, 0);
  // A step forward of a day makes a due: it escalates once, b's old deadline stays handled.
  env.clock.StepWallForTest(hours(24));
  SweepReport r = Sweep(env);
  // b's escalation target (township) had 2 h: that deadline passed too, once.
  EXPECT_EQ(r.escalated, 2);
  env.clock.StepWallForTest(-hours(24));
  EXPECT_EQ(Sweep(env).escalated, 0);
  env.clock.StepWallForTest(hours(24));
  EXPECT_EQ(Sweep(env).escalated, 0);
  EXPECT_EQ(Escalations(env, a.id), 1);
  EXPECT_EQ(Escalations(env, b.id), 2);
  EXPECT_EQ(Events(env, b.id, "accept"), 2);
}

TEST(Sweep, ARestartNeverEscalatesTwice) {
  AppealTestEnv env;
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(env.Submit().id);
  env.Advance(hours(25));
  EXPECT_EQ(Sweep(env).escalated, 5);
  env.Restart();  // a new process on the same file
  EXPECT_EQ(Sweep(env).escalated, 0);
  env.Restart();
  env.Advance(hours(2));
  EXPECT_EQ(Sweep(env).escalated, 0);
  for (int64_t id : ids) {
    EXPECT_EQ(Escalations(env, id), 1);
    EXPECT_EQ(env.service->Get(id)->state, AppealState::kEscalated);
  }
  // After a restart, the next deadline of the chain is still honoured, once.
  env.Advance(hours(24));
  env.Restart();
  EXPECT_EQ(Sweep(env).escalated, 5);
  EXPECT_EQ(Sweep(env).escalated, 0);
}

TEST(Sweep, ConcurrentSweepersShareTheWorkWithoutDoubles) {
  AppealTestEnv env;
  env.settings.max_open_per_submitter = 100;
  env.Restart();
  std::vector<int64_t> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(env.Submit().id);
  env.Advance(hours(25));
  DeadlineSweeper second(*env.store, env.clock, env.settings);
  DeadlineSweeper third(*env.store, env.clock, env.settings);
  SweepReport r1, r2, r3;
  std::thread t1([&] { r1 = *env.sweeper->RunOnce(7); });
  std::thread t2([&] { r2 = *second.RunOnce(7); });
  std::thread t3([&] { r3 = *third.RunOnce(7); });
  t1.join();
  t2.join();
  t3.join();
  EXPECT_EQ(r1.escalated + r2.escalated + r3.escalated, 40);
  EXPECT_EQ(r1.failed + r2.failed + r3.failed, 0);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_deadline_events"), 40);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_timeline WHERE action = 'escalate'"), 40);
  EXPECT_EQ(env.AuditRows("appeals.escalate"), 40);
  for (int64_t id : ids) EXPECT_EQ(Escalations(env, id), 1);
}

// A change carrying an escalation's key, as the sweep builds it.
Change EscalationChange(AppealTestEnv& env, const Appeal& current, int64_t expected_version) {
  Result<Plan> plan = PlanDeadline(current, DeadlineKind::kAccept,
                                   PlanContext{env.Now(), DefaultDurations(DeadlineClass::kGeneral), env.settings});
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  Change c;
  c.entry = plan->entry;
  c.entry.id = crypto::NewRowId(env.Now());
  c.entry.seq = expected_version + 1;
  c.appeal = plan->next;
  c.appeal.version = expected_version + 1;
  c.expected_version = expected_version;
  c.deadline = plan->deadline;
  c.audit = ChangeEvent(access::AuditEvent{}, c.appeal, c.entry);
  c.now_ms = env.Now();
  return c;
}

TEST(Sweep, TheDeadlineKeyAloneStopsASecondEscalation) {
  // Two sweeps planned the same escalation. The second write fails as a whole on the key, even
  // when its version check would pass (here it claims the version the first one left).
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Advance(hours(25));
  Appeal current = *env.service->Get(a.id);
  ASSERT_TRUE(env.store->Update(EscalationChange(env, current, 1)).ok());
  Status again = env.store->Update(EscalationChange(env, current, 2));
  EXPECT_EQ(again.slug(), "appeals/deadline-handled");
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  EXPECT_EQ(env.service->Get(a.id)->version, 2);
  EXPECT_EQ(Escalations(env, a.id), 1);
  EXPECT_EQ(env.AuditRows("appeals.escalate"), 1);
  // And the version check alone stops a stale change that carries no key.
  Change stale = EscalationChange(env, current, 1);
  stale.deadline.reset();
  EXPECT_EQ(env.store->Update(stale).slug(), "appeals/edit-conflict");
  EXPECT_EQ(Sweep(env).escalated, 0);
}

TEST(Sweep, AFailedWriteLeavesTheDeadlineForTheNextRun) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Advance(hours(25));
  env.fail_audit_in_tx = true;
  Result<SweepReport> r = env.sweeper->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed, 1);
  EXPECT_EQ(r->escalated, 0);
  EXPECT_EQ(Events(env, a.id, "accept"), 0);  // rolled back with the rest
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kSubmitted);
  env.fail_audit_in_tx = false;
  EXPECT_EQ(Sweep(env).escalated, 1);
  EXPECT_EQ(Sweep(env).escalated, 0);
}

TEST(Sweep, AHandlerAcceptingFirstWins) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Advance(hours(25));
  // Late, but accepted before the sweep came by: nothing to escalate for that deadline any more.
  Appeal accepted = env.Must(env.Who(kCadre), a.id, Action::kAccept);
  EXPECT_EQ(accepted.accepted_on_time, false);
  SweepReport r = Sweep(env);
  EXPECT_EQ(r.escalated, 0);
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kAccepted);
}

TEST(Sweep, AnUnratedAnswerIsReportedToTheSupervisorsOnce) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Must(env.Who(kCadre), a.id, Action::kAccept);
  env.Must(env.Who(kCadre), a.id, Action::kStart);
  env.Must(env.Who(kCadre), a.id, Action::kAnswer, "已处理");
  env.Advance(hours(72) - milliseconds(1));
  EXPECT_EQ(Sweep(env).follow_ups, 0);
  EXPECT_EQ(env.Do(env.Who(kSupervisorId), a.id, Action::kVisit, "回访", std::nullopt, Rating::kSatisfied, true)
                .status()
                .slug(),
            "appeals/rating-window-open");
  env.Advance(milliseconds(1));
  SweepReport r = Sweep(env);
  EXPECT_EQ(r.follow_ups, 1);
  EXPECT_EQ(r.escalated, 0);
  EXPECT_EQ(Sweep(env).follow_ups, 0);
  env.Advance(hours(24 * 30));
  EXPECT_EQ(Sweep(env).follow_ups, 0);
  // Silence never closes it: still answered, no rating, and the supervisors were told.
  Appeal still = *env.service->Get(a.id);
  EXPECT_EQ(still.state, AppealState::kAnswered);
  EXPECT_FALSE(still.rating);
  auto supervisors = env.service->Inbox(env.Who(kSupervisorId), false, 0, 50);
  ASSERT_TRUE(supervisors.ok());
  ASSERT_EQ(supervisors->size(), 1u);
  EXPECT_EQ(supervisors->at(0).kind, "follow_up");
  // The supervisor records the visit; the villager could still have rated instead.
  Appeal visited = env.Must(env.Who(kSupervisorId), a.id, Action::kVisit, "电话回访，村民说已修好但不太满意", std::nullopt,
                            Rating::kBasicallySatisfied, true);
  EXPECT_EQ(visited.state, AppealState::kClosed);
  EXPECT_EQ(visited.rated_via, RatedVia::kVisit);
}

TEST(Sweep, PeriodicSweepRunsUntilStopped) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Advance(hours(25));
  PeriodicSweep loop(*env.sweeper, milliseconds(10));
  loop.Start();
  for (int i = 0; i < 500 && env.service->Get(a.id)->state != AppealState::kEscalated; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  loop.Stop();
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kEscalated);
  EXPECT_GE(loop.runs(), 1);
  const int64_t runs = loop.runs();
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(loop.runs(), runs);
  loop.Stop();  // idempotent
  EXPECT_EQ(Escalations(env, a.id), 1);
}

}  // namespace
}  // namespace gz::appeals
