// Correction requests: a villager (or a helper for them) asks, the committee decides, an
// accepted request is applied with its audit in one transaction, and the requester sees it all.
#include "modules/residents/corrections.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/my_data.h"
#include "modules/residents/problems.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/in_memory_resident_store.h"
#include "modules/residents/testing/read_for_test.h"

namespace gz::residents {
namespace {

std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

crypto::FieldCipher NewCipher() {
  EXPECT_TRUE(crypto::Initialize().ok());
  return std::move(crypto::FieldCipher::Create(crypto::KeyRing::Generate())).value();
}

class CorrectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NewHousehold h{"420114001205", {"2组8号"}, {}};
    h.members.push_back({{"陈国华", Fix("42011419700505999"), "15400002222"}, Relation::kHead});
    h.members.push_back({{"陈小红", Fix("42011420000606998"), std::nullopt}, Relation::kChild});
    ASSERT_TRUE(registry_.CreateHousehold(h).ok());
    const auto r_list = registry_.ListResidents("420114001205").value();
    for (const ResidentInfo& r : r_list)
      (r.relation == Relation::kHead ? head_ : child_) = r;
    villager_.self = {2001, head_.id.value, head_.household_id.value, "420114001205",
                      {{1, access::Role::kVillager, "420114001205"}}};
    villager_.request_id = "req-v";
    cadre_.self = {3001, 0, 0, "420114001205", {{2, access::Role::kVillageCadre, "420114001205"}}};
    cadre_.request_id = "req-c";
  }

  Result<CorrectionInfo> Ask(CorrectionField field, std::string value, std::string reason = "户口本上是这样写的") {
    return service_.Request(villager_, CorrectionRequest{field, std::move(value), std::move(reason)});
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};
  crypto::FieldCipher cipher_ = NewCipher();
  InMemoryResidentStore store_;
  ResidentRegistry registry_{store_, cipher_, clock_};
  SealedPersonalDataReader reader_{store_, cipher_};
  FakeAuditSink sink_;
  CorrectionService service_{store_, registry_, cipher_, sink_};
  ResidentInfo head_, child_;
  access::Principal villager_, cadre_;
};

TEST_F(CorrectionsTest, AcceptedRequestIsAppliedWithItsAuditAndTheRequesterSeesTheOutcome) {
  auto asked = Ask(CorrectionField::kPhone, "154 0000 3333");
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->status, CorrectionStatus::kOpen);
  EXPECT_EQ(asked->requester_account, 2001);
  EXPECT_EQ(asked->village_code, "420114001205");
  // Sealed at rest: neither the value nor the reason is in the row.
  auto row = store_.GetCorrection(asked->id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->proposed_sealed.find("15400003333"), std::string::npos);
  EXPECT_EQ(row->reason_sealed.find("户口本"), std::string::npos);
  EXPECT_EQ(store_.audit_events().back().action, "corrections.request");

  // The committee's list: masked value, the reason; the read is audited per resident.
  auto list = service_.OfVillage(cadre_, "420114001205", CorrectionStatus::kOpen, 50, 0);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].proposed_masked, "154****3333");
  EXPECT_EQ(list->items[0].reason, "户口本上是这样写的");
  ASSERT_EQ(sink_.events().size(), 1u);
  EXPECT_EQ(sink_.events()[0].action, "residents.read_personal");
  EXPECT_EQ(sink_.events()[0].object_type, "resident");
  EXPECT_EQ(sink_.events()[0].object_id, std::to_string(head_.id.value));
  EXPECT_EQ(sink_.events()[0].purpose, "corrections.review");

  clock_.Advance(std::chrono::hours(2));
  auto resolved = service_.Resolve(cadre_, asked->id, true, "已核实");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->status, CorrectionStatus::kAccepted);
  EXPECT_EQ(resolved->resolver_account, 3001);
  EXPECT_EQ(OpenForTest(reader_, head_.id)->phone, "15400003333");
  EXPECT_EQ(registry_.FindByPhone("420114", "15400003333")->size(), 1u);
  const auto events = store_.audit_events();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2].action, "corrections.resolve");
  EXPECT_EQ(events[events.size() - 2].details, R"({"decision":"accepted","field":"phone"})");
  EXPECT_EQ(events.back().action, "residents.update");
  EXPECT_EQ(events.back().object_id, std::to_string(head_.id.value));

  auto mine = service_.Mine(villager_);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].info.status, CorrectionStatus::kAccepted);
  EXPECT_EQ((*mine)[0].texts.proposed, "15400003333");
  EXPECT_EQ((*mine)[0].texts.note, "已核实");
  EXPECT_EQ(sink_.events().back().purpose, "self-access");

  EXPECT_EQ(service_.Resolve(cadre_, asked->id, false, "").status().slug(), problems::kCorrectionClosed);
}

TEST_F(CorrectionsTest, EveryFieldCanBeCorrected) {
  auto name = Ask(CorrectionField::kName, "陈国桦");
  auto id = Ask(CorrectionField::kIdNumber, Fix("42011419700506999"));
  auto address = Ask(CorrectionField::kAddress, "2组18号");
  ASSERT_TRUE(name.ok() && id.ok() && address.ok()) << id.status().ToString();
  for (const auto& c : {*name, *id, *address}) ASSERT_TRUE(service_.Resolve(cadre_, c.id, true, "").ok());
  auto me = OpenForTest(reader_, head_.id);
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(me->name, "陈国桦");
  EXPECT_EQ(me->id_number, Fix("42011419700506999"));
  EXPECT_EQ(OpenForTest(reader_, head_.household_id)->address, "2组18号");
  EXPECT_TRUE(registry_.FindByIdNumber("420114", Fix("42011419700506999"))->has_value());
  EXPECT_FALSE(registry_.FindByIdNumber("420114", Fix("42011419700505999"))->has_value());
}

TEST_F(CorrectionsTest, DeclinedChangesNothingAndRulesHold) {
  auto asked = Ask(CorrectionField::kName, "陈国强");
  ASSERT_TRUE(asked.ok());
  // Nobody decides on their own request, not even a cadre who is also the villager.
  access::Principal self_cadre = cadre_;
  self_cadre.self.account_id = 2001;
  EXPECT_EQ(service_.Resolve(self_cadre, asked->id, true, "").status().slug(), problems::kOwnRequest);
  ASSERT_TRUE(service_.Resolve(cadre_, asked->id, false, "请带户口本到村委会").ok());
  EXPECT_EQ(OpenForTest(reader_, head_.id)->name, "陈国华");

  EXPECT_EQ(Ask(CorrectionField::kPhone, "12345").status().slug(), problems::kBadPhone);
  EXPECT_EQ(Ask(CorrectionField::kIdNumber, "420114197005059990").status().slug(), problems::kBadIdNumber);
  EXPECT_EQ(Ask(CorrectionField::kName, "").status().slug(), problems::kBadName);
  EXPECT_EQ(Ask(CorrectionField::kAddress, std::string(201, 'a')).status().slug(), problems::kBadAddress);
  EXPECT_EQ(Ask(CorrectionField::kName, "陈", "").status().Arg("reason"), "empty-reason");
  EXPECT_EQ(Ask(CorrectionField::kName, "陈", std::string(501, 'x')).status().Arg("reason"), "reason-too-long");
  EXPECT_EQ(Ask(CorrectionField::kName, "陈", "a\x01").status().Arg("reason"), "reason-too-long");
  EXPECT_EQ(service_.Resolve(cadre_, asked->id, true, std::string(501, 'x')).status().slug(), problems::kBadCorrection);
  access::Principal unlinked = villager_;
  unlinked.self.resident_id = 0;
  EXPECT_EQ(service_.Request(unlinked, {CorrectionField::kName, "陈", "x"}).status().slug(), problems::kNotLinked);

  for (int i = 0; i < kMaxOpenCorrections; ++i) ASSERT_TRUE(Ask(CorrectionField::kName, "陈国" + std::to_string(i)).ok());
  EXPECT_EQ(Ask(CorrectionField::kName, "陈国六").status().slug(), problems::kTooManyOpenCorrections);
}

TEST_F(CorrectionsTest, AHelperAsksForTheVillagerAndAFailingAuditRefusesTheRead) {
  access::Principal helper;
  helper.self = {4001, 0, 0, "420114001205", {{3, access::Role::kHelper, "420114001205"}}};
  helper.acting_for = access::ActingFor{55, villager_.self, {"me.corrections"}};
  auto asked = service_.Request(helper, {CorrectionField::kPhone, "15400004444", "帮办"});
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->requester_account, 2001);  // the villager's request
  EXPECT_EQ(store_.audit_events().back().actor_account, 4001);
  EXPECT_EQ(store_.audit_events().back().acting_for_account, 2001);

  sink_.Fail(true);
  EXPECT_EQ(service_.Mine(villager_).status().slug(), problems::kReadNotAudited);
  EXPECT_EQ(service_.OfVillage(cadre_, "420114001205", std::nullopt, 50, 0).status().slug(), problems::kReadNotAudited);

  // "My data" fails closed as a whole.
  AuditedPersonalDataReader audited(reader_, sink_);
  MyDataService my_data(audited, store_, service_, clock_);
  EXPECT_EQ(my_data.Collect(villager_).status().slug(), problems::kReadNotAudited);
}

TEST_F(CorrectionsTest, MyDataHoldsMyValuesAndOnlyFactsOfOthers) {
  AuditedPersonalDataReader audited(reader_, sink_);
  MyDataService my_data(audited, store_, service_, clock_);
  ASSERT_TRUE(Ask(CorrectionField::kPhone, "15400005555").ok());
  auto data = my_data.Collect(villager_);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->account_id, 2001);
  ASSERT_TRUE(data->resident && data->household);
  EXPECT_EQ(data->resident->personal.name, "陈国华");
  EXPECT_EQ(data->household->personal.address, "2组8号");
  ASSERT_EQ(data->household_members.size(), 1u);
  EXPECT_EQ(data->household_members[0].id, child_.id);
  ASSERT_EQ(data->corrections.size(), 1u);
  for (const auto& e : sink_.events()) {
    EXPECT_EQ(e.action, "residents.read_personal");
    EXPECT_EQ(e.purpose, "self-access");
  }
  EXPECT_EQ(sink_.events().size(), 3u);  // record, household, corrections

  access::Principal stranger;
  stranger.self.account_id = 9;
  auto none = my_data.Collect(stranger);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->resident.has_value());
  EXPECT_TRUE(none->corrections.empty());
}

}  // namespace
}  // namespace gz::residents
