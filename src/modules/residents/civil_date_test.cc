#include "modules/residents/civil_date.h"

#include <gtest/gtest.h>

namespace gz::residents {
namespace {

TEST(CivilDateTest, DaysRoundTripAcrossCenturiesAndLeapRules) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}) - DaysFromCivil({2000, 2, 28}), 2);  // 2000 is leap (400 rule)
  EXPECT_EQ(DaysFromCivil({1900, 3, 1}) - DaysFromCivil({1900, 2, 28}), 1);  // 1900 is not
  for (int64_t d = DaysFromCivil({1899, 12, 25}); d < DaysFromCivil({2101, 1, 5}); ++d) {
    const CivilDate c = CivilFromDays(d);
    ASSERT_TRUE(IsValidDate(c)) << d;
    ASSERT_EQ(DaysFromCivil(c), d);
  }
  EXPECT_FALSE(IsValidDate({2023, 2, 29}));
  EXPECT_TRUE(IsValidDate({2024, 2, 29}));
  EXPECT_FALSE(IsValidDate({2024, 4, 31}));
  EXPECT_FALSE(IsValidDate({2024, 0, 1}));
  EXPECT_FALSE(IsValidDate({2024, 13, 1}));
}

TEST(CivilDateTest, ChinaDateIsUtcPlusEight) {
  const WallTime midnight_china(std::chrono::seconds(1795795200));  // 2026-11-27T16:00:00Z
  EXPECT_EQ(ChinaDateOf(midnight_china), (CivilDate{2026, 11, 28}));
  EXPECT_EQ(ChinaDateOf(midnight_china - std::chrono::seconds(1)), (CivilDate{2026, 11, 27}));
  EXPECT_EQ(ChinaDateOf(WallTime(std::chrono::seconds(-1))), (CivilDate{1970, 1, 1}));  // 07:59:59 in China
}

TEST(CivilDateTest, AgeCountsBirthdays) {
  EXPECT_EQ(AgeOn({2000, 2, 29}, {2026, 2, 28}), 25);
  EXPECT_EQ(AgeOn({2000, 2, 29}, {2026, 3, 1}), 26);
  EXPECT_EQ(AgeOn({1958, 12, 31}, {2026, 1, 1}), 67);
  EXPECT_EQ(AgeOn({2026, 1, 1}, {2026, 1, 1}), 0);
  EXPECT_EQ(FormatDate({905, 3, 7}), "0905-03-07");
}

}  // namespace
}  // namespace gz::residents
