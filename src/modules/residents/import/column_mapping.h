// Which column of a village register (花名册) holds what, told from its header row.
//
// Layer: residents import domain (standard library, core, tabular).
//
// Registers come from many hands: "身份证号" or "公民身份号码(18位)*", "联系电话" or "手机号", English
// headers from our own English export, and a merged title line ("XX村村民花名册") above the header,
// sometimes with a second line ("填报单位：...") under it. So:
//   - header texts are compared after NormalizeHeader(): spaces (ASCII, U+3000, NBSP), required
//     markers (* ＊), a trailing colon and a bracketed hint ("(18位)", "（年月日）") are dropped,
//     ASCII is lower-cased and '_' '-' '.' removed ("ID number" == "id_number" == "idnumber");
//   - the header row is the row, among the first kHeaderSearchRows rows that hold text, that
//     names the most known fields and at least name, ID number and relation; the earliest wins a tie;
//   - every field may appear once (a second "电话" column is an error, not a guess), except that
//     flags may come as one list column (特殊标识: "独居老人、低保") and/or one yes/no column per
//     flag (是否低保: 是/否);
//   - other columns (序号, 民族, 备注, ...) are ignored and listed as such in the report.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::residents::import {

enum class Field {
  kHouseholdNumber,  // 户号
  kName,             // 姓名
  kIdNumber,         // 公民身份号码
  kRelation,         // 与户主关系
  kPhone,            // 联系电话
  kAddress,          // 家庭住址
  kGender,           // 性别
  kBirthDate,        // 出生日期
  kFlags,            // 特殊标识 (a list of flags in one cell)
};
inline constexpr int kFieldCount = 9;

// "household_number", "name", "id_number", "relation", "phone", "address", "gender",
// "birth_date", "flags": the field names of the report and of the English export headers.
std::string_view FieldCode(Field f);
// 户号 姓名 公民身份号码 与户主关系 联系电话 家庭住址 性别 出生日期 特殊标识
std::string_view FieldNameZh(Field f);

inline constexpr int kHeaderSearchRows = 10;

// A column read as one yes/no flag (是否低保 -> "low_income").
struct FlagColumn {
  int index = -1;          // 0-based cell index
  std::string flag_code;   // a code of residents/resident_flags.h
};

struct ColumnMap {
  int32_t header_row = 0;  // 1-based row number in the file
  // 0-based cell index of each field in a row, -1 when the file has no such column.
  std::array<int, kFieldCount> index;
  std::vector<FlagColumn> flag_columns;
  std::vector<int> ignored;        // columns with a header that is not a known field
  std::vector<std::string> headers;  // header texts as written, by cell index (for the report)

  ColumnMap() { index.fill(-1); }
  int operator[](Field f) const { return index[static_cast<int>(f)]; }
  bool Has(Field f) const { return (*this)[f] >= 0; }
};

// The comparison form of a header text (see above).
std::string NormalizeHeader(std::string_view text);

// The field a header names, if any (flag columns are not fields: see FlagOfHeader).
std::optional<Field> FieldOfHeader(std::string_view text);
// The flag code a yes/no column header names ("是否低保" -> "low_income"), or empty. Only codes
// the residents module knows (FindFlag) are returned.
std::string FlagOfHeader(std::string_view text);

// Finds the header row among the table's first rows (Table::header is the first row with text)
// and maps its columns. Errors (kInvalidArgument):
//   residents-import/no-header-row {rows} {missing}: no row names name, ID number and relation
//     (missing: the fields the best candidate lacks, in Chinese and as codes);
//   residents-import/duplicate-column {field} {column} {other_column}.
Result<ColumnMap> MapColumns(const tabular::Table& table);

// The data rows under the header row found by MapColumns (rows above it are title lines).
std::vector<const tabular::Row*> DataRows(const tabular::Table& table, const ColumnMap& map);

}  // namespace gz::residents::import
