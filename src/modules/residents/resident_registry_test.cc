#include "modules/residents/resident_registry.h"

#include <gtest/gtest.h>

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/problems.h"
#include "modules/residents/testing/read_for_test.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents {
namespace {

crypto::FieldCipher NewCipher() {
  EXPECT_TRUE(crypto::Initialize().ok());
  auto c = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

// A valid number from its 17-digit body.
std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

NewHousehold Family() {
  std::string child = Fix("42011419930306999");  // check character X
  for (char& c : child) c = c == 'X' ? 'x' : c;  // as typed: lowercase x (if the check char is X)
  NewHousehold h;
  h.village_code = "420114103215";
  h.personal.address = "3组45号";
  h.members = {
      {{"王建国", Fix("42011419650606999"), "154 2710 3344"}, Relation::kHead},
      {{"李秀英", Fix("42011419670808996"), std::nullopt}, Relation::kSpouse},
      {{"王小明", child, "15427105566"}, Relation::kChild},
  };
  return h;
}

class RegistryTest : public ::testing::Test {
 protected:
  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 00:00 in China (UTC+8)
  crypto::FieldCipher cipher_ = NewCipher();
  InMemoryResidentStore store_;
  ResidentRegistry registry_{store_, cipher_, clock_};
  SealedPersonalDataReader reader_{store_, cipher_};
  NewHousehold family_ = Family();
};

TEST_F(RegistryTest, CreatesSealsAndReadsBackThroughTheOneAccessor) {
  auto id = registry_.CreateHousehold(family_);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto residents = registry_.ListResidents("420114103215");
  ASSERT_TRUE(residents.ok());
  ASSERT_EQ(residents->size(), 3u);
  int heads = 0;
  for (const ResidentInfo& r : *residents) {
    EXPECT_EQ(r.household_id, *id);
    EXPECT_EQ(r.county_code, "420114");
    EXPECT_GT(r.id.value, 0);
    EXPECT_EQ(r.created_at_ms, 1795795200000);
    heads += r.relation == Relation::kHead;
    auto personal = OpenForTest(reader_, r.id);
    ASSERT_TRUE(personal.ok()) << personal.status().ToString();
    if (r.relation == Relation::kHead) {
      EXPECT_EQ(personal->name, "王建国");
      EXPECT_EQ(personal->id_number, family_.members[0].personal.id_number);
      EXPECT_EQ(personal->phone, "15427103344");  // normalized
      EXPECT_EQ(r.gender, Gender::kMale);
      EXPECT_EQ(r.birth_year, 1965);
    } else if (r.relation == Relation::kSpouse) {
      EXPECT_EQ(personal->name, "李秀英");
      EXPECT_FALSE(personal->phone.has_value());
      EXPECT_EQ(r.gender, Gender::kFemale);  // from the ID number's even sequence
    } else {
      EXPECT_EQ(personal->id_number, NormalizeIdNumber(family_.members[2].personal.id_number));
    }
  }
  EXPECT_EQ(heads, 1);
  auto address = OpenForTest(reader_, *id);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->address, "3组45号");

  // The store holds no plaintext.
  for (const ResidentInfo& r : *residents) {
    const SealedResident* row = store_.MutableResidentForTest(r.id);
    EXPECT_EQ(row->name_sealed.find("王"), std::string::npos);
    EXPECT_EQ(row->id_number_sealed.find("4201141"), std::string::npos);
  }
}

TEST_F(RegistryTest, FindsByIdNumberAndPhoneWithoutDecrypting) {
  ASSERT_TRUE(registry_.CreateHousehold(family_).ok());
  auto head = registry_.FindByIdNumber("420114", " " + family_.members[0].personal.id_number + " ");
  ASSERT_TRUE(head.ok());
  ASSERT_TRUE(head->has_value());
  EXPECT_EQ(registry_.GetResident(**head)->relation, Relation::kHead);
  // Lowercase x as typed finds the stored upper-case number.
  auto child = registry_.FindByIdNumber("420114", family_.members[2].personal.id_number);
  ASSERT_TRUE(child.ok() && child->has_value());
  // Other county: nothing (the index is unique per county).
  EXPECT_FALSE(registry_.FindByIdNumber("420115", family_.members[0].personal.id_number)->has_value());
  EXPECT_FALSE(registry_.FindByIdNumber("420114", Fix("42011419650606997"))->has_value());

  auto by_phone = registry_.FindByPhone("420114", "+86 154-2710-3344");
  ASSERT_TRUE(by_phone.ok());
  ASSERT_EQ(by_phone->size(), 1u);
  EXPECT_EQ(by_phone->front(), **head);
  EXPECT_TRUE(registry_.FindByPhone("420114", "not a phone")->empty());

  auto registered = registry_.RegisteredIdNumbers(
      "420114", std::vector<std::string>{family_.members[1].personal.id_number, Fix("42011419800101999")});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(*registered, std::vector<std::string>{family_.members[1].personal.id_number});
}

TEST_F(RegistryTest, RefusesBadInputWithoutPersonalDataInTheStatus) {
  struct Case {
    std::function<void(NewHousehold&)> edit;
    std::string_view slug;
    std::string reason;
  };
  const Case cases[] = {
      {[](NewHousehold& h) { h.village_code = "4201141032"; }, problems::kBadVillageCode, ""},
      {[](NewHousehold& h) { h.personal.address.clear(); }, problems::kBadAddress, ""},
      {[](NewHousehold& h) { h.personal.address = std::string(201, 'a'); }, problems::kBadAddress, ""},
      {[](NewHousehold& h) { h.members.clear(); }, problems::kBadHousehold, "no-members"},
      {[](NewHousehold& h) { h.members[1].relation = Relation::kHead; }, problems::kBadHousehold, "head-count"},
      {[](NewHousehold& h) { h.members[0].relation = Relation::kChild; }, problems::kBadHousehold, "head-count"},
      {[](NewHousehold& h) { h.members[1].personal.name = ""; }, problems::kBadName, ""},
      {[](NewHousehold& h) { h.members[1].personal.name = "李\n秀英"; }, problems::kBadName, ""},
      {[](NewHousehold& h) { h.members[1].personal.id_number[17] ^= 1; }, problems::kBadIdNumber, "check-char"},
      {[](NewHousehold& h) { h.members[1].personal.phone = "12345"; }, problems::kBadPhone, ""},
      {[](NewHousehold& h) { h.members[2].personal.id_number = h.members[0].personal.id_number; },
       problems::kDuplicateIdNumber, ""},
  };
  for (const Case& c : cases) {
    NewHousehold h = family_;
    c.edit(h);
    auto result = registry_.CreateHousehold(h);
    ASSERT_FALSE(result.ok()) << c.slug;
    EXPECT_EQ(result.status().slug(), c.slug);
    EXPECT_EQ(result.status().Arg("reason"), c.reason) << c.slug;
    EXPECT_EQ(result.status().Arg("household"), "0");
    const std::string text = result.status().ToString();
    for (const NewResident& m : family_.members) {
      EXPECT_EQ(text.find(m.personal.id_number.substr(0, 12)), std::string::npos) << text;
      EXPECT_EQ(text.find(m.personal.name), std::string::npos) << text;
    }
  }
  EXPECT_EQ(store_.insert_batches(), 0);
}

TEST_F(RegistryTest, AnIdNumberIsRegisteredOncePerCountyAndBatchesAreAllOrNothing) {
  ASSERT_TRUE(registry_.CreateHousehold(family_).ok());
  NewHousehold other;
  other.village_code = "420114103216";
  other.personal.address = "1组2号";
  other.members = {{{"张伟", Fix("42011419800101999"), std::nullopt}, Relation::kHead}};
  NewHousehold again = family_;
  again.village_code = "420114103217";
  auto both = registry_.CreateHouseholds(std::vector<NewHousehold>{other, again});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(both.status().slug(), problems::kDuplicateIdNumber);
  // Nothing of the failed batch was written, not even the valid first household.
  EXPECT_TRUE(registry_.ListResidents("420114103216")->empty());
  EXPECT_TRUE(registry_.CreateHousehold(other).ok());
}

TEST_F(RegistryTest, AddResidentJoinsAnExistingHousehold) {
  auto hid = registry_.CreateHousehold(family_);
  ASSERT_TRUE(hid.ok());
  auto rid = registry_.AddResident(*hid, {{"王芳", Fix("42011420180909998"), std::nullopt}, Relation::kGrandchild});
  ASSERT_TRUE(rid.ok()) << rid.status().ToString();
  auto info = registry_.GetResident(*rid);
  EXPECT_EQ(info->village_code, "420114103215");
  EXPECT_EQ(info->relation, Relation::kGrandchild);
  EXPECT_EQ(OpenForTest(reader_, *rid)->name, "王芳");
  EXPECT_EQ(registry_.AddResident(*hid, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kHead})
                .status().Arg("reason"), "head-count");
  EXPECT_EQ(registry_.AddResident(HouseholdId{12345}, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kChild})
                .status().slug(), problems::kHouseholdNotFound);
  EXPECT_EQ(OpenForTest(reader_, ResidentId{12345}).status().slug(), problems::kResidentNotFound);
}

// T-INTEG at the domain level: every kind of edit at rest is caught on the next read.
TEST_F(RegistryTest, TamperingAtRestIsDetectedAndNeverServed) {
  ASSERT_TRUE(registry_.CreateHousehold(family_).ok());
  auto residents = *registry_.ListResidents("420114103215");
  const ResidentId a = residents[0].id, b = residents[1].id;
  const SealedResident original_a = *store_.MutableResidentForTest(a);
  const SealedResident original_b = *store_.MutableResidentForTest(b);
  auto restore = [&] {
    *store_.MutableResidentForTest(a) = original_a;
    *store_.MutableResidentForTest(b) = original_b;
  };
  const std::vector<std::pair<std::string, std::function<void(SealedResident&, SealedResident&)>>> edits = {
      {"name", [](SealedResident& x, SealedResident& y) { std::swap(x.name_sealed, y.name_sealed); }},
      {"id_number", [](SealedResident& x, SealedResident& y) { std::swap(x.id_number_sealed, y.id_number_sealed); }},
      {"id_number_index", [](SealedResident& x, SealedResident& y) { std::swap(x.id_number_index, y.id_number_index); }},
      {"name", [](SealedResident& x, SealedResident&) { x.name_sealed[30] ^= 0x40; }},
      {"name", [](SealedResident& x, SealedResident&) { x.info.birth_year += 1; }},
      {"name", [](SealedResident& x, SealedResident&) { x.info.village_code = "420114103299"; }},
      {"name", [](SealedResident& x, SealedResident&) { x.info.gender = x.info.gender == Gender::kMale ? Gender::kFemale : Gender::kMale; }},
      {"name", [](SealedResident& x, SealedResident&) { x.info.relation = Relation::kParent; }},
      {"name", [](SealedResident& x, SealedResident&) { x.name_sealed = x.id_number_sealed; }},
  };
  std::string log_sink;
  log::CaptureForTest(&log_sink);
  for (const auto& [column, edit] : edits) {
    edit(*store_.MutableResidentForTest(a), *store_.MutableResidentForTest(b));
    auto read = OpenForTest(reader_, a);
    ASSERT_FALSE(read.ok()) << column;
    EXPECT_EQ(read.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(read.status().slug(), crypto::problems::kIntegrityFailure);
    EXPECT_EQ(read.status().Arg("column"), column);
    EXPECT_EQ(read.status().Arg("resident"), std::to_string(a.value));
    restore();
  }
  EXPECT_NE(log_sink.find("residents.integrity_failure"), std::string::npos);
  EXPECT_TRUE(OpenForTest(reader_, a).ok());  // restored rows read fine: the checks are not just failing

  // A phone ciphertext moved to another resident who has a phone.
  SealedResident *head = nullptr, *child = nullptr;
  for (const auto& r : residents) {
    if (r.relation == Relation::kHead) head = store_.MutableResidentForTest(r.id);
    if (r.relation == Relation::kChild) child = store_.MutableResidentForTest(r.id);
  }
  ASSERT_TRUE(head && head->phone_sealed && child && child->phone_sealed);
  std::swap(head->phone_sealed, child->phone_sealed);
  std::swap(head->phone_index, child->phone_index);
  EXPECT_EQ(OpenForTest(reader_, head->info.id).status().Arg("column"), "phone");

  // The household address moved to another village.
  auto hid = residents[0].household_id;
  store_.MutableHouseholdForTest(hid)->info.village_code = "420114103299";
  EXPECT_EQ(OpenForTest(reader_, hid).status().slug(), crypto::problems::kIntegrityFailure);
  log::CaptureForTest(nullptr);
  EXPECT_EQ(log_sink.find("王建国"), std::string::npos);  // the log names rows and columns, never values
  EXPECT_EQ(log_sink.find("3组45号"), std::string::npos);
}


class FakeRegions final : public RegionCodes {
 public:
  bool Exists(std::string_view six) const override { return six == "420114" || six == "420102" || six == "110101"; }
};

access::Principal Cadre() {
  access::Principal p;
  p.self.account_id = 501;
  p.self.grants = {{7, access::Role::kVillageCadre, "420114103215"}};
  p.request_id = "req-1";
  return p;
}

// Issue #3 cross-checks: birth date against today, a stated gender, a real region code.
TEST_F(RegistryTest, CrossChecksIdNumbersAgainstTodayGenderAndRegion) {
  FakeRegions regions;
  ResidentRegistry checked(store_, cipher_, clock_, &regions);
  auto with = [&](std::string id, std::optional<Gender> stated = std::nullopt) {
    NewHousehold h{"420114103215", {"1组1号"}, {}};
    NewResident m{{"赵一", std::move(id), std::nullopt}, Relation::kHead};
    m.stated_gender = stated;
    h.members.push_back(m);
    return checked.CreateHousehold(h).status();
  };
  // Today is 2026-11-28: born 1906-11-28 is 120 (accepted), a day earlier is 120 + 1 day... still 120;
  // born 1906-11-27 turned 120 yesterday; born 1905-11-27 is 121.
  EXPECT_TRUE(with(Fix("42011419061128999")).ok());
  Status old = with(Fix("42011419051127997"));
  EXPECT_EQ(old.slug(), problems::kBadIdNumber);
  EXPECT_EQ(old.Arg("reason"), "age-over-120");
  EXPECT_EQ(with(Fix("42011420261129999")).Arg("reason"), "birth-in-future");  // tomorrow
  // Sequence 999 is odd: male.
  EXPECT_EQ(with(Fix("42011419900101995"), Gender::kFemale).Arg("reason"), "gender-mismatch");
  EXPECT_TRUE(with(Fix("42011419900101993"), Gender::kMale).ok());
  // 429999 is plausible (Hubei) but no such county; another real region is fine (people move).
  EXPECT_EQ(with(Fix("42999919900101991")).Arg("reason"), "unknown-region");
  EXPECT_TRUE(with(Fix("11010119900101979")).ok());
  // Without the port, the region is only checked for plausibility.
  ResidentRegistry unchecked(store_, cipher_, clock_);
  NewHousehold h{"420114103215", {"1组2号"}, {}};
  h.members.push_back({{"赵二", Fix("42999919900101981"), std::nullopt}, Relation::kHead});
  EXPECT_TRUE(unchecked.CreateHousehold(h).ok());
  // The error names the member, never the number.
  EXPECT_EQ(old.Arg("member"), "0");
  EXPECT_EQ(old.ToString().find("1905"), std::string::npos);
}

TEST_F(RegistryTest, AuditedWritesCarryTheirEventInTheSameTransaction) {
  const access::Principal cadre = Cadre();
  auto hid = registry_.CreateHousehold(cadre, family_);
  ASSERT_TRUE(hid.ok()) << hid.status().ToString();
  auto events = store_.audit_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "residents.create_household");
  EXPECT_EQ(events[0].object_type, "household");
  EXPECT_EQ(events[0].object_id, std::to_string(hid->value));
  EXPECT_EQ(events[0].division, "420114103215");
  EXPECT_EQ(events[0].actor_account, 501);
  EXPECT_NE(events[0].details.find("\"members\":["), std::string::npos);
  EXPECT_EQ(events[0].details.find("王"), std::string::npos);

  // When the audit cannot be written, the change is not made either.
  store_.FailAuditForTest(true);
  auto lost = registry_.AddResident(cadre, *hid, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kChild});
  EXPECT_EQ(lost.status().code(), Code::kUnavailable);
  EXPECT_EQ(registry_.ListResidents("420114103215")->size(), 3u);
  store_.FailAuditForTest(false);
  auto added = registry_.AddResident(cadre, *hid, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kChild});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  events = store_.audit_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].action, "residents.add_member");
  EXPECT_EQ(events[1].object_id, std::to_string(added->value));
}

TEST_F(RegistryTest, UpdatesResealAndKeepOneHead) {
  const access::Principal cadre = Cadre();
  auto hid = registry_.CreateHousehold(cadre, family_);
  ASSERT_TRUE(hid.ok());
  ResidentId head, spouse;
  const auto r_list = registry_.ListResidents("420114103215").value();
  for (const ResidentInfo& r : r_list) {
    if (r.relation == Relation::kHead) head = r.id;
    if (r.relation == Relation::kSpouse) spouse = r.id;
  }
  clock_.Advance(std::chrono::hours(24));
  ResidentChange change;
  change.phone = std::optional<std::string>("154-2710-9999");
  change.flags = std::vector<std::string>{"disability"};
  auto updated = registry_.UpdateResident(cadre, spouse, change);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_GT(updated->updated_at_ms, updated->created_at_ms);
  auto read = OpenForTest(reader_, spouse);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->phone, "15427109999");
  EXPECT_EQ(read->flags, std::vector<std::string>{"disability"});
  EXPECT_EQ(read->name, "李秀英");  // untouched fields survive the re-seal
  auto events = store_.audit_events();
  EXPECT_EQ(events.back().action, "residents.update");
  EXPECT_EQ(events.back().details, R"({"fields":["phone","flags"]})");

  // Removing the phone; the phone index goes with it.
  ResidentChange remove;
  remove.phone = std::optional<std::string>();
  ASSERT_TRUE(registry_.UpdateResident(cadre, spouse, remove).ok());
  EXPECT_FALSE(OpenForTest(reader_, spouse)->phone.has_value());
  EXPECT_TRUE(registry_.FindByPhone("420114", "15427109999")->empty());

  // A second head is refused; demoting the head first, then promoting, works.
  ResidentChange to_head;
  to_head.relation = Relation::kHead;
  EXPECT_EQ(registry_.UpdateResident(cadre, spouse, to_head).status().Arg("reason"), "head-count");
  ResidentChange to_spouse;
  to_spouse.relation = Relation::kSpouse;
  auto demoted = registry_.UpdateResident(cadre, head, to_spouse);
  ASSERT_TRUE(demoted.ok()) << demoted.status().ToString();
  ASSERT_TRUE(registry_.UpdateResident(cadre, spouse, to_head).ok());
  EXPECT_EQ(registry_.GetResident(spouse)->relation, Relation::kHead);
  EXPECT_TRUE(OpenForTest(reader_, head).ok());  // re-sealed under its new relation

  EXPECT_EQ(registry_.UpdateResident(cadre, spouse, ResidentChange{}).status().slug(), problems::kNothingToChange);
  ResidentChange bad;
  bad.flags = std::vector<std::string>{"vip"};
  EXPECT_EQ(registry_.UpdateResident(cadre, spouse, bad).status().slug(), problems::kBadFlag);
  bad = ResidentChange{};
  bad.phone = std::optional<std::string>("12345");
  EXPECT_EQ(registry_.UpdateResident(cadre, spouse, bad).status().slug(), problems::kBadPhone);

  // A change prepared on a row that changed meanwhile is refused (optimistic concurrency).
  auto stale = registry_.PrepareResidentUpdate(spouse, change, nullptr);
  ASSERT_TRUE(stale.ok());
  ASSERT_TRUE(registry_.UpdateResident(cadre, spouse, remove).ok());
  EXPECT_EQ(store_.UpdateResident(*stale, TxAudit{}).slug(), problems::kEditConflict);

  // A tampered row is not built upon.
  store_.MutableResidentForTest(head)->info.birth_year += 1;
  EXPECT_EQ(registry_.UpdateResident(cadre, head, change).status().slug(), crypto::problems::kIntegrityFailure);
}

}  // namespace
}  // namespace gz::residents
