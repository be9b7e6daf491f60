// The problem types (RFC 9457) the divisions module returns, with their translated texts.
//
// Layer: divisions domain. app/ adds divisions::kProblems to the HTTP layer's ProblemCatalog.
// Slugs are stable forever; texts may change. Placeholders are filled from the Status arguments.
#pragma once

#include <string_view>

#include "core/problem_text.h"

namespace gz::divisions {
namespace problems {

// 400. Arguments: code (the input, at most 40 bytes), reason (bad_code::* in division_code.h:
// empty, not-digits, bad-length, zero-province).
inline constexpr std::string_view kBadCode = "divisions/bad-code";
// 404. A well-formed code that names no division in the store. Arguments: code (12-digit).
inline constexpr std::string_view kUnknownCode = "divisions/unknown-code";
// 400. A bad ?limit= or ?offset=. Arguments: param, reason (empty, not-a-number, out-of-range),
// min and max (the allowed range).
inline constexpr std::string_view kBadPaging = "divisions/bad-paging";
// 400 (CLI). `--county 42`: the code names a division of another level. Arguments: code,
// expected, actual (level names).
inline constexpr std::string_view kWrongLevel = "divisions/wrong-level";
// 409 (importer). The source folder cannot be imported. Arguments: file, reason (missing-file,
// unreadable, missing-column, bad-csv-header); column for missing-column.
inline constexpr std::string_view kBadSource = "divisions/bad-source";
// 400. A lookup body that is not {"codes": [<string>, ...]} with 1..kMaxLookupCodes codes.
// Arguments: reason (missing-codes, not-a-list, not-a-string, empty, too-many), max.
inline constexpr std::string_view kBadLookup = "divisions/bad-lookup";

}  // namespace problems

// Every problem above, with its texts in both languages.
inline constexpr ProblemText kProblems[] = {
    {problems::kBadCode, "行政区划代码无效", "行政区划代码 {code} 无效（{reason}）：应为 2、4、6、9 或 12 位数字",
     "Invalid division code",
     "The division code {code} is invalid ({reason}): it must be 2, 4, 6, 9 or 12 digits"},
    {problems::kUnknownCode, "行政区划不存在", "没有代码为 {code} 的行政区划", "Unknown division",
     "There is no division with code {code}"},
    {problems::kBadPaging, "分页参数无效", "参数 {param} 无效（{reason}），应为 {min} 到 {max} 之间的整数",
     "Invalid paging parameter", "The parameter {param} is invalid ({reason}): it must be an integer from {min} to {max}"},
    {problems::kWrongLevel, "行政区划级别不符", "代码 {code} 的级别是 {actual}，这里需要 {expected}", "Wrong division level",
     "The code {code} names a {actual}, but a {expected} is needed here"},
    {problems::kBadSource, "区划数据源无法导入", "数据文件 {file} 无法导入（{reason}）", "Division source cannot be imported",
     "The source file {file} cannot be imported ({reason})"},
    {problems::kBadLookup, "批量查询请求无效",
     "请求体的 codes 字段应为列表，包含 1 到 {max} 个行政区划代码字符串（{reason}）", "Invalid lookup",
     "The body's codes member must be a list of 1 to {max} division code strings ({reason})"},
};

}  // namespace gz::divisions
