// The data-quality report: every finding on purpose-made data, and nothing on clean data.
#include "modules/residents/data_quality.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents {
namespace {

std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

class KnownRegions final : public RegionCodes {
 public:
  bool Exists(std::string_view six) const override { return six == "420114" || six == "420102"; }
};

class DataQualityTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::Initialize().ok()); }

  ResidentId Only(HouseholdId h) {
    const auto r_list = registry_.ListResidents(kVillage).value();
    for (const ResidentInfo& r : r_list)
      if (r.household_id == h) return r.id;
    return {};
  }

  static constexpr const char* kVillage = "420114001205";
  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 China
  crypto::FieldCipher cipher_ = std::move(crypto::FieldCipher::Create(crypto::KeyRing::Generate())).value();
  InMemoryResidentStore store_;
  ResidentRegistry registry_{store_, cipher_, clock_};
  KnownRegions regions_;
};

TEST_F(DataQualityTest, CleanVillageHasNoFindings) {
  NewHousehold h{kVillage, {"1组1号"}, {}};
  h.members.push_back({{"甲", Fix("42011419800101999"), "15400000101"}, Relation::kHead});
  ASSERT_TRUE(registry_.CreateHousehold(h).ok());
  auto r = BuildDataQualityReport(store_, kVillage, clock_, &regions_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->households, 1);
  EXPECT_EQ(r->residents, 1);
  EXPECT_EQ(r->missing_phone.count + r->households_without_head.count + r->impossible_ages.count +
                r->stale_residents.count + r->stale_households.count + r->not_checked.count,
            0);
  EXPECT_TRUE(r->duplicate_groups.empty());
  EXPECT_TRUE(r->invalid_id_numbers.empty());
  EXPECT_TRUE(r->region_notes.empty());
}

TEST_F(DataQualityTest, FindsEveryKindOfProblemByIdOnly) {
  // Two households, the same name and birth year in both (spaces do not count): a duplicate.
  NewHousehold a{kVillage, {"1组1号"}, {}};
  a.members.push_back({{"王 伟", Fix("42011419850101999"), std::nullopt}, Relation::kHead});  // no phone
  NewHousehold b{kVillage, {"1组2号"}, {}};
  b.members.push_back({{"王伟", Fix("42011419850707997"), "15400000102"}, Relation::kHead});
  b.members.push_back({{"王伟", Fix("42011419860707995"), "15400000103"}, Relation::kChild});  // other year
  // Born in 420102 (another county, real) and in 429999 (no such region).
  NewHousehold c{kVillage, {"2组1号"}, {}};
  c.members.push_back({{"李四", Fix("42010219900101993"), "15400000104"}, Relation::kHead});
  c.members.push_back({{"李五", Fix("42999919900101991"), "15400000105"}, Relation::kSpouse});
  ResidentRegistry unchecked(store_, cipher_, clock_);  // lets 429999 in, as an older gongzhi might have
  auto ids = unchecked.CreateHouseholds(std::vector<NewHousehold>{a, b, c});
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  const ResidentId a_head = Only((*ids)[0]);

  // A household whose head was demoted, an old record, an impossible age, a row from before
  // residents/2 (no name index, no region).
  access::Principal cadre;
  cadre.self.account_id = 1;
  ResidentId b_head, b_child, c_head, c_spouse;
  const auto r_list = registry_.ListResidents(kVillage).value();
  for (const ResidentInfo& r : r_list) {
    if (r.household_id == (*ids)[1]) (r.relation == Relation::kHead ? b_head : b_child) = r.id;
    if (r.household_id == (*ids)[2]) (r.relation == Relation::kHead ? c_head : c_spouse) = r.id;
  }
  ResidentChange demote;
  demote.relation = Relation::kChild;
  ASSERT_TRUE(registry_.UpdateResident(cadre, b_head, demote).ok());
  store_.MutableResidentForTest(c_head)->info.updated_at_ms -= 4LL * 365 * 86400 * 1000;
  store_.MutableHouseholdForTest((*ids)[2])->info.updated_at_ms -= 4LL * 365 * 86400 * 1000;
  store_.MutableResidentForTest(b_child)->info.birth_year = 1890;
  store_.MutableResidentForTest(c_spouse)->name_index.reset();

  auto r = BuildDataQualityReport(store_, kVillage, clock_, &regions_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->residents, 5);
  EXPECT_EQ(r->missing_phone.ids, std::vector<int64_t>{a_head.value});
  EXPECT_EQ(r->households_without_head.ids, std::vector<int64_t>{(*ids)[1].value});
  ASSERT_EQ(r->duplicate_groups.size(), 1u);
  std::vector<int64_t> pair = {a_head.value, b_head.value};
  std::sort(pair.begin(), pair.end());
  EXPECT_EQ(r->duplicate_groups[0], pair);
  EXPECT_EQ(r->duplicate_residents, 2);
  EXPECT_EQ(r->impossible_ages.ids, std::vector<int64_t>{b_child.value});
  EXPECT_EQ(r->stale_residents.ids, std::vector<int64_t>{c_head.value});
  EXPECT_EQ(r->stale_households.ids, std::vector<int64_t>{(*ids)[2].value});
  ASSERT_EQ(r->invalid_id_numbers.size(), 1u);
  EXPECT_EQ(r->invalid_id_numbers[0].resident, c_spouse.value);
  EXPECT_EQ(r->invalid_id_numbers[0].reason, "unknown-region");
  ASSERT_EQ(r->region_notes.size(), 1u);  // a real region elsewhere: a note, not an error
  EXPECT_EQ(r->region_notes[0].resident, c_head.value);
  EXPECT_EQ(r->region_notes[0].region, "420102");
  EXPECT_EQ(r->not_checked.ids, std::vector<int64_t>{c_spouse.value});

  // With a longer staleness window, the old record is fine; bad windows are refused.
  DataQualityOptions five_years;
  five_years.stale_years = 5;
  EXPECT_EQ(BuildDataQualityReport(store_, kVillage, clock_, &regions_, five_years)->stale_residents.count, 0);
  DataQualityOptions zero;
  zero.stale_years = 0;
  EXPECT_EQ(BuildDataQualityReport(store_, kVillage, clock_, &regions_, zero).status().slug(), problems::kBadQuery);
  // Without the region port, 429999 is only checked for plausibility: a note.
  EXPECT_TRUE(BuildDataQualityReport(store_, kVillage, clock_, nullptr)->invalid_id_numbers.empty());
}

}  // namespace
}  // namespace gz::residents
