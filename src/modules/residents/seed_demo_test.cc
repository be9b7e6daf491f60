#include "modules/residents/seed_demo.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/testing/read_for_test.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents {
namespace {

crypto::FieldCipher NewCipher() {
  EXPECT_TRUE(crypto::Initialize().ok());
  auto c = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

const std::vector<std::string> kVillages = {"420114001001", "420114103215", "420114106202"};

struct Person {
  std::string village, name, id_number;
  std::optional<std::string> phone;
  Relation relation;
  auto operator<=>(const Person&) const = default;
  // Readable failures (all synthetic data).
  friend void PrintTo(const Person& p, std::ostream* os) {
    *os << p.village << " " << p.name << " " << p.id_number << " " << p.phone.value_or("-") << " "
        << RelationCode(p.relation);
  }
};

// Everyone in `villages`, read back through the one accessor.
std::vector<Person> ReadAll(ResidentStore& store, const crypto::FieldCipher& cipher,
                            const std::vector<std::string>& villages) {
  SealedPersonalDataReader reader(store, cipher);
  std::vector<Person> out;
  for (const std::string& v : villages) {
    auto list = store.ListResidents(v);
    EXPECT_TRUE(list.ok());
    for (const ResidentInfo& r : *list) {
      auto p = OpenForTest(reader, r.id);
      EXPECT_TRUE(p.ok()) << p.status().ToString();
      out.push_back({v, p->name, p->id_number, p->phone, r.relation});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class SeedDemoTest : public ::testing::Test {
 protected:
  SeedOptions Options() {
    SeedOptions o;
    o.clock = &clock_;
    o.villages_per_transaction = 2;
    return o;
  }
  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 00:00 in China (UTC+8)
  crypto::FieldCipher cipher_ = NewCipher();
};

TEST_F(SeedDemoTest, SeedsEveryVillageWithValidDistinctSyntheticPeopleAndIsIdempotent) {
  InMemoryResidentStore store;
  auto report = SeedDemoResidents(store, cipher_, kVillages, Options());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->villages_requested, 3);
  EXPECT_EQ(report->villages_seeded, 3);
  EXPECT_EQ(report->villages_skipped, 0);
  EXPECT_EQ(report->transactions, 2);  // 2 villages, then 1
  EXPECT_EQ(store.insert_batches(), 2);
  EXPECT_GE(report->households, 60);
  EXPECT_LE(report->households, 180);

  auto counts = store.CountByVillage(kVillages);
  int64_t households = 0, residents = 0;
  for (const VillageCount& c : *counts) {
    EXPECT_GE(c.households, 20) << c.village_code;
    EXPECT_LE(c.households, 60) << c.village_code;
    households += c.households;
    residents += c.residents;
  }
  EXPECT_EQ(households, report->households);
  EXPECT_EQ(residents, report->residents);

  const std::vector<Person> people = ReadAll(store, cipher_, kVillages);
  ASSERT_EQ(static_cast<int64_t>(people.size()), report->residents);
  std::set<std::string> ids, phones;
  int64_t with_phone = 0;
  for (const Person& p : people) {
    auto parsed = ParseIdNumber(p.id_number, {2026, 11, 28});
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->region_code, "420114");
    EXPECT_TRUE(HasSyntheticSequence(p.id_number));
    EXPECT_TRUE(ids.insert(p.id_number).second) << "duplicate ID number";
    if (p.phone) {
      ++with_phone;
      EXPECT_TRUE(IsSyntheticMobile(*p.phone));
      EXPECT_TRUE(phones.insert(*p.phone).second) << "duplicate phone";
    }
  }
  EXPECT_EQ(with_phone, report->residents_with_phone);

  // Second run: nothing new.
  auto again = SeedDemoResidents(store, cipher_, kVillages, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->villages_seeded, 0);
  EXPECT_EQ(again->villages_skipped, 3);
  EXPECT_EQ(again->residents, 0);
  EXPECT_EQ(store.insert_batches(), 2);
  EXPECT_EQ(ReadAll(store, cipher_, kVillages), people);
}

TEST_F(SeedDemoTest, ReseedingAnEmptyStoreGivesTheSamePeople) {
  InMemoryResidentStore a, b;
  ASSERT_TRUE(SeedDemoResidents(a, cipher_, kVillages, Options()).ok());
  // Another key, another transaction size, duplicates in the input: same people.
  crypto::FieldCipher other = NewCipher();
  SeedOptions o = Options();
  o.villages_per_transaction = 10;
  std::vector<std::string> dup = kVillages;
  dup.push_back(kVillages[0]);
  auto report = SeedDemoResidents(b, other, dup, o);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->villages_requested, 3);
  EXPECT_EQ(ReadAll(a, cipher_, kVillages), ReadAll(b, other, kVillages));
  // Another salt: other people.
  InMemoryResidentStore c;
  o.salt = 1;
  ASSERT_TRUE(SeedDemoResidents(c, cipher_, kVillages, o).ok());
  EXPECT_NE(ReadAll(a, cipher_, kVillages), ReadAll(c, cipher_, kVillages));
}

TEST_F(SeedDemoTest, OnlyEmptyVillagesAreFilledAndRegisteredNumbersAreAvoided) {
  // What the seeder would give village 2, registered first by someone else in another village.
  InMemoryResidentStore probe;
  ASSERT_TRUE(SeedDemoResidents(probe, cipher_, std::vector<std::string>{kVillages[1]}, Options()).ok());
  const std::vector<Person> would_be = ReadAll(probe, cipher_, {kVillages[1]});
  ASSERT_GE(would_be.size(), 3u);

  InMemoryResidentStore store;
  ResidentRegistry registry(store, cipher_, clock_);
  NewHousehold squatter{"420114106299", {"9组9号"}, {}};
  squatter.members.push_back({{"测试甲", would_be[0].id_number, std::nullopt}, Relation::kHead});
  squatter.members.push_back({{"测试乙", would_be[1].id_number, std::nullopt}, Relation::kChild});
  ASSERT_TRUE(registry.CreateHousehold(squatter).ok());
  // Village 1 already has residents: skipped.
  NewHousehold existing{kVillages[0], {"1栋1单元101室"}, {}};
  existing.members.push_back({{"测试丙", *MakeIdNumber("420114", {1950, 1, 1}, 996), std::nullopt}, Relation::kHead});
  ASSERT_TRUE(registry.CreateHousehold(existing).ok());

  auto report = SeedDemoResidents(store, cipher_, kVillages, Options());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->villages_skipped, 1);
  EXPECT_EQ(report->villages_seeded, 2);
  EXPECT_EQ(store.ListResidents(kVillages[0])->size(), 1u);

  const std::vector<Person> got = ReadAll(store, cipher_, {kVillages[1]});
  ASSERT_EQ(got.size(), would_be.size());  // same people...
  std::set<std::string> got_ids;
  for (const Person& p : got) got_ids.insert(p.id_number);
  EXPECT_FALSE(got_ids.count(would_be[0].id_number));  // ...but not the numbers taken already
  EXPECT_FALSE(got_ids.count(would_be[1].id_number));
  int same = 0;
  for (const Person& p : would_be) same += got_ids.count(p.id_number);
  EXPECT_GE(same, static_cast<int>(would_be.size()) - 2);
}

TEST_F(SeedDemoTest, RefusesBadInputBeforeWriting) {
  InMemoryResidentStore store;
  auto bad_code = SeedDemoResidents(store, cipher_, std::vector<std::string>{"420114103215", "4201141032"}, Options());
  EXPECT_EQ(bad_code.status().slug(), problems::kBadVillageCode);
  EXPECT_EQ(bad_code.status().Arg("code"), "4201141032");
  SeedOptions o = Options();
  o.min_households_per_village = 10;
  o.max_households_per_village = 5;
  EXPECT_EQ(SeedDemoResidents(store, cipher_, kVillages, o).status().Arg("reason"), "households-per-village");
  o = Options();
  o.reference_date = CivilDate{2027, 1, 1};  // after today
  EXPECT_EQ(SeedDemoResidents(store, cipher_, kVillages, o).status().Arg("reason"), "reference-date");
  EXPECT_EQ(store.insert_batches(), 0);
}

}  // namespace
}  // namespace gz::residents
