#include "modules/residents/import/cell_values.h"

#include <gtest/gtest.h>

namespace gz::residents::import {
namespace {

TEST(CellValuesTest, GenderSpellings) {
  EXPECT_EQ(ParseGenderCell(" 男 "), Gender::kMale);
  EXPECT_EQ(ParseGenderCell("女性"), Gender::kFemale);
  EXPECT_EQ(ParseGenderCell("Female"), Gender::kFemale);
  EXPECT_EQ(ParseGenderCell("1"), Gender::kMale);
  EXPECT_EQ(ParseGenderCell("2"), Gender::kFemale);
  EXPECT_FALSE(ParseGenderCell("未知").has_value());
  EXPECT_FALSE(ParseGenderCell("").has_value());
}

TEST(CellValuesTest, RelationsFollowTheGbT4761Groups) {
  auto rel = [](std::string_view t) { return ParseRelationCell(t); };
  EXPECT_EQ(rel("户主").relation, Relation::kHead);
  EXPECT_EQ(rel("本人").relation, Relation::kHead);
  EXPECT_EQ(rel("02").relation, Relation::kHead);
  EXPECT_EQ(rel("02 户主").relation, Relation::kHead);
  EXPECT_EQ(rel("妻").relation, Relation::kSpouse);
  EXPECT_EQ(rel("12").relation, Relation::kSpouse);
  EXPECT_EQ(rel("长女").relation, Relation::kChild);
  EXPECT_EQ(rel("儿媳").relation, Relation::kChild);  // 38: in the daughters' group of GB/T 4761
  EXPECT_EQ(rel("女婿").relation, Relation::kChild);  // 28: in the sons' group
  EXPECT_EQ(rel("外孙女").relation, Relation::kGrandchild);
  EXPECT_EQ(rel("岳母").relation, Relation::kParent);
  EXPECT_EQ(rel("grandchild").relation, Relation::kGrandchild);
  EXPECT_EQ(rel("长女").status, RelationParse::kOk);
  EXPECT_EQ(rel("弟弟").status, RelationParse::kUnsupported);
  EXPECT_EQ(rel("71").status, RelationParse::kUnsupported);
  EXPECT_EQ(rel("邻居家的").status, RelationParse::kUnknown);
  EXPECT_EQ(rel("").status, RelationParse::kUnknown);
}

TEST(CellValuesTest, ExcelSerialNumbersIncludingThePhantomLeapDay) {
  EXPECT_EQ(ExcelSerialToDate(1), (CivilDate{1900, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(59), (CivilDate{1900, 2, 28}));
  EXPECT_FALSE(ExcelSerialToDate(60).has_value());  // 1900-02-29 never existed
  EXPECT_EQ(ExcelSerialToDate(61), (CivilDate{1900, 3, 1}));
  EXPECT_EQ(ExcelSerialToDate(45292), (CivilDate{2024, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(23899), (CivilDate{1965, 6, 6}));
  EXPECT_FALSE(ExcelSerialToDate(0).has_value());
  EXPECT_FALSE(ExcelSerialToDate(2958466).has_value());
}

TEST(CellValuesTest, DateSpellings) {
  auto day = [](std::string_view t) {
    DateCell d = ParseDateCell(t);
    EXPECT_EQ(d.status, DateParse::kOk) << t;
    EXPECT_EQ(d.precision, DatePrecision::kDay) << t;
    return d.date;
  };
  const CivilDate expected{1990, 1, 5};
  EXPECT_EQ(day("1990-01-05"), expected);
  EXPECT_EQ(day("1990/1/5"), expected);
  EXPECT_EQ(day("1990.1.5"), expected);
  EXPECT_EQ(day("1990年1月5日"), expected);
  EXPECT_EQ(day("19900105"), expected);
  EXPECT_EQ(day("1990-01-05T00:00:00"), expected);
  EXPECT_EQ(day("32878"), expected);     // an .xlsx date cell as the reader gives it
  EXPECT_EQ(day("32878.0"), expected);
  DateCell month = ParseDateCell("1990.01");
  EXPECT_EQ(month.status, DateParse::kOk);
  EXPECT_EQ(month.precision, DatePrecision::kMonth);
  EXPECT_EQ(month.date, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(ParseDateCell("199001").precision, DatePrecision::kMonth);
  EXPECT_EQ(ParseDateCell("1990年1月").precision, DatePrecision::kMonth);
  EXPECT_EQ(ParseDateCell("1990").precision, DatePrecision::kYear);
  EXPECT_EQ(ParseDateCell("1990-02-30").status, DateParse::kNotACalendarDay);
  EXPECT_EQ(ParseDateCell("1990-13").status, DateParse::kNotACalendarDay);
  EXPECT_EQ(ParseDateCell("60").status, DateParse::kNotADate);
  EXPECT_EQ(ParseDateCell("一九九零年").status, DateParse::kNotADate);
  EXPECT_EQ(ParseDateCell("1990-01-05x").status, DateParse::kNotADate);
  EXPECT_EQ(ParseDateCell("").status, DateParse::kNotADate);
}

TEST(CellValuesTest, FlagListsAndYesNoMarks) {
  FlagsCell f = ParseFlagsCell("独居老人、低保户");
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.codes, (std::vector<std::string>{"elderly_alone", "low_income"}));
  f = ParseFlagsCell("disability, low_income");
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.codes, (std::vector<std::string>{"disability", "low_income"}));
  f = ParseFlagsCell("无");
  EXPECT_TRUE(f.ok);
  EXPECT_TRUE(f.codes.empty());
  f = ParseFlagsCell("残疾、五保户");
  EXPECT_FALSE(f.ok);
  EXPECT_TRUE(f.codes.empty());
  EXPECT_EQ(ParseYesNoCell("是"), true);
  EXPECT_EQ(ParseYesNoCell("√"), true);
  EXPECT_EQ(ParseYesNoCell("否"), false);
  EXPECT_EQ(ParseYesNoCell("N"), false);
  EXPECT_FALSE(ParseYesNoCell("可能").has_value());
}

}  // namespace
}  // namespace gz::residents::import
