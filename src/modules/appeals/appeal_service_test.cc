// AppealService on a temporary SQLite file with the real audit trail: filing (self, helper,
// staff), sealing and audited reads, one transaction per change, optimistic concurrency, notes,
// the inbox, deadline rules and the rates.
#include "modules/appeals/appeal_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "modules/appeals/problems.h"
#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals {
namespace {

using namespace testing;  // NOLINT: the test env's accounts

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int64_t TimelineRows(AppealTestEnv& env, int64_t id) {
  return env.Count("SELECT COUNT(*) FROM appeals_timeline WHERE appeal_id = $1", {id});
}
int64_t InboxRows(AppealTestEnv& env, int64_t id) {
  return env.Count("SELECT COUNT(*) FROM appeals_inbox WHERE appeal_id = $1", {id});
}

TEST(AppealService, AVillagerFilesForThemself) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  EXPECT_EQ(a.state, AppealState::kSubmitted);
  EXPECT_EQ(a.channel, Channel::kSelf);
  EXPECT_EQ(a.village, kVillage);
  EXPECT_EQ(a.submitter_account, kVillager);
  EXPECT_EQ(a.submitter_resident, kVillagerResident);
  EXPECT_EQ(a.recorded_by, kVillager);
  EXPECT_EQ(a.unit.Key(), "village:420114001205");
  EXPECT_EQ(a.answer_due_ms, env.Now() + 7 * kDayMs);  // street lights: general
  Result<Appeal> stored = env.service->Get(a.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 1);
  EXPECT_EQ(stored->text_sealed, a.text_sealed);
  EXPECT_EQ(TimelineRows(env, a.id), 1);
  EXPECT_EQ(env.AuditRows("appeals.submit"), 1);
  EXPECT_EQ(InboxRows(env, a.id), 2);  // the village committee, and the villager's receipt
}

TEST(AppealService, AHelperFilesForTheVillagerUnderTheConsent) {
  AppealTestEnv env;
  Appeal a = env.Submit(env.HelperForVillager(), env.Request());
  EXPECT_EQ(a.channel, Channel::kHelper);
  EXPECT_EQ(a.submitter_account, kVillager);
  EXPECT_EQ(a.recorded_by, kHelper);
  EXPECT_EQ(a.consent_id, kConsent);
  auto timeline = env.store->Timeline(a.id);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->at(0).actor_account, kHelper);
  EXPECT_EQ(timeline->at(0).acting_for_account, kVillager);
  EXPECT_EQ(timeline->at(0).consent_id, kConsent);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM audit_records WHERE action = 'appeals.submit' AND actor_account = $1 "
                      "AND acting_for_account = $2 AND consent_id = $3",
                      {kHelper, kVillager, kConsent}),
            1);
}

TEST(AppealService, StaffRecordForVillagersOfTheirOwnVillageOnly) {
  AppealTestEnv env;
  SubmitRequest r = env.Request();
  r.for_resident = kNoAccountResident;  // an old villager without an account
  Appeal a = env.Submit(env.Who(kGrid), r);
  EXPECT_EQ(a.channel, Channel::kStaff);
  EXPECT_EQ(a.submitter_account, 0);
  EXPECT_EQ(a.submitter_resident, kNoAccountResident);
  EXPECT_EQ(a.recorded_by, kGrid);
  EXPECT_EQ(env.store->Timeline(a.id)->at(0).capacity, "recorder");

  SubmitRequest for_account = env.Request();
  for_account.for_account = kVillager2;
  for_account.unit = TownshipUnitOf(kVillage);  // staff may route it elsewhere at once
  Appeal b = env.Submit(env.Who(kCadre), for_account);
  EXPECT_EQ(b.submitter_account, kVillager2);
  EXPECT_EQ(b.unit.Key(), "township:420114001000");

  auto refused = [&](int64_t who, SubmitRequest req) { return env.service->Submit(env.Who(who), req).status(); };
  EXPECT_EQ(refused(kSiblingCadre, for_account).slug(), problems::kNotAllowed);     // another village
  EXPECT_EQ(refused(kTownshipOfficial, for_account).slug(), problems::kNotAllowed); // not a recorder
  EXPECT_EQ(refused(kSupervisorId, for_account).slug(), problems::kNotAllowed);
  SubmitRequest unknown = env.Request();
  unknown.for_resident = 99999;
  EXPECT_EQ(refused(kGrid, unknown).slug(), problems::kSubmitterNotFound);
  SubmitRequest mismatch = env.Request();
  mismatch.for_account = kVillager;
  mismatch.for_resident = 9103;  // lives in the sibling village
  EXPECT_EQ(refused(kGrid, mismatch).slug(), problems::kSubmitterNotFound);
  SubmitRequest elsewhere = env.Request();
  elsewhere.for_account = kVillager;
  elsewhere.unit = VillageUnitOf(kSibling);
  EXPECT_EQ(refused(kGrid, elsewhere).Arg("reason"), "not-serving");
}

TEST(AppealService, FilingRefusesBadInputAndForeignFields) {
  AppealTestEnv env;
  auto status = [&](const access::Principal& by, SubmitRequest r) { return env.service->Submit(by, r).status(); };
  SubmitRequest with_unit = env.Request();
  with_unit.unit = TownshipUnitOf(kVillage);
  EXPECT_EQ(status(env.Who(kVillager), with_unit).Arg("field"), "unit");  // villagers do not route
  SubmitRequest helper_for = env.Request();
  helper_for.for_account = kVillager2;
  EXPECT_EQ(status(env.HelperForVillager(), helper_for).Arg("field"), "for_account");
  EXPECT_EQ(status(env.Who(kVillager), env.Request("好", "roads")).slug(), problems::kBadText);
  EXPECT_EQ(status(env.Who(kVillager), env.Request("路灯坏了", "lamps")).slug(), problems::kUnknownCategory);
  SubmitRequest bad_location = env.Request();
  bad_location.location = Location{95, 114, ""};
  EXPECT_EQ(status(env.Who(kVillager), bad_location).slug(), problems::kBadLocation);
  EXPECT_EQ(status(access::Principal{}, env.Request()).slug(), problems::kNotAllowed);
  EXPECT_EQ(status(env.Who(kTownshipOfficial), env.Request()).slug(), problems::kNoHomeVillage);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 0);
  EXPECT_EQ(env.AuditRows("appeals.submit"), 0);
}

TEST(AppealService, OneSubmitterCannotFloodTheUnit) {
  AppealTestEnv env;
  env.settings.max_open_per_submitter = 2;
  env.Restart();
  Appeal first = env.Submit();
  env.Submit();
  Result<Appeal> third = env.service->Submit(env.Who(kVillager), env.Request());
  EXPECT_EQ(third.status().slug(), problems::kTooManyOpen);
  EXPECT_EQ(third.status().Arg("limit"), "2");
  // Withdrawing one frees a place; another villager is not affected.
  env.Must(env.Who(kVillager), first.id, Action::kWithdraw);
  EXPECT_TRUE(env.service->Submit(env.Who(kVillager), env.Request()).ok());
  EXPECT_TRUE(env.service->Submit(env.Who(kVillager2), env.Request()).ok());
}

TEST(AppealService, TextAndLocationAreSealedInTheDatabaseFile) {
  AppealTestEnv env;
  const std::string canary = "王小明电话13912345678";
  SubmitRequest r = env.Request("我是" + canary + "，家门口的水管爆了", "water_supply");
  r.location = Location{30.5812, 114.0311, "CANARYLOC 李家湾三组"};
  Appeal a = env.Submit(env.Who(kVillager), r);
  env.Must(env.Who(kCadre), a.id, Action::kAccept, "NOTECANARY 已联系" + canary);
  if (!env.DbPath()) GTEST_SKIP() << "reads the SQLite file; on PostgreSQL the same columns are BYTEA from the same sealing code";
  const std::string file = ReadFile(*env.DbPath()) + ReadFile(*env.DbPath() + "-wal");
  ASSERT_GT(file.size(), 1000u);
  EXPECT_NE(file.find("village:420114001205"), std::string::npos);  // the control: clear facts are there
  EXPECT_EQ(file.find("13912345678"), std::string::npos);
  EXPECT_EQ(file.find("CANARYLOC"), std::string::npos);
  EXPECT_EQ(file.find("NOTECANARY"), std::string::npos);
  for (const access::AuditEvent& e : env.sink.events()) EXPECT_EQ(e.details.find("13912345678"), std::string::npos);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM audit_records WHERE details LIKE '%13912345678%'"), 0);

  Result<AppealContent> content = env.service->ReadContent(env.Who(kCadre), a, "办理诉求");
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_NE(content->text.find(canary), std::string::npos);
  EXPECT_EQ(content->location->description, "CANARYLOC 李家湾三组");
}

TEST(AppealService, ReadsOfTheTextAreAuditedFirstAndFailClosed) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  ASSERT_TRUE(env.service->ReadContent(env.Who(kCadre), a, "办理诉求").ok());
  ASSERT_EQ(env.sink.Count("appeals.read_personal"), 1u);
  access::AuditEvent e = env.sink.events().back();
  EXPECT_EQ(e.actor_account, kCadre);
  EXPECT_EQ(e.object_type, "resident");  // found by the villager's "who read my data"
  EXPECT_EQ(e.object_id, std::to_string(kVillagerResident));
  EXPECT_EQ(e.purpose, "办理诉求");
  EXPECT_EQ(e.division, kVillage);

  EXPECT_EQ(env.service->ReadContent(env.Who(kCadre), a, "").status().slug(), problems::kBadPurpose);
  EXPECT_EQ(env.service->ReadContent(env.Who(kCadre), a, std::string(501, 'a')).status().slug(), problems::kBadPurpose);
  env.sink.SetFailing(true);
  Result<AppealContent> refused = env.service->ReadContent(env.Who(kCadre), a, "办理诉求");
  EXPECT_EQ(refused.status().code(), Code::kUnavailable);
  EXPECT_EQ(env.service->ReadTimeline(env.Who(kCadre), a, "办理诉求").status().code(), Code::kUnavailable);
  env.sink.SetFailing(false);
  EXPECT_EQ(env.sink.Count("appeals.read_personal"), 1u);
}

TEST(AppealService, ATamperedRowIsRefusedAndNotClaimedAsRead) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  Appeal b = env.Submit(env.Who(kVillager2), env.Request("另一条诉求，关于村道积水", "roads"));
  // Someone with the database file copies b's text into a (the trigger allows re-sealing).
  ASSERT_TRUE(env.Exec("UPDATE appeals_appeals SET text_sealed = (SELECT text_sealed FROM appeals_appeals WHERE id = $2), "
                       "version = version + 1 WHERE id = $1",
                       {a.id, b.id})
                  .ok());
  Result<Appeal> moved = env.service->Get(a.id);
  ASSERT_TRUE(moved.ok());
  Result<AppealContent> r = env.service->ReadContent(env.Who(kCadre), *moved, "办理诉求");
  EXPECT_EQ(r.status().slug(), "crypto/integrity-failure");
  EXPECT_EQ(env.sink.Count("appeals.read_personal"), 0u);
}

TEST(AppealService, EveryChangeIsOneTimelineEntryOneAuditRecordAndItsNotifications) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.Must(env.Who(kCadre), a.id, Action::kAccept);
  env.Must(env.Who(kCadre), a.id, Action::kStart);
  env.Must(env.Who(kCadre), a.id, Action::kAnswer, "已更换灯泡，请查看");
  Appeal closed = env.Must(env.Who(kVillager), a.id, Action::kRate, "", std::nullopt, Rating::kSatisfied, true);
  EXPECT_EQ(closed.state, AppealState::kClosed);
  EXPECT_EQ(closed.version, 5);
  auto timeline = env.store->Timeline(a.id);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 5u);
  const char* actions[] = {"submit", "accept", "start", "answer", "rate"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(timeline->at(i).seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(timeline->at(i).action, actions[i]);
    EXPECT_EQ(env.AuditRows(std::string("appeals.") + actions[i]), 1) << actions[i];
  }
  EXPECT_EQ(timeline->at(4).capacity, "submitter_in_person");
  EXPECT_EQ(timeline->at(1).capacity, "handler");
  // Receipt + unit on submit; the villager on accept, start, answer; the unit on the rating.
  EXPECT_EQ(InboxRows(env, a.id), 6);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM audit_records WHERE object_type = 'appeal' AND object_id = $1 AND division = $2",
                      {std::to_string(a.id), std::string(kVillage)}),
            5);
}

TEST(AppealService, AFailingAuditRollsTheWholeChangeBack) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  env.fail_audit_in_tx = true;
  EXPECT_FALSE(env.Do(env.Who(kCadre), a.id, Action::kAccept).ok());
  EXPECT_FALSE(env.service->Submit(env.Who(kVillager2), env.Request()).ok());
  env.fail_audit_in_tx = false;
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kSubmitted);
  EXPECT_EQ(env.service->Get(a.id)->version, 1);
  EXPECT_EQ(TimelineRows(env, a.id), 1);
  EXPECT_EQ(InboxRows(env, a.id), 2);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 1);
}

TEST(AppealService, TwoHandlersActingAtOnceCannotBothWin) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  // Both saw version 1: one accepts, the other's rejection is refused as stale.
  Command accept;
  accept.action = Action::kAccept;
  accept.expected_version = 1;
  Command reject;
  reject.action = Action::kReject;
  reject.note = "不属于本村事务";
  reject.expected_version = 1;
  ASSERT_TRUE(env.service->Perform(env.Who(kCadre), a.id, accept).ok());
  Result<Appeal> stale = env.service->Perform(env.Who(kCadre), a.id, reject);
  EXPECT_EQ(stale.status().code(), Code::kAborted);
  EXPECT_EQ(stale.status().slug(), problems::kEditConflict);
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kAccepted);
}

TEST(AppealService, TheSameAppealSentAgainWithItsKeyIsFiledOnce) {
  AppealTestEnv env;
  env.settings.max_open_per_submitter = 1;
  env.Restart();
  SubmitRequest request = env.Request();
  request.idempotency_key = "3f1c2a9e-7b64-4d0e-9a51-0c8e2f6d4b17";
  bool replayed = true;
  Result<Appeal> first = env.service->Submit(env.Who(kVillager), request, &replayed);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(replayed);
  // The answer was lost on the way: the phone sends it again. The open-appeals limit (1) does
  // not refuse the repeat of the appeal that reached it.
  Result<Appeal> again = env.service->Submit(env.Who(kVillager), request, &replayed);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(replayed);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 1);
  EXPECT_EQ(TimelineRows(env, first->id), 1);
  EXPECT_EQ(env.AuditRows("appeals.submit"), 1);
  // The key filed this request, not another one.
  SubmitRequest other = request;
  other.text = "另一件事：村东头的水渠堵了";
  EXPECT_EQ(env.service->Submit(env.Who(kVillager), other).status().slug(), problems::kIdempotencyKeyReused);
  // Keys are per account: another villager's phone may draw the same one.
  Result<Appeal> theirs = env.service->Submit(env.Who(kVillager2), request, &replayed);
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  EXPECT_FALSE(replayed);
  EXPECT_NE(theirs->id, first->id);
  // Without a key every request is a new appeal (and the limit applies again).
  EXPECT_EQ(env.service->Submit(env.Who(kVillager), env.Request()).status().slug(), problems::kTooManyOpen);
  // What is kept is a keyed hash of the request, never its text.
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_submission_keys WHERE length(fingerprint) = 34"), 2);
}

TEST(AppealService, AnIdempotencyKeyIsShortPrintableAscii) {
  AppealTestEnv env;
  for (std::string bad : {std::string("short"), std::string(65, 'k'), std::string("has space inside"),
                          std::string("键键键键键键键键")}) {
    SubmitRequest request = env.Request();
    request.idempotency_key = bad;
    EXPECT_EQ(env.service->Submit(env.Who(kVillager), request).status().slug(), problems::kBadIdempotencyKey) << bad;
  }
  SubmitRequest request = env.Request();
  request.idempotency_key = "outbox:17.a_B-9";
  EXPECT_TRUE(env.service->Submit(env.Who(kVillager), request).ok());
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 1);
}

TEST(AppealService, ManySendsOfOneKeyAtOnceFileOneAppeal) {
  AppealTestEnv env;
  SubmitRequest request = env.Request();
  request.idempotency_key = "c0ffee00-0000-4000-8000-000000000001";
  std::vector<int64_t> ids(12, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < ids.size(); ++t) {
    threads.emplace_back([&, t] {
      Result<Appeal> r = env.service->Submit(env.Who(kVillager), request);
      if (r.ok()) ids[t] = r->id;
      else ADD_FAILURE() << r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 1);
  for (int64_t id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(env.AuditRows("appeals.submit"), 1);
}

TEST(AppealService, ConcurrentCommandsOnOneAppealApplyExactlyOnce) {
  AppealTestEnv env;
  for (int round = 0; round < 5; ++round) {
    Appeal a = env.Submit(env.Who(kVillager2), env.Request());
    std::atomic<int> wins{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        // Eight handlers saw version 1 at once; half accept it, half reject it.
        Command c;
        c.expected_version = 1;
        c.action = t % 2 == 0 ? Action::kAccept : Action::kReject;
        if (c.action == Action::kReject) c.note = "不属于受理范围";
        Result<Appeal> r = env.service->Perform(env.Who(kCadre), a.id, c);
        if (r.ok()) ++wins;
        else if (r.status().slug() == problems::kEditConflict) ++conflicts;
        else ADD_FAILURE() << r.status().ToString();
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    EXPECT_EQ(conflicts.load(), 7);
    EXPECT_EQ(TimelineRows(env, a.id), 2);
    EXPECT_EQ(env.service->Get(a.id)->version, 2);
  }
}

TEST(AppealService, ConcurrentAcceptsWithoutAVersionStillApplyOnce) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      Result<Appeal> r = env.Do(env.Who(kCadre), a.id, Action::kAccept);
      if (r.ok()) ++wins;
      else EXPECT_TRUE(r.status().slug() == problems::kEditConflict || r.status().slug() == problems::kTransitionNotAllowed)
          << r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(TimelineRows(env, a.id), 2);
}

TEST(AppealService, InternalNotesStayAmongStaff) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  ASSERT_TRUE(env.service->AddNote(env.Who(kCadre), a.id, "内部：已请水电站核实", Visibility::kInternal).ok());
  ASSERT_TRUE(env.service->AddNote(env.Who(kCadre), a.id, "我们正在联系供电所", Visibility::kPublic).ok());
  ASSERT_TRUE(env.service->AddNote(env.Who(kVillager), a.id, "补充：灯杆也歪了", Visibility::kPublic).ok());
  EXPECT_EQ(env.service->AddNote(env.Who(kVillager), a.id, "想写内部备注", Visibility::kInternal).status().slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->AddNote(env.Who(kVillager2), a.id, "我也要说", Visibility::kPublic).status().slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->AddNote(env.Who(kSiblingCadre), a.id, "路过", Visibility::kPublic).status().slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->AddNote(env.Who(kCadre), a.id, "好", Visibility::kPublic).status().slug(), problems::kBadNote);

  auto notes = [&](const access::Principal& who) {
    std::vector<std::string> out;
    auto t = env.service->ReadTimeline(who, *env.service->Get(a.id), "查看进度");
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (t.ok())
      for (const TimelineView& v : *t)
        if (v.note) out.push_back(*v.note);
    return out;
  };
  EXPECT_EQ(notes(env.Who(kVillager)), (std::vector<std::string>{"我们正在联系供电所", "补充：灯杆也歪了"}));
  EXPECT_EQ(notes(env.HelperForVillager()), (std::vector<std::string>{"我们正在联系供电所", "补充：灯杆也歪了"}));
  EXPECT_EQ(notes(env.Who(kCadre)).size(), 3u);
  EXPECT_EQ(notes(env.Who(kAuditor)).size(), 3u);
  EXPECT_EQ(env.service->Get(a.id)->version, 4);
  EXPECT_EQ(env.service->Get(a.id)->state, AppealState::kSubmitted);  // notes change no state
  EXPECT_EQ(env.AuditRows("appeals.note"), 3);
}

TEST(AppealService, InboxesFollowUnitsAndAccounts) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  auto inbox = [&](const access::Principal& who) {
    auto r = env.service->Inbox(who, false, 0, 50);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<Notification>{};
  };
  ASSERT_EQ(inbox(env.Who(kCadre)).size(), 1u);
  EXPECT_EQ(inbox(env.Who(kCadre))[0].kind, "submit");
  EXPECT_EQ(inbox(env.Who(kCadre))[0].to, Recipient::Unit(VillageUnitOf(kVillage)));
  ASSERT_EQ(inbox(env.Who(kVillager)).size(), 1u);
  EXPECT_EQ(inbox(env.HelperForVillager()).size(), 1u);  // the helper sees the villager's inbox
  EXPECT_TRUE(inbox(env.Who(kSiblingCadre)).empty());
  EXPECT_TRUE(inbox(env.Who(kTownshipOfficial)).empty());
  EXPECT_TRUE(inbox(env.Who(kVillager2)).empty());

  const int64_t entry = inbox(env.Who(kCadre))[0].id;
  EXPECT_EQ(env.service->MarkRead(env.Who(kSiblingCadre), entry).slug(), problems::kNotificationNotFound);
  EXPECT_EQ(env.service->MarkRead(env.Who(kVillager), entry).slug(), problems::kNotificationNotFound);
  ASSERT_TRUE(env.service->MarkRead(env.Who(kCadre), entry).ok());
  ASSERT_TRUE(env.service->MarkRead(env.Who(kCadre), entry).ok());  // idempotent
  EXPECT_TRUE(env.service->Inbox(env.Who(kCadre), true, 0, 50)->empty());
  EXPECT_EQ(inbox(env.Who(kCadre))[0].read_by, kCadre);
  // The read mark is the only change an entry ever takes.
  EXPECT_FALSE(env.Exec("UPDATE appeals_inbox SET read_at_ms = NULL, read_by = 0 WHERE id = $1", {entry}).ok());
  EXPECT_FALSE(env.Exec("DELETE FROM appeals_inbox WHERE id = $1", {entry}).ok());

  // A transfer to the township reaches the township office.
  env.Must(env.Who(kCadre), a.id, Action::kTransfer, "需镇里协调", TownshipUnitOf(kVillage));
  ASSERT_EQ(inbox(env.Who(kTownshipOfficial)).size(), 1u);
  EXPECT_EQ(inbox(env.Who(kTownshipOfficial))[0].kind, "transfer");
  EXPECT_TRUE(inbox(env.Who(kOtherTownshipOfficial)).empty());
  EXPECT_EQ(env.service->Inbox(env.Who(kCadre), false, 0, 0).status().slug(), problems::kBadQuery);
}

TEST(AppealService, DeadlineRulesMostSpecificWinsAndUnitsOnlyTighten) {
  AppealTestEnv env;
  auto rule = [](const char* scope, int64_t accept, int64_t answer) {
    return DeadlineRule{scope, "roads", {accept, answer}, 0, 0};
  };
  ASSERT_TRUE(env.service->SetDeadlineRule(env.Who(kCountyAdmin), rule(kCounty, 12 * kHourMs, 5 * kDayMs)).ok());
  EXPECT_EQ(env.service->DeadlinesFor("roads", kVillage)->source, kCounty);
  ASSERT_TRUE(env.service->SetDeadlineRule(env.Who(kTownshipOfficial), rule(kTownship, 6 * kHourMs, 6 * kDayMs)).ok());
  EXPECT_EQ(env.service->DeadlinesFor("roads", kVillage)->durations.answer_ms, 6 * kDayMs);
  // The village committee may tighten its own deadlines, never loosen them.
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kCadre), rule(kVillage, 6 * kHourMs, 7 * kDayMs)).Arg("reason"),
            "looser-than-inherited");
  ASSERT_TRUE(env.service->SetDeadlineRule(env.Who(kCadre), rule(kVillage, 2 * kHourMs, 3 * kDayMs)).ok());
  EXPECT_EQ(env.service->DeadlinesFor("roads", kVillage)->durations, (DeadlineDurations{2 * kHourMs, 3 * kDayMs}));
  EXPECT_EQ(env.service->DeadlinesFor("roads", kSibling)->source, kTownship);

  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kCadre), rule(kTownship, kHourMs, kDayMs)).slug(), problems::kNotAllowed);
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kTownshipOfficial), rule(kCounty, kHourMs, kDayMs)).slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kSiblingCadre), rule(kVillage, kHourMs, kDayMs)).slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kOtherTownshipOfficial), rule(kVillage, kHourMs, kDayMs)).slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kVillager), rule(kVillage, kHourMs, kDayMs)).slug(), problems::kNotAllowed);
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kCountyAdmin), rule(kCounty, kDayMs, kHourMs)).Arg("reason"), "order");
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kCountyAdmin), rule("420100000000", kHourMs, kDayMs)).Arg("reason"), "scope");
  DeadlineRule unknown = rule(kCounty, kHourMs, kDayMs);
  unknown.category = "lamps";
  EXPECT_EQ(env.service->SetDeadlineRule(env.Who(kCountyAdmin), unknown).slug(), problems::kUnknownCategory);
  EXPECT_EQ(env.AuditRows("appeals.set_deadline"), 3);

  // A new appeal takes the deadlines in force when it is filed; later rules do not move it.
  Appeal a = env.Submit(env.Who(kVillager), env.Request("村道有个大坑，车辆难以通行", "roads"));
  EXPECT_EQ(a.accept_due_ms, env.Now() + 2 * kHourMs);
  EXPECT_EQ(a.answer_due_ms, env.Now() + 3 * kDayMs);
  // Clearing the village's tightening would loosen it: only the township may.
  EXPECT_EQ(env.service->ClearDeadlineRule(env.Who(kCadre), kVillage, "roads").Arg("reason"), "looser-than-inherited");
  ASSERT_TRUE(env.service->ClearDeadlineRule(env.Who(kTownshipOfficial), kVillage, "roads").ok());
  EXPECT_EQ(env.service->ClearDeadlineRule(env.Who(kTownshipOfficial), kVillage, "roads").slug(),
            problems::kDeadlineRuleNotFound);
  EXPECT_EQ(env.service->DeadlinesFor("roads", kVillage)->source, kTownship);
  EXPECT_EQ(env.service->Get(a.id)->answer_due_ms, a.answer_due_ms);
  EXPECT_EQ(env.AuditRows("appeals.clear_deadline"), 1);
}

TEST(AppealService, UnitRulesRouteNewAppealsMostSpecificFirstAndOnlyUpToTheSettersLevel) {
  AppealTestEnv env;
  auto rule = [](const char* scope, UnitLevel level, const char* department) {
    return UnitRule{scope, "water_supply", level, department, 0, 0};
  };
  // Without rules, the village committee.
  EXPECT_EQ(env.service->UnitFor("water_supply", kVillage)->unit, VillageUnitOf(kVillage));
  EXPECT_EQ(env.service->UnitFor("water_supply", kVillage)->source, "default");
  // The county sends water supply of every village to its water department.
  ASSERT_TRUE(env.service->SetUnitRule(env.Who(kCountyAdmin), rule(kCounty, UnitLevel::kCounty, "water")).ok());
  ResolvedUnit county = *env.service->UnitFor("water_supply", kVillage);
  EXPECT_EQ(county.unit.Key(), "county:420114000000:water");
  EXPECT_EQ(county.source, kCounty);
  EXPECT_EQ(env.service->UnitFor("roads", kVillage)->source, "default");
  // The township takes it back for its villages (its own office), one village keeps it at home.
  ASSERT_TRUE(env.service->SetUnitRule(env.Who(kTownshipOfficial), rule(kTownship, UnitLevel::kTownship, "")).ok());
  EXPECT_EQ(env.service->UnitFor("water_supply", kSibling)->unit, TownshipUnitOf(kSibling));
  ASSERT_TRUE(env.service->SetUnitRule(env.Who(kCadre), rule(kVillage, UnitLevel::kVillage, "water_team")).ok());
  EXPECT_EQ(env.service->UnitFor("water_supply", kVillage)->unit.Key(), "village:420114001205:water_team");
  EXPECT_EQ(env.service->UnitFor("water_supply", kSibling)->source, kTownship);

  // Nobody hands work upwards by a rule, nor rules other places.
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kCadre), rule(kVillage, UnitLevel::kTownship, "")).Arg("reason"),
            "level-above-yours");
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kTownshipOfficial), rule(kVillage, UnitLevel::kCounty, "water")).Arg("reason"),
            "level-above-yours");
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kCadre), rule(kTownship, UnitLevel::kVillage, "")).slug(), problems::kNotAllowed);
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kSiblingCadre), rule(kVillage, UnitLevel::kVillage, "")).slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kOtherTownshipOfficial), rule(kVillage, UnitLevel::kVillage, "")).slug(),
            problems::kNotAllowed);
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kVillager), rule(kVillage, UnitLevel::kVillage, "")).slug(), problems::kNotAllowed);
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kCountyAdmin), rule(kCounty, UnitLevel::kCounty, "Water!")).Arg("reason"),
            "department");
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kCountyAdmin), rule("420100000000", UnitLevel::kCounty, "")).Arg("reason"),
            "scope");
  UnitRule unknown = rule(kCounty, UnitLevel::kCounty, "");
  unknown.category = "lamps";
  EXPECT_EQ(env.service->SetUnitRule(env.Who(kCountyAdmin), unknown).slug(), problems::kUnknownCategory);
  EXPECT_EQ(env.AuditRows("appeals.set_unit_rule"), 3);

  // A villager's new appeal goes where the rules say; staff may still choose another unit.
  Appeal a = env.Submit(env.Who(kVillager), env.Request("自来水停了两天了，请尽快修复", "water_supply"));
  EXPECT_EQ(a.unit.Key(), "village:420114001205:water_team");
  // The county's rule is not the village cadre's to remove; the township's own rule is the township's.
  ASSERT_TRUE(env.service->SetUnitRule(env.Who(kCountyAdmin), rule(kVillage, UnitLevel::kCounty, "water")).ok());
  EXPECT_EQ(env.service->ClearUnitRule(env.Who(kCadre), kVillage, "water_supply").Arg("reason"), "level-above-yours");
  ASSERT_TRUE(env.service->ClearUnitRule(env.Who(kCountyAdmin), kVillage, "water_supply").ok());
  EXPECT_EQ(env.service->ClearUnitRule(env.Who(kCountyAdmin), kVillage, "water_supply").slug(), problems::kUnitRuleNotFound);
  EXPECT_EQ(env.service->UnitFor("water_supply", kVillage)->source, kTownship);
  EXPECT_EQ(env.service->Get(a.id)->unit.Key(), "village:420114001205:water_team");
  EXPECT_EQ(env.AuditRows("appeals.clear_unit_rule"), 1);
}

TEST(AppealService, ListsAreNarrowedByReach) {
  AppealTestEnv env;
  Appeal mine = env.Submit();
  Appeal other = env.Submit(env.Who(kVillager2), env.Request("村里垃圾没人清运，已经三天了", "sanitation"));
  Appeal sibling = env.Submit(env.Who(kSiblingVillager), env.Request("马家渡村的路灯也不亮了", "street_lights"));
  AppealQuery q;
  EXPECT_TRUE(env.service->List(q)->items.empty());  // no reach, nothing
  q.submitter_account = kVillager;
  ASSERT_EQ(env.service->List(q)->items.size(), 1u);
  EXPECT_EQ(env.service->List(q)->items[0].id, mine.id);
  q = AppealQuery{};
  q.scopes = {kVillage};
  EXPECT_EQ(env.service->List(q)->items.size(), 2u);
  q.scopes = {kTownship};
  EXPECT_EQ(env.service->List(q)->items.size(), 3u);
  q.category = "sanitation";
  ASSERT_EQ(env.service->List(q)->items.size(), 1u);
  EXPECT_EQ(env.service->List(q)->items[0].id, other.id);
  q = AppealQuery{};
  q.scopes = {kTownship};
  q.limit = 2;
  AppealPage page = *env.service->List(q);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, sibling.id);  // newest first
  q.before_id = page.next_before_id;
  page = *env.service->List(q);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, mine.id);
  EXPECT_EQ(page.next_before_id, 0);
  q.states = {AppealState::kClosed};
  EXPECT_TRUE(env.service->List(q)->items.empty());
  q.limit = 201;
  EXPECT_EQ(env.service->List(q).status().slug(), problems::kBadQuery);
}

TEST(AppealService, RatesComeFromTheStore) {
  AppealTestEnv env;
  const int64_t from = env.Now();
  Appeal a = env.Submit();
  env.Must(env.Who(kCadre), a.id, Action::kAccept);
  env.Must(env.Who(kCadre), a.id, Action::kStart);
  env.Advance(std::chrono::hours(2));
  env.Must(env.Who(kCadre), a.id, Action::kAnswer, "已修好");
  env.Must(env.Who(kVillager), a.id, Action::kRate, "", std::nullopt, Rating::kSatisfied, true);
  Appeal b = env.Submit(env.Who(kSiblingVillager), env.Request("马家渡村的路灯也不亮了", "street_lights"));
  env.Advance(std::chrono::hours(24 * 8));  // b's answer deadline (7 days) passed

  auto rates = env.service->Rates(FactsQuery{{kCounty}, from, env.Now()}, GroupBy::kVillage);
  ASSERT_TRUE(rates.ok()) << rates.status().ToString();
  ASSERT_EQ(rates->size(), 2u);
  EXPECT_EQ((*rates)[0].key, kVillage);
  EXPECT_EQ((*rates)[0].resolution, (RateValue{1, 1}));
  EXPECT_EQ((*rates)[0].satisfaction, (RateValue{1, 1}));
  EXPECT_EQ((*rates)[0].time_to_answer, (DurationStats{1, 2 * kHourMs, 2 * kHourMs}));
  EXPECT_EQ((*rates)[1].key, kSibling);
  EXPECT_EQ((*rates)[1].resolution, (RateValue{0, 1}));
  EXPECT_EQ((*rates)[1].response, (RateValue{0, 1}));
  EXPECT_EQ((*rates)[1].overdue, 1);
  // The area and the period select the cohort.
  EXPECT_EQ(env.service->Rates(FactsQuery{{kSibling}, from, env.Now()}, GroupBy::kVillage)->size(), 1u);
  EXPECT_TRUE(env.service->Rates(FactsQuery{{kCounty}, from + 3 * kHourMs, env.Now()}, GroupBy::kCounty)->empty());
  EXPECT_EQ(env.service->Rates(FactsQuery{{kCounty}, from, from}, GroupBy::kCounty).status().slug(), problems::kBadQuery);
  (void)b;
}

TEST(AppealService, TheSystemFilesForAVillagerExactlyOnceUnderTheCallersId) {
  AppealTestEnv env;
  SystemSubmission s;
  s.id = 7300000000000000001;
  s.for_account = kVillager;
  s.category = "village_affairs";
  s.text = "村务公开质询七天未答复：保洁工资为什么这么高？";
  s.source = "disclosure.question";
  Result<Appeal> a = env.service->SubmitForSystem(s);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->id, s.id);
  EXPECT_EQ(a->submitter_account, kVillager);
  EXPECT_EQ(a->village, kVillage);
  EXPECT_EQ(a->state, AppealState::kSubmitted);
  EXPECT_TRUE(a->accept_due_ms.has_value());
  Result<std::vector<TimelineEntry>> timeline = env.store->Timeline(s.id);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 1u);
  EXPECT_EQ((*timeline)[0].capacity, "system");
  EXPECT_EQ((*timeline)[0].actor_account, 0);
  EXPECT_NE((*timeline)[0].details.find("\"source\":\"disclosure.question\""), std::string::npos);
  // Filing again under the same id changes nothing.
  EXPECT_EQ(env.service->SubmitForSystem(s).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 1);
  SystemSubmission unknown = s;
  unknown.id = s.id + 1;
  unknown.for_account = 999999;
  EXPECT_FALSE(env.service->SubmitForSystem(unknown).ok());
}

}  // namespace
}  // namespace gz::appeals
