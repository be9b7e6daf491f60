// Village registers (花名册) made at test time: CSV text and .xlsx workbooks shaped like the ones
// village offices keep (a merged title line, Chinese headers, dates stored as Excel serial
// numbers, shared strings), filled with synthetic people only: ID numbers with the synthetic
// sequence codes 996-999 (id_number.h) and phones in the unallocated 154 range (phone.h).
//
// Layer: residents import, test support.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/residents/civil_date.h"

namespace gz::residents::import::testing {

// A valid synthetic ID number: `region` (6 digits), birth date, sequence 996..999 (odd = male).
std::string SyntheticId(std::string_view region, CivilDate born, int sequence);

// Excel's serial number of a date (1900 date system).
int64_t ExcelSerial(CivilDate date);

// A sheet as rows of cell texts. Cells whose text starts with '#' are written to .xlsx as
// numbers (the '#' dropped): that is how Excel stores dates and numeric-looking cells.
using Sheet = std::vector<std::vector<std::string>>;

// RFC 4180 CSV, CRLF, UTF-8 without a byte-order mark ('#' markers dropped).
std::string CsvOf(const Sheet& sheet);

// A workbook whose first sheet holds `sheet`, strings in a shared-string table, numbers as
// numbers; with `title`, a first row holding it in A1 merged across the header's width.
std::string XlsxOf(const Sheet& sheet, std::string_view title = {});

// The register of one small synthetic village: a title line, the header
//   序号 户号 姓名 性别 出生日期 公民身份号码 与户主关系 联系电话 家庭住址 特殊标识
// and three households (7 people), all valid.
Sheet SampleRegister();

}  // namespace gz::residents::import::testing
