// Reading the cells of a village register: gender, relation to the head, dates (Excel serial
// numbers included), flags and yes/no marks, in the spellings clerks use.
//
// Layer: residents import domain (standard library and the residents domain types). Pure
// functions, no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/residents/civil_date.h"
#include "modules/residents/resident.h"

namespace gz::residents::import {

// `text` without surrounding spaces (ASCII, U+3000 ideographic space, NBSP).
std::string_view TrimCell(std::string_view text);

// 男 女 男性 女性 male female m f (any case), and the GB/T 2261.1 codes 1 and 2.
std::optional<Gender> ParseGenderCell(std::string_view text);

// Relation to the head, read the way GB/T 4761 (家庭关系代码) groups relations, because that is
// how 户籍 registers write them:
//   01 02 户主 本人                                  -> head
//   10-12 配偶 夫 妻 丈夫 妻子 爱人 老伴               -> spouse
//   20-39 子 女 长子 次女 独生子 养子 继女 女婿 儿媳 ... -> child   (GB/T 4761 files 女婿 and 儿媳
//                                                                    under the child groups 2x/3x)
//   40-48 孙子 孙女 外孙子 外孙女 孙媳妇 曾孙子 ...      -> grandchild
//   50-59 父亲 母亲 公公 婆婆 岳父 岳母 继父 养母 ...     -> parent
//   plus the English codes head spouse child parent grandchild (and a few English words).
// Relations the register does not store (祖父母 6x, 兄弟姐妹 7x, 其他 8x, 非亲属 99) are
// kUnsupported; anything else kUnknown.
enum class RelationParse { kOk, kUnsupported, kUnknown };
struct RelationCell {
  RelationParse status = RelationParse::kUnknown;
  Relation relation = Relation::kHead;
};
RelationCell ParseRelationCell(std::string_view text);

// A date cell. Precision: a 出生年月 column often holds only year and month ("1990.01"), or a
// year; the cross-check with the ID number then compares only what is there.
enum class DatePrecision { kDay, kMonth, kYear };
enum class DateParse { kOk, kNotADate, kNotACalendarDay };
struct DateCell {
  DateParse status = DateParse::kNotADate;
  CivilDate date;
  DatePrecision precision = DatePrecision::kDay;
};
// Accepts 1990-01-05, 1990/1/5, 1990.1.5, 1990年1月5日, 19900105, an ISO date-time (time
// ignored), year-month forms (1990-01, 1990/1, 1990.01, 1990年1月, 199001), a bare year 1990
// (1900..2100), and an Excel serial number (see ExcelSerialToDate) of 1 to 6 digits with an
// optional fraction, which is how .xlsx files store dates (the reader gives the stored number).
DateCell ParseDateCell(std::string_view text);

// Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is the 1900-02-29 that Lotus
// 1-2-3 invented and Excel kept for compatibility; from serial 61 (1900-03-01) on, the date is
// 1899-12-30 plus the serial. nullopt for serial 60, below 1, or past 9999-12-31 (2958465).
// Workbooks saved in the 1904 date system (old Mac Excel) are not recognised (tabular does not
// read workbookPr); their dates come out 4 years and a day early and fail the ID cross-check.
std::optional<CivilDate> ExcelSerialToDate(int64_t serial);

// A list of flags in one cell: names or codes separated by 、 , ， ; ； / or spaces
// ("独居老人、低保"); a word is a flag code, a flag's Chinese name or a common variant (低保户,
// 残疾人, 独居). "无" "否" "-" "—" and "/" alone mean explicitly none. `codes` are unsorted and
// may repeat; `ok` is false (and `codes` empty) when a word is not a flag.
struct FlagsCell {
  bool ok = true;
  std::vector<std::string> codes;
};
FlagsCell ParseFlagsCell(std::string_view text);

// Yes/no marks of a per-flag column: 是 √ ✓ ✔ 有 Y yes true 1 / 否 无 × ✗ N no false 0 (ASCII
// case ignored). nullopt for anything else; the caller treats an empty cell as "not given".
std::optional<bool> ParseYesNoCell(std::string_view text);

}  // namespace gz::residents::import
