// W3C date-times in and out (time_text.h): China time out, any offset in.
#include "modules/open311/time_text.h"

#include <gtest/gtest.h>

namespace gz::open311 {
namespace {

constexpr int64_t k2026 = 1767225600000;  // 2026-01-01T00:00:00Z

TEST(Open311Time, WritesChinaTimeWithItsOffset) {
  EXPECT_EQ(FormatChinaTime(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(FormatChinaTime(k2026), "2026-01-01T08:00:00+08:00");
  EXPECT_EQ(FormatChinaTime(k2026 - 1), "2026-01-01T07:59:59+08:00");
  EXPECT_EQ(FormatChinaTime(k2026 - 8 * 3600 * 1000), "2026-01-01T00:00:00+08:00");
  EXPECT_EQ(FormatChinaTime(k2026 - 8 * 3600 * 1000 - 1), "2025-12-31T23:59:59+08:00");
  EXPECT_EQ(FormatChinaTime(951782400000), "2000-02-29T08:00:00+08:00");  // a leap day
}

TEST(Open311Time, ReadsW3cDateTimesWithAnyOffset) {
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T08:00:00+08:00"), k2026);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T00:00:00Z"), k2026);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01t00:00:00z"), k2026);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T00:00Z"), k2026);
  EXPECT_EQ(ParseW3cDateTime("2025-12-31T19:00:00-05:00"), k2026);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T08:00:00 08:00"), k2026) << "an unencoded '+' arrives as a space";
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T00:00:00.5Z"), k2026 + 500);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01T00:00:00.123456789Z"), k2026 + 123);
  EXPECT_EQ(ParseW3cDateTime("2026-01-01"), k2026 - 8 * 3600 * 1000) << "a date is midnight China time";
  for (int64_t ms : {int64_t{0}, k2026, k2026 + 86399000, int64_t{4102444800000}})
    EXPECT_EQ(ParseW3cDateTime(FormatChinaTime(ms)), ms);
}

TEST(Open311Time, RefusesAnythingElse) {
  for (const char* bad : {"", "garbage", "2026", "2026-01", "2026-13-01", "2026-02-29", "2026-01-32",
                          "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z",
                          "2026-01-01T00:00:00", "2026-01-01T00:00:00+0800", "2026-01-01T00:00:00+08",
                          "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk", "2026-01-01 00:00:00Z",
                          "1969-12-31T00:00:00Z", "2026-01-01T00:00:00+24:00", "+2026-01-01T00:00:00Z"})
    EXPECT_EQ(ParseW3cDateTime(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace gz::open311
