// AppealService for Open311 clients (appeal_service_client.cc) on a temporary SQLite file with the
// real audit trail: the appeal, its timeline entry and its audit record name the client; the
// client's scope bounds whom it files for; only the client that filed an appeal reads its text,
// and that read is audited; the villager stays the submitter.
#include <gtest/gtest.h>

#include "modules/appeals/appeal_service.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals {
namespace {

using namespace testing;  // NOLINT: the test env's accounts

constexpr int64_t kClient = 7001;

ClientSubmission ForVillager(int64_t account = kVillager, int64_t resident = 0) {
  ClientSubmission s;
  s.client_id = kClient;
  s.client_name = "随手拍 \"app\"";
  s.client_scope = kTownship;
  s.for_account = account;
  s.for_resident = resident;
  s.category = "street_lights";
  s.text = "村口第二个路灯坏了一个星期";
  s.location = Location{30.58, 114.03, "村口"};
  s.request_id = "req-open311";
  return s;
}

TEST(AppealServiceClient, FilesForTheVillagerAndNamesTheClientEverywhere) {
  AppealTestEnv env;
  Result<Appeal> a = env.service->SubmitForClient(ForVillager());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->channel, Channel::kOpen311);
  EXPECT_EQ(a->client_id, kClient);
  EXPECT_EQ(a->recorded_by, 0);
  EXPECT_EQ(a->submitter_account, kVillager);
  EXPECT_EQ(a->village, kVillage);
  EXPECT_EQ(a->state, AppealState::kSubmitted);
  EXPECT_EQ(a->answer_due_ms, env.Now() + 7 * kDayMs);

  Result<Appeal> stored = env.service->Get(a->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->client_id, kClient);
  EXPECT_EQ(stored->channel, Channel::kOpen311);

  auto timeline = env.store->Timeline(a->id);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 1u);
  const TimelineEntry& e = timeline->front();
  EXPECT_EQ(e.capacity, "client");
  EXPECT_EQ(e.actor_account, 0);
  EXPECT_EQ(e.acting_for_account, kVillager);
  EXPECT_NE(e.details.find("\"channel\":\"open311\""), std::string::npos) << e.details;
  EXPECT_NE(e.details.find("\"client\":\"7001\""), std::string::npos) << e.details;
  EXPECT_NE(e.details.find("\"client_name\":\"随手拍 \\\"app\\\"\""), std::string::npos) << e.details;

  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM audit_records WHERE action = 'appeals.submit' AND actor_account = 0 "
                      "AND acting_for_account = $1 AND request_id = 'req-open311' AND details LIKE '%\"client\":\"7001\"%'",
                      {kVillager}),
            1);
  // The village committee and the villager's receipt, as for any submission.
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_inbox WHERE appeal_id = $1", {a->id}), 2);
}

TEST(AppealServiceClient, FilesForAResidentWithoutAnAccount) {
  AppealTestEnv env;
  Result<Appeal> a = env.service->SubmitForClient(ForVillager(0, kNoAccountResident));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->submitter_account, 0);
  EXPECT_EQ(a->submitter_resident, kNoAccountResident);
  auto timeline = env.store->Timeline(a->id);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->front().acting_for_account, 0);
}

TEST(AppealServiceClient, TheVillagerStaysTheSubmitterAndActsOnIt) {
  AppealTestEnv env;
  Result<Appeal> a = env.service->SubmitForClient(ForVillager());
  ASSERT_TRUE(a.ok());
  Appeal withdrawn = env.Must(env.Who(kVillager), a->id, Action::kWithdraw);
  EXPECT_EQ(withdrawn.state, AppealState::kWithdrawn);
  EXPECT_EQ(withdrawn.client_id, kClient);  // kept through the lifecycle
}

TEST(AppealServiceClient, RefusesVillagersOutsideTheClientsScope) {
  AppealTestEnv env;
  ClientSubmission s = ForVillager();
  s.client_scope = kSibling;
  Result<Appeal> a = env.service->SubmitForClient(s);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(a.status().slug(), problems::kNotAllowed);
  s.client_scope = "not a scope";
  EXPECT_EQ(env.service->SubmitForClient(s).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 0);
  EXPECT_EQ(env.AuditRows("appeals.submit"), 0);
}

TEST(AppealServiceClient, RefusesWhatSubmitRefuses) {
  AppealTestEnv env;
  ClientSubmission s = ForVillager(424242);
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kSubmitterNotFound);
  s = ForVillager(0, 0);
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kSubmitterNotFound);
  s = ForVillager(kVillager, 9103);  // the account and the resident live in different villages
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kSubmitterNotFound);
  s = ForVillager();
  s.text = "x";
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kBadText);
  s = ForVillager();
  s.category = "no_such_category";
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kUnknownCategory);
  s = ForVillager();
  s.location = Location{91, 0, ""};
  EXPECT_EQ(env.service->SubmitForClient(s).status().slug(), problems::kBadLocation);
  s = ForVillager();
  s.client_id = 0;
  EXPECT_EQ(env.service->SubmitForClient(s).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_appeals"), 0);
}

TEST(AppealServiceClient, CountsTowardsTheSubmittersOpenLimit) {
  AppealTestEnv env;
  env.settings.max_open_per_submitter = 2;
  env.Restart();
  ASSERT_TRUE(env.service->SubmitForClient(ForVillager()).ok());
  env.Submit();
  Result<Appeal> third = env.service->SubmitForClient(ForVillager());
  EXPECT_EQ(third.status().slug(), problems::kTooManyOpen);
}

TEST(AppealServiceClient, OnlyTheFilingClientReadsTheTextAndTheReadIsAudited) {
  AppealTestEnv env;
  Result<Appeal> a = env.service->SubmitForClient(ForVillager(kVillager, kVillagerResident));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Result<AppealContent> c = env.service->ReadContentForClient(kClient, "req-read", *a, "Open311 客户端查看所报诉求");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->text, "村口第二个路灯坏了一个星期");
  ASSERT_TRUE(c->location.has_value());
  EXPECT_EQ(c->location->description, "村口");
  ASSERT_EQ(env.sink.Count("appeals.read_personal"), 1u);
  const access::AuditEvent e = env.sink.events().back();
  EXPECT_EQ(e.actor_account, 0);
  EXPECT_EQ(e.object_type, "resident");
  EXPECT_EQ(e.object_id, std::to_string(kVillagerResident));
  EXPECT_EQ(e.request_id, "req-read");
  EXPECT_NE(e.details.find("\"client\":\"7001\""), std::string::npos) << e.details;

  EXPECT_EQ(env.service->ReadContentForClient(kClient + 1, "r", *a, "查看").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(env.service->ReadContentForClient(0, "r", *a, "查看").status().code(), Code::kPermissionDenied);
  Appeal own = env.Submit();  // filed in the app: no client reads it
  EXPECT_EQ(env.service->ReadContentForClient(kClient, "r", own, "查看").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(env.sink.Count("appeals.read_personal"), 1u);

  env.sink.SetFailing(true);  // fail closed
  EXPECT_FALSE(env.service->ReadContentForClient(kClient, "r", *a, "查看").ok());
}

}  // namespace
}  // namespace gz::appeals
