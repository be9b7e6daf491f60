// The audited reader (every clear read names who and why, is written to the audit trail before
// the data is returned, and is refused when it cannot be) and the sealing of sensitive flags.
#include "modules/residents/personal_data_reader.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents {
namespace {

std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

crypto::FieldCipher NewCipher() {
  EXPECT_TRUE(crypto::Initialize().ok());
  return std::move(crypto::FieldCipher::Create(crypto::KeyRing::Generate())).value();
}

access::Principal Cadre() {
  access::Principal p;
  p.self.account_id = 501;
  p.self.grants = {{7, access::Role::kVillageCadre, "420114001205"}};
  p.request_id = "req-cadre";
  return p;
}

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NewHousehold h{"420114001205", {"5组17号"}, {}};
    h.members.push_back({{"刘志强", Fix("42011419520303999"), "15400001234", {"low_income", "elderly_alone"}}, Relation::kHead});
    h.members.push_back({{"刘芳", Fix("42011419800909998"), std::nullopt}, Relation::kChild});
    auto id = registry_.CreateHousehold(h);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    household_ = *id;
    const auto r_list = registry_.ListResidents("420114001205").value();
    for (const ResidentInfo& r : r_list)
      (r.relation == Relation::kHead ? head_ : child_) = r.id;
    ASSERT_NE(head_.value, 0);
    ASSERT_NE(child_.value, 0);
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};
  crypto::FieldCipher cipher_ = NewCipher();
  InMemoryResidentStore store_;
  ResidentRegistry registry_{store_, cipher_, clock_};
  SealedPersonalDataReader sealed_{store_, cipher_};
  FakeAuditSink sink_;
  AuditedPersonalDataReader audited_{sealed_, sink_};
  HouseholdId household_;
  ResidentId head_, child_;
};

TEST_F(ReaderTest, EveryReadIsAuditedWithWhoWhyWhatAndWhere) {
  const access::Principal cadre = Cadre();
  auto read = audited_.ReadPersonalFields(
      ReadContext{cadre, "上门核实低保情况", "req-42", kActionReveal, R"({"fields":["name","flags"]})"}, head_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->personal.name, "刘志强");
  EXPECT_EQ(read->personal.flags, (std::vector<std::string>{"elderly_alone", "low_income"}));
  EXPECT_EQ(read->info.village_code, "420114001205");

  auto address = audited_.ReadHouseholdPersonalFields(ReadContext{cadre, "self-access"}, household_);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->personal.address, "5组17号");

  const auto events = sink_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "residents.reveal");
  EXPECT_EQ(events[0].outcome, "ok");
  EXPECT_EQ(events[0].actor_account, 501);
  EXPECT_EQ(events[0].roles, "village_cadre@420114001205");
  EXPECT_EQ(events[0].object_type, "resident");
  EXPECT_EQ(events[0].object_id, std::to_string(head_.value));
  EXPECT_EQ(events[0].division, "420114001205");
  EXPECT_EQ(events[0].purpose, "上门核实低保情况");
  EXPECT_EQ(events[0].request_id, "req-42");
  EXPECT_EQ(events[0].details, R"({"fields":["name","flags"]})");
  EXPECT_EQ(events[1].action, "residents.read_personal");
  EXPECT_EQ(events[1].object_type, "household");
  EXPECT_EQ(events[1].object_id, std::to_string(household_.value));
  EXPECT_EQ(events[1].request_id, "req-cadre");  // the principal's, when the context has none
  for (const auto& e : events) {
    EXPECT_EQ(e.details.find("刘"), std::string::npos);  // never a value in the trail
    EXPECT_EQ(e.purpose.find("1540000"), std::string::npos);
  }
}

TEST_F(ReaderTest, AHelperActingForAVillagerIsRecordedWithBoth) {
  access::Principal helper;
  helper.self.account_id = 303;
  helper.self.grants = {{9, access::Role::kHelper, "420114001205"}};
  helper.acting_for = access::ActingFor{77, {101, head_.value, household_.value, "420114001205", {}}, {"me.data"}};
  ASSERT_TRUE(audited_.ReadPersonalFields(ReadContext{helper, "self-access"}, head_).ok());
  const auto events = sink_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_account, 303);
  EXPECT_EQ(events[0].acting_for_account, 101);
  EXPECT_EQ(events[0].consent_id, 77);
}

TEST_F(ReaderTest, FailsClosedWhenTheAuditCannotBeWritten) {
  sink_.Fail(true);
  const access::Principal cadre = Cadre();
  auto read = audited_.ReadPersonalFields(ReadContext{cadre, "核实"}, head_);
  EXPECT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kUnavailable);
  EXPECT_EQ(read.status().slug(), problems::kReadNotAudited);
  auto address = audited_.ReadHouseholdPersonalFields(ReadContext{cadre, "核实"}, household_);
  EXPECT_EQ(address.status().slug(), problems::kReadNotAudited);
  EXPECT_TRUE(sink_.events().empty());
  // The same read goes through once the trail is writable again: the refusal was the audit's.
  sink_.Fail(false);
  EXPECT_TRUE(audited_.ReadPersonalFields(ReadContext{cadre, "核实"}, head_).ok());
}

TEST_F(ReaderTest, NoPurposeNoReadAndFailedReadsDiscloseNothing) {
  const access::Principal cadre = Cadre();
  EXPECT_EQ(audited_.ReadPersonalFields(ReadContext{cadre, ""}, head_).status().slug(), problems::kBadPurpose);
  EXPECT_EQ(audited_.ReadPersonalFields(ReadContext{cadre, "核实"}, ResidentId{4242}).status().slug(),
            problems::kResidentNotFound);
  store_.MutableResidentForTest(head_)->info.birth_year += 1;  // tampered at rest
  EXPECT_EQ(audited_.ReadPersonalFields(ReadContext{cadre, "核实"}, head_).status().slug(),
            crypto::problems::kIntegrityFailure);
  EXPECT_TRUE(sink_.events().empty());
}

TEST_F(ReaderTest, FlagsAreSealedAndBoundToTheirRow) {
  SealedResident* head = store_.MutableResidentForTest(head_);
  SealedResident* child = store_.MutableResidentForTest(child_);
  ASSERT_TRUE(head->flags_sealed && child->flags_sealed);
  EXPECT_EQ(head->flags_sealed->find("low_income"), std::string::npos);
  EXPECT_EQ(head->info.id_region, "420114");
  ASSERT_TRUE(head->name_index.has_value());
  EXPECT_EQ(*head->name_index, NameIndex(cipher_, "刘 志强"));  // spaces do not count
  EXPECT_NE(*head->name_index, NameIndex(cipher_, "刘芳"));
  EXPECT_TRUE(sealed_.ReadPersonalFields(ReadContext{Cadre(), "t"}, child_)->personal.flags.empty());

  // Another row's flags copied over: refused, never served as this person's.
  const SealedResident original = *child;
  child->flags_sealed = head->flags_sealed;
  auto moved = sealed_.ReadPersonalFields(ReadContext{Cadre(), "t"}, child_);
  EXPECT_EQ(moved.status().slug(), crypto::problems::kIntegrityFailure);
  EXPECT_EQ(moved.status().Arg("column"), "flags");
  // The region column must match the sealed ID number.
  *child = original;
  child->info.id_region = "110101";
  EXPECT_EQ(sealed_.ReadPersonalFields(ReadContext{Cadre(), "t"}, child_).status().Arg("column"), "id_region");
  // A row written before residents/2 (no flags, no name index, no region) reads with no flags.
  *child = original;
  child->flags_sealed.reset();
  child->name_index.reset();
  child->info.id_region.clear();
  auto legacy = sealed_.ReadPersonalFields(ReadContext{Cadre(), "t"}, child_);
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
  EXPECT_TRUE(legacy->personal.flags.empty());
}

}  // namespace
}  // namespace gz::residents
