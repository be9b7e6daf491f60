// Tests of the display-name rule (ShortName), case by case and over the real county extracts.
#include "modules/divisions/division.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "modules/divisions/csv_reader.h"

namespace gz::divisions {
namespace {

struct NameCase {
  std::string_view name;
  std::string_view short_name;
};
std::ostream& operator<<(std::ostream& os, const NameCase& c) { return os << c.name << " -> " << c.short_name; }

class VillageShortNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(VillageShortNameTest, DropsCommitteeWordsKeepsPlace) {
  EXPECT_EQ(ShortName(GetParam().name, Level::kVillage), GetParam().short_name);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, VillageShortNameTest,
    ::testing::Values(
        NameCase{"张湾村委会", "张湾村"},
        NameCase{"丙令村民委员会", "丙令村"},
        NameCase{"枫树村村委会", "枫树村"},             // the village's own 村 is kept once
        NameCase{"五股泉村村民委员会", "五股泉村"},
        NameCase{"多福巷社区居委会", "多福巷社区"},
        NameCase{"光明社区居民委员会", "光明社区"},
        NameCase{"正街居委会", "正街"},
        NameCase{"荣村居民委员会", "荣村"},             // ends in 居民委员会, not 村民委员会
        NameCase{"温德根嘎查委员会", "温德根嘎查"},
        NameCase{"临嶂社区", "临嶂社区"},               // no committee words: unchanged
        NameCase{"高庙原种场生活区", "高庙原种场生活区"},
        NameCase{"夏曲牧委会", "夏曲牧委会"},           // not in the rule table: unchanged
        NameCase{"社区居委会", "社区居委会"},           // nothing would remain: kept whole
        NameCase{"村委会", "村委会"},
        NameCase{"居委会", "居委会"}));

TEST(ShortNameTest, HigherLevelsAreUnchanged) {
  EXPECT_EQ(ShortName("湖北省", Level::kProvince), "湖北省");
  EXPECT_EQ(ShortName("蔡甸街道", Level::kTownship), "蔡甸街道");
  // A township-level name is never cut, even if it looks like a committee.
  EXPECT_EQ(ShortName("城关居委会", Level::kTownship), "城关居委会");
}

TEST(ShortNameTest, MakeDivisionFillsShortName) {
  Result<DivisionCode> code = DivisionCode::Parse("420114001001");
  ASSERT_TRUE(code.ok());
  Division d = MakeDivision(*code, "张湾村委会");
  EXPECT_EQ(d.short_name, "张湾村");
  EXPECT_EQ(d.level(), Level::kVillage);
  EXPECT_EQ(d.parent_code()->native(), "420114001");
}

// Over every village of the two real county extracts: a short name is never empty, never ends in
// a committee word, and is a prefix of the official name (the rule only deletes).
TEST(ShortNameTest, RealExtractsGiveCleanDisplayNames) {
  const char* root = std::getenv("GZ_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "GZ_SOURCE_DIR is set by ctest (cmake/gz.cmake)";
  int villages = 0;
  for (std::string_view file : {"county-420114-caidian.csv", "county-320281-jiangyin.csv"}) {
    std::ifstream in(std::string(root) + "/tests/fixtures/divisions/" + std::string(file));
    ASSERT_TRUE(in) << file;
    CsvReader reader(in);
    std::vector<std::string> f;
    ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);  // header
    while (reader.Next(&f) == CsvReader::Outcome::kRecord) {
      if (f[2] != "village") continue;
      ++villages;
      std::string s = ShortName(f[1], Level::kVillage);
      EXPECT_FALSE(s.empty()) << f[1];
      EXPECT_TRUE(std::string_view(f[1]).starts_with(s)) << f[1] << " -> " << s;
      for (std::string_view bad : {"委会", "委员会"}) EXPECT_FALSE(s.ends_with(bad)) << f[1] << " -> " << s;
    }
  }
  EXPECT_EQ(villages, 417 + 282);
}

}  // namespace
}  // namespace gz::divisions
