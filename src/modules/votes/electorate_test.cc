// The electorate read from a seeded register: adults by birth year, the birth date (sealed in the
// ID number) read -- audited -- only for those born in the boundary year, and the household rule.
#include "modules/votes/electorate.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::votes {
namespace {

TEST(RegistryElectorate, AdultsOnTheOpeningDateWithAuditedBirthDates) {
  ASSERT_TRUE(crypto::Initialize().ok());
  auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
  ASSERT_TRUE(cipher.ok());
  residents::InMemoryResidentStore store;
  const std::vector<std::string> villages = {"420114001205"};
  residents::SeedOptions options;
  options.reference_date = residents::CivilDate{2026, 1, 1};
  ASSERT_TRUE(residents::SeedDemoResidents(store, *cipher, villages, options).ok());
  residents::SealedPersonalDataReader sealed(store, *cipher);
  residents::FakeAuditSink sink;
  residents::AuditedPersonalDataReader audited(sealed, sink);
  RegistryElectorate electorate(store, audited);

  access::Principal opener;
  opener.self.account_id = 302;
  // An opening date in mid-year, so that the boundary year splits.
  const residents::CivilDate as_of{2026, 6, 15};

  // What the answer must be, from every birth date (read here without the audited reader).
  Result<std::vector<residents::ResidentInfo>> people = store.ListResidents("420114001205");
  ASSERT_TRUE(people.ok());
  std::set<int64_t> adults;
  std::map<int64_t, int64_t> household;
  int boundary = 0;
  for (const auto& r : *people) {
    access::Principal test_reader;
    Result<residents::ResidentRecord> rec = sealed.ReadPersonalFields({test_reader, "test"}, r.id);
    ASSERT_TRUE(rec.ok());
    Result<residents::IdNumberInfo> id = residents::ParseIdNumber(rec->personal.id_number, as_of);
    if (id.ok() && residents::AgeOn(id->birth_date, as_of) >= 18) adults.insert(r.id.value);
    household[r.id.value] = r.household_id.value;
    if (as_of.year - r.birth_year == 18) ++boundary;
  }
  ASSERT_GT(adults.size(), 10u);
  ASSERT_GT(boundary, 0) << "the seeded village has nobody born in the boundary year: pick another salt";
  ASSERT_LT(adults.size(), people->size());  // the demo village has children

  Result<std::vector<Elector>> persons = electorate.Electorate(opener, "420114001205", ElectorateRule::kResidents18, as_of);
  ASSERT_TRUE(persons.ok()) << persons.status().ToString();
  std::set<int64_t> got;
  for (const Elector& e : *persons) {
    got.insert(e.resident_id);
    EXPECT_EQ(e.unit_id, e.resident_id);
  }
  EXPECT_EQ(got, adults);
  // One audited read per resident of the boundary year, and none of anyone else.
  EXPECT_EQ(sink.events().size(), static_cast<size_t>(boundary));
  for (const auto& e : sink.events()) {
    EXPECT_EQ(e.actor_account, 302);
    EXPECT_EQ(e.purpose, "vote electorate: age on the opening date");
  }

  Result<std::vector<Elector>> households = electorate.Electorate(opener, "420114001205", ElectorateRule::kHouseholds, as_of);
  ASSERT_TRUE(households.ok());
  EXPECT_EQ(households->size(), adults.size());
  for (const Elector& e : *households) EXPECT_EQ(e.unit_id, household[e.resident_id]);
}

}  // namespace
}  // namespace gz::votes
