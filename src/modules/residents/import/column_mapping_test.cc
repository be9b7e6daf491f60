#include "modules/residents/import/column_mapping.h"

#include <gtest/gtest.h>

#include "modules/residents/import/problems.h"
#include "modules/residents/import/testing/register_files.h"
#include "tabular/csv.h"

namespace gz::residents::import {
namespace {

tabular::Table Csv(const testing::Sheet& sheet) {
  Result<tabular::Table> t = tabular::ReadCsv(testing::CsvOf(sheet), {});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : tabular::Table{};
}

TEST(NormalizeHeaderTest, DropsSpacesMarkersHintsAndColons) {
  EXPECT_EQ(NormalizeHeader(" 公民身份号码(18位)* "), "公民身份号码");
  EXPECT_EQ(NormalizeHeader("姓　名："), "姓名");  // U+3000 inside, full-width colon
  EXPECT_EQ(NormalizeHeader("*出生日期（年月日）"), "出生日期");
  EXPECT_EQ(NormalizeHeader("ID Number"), "idnumber");
  EXPECT_EQ(NormalizeHeader("id_number"), "idnumber");
  EXPECT_EQ(NormalizeHeader("Birth-Date"), "birthdate");
}

TEST(FieldOfHeaderTest, KnowsTheVariantsOfRealRegisters) {
  struct Case {
    std::string_view header;
    Field field;
  } cases[] = {
      {"户号", Field::kHouseholdNumber}, {"户编号", Field::kHouseholdNumber}, {"household", Field::kHouseholdNumber},
      {"姓名", Field::kName}, {"Name", Field::kName},
      {"身份证号", Field::kIdNumber}, {"公民身份号码", Field::kIdNumber}, {"身份证号码", Field::kIdNumber},
      {"ID number", Field::kIdNumber},
      {"与户主关系", Field::kRelation}, {"与户主的关系", Field::kRelation}, {"relation", Field::kRelation},
      {"联系电话", Field::kPhone}, {"手机号", Field::kPhone}, {"手机号码", Field::kPhone}, {"phone", Field::kPhone},
      {"住址", Field::kAddress}, {"家庭住址", Field::kAddress}, {"address", Field::kAddress},
      {"性别", Field::kGender}, {"gender", Field::kGender},
      {"出生日期", Field::kBirthDate}, {"出生年月", Field::kBirthDate}, {"birth_date", Field::kBirthDate},
      {"特殊标识", Field::kFlags}, {"flags", Field::kFlags},
  };
  for (const Case& c : cases) {
    std::optional<Field> f = FieldOfHeader(c.header);
    ASSERT_TRUE(f.has_value()) << c.header;
    EXPECT_EQ(*f, c.field) << c.header;
  }
  EXPECT_FALSE(FieldOfHeader("序号").has_value());
  EXPECT_FALSE(FieldOfHeader("民族").has_value());
  EXPECT_EQ(FlagOfHeader("是否低保户"), "low_income");
  EXPECT_EQ(FlagOfHeader("独居老人"), "elderly_alone");
  EXPECT_EQ(FlagOfHeader("残疾人"), "disability");
  EXPECT_EQ(FlagOfHeader("党员"), "");
}

TEST(MapColumnsTest, SkipsTheMergedTitleLineAndMapsEveryColumn) {
  tabular::Table t = Csv(testing::SampleRegister());
  ASSERT_EQ(t.header.number, 1);  // the reader takes the title line for the header
  Result<ColumnMap> map = MapColumns(t);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->header_row, 2);
  EXPECT_EQ((*map)[Field::kHouseholdNumber], 1);
  EXPECT_EQ((*map)[Field::kName], 2);
  EXPECT_EQ((*map)[Field::kGender], 3);
  EXPECT_EQ((*map)[Field::kBirthDate], 4);
  EXPECT_EQ((*map)[Field::kIdNumber], 5);
  EXPECT_EQ((*map)[Field::kRelation], 6);
  EXPECT_EQ((*map)[Field::kPhone], 7);
  EXPECT_EQ((*map)[Field::kAddress], 8);
  EXPECT_EQ((*map)[Field::kFlags], 9);
  EXPECT_EQ(map->ignored, std::vector<int>{0});  // 序号
  std::vector<const tabular::Row*> rows = DataRows(t, *map);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows.front()->number, 3);
}

TEST(MapColumnsTest, FindsAHeaderUnderSeveralTitleLinesAndPerFlagColumns) {
  testing::Sheet sheet = {
      {"蔡甸区成功村"},
      {"村民花名册（2026年）"},
      {"填报单位：成功村委会", "", "", "填报日期：2026-01-05"},
      {"姓名", "身份证号", "关系", "是否低保", "残疾人", "备注"},
      {"王建国", "x", "户主", "是", "否", ""},
  };
  Result<ColumnMap> map = MapColumns(Csv(sheet));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->header_row, 4);
  EXPECT_FALSE(map->Has(Field::kHouseholdNumber));
  ASSERT_EQ(map->flag_columns.size(), 2u);
  EXPECT_EQ(map->flag_columns[0].flag_code, "low_income");
  EXPECT_EQ(map->flag_columns[1].flag_code, "disability");
  EXPECT_EQ(map->ignored, std::vector<int>{5});
}

TEST(MapColumnsTest, RefusesAFileWithoutTheRequiredColumnsNamingWhatIsMissing) {
  testing::Sheet sheet = {{"姓名", "身份证号", "电话"}, {"王建国", "x", "15400000001"}};
  Result<ColumnMap> map = MapColumns(Csv(sheet));
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().slug(), problems::kNoHeaderRow);
  EXPECT_NE(map.status().Arg("missing").find("relation"), std::string_view::npos);
  EXPECT_EQ(map.status().Arg("rows"), "10");
}

TEST(MapColumnsTest, LooksOnlyAtTheFirstTenRows) {
  testing::Sheet sheet;
  for (int i = 0; i < 10; ++i) sheet.push_back({"说明第" + std::to_string(i + 1) + "行"});
  sheet.push_back({"姓名", "身份证号", "与户主关系"});
  Result<ColumnMap> map = MapColumns(Csv(sheet));
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().slug(), problems::kNoHeaderRow);
}

TEST(MapColumnsTest, RefusesTwoColumnsOfOneFieldNamingBoth) {
  testing::Sheet sheet = {{"姓名", "身份证号", "与户主关系", "电话", "手机号"}};
  Result<ColumnMap> map = MapColumns(Csv(sheet));
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().slug(), problems::kDuplicateColumn);
  EXPECT_EQ(map.status().Arg("column"), "D");
  EXPECT_EQ(map.status().Arg("other_column"), "E");
}

TEST(MapColumnsTest, TakesEnglishHeadersOfOurOwnExport) {
  testing::Sheet sheet = {{"household", "name", "gender", "birth_date", "id_number", "relation", "phone", "address", "flags"}};
  Result<ColumnMap> map = MapColumns(Csv(sheet));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  for (int f = 0; f < kFieldCount; ++f) EXPECT_EQ(map->index[f] >= 0, true) << FieldCode(static_cast<Field>(f));
}

}  // namespace
}  // namespace gz::residents::import
