#include "modules/residents/resident_registry.h"

#include <gtest/gtest.h>

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/problems.h"
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
    auto personal = reader_.ReadPersonalFields(r.id);
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
  auto address = reader_.ReadHouseholdPersonalFields(*id);
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
  EXPECT_EQ(reader_.ReadPersonalFields(*rid)->name, "王芳");
  EXPECT_EQ(registry_.AddResident(*hid, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kHead})
                .status().Arg("reason"), "head-count");
  EXPECT_EQ(registry_.AddResident(HouseholdId{12345}, {{"王二", Fix("42011420180909997"), std::nullopt}, Relation::kChild})
                .status().slug(), problems::kHouseholdNotFound);
  EXPECT_EQ(reader_.ReadPersonalFields(ResidentId{12345}).status().slug(), problems::kResidentNotFound);
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
    auto read = reader_.ReadPersonalFields(a);
    ASSERT_FALSE(read.ok()) << column;
    EXPECT_EQ(read.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(read.status().slug(), crypto::problems::kIntegrityFailure);
    EXPECT_EQ(read.status().Arg("column"), column);
    EXPECT_EQ(read.status().Arg("resident"), std::to_string(a.value));
    restore();
  }
  EXPECT_NE(log_sink.find("residents.integrity_failure"), std::string::npos);
  EXPECT_TRUE(reader_.ReadPersonalFields(a).ok());  // restored rows read fine: the checks are not just failing

  // A phone ciphertext moved to another resident who has a phone.
  SealedResident *head = nullptr, *child = nullptr;
  for (const auto& r : residents) {
    if (r.relation == Relation::kHead) head = store_.MutableResidentForTest(r.id);
    if (r.relation == Relation::kChild) child = store_.MutableResidentForTest(r.id);
  }
  ASSERT_TRUE(head && head->phone_sealed && child && child->phone_sealed);
  std::swap(head->phone_sealed, child->phone_sealed);
  std::swap(head->phone_index, child->phone_index);
  EXPECT_EQ(reader_.ReadPersonalFields(head->info.id).status().Arg("column"), "phone");

  // The household address moved to another village.
  auto hid = residents[0].household_id;
  store_.MutableHouseholdForTest(hid)->info.village_code = "420114103299";
  EXPECT_EQ(reader_.ReadHouseholdPersonalFields(hid).status().slug(), crypto::problems::kIntegrityFailure);
  log::CaptureForTest(nullptr);
  EXPECT_EQ(log_sink.find("王建国"), std::string::npos);  // the log names rows and columns, never values
  EXPECT_EQ(log_sink.find("3组45号"), std::string::npos);
}

}  // namespace
}  // namespace gz::residents
