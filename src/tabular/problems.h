// Problem types of the tabular library (slugs and reason codes are stable; texts may change).
//
// Layer: tabular (interface). Every error is kInvalidArgument: the file the clerk uploaded is
// wrong, and the detail says where. Arguments are positions and codes, never cell text (a cell
// may hold an ID number): {row} is 1-based, {column} is the letters Excel shows ("C"), {reason}
// is one of the reason codes below, {limit} the limit that was exceeded, {line} the text line
// (CSV only, for people who open the file in an editor), {cell} the reference "C7" (.xlsx).
// The HTTP catalog learns these texts from kTexts (app/messages.cc, when the import lands).
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::tabular::problems {

// Whole-file problems (Status slugs).
inline constexpr std::string_view kBadCsv = "tabular/bad-csv";              // {row} {column} {line} {reason}
inline constexpr std::string_view kBadEncoding = "tabular/bad-encoding";    // {row} {column} {line} {reason}
inline constexpr std::string_view kBadXlsx = "tabular/bad-xlsx";            // {reason} [{row} {column} {cell}]
inline constexpr std::string_view kTooLarge = "tabular/too-large";          // {reason} {limit} [{row} {column}]
inline constexpr std::string_view kXlsNotSupported = "tabular/xls-not-supported";  // {reason}
inline constexpr std::string_view kEmpty = "tabular/empty";                 // no row with any text
inline constexpr std::string_view kBadSheetName = "tabular/bad-sheet-name"; // export: {reason}

// Per-cell problems: Cell::problem holds the code; CellProblem() makes "tabular/" + code.
inline constexpr std::string_view kCellNumberLostPrecision = "number-lost-precision";
inline constexpr std::string_view kCellFormulaNotCalculated = "formula-not-calculated";
inline constexpr std::string_view kCellErrorValue = "error-value";
inline constexpr std::string_view kCellBadNumber = "bad-number";

// Reason codes of kBadCsv.
inline constexpr std::string_view kReasonUnterminatedQuote = "unterminated-quote";
inline constexpr std::string_view kReasonStrayQuote = "stray-quote";
inline constexpr std::string_view kReasonTextAfterQuote = "text-after-quote";
inline constexpr std::string_view kReasonLooksLikeXlsx = "looks-like-xlsx";
// Reason codes of kBadEncoding.
inline constexpr std::string_view kReasonNotUtf8 = "not-utf8";          // a UTF-8 file with a bad byte
inline constexpr std::string_view kReasonNotGb18030 = "not-gb18030";    // neither UTF-8 nor GB18030
inline constexpr std::string_view kReasonUtf16 = "utf16";               // Excel's "Unicode text"
inline constexpr std::string_view kReasonNulByte = "nul-byte";          // a binary file
// Reason code of kXlsNotSupported (legacy .xls, and Office-encrypted .xlsx, share its container).
inline constexpr std::string_view kReasonXls = "xls-not-supported";

inline constexpr std::array<ProblemText, 11> kTexts = {{
    {kBadCsv, "CSV 文件格式有误", "第 {row} 行 {column} 列格式有误（{reason}），请在 Excel 或 WPS 中打开后重新另存为 CSV",
     "Malformed CSV file", "Row {row}, column {column} is malformed ({reason}); open the file in Excel or WPS and save it as CSV again"},
    {kBadEncoding, "文件编码无法识别", "第 {row} 行 {column} 列含有无法识别的字符（{reason}），请另存为“CSV UTF-8”或 Excel 工作簿（.xlsx）",
     "Unrecognised text encoding", "Row {row}, column {column} holds bytes that are not text ({reason}); save the file as \"CSV UTF-8\" or as an Excel workbook (.xlsx)"},
    {kBadXlsx, "Excel 文件无法读取", "文件不是有效的 Excel 工作簿（{reason}）{cell}",
     "Unreadable Excel file", "The file is not a valid Excel workbook ({reason}) {cell}"},
    {kTooLarge, "文件超出处理上限", "文件超出上限（{reason}，上限 {limit}），请拆分后分批导入",
     "File too large", "The file exceeds a limit ({reason}, at most {limit}); split it and import the parts"},
    {kXlsNotSupported, "不支持 .xls 或加密的文件", "这是旧版 Excel（.xls）或加了密码的文件，请另存为 .xlsx 或 CSV 后再导入",
     "Legacy .xls or encrypted file", "This is a legacy Excel (.xls) or password-protected file; save it as .xlsx or CSV and import that"},
    {kEmpty, "文件没有内容", "文件中没有任何一行有内容", "Empty file", "No row of the file has any text"},
    {kBadSheetName, "工作表名称无效", "工作表名称无效（{reason}）", "Invalid sheet name", "The sheet name is invalid ({reason})"},
    {"tabular/number-lost-precision", "数字已丢失精度",
     "{column}{row} 单元格是超过 15 位的数字，Excel 已将其截断（例如身份证号显示为 4.20114E+17）；请把该列设为文本格式后重新录入",
     "Number lost precision",
     "Cell {column}{row} holds a number of more than 15 digits, which Excel has cut short (an ID number shown as 4.20114E+17); format the column as text and enter it again"},
    {"tabular/formula-not-calculated", "公式没有计算结果", "{column}{row} 单元格是公式，但文件中没有保存计算结果；请在 Excel 或 WPS 中打开并保存后再导入",
     "Formula without a value", "Cell {column}{row} holds a formula whose result was not saved; open and save the file in Excel or WPS first"},
    {"tabular/error-value", "单元格是错误值", "{column}{row} 单元格是错误值（如 #N/A、#REF!）",
     "Error value", "Cell {column}{row} holds an error value such as #N/A or #REF!"},
    {"tabular/bad-number", "数字无法识别", "{column}{row} 单元格标为数字，但内容不是数字",
     "Unreadable number", "Cell {column}{row} is marked as a number but does not hold one"},
}};

}  // namespace gz::tabular::problems
