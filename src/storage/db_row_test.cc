#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "storage/db.h"

namespace gz::storage {
namespace {

TEST(RowTest, ReadsEachTypeAsItself) {
  Row row({nullptr, int64_t{-42}, 2.5, std::string("村委会"), Blob{std::string("a\0b", 3)}});
  EXPECT_EQ(row.size(), 5u);
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(row.Int(1), -42);
  EXPECT_EQ(row.Real(2), 2.5);
  EXPECT_EQ(row.Text(3), "村委会");
  EXPECT_EQ(row.Text(4), std::string("a\0b", 3));
  EXPECT_EQ(std::get<Blob>(row.at(4)).bytes.size(), 3u);
}

TEST(RowTest, TextViewSeesTextAndBlobsWithoutCopyingAndNothingElse) {
  Row row({nullptr, int64_t{7}, 2.5, std::string("村委会"), Blob{std::string("a\0b", 3)}});
  EXPECT_EQ(row.TextView(0), "");
  EXPECT_EQ(row.TextView(1), "");  // numbers are not formatted, unlike Text()
  EXPECT_EQ(row.TextView(2), "");
  EXPECT_EQ(row.TextView(3), "村委会");
  EXPECT_EQ(row.TextView(3).data(), std::get<std::string>(row.at(3)).data());
  EXPECT_EQ(row.TextView(4), std::string_view("a\0b", 3));
  std::vector<Value> back = std::move(row).Release();
  EXPECT_EQ(back.size(), 5u);
}

TEST(RowTest, NullReadsAsZeroOrEmptyAndOptionalsAreEmpty) {
  Row row({nullptr});
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.Real(0), 0.0);
  EXPECT_EQ(row.Text(0), "");
  EXPECT_EQ(row.OptionalInt(0), std::nullopt);
  EXPECT_EQ(row.OptionalText(0), std::nullopt);
}

TEST(RowTest, OptionalsHoldPresentValues) {
  Row row({int64_t{0}, std::string()});
  EXPECT_EQ(row.OptionalInt(0), std::optional<int64_t>(0));
  EXPECT_EQ(row.OptionalText(1), std::optional<std::string>(""));
}

TEST(RowTest, ConvertsBetweenNumericKinds) {
  Row row({3.9, int64_t{7}, -3.9});
  EXPECT_EQ(row.Int(0), 3);  // truncates toward zero
  EXPECT_EQ(row.Int(2), -3);
  EXPECT_EQ(row.Real(1), 7.0);
}

TEST(RowTest, OutOfRangeAndNanDoublesClampInsteadOfUndefinedBehaviour) {
  Row row({1e300, -1e300, std::nan("")});
  EXPECT_EQ(row.Int(0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(row.Int(1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(row.Int(2), 0);
}

TEST(RowTest, TextOfNumbersAndNumbersOfText) {
  Row row({int64_t{-12}, 0.1, std::string("123"), std::string("12x"), std::string("2.5"), Blob{"9"}});
  EXPECT_EQ(row.Text(0), "-12");
  EXPECT_EQ(row.Text(1), "0.1");  // shortest round-trip form, not "0.100000"
  EXPECT_EQ(row.Int(2), 123);
  EXPECT_EQ(row.Int(3), 0);  // not a whole integer
  EXPECT_EQ(row.Real(4), 2.5);
  EXPECT_EQ(row.Int(5), 0);  // a blob is not a number
}

}  // namespace
}  // namespace gz::storage
