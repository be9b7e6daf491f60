// .xlsx (Office Open XML spreadsheet) reading and writing.
//
// Layer: tabular (interface; libzip and expat stay inside the .cc files).
//
// Reading takes the first visible worksheet in tab order (the one Excel shows first unless the
// clerk left another tab active), follows the package's relationships to find it and the
// shared strings, and streams its XML. Cells:
//   shared string (t="s"), inline string (t="inlineStr"), rich text runs -> the text of all runs
//     (phonetic guides, <rPh>, left out); Excel's _xHHHH_ escapes decoded;
//   number (t="n" or none) -> the text as stored ("42", "3.5", "4.20114199001011E+17"): never
//     re-formatted, so nothing is rounded a second time. A number of 16 or more integer digits
//     gets problem "number-lost-precision": Excel keeps 15 significant digits, so an 18-digit ID
//     number typed into a number cell is already wrong in the file, and only the clerk can fix it;
//   boolean (t="b") -> "TRUE" / "FALSE";   error (t="e") -> "#N/A" etc. with "error-value";
//   formula -> its saved result; without one, empty with "formula-not-calculated";
//   date (t="d", ISO 8601 text) -> as stored. Dates kept as numbers with a date format (the usual
//     case) come through as their serial number: styles are not read (yet).
// Cell references (A1, AA10) place cells; cells and rows without one follow the previous one.
// Hostile files: see ReadLimits (table.h), zip_archive.h and xml_stream.h. Legacy .xls and
// password-protected files (both OLE compound files) fail with "tabular/xls-not-supported".
//
// Writing produces a minimal workbook (content types, relationships, workbook, styles, one sheet)
// with libzip and generated XML. Every cell is an inline string (t="inlineStr"), which no
// spreadsheet evaluates, and goes through NeutraliseFormula as well (formula.h says why).
// Inline strings rather than a shared-string table: the sheet streams out in one pass, and the
// ZIP's deflate already shares repeated village names. Empty cells are left out.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular {

Result<Table> ReadXlsx(std::string_view bytes, const ReadLimits& limits);

// `sheet_name` must be what Excel accepts: 1 to 31 characters, none of : \ / ? * [ ], not
// starting or ending with an apostrophe ("tabular/bad-sheet-name" otherwise). Fails with
// "tabular/too-large" past Excel's grid (1,048,576 rows, 16,384 columns, 32,767 characters a
// cell), and kInternal for text that is not UTF-8 (a caller's bug) or a libzip failure.
Result<std::string> WriteXlsx(const Table& table, std::string_view sheet_name);

}  // namespace gz::tabular
