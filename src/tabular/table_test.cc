#include "tabular/table.h"

#include <gtest/gtest.h>

#include "tabular/problems.h"

namespace gz::tabular {
namespace {

TEST(ColumnNameTest, BijectiveBase26LikeExcel) {
  EXPECT_EQ(ColumnName(1), "A");
  EXPECT_EQ(ColumnName(26), "Z");
  EXPECT_EQ(ColumnName(27), "AA");
  EXPECT_EQ(ColumnName(52), "AZ");
  EXPECT_EQ(ColumnName(53), "BA");
  EXPECT_EQ(ColumnName(702), "ZZ");
  EXPECT_EQ(ColumnName(703), "AAA");
  EXPECT_EQ(ColumnName(16384), "XFD");
  EXPECT_EQ(ColumnName(0), "");
}

TEST(ParseCellRefTest, ReadsReferencesAndRefusesTheRest) {
  int32_t row = 0, column = 0;
  ASSERT_TRUE(ParseCellRef("A1", &row, &column));
  EXPECT_EQ(row, 1);
  EXPECT_EQ(column, 1);
  ASSERT_TRUE(ParseCellRef("AA10", &row, &column));
  EXPECT_EQ(row, 10);
  EXPECT_EQ(column, 27);
  ASSERT_TRUE(ParseCellRef("xfd1048576", &row, &column));
  EXPECT_EQ(row, 1048576);
  EXPECT_EQ(column, 16384);
  ASSERT_TRUE(ParseCellRef("C", &row, &column));
  EXPECT_EQ(row, 0);
  EXPECT_EQ(column, 3);
  for (std::string_view bad : {"", "1", "A0", "A1B", "XFE1", "A1048577", "A-1", "AAAAAAAAAAAAAAAAAAAA1", "A99999999999999"}) {
    EXPECT_FALSE(ParseCellRef(bad, &row, &column)) << bad;
  }
  // Every column name parses back to its number.
  for (int32_t c = 1; c <= 16384; c += 37) {
    ASSERT_TRUE(ParseCellRef(ColumnName(c) + "5", &row, &column));
    EXPECT_EQ(column, c);
  }
}

TEST(TableTest, FromStringsNumbersLikeASheetAndPadsRows) {
  Table table = Table::FromStrings({"姓名", "身份证号", ""}, {{"张三"}, {"李四", "420", "", "额外"}});
  ASSERT_EQ(table.width(), 2u);  // a trailing empty heading is dropped
  EXPECT_EQ(table.header.number, 1);
  EXPECT_EQ(table.header.cells[1].Ref(), "B1");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].number, 2);
  ASSERT_EQ(table.rows[0].cells.size(), 2u);
  EXPECT_EQ(table.rows[0].cells[1].Ref(), "B2");
  EXPECT_EQ(table.rows[0].Text(1), "");
  EXPECT_EQ(table.rows[0].Text(99), "");
  ASSERT_EQ(table.rows[1].cells.size(), 4u);  // text beyond the header is kept
  EXPECT_EQ(table.rows[1].cells[3].Ref(), "D3");
  EXPECT_EQ(table.FindColumn("身份证号"), 1);
  EXPECT_EQ(table.FindColumn("电话"), -1);
}

TEST(TableTest, CellProblemNamesThePlaceButNotTheText) {
  Cell cell{"4.20114199001011E+17", 7, 3, problems::kCellNumberLostPrecision};
  Status status = CellProblem(cell);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.slug(), "tabular/number-lost-precision");
  EXPECT_EQ(status.Arg("row"), "7");
  EXPECT_EQ(status.Arg("column"), "C");
  EXPECT_EQ(status.Arg("cell"), "C7");
  EXPECT_EQ(status.Arg("reason"), "number-lost-precision");
  EXPECT_EQ(status.ToString().find("4.2011"), std::string::npos);
  EXPECT_TRUE(CellProblem(Cell{"x", 1, 1, {}}).ok());
}

TEST(ProblemsTest, EveryCellProblemHasTexts) {
  for (std::string_view code : {problems::kCellNumberLostPrecision, problems::kCellFormulaNotCalculated,
                                problems::kCellErrorValue, problems::kCellBadNumber}) {
    const std::string slug = "tabular/" + std::string(code);
    bool found = false;
    for (const ProblemText& text : problems::kTexts) found = found || text.slug == slug;
    EXPECT_TRUE(found) << slug;
  }
}

}  // namespace
}  // namespace gz::tabular
