// Problem types and row-level reason codes of resident import and export (slugs and codes are
// stable; texts may change).
//
// Layer: residents import domain. Arguments never carry personal data: a row is cited by its
// number and column letters, never by what it holds. Whole-file problems of the reader itself
// ("tabular/bad-csv", "tabular/too-large", ...) come from src/tabular/problems.h; village, purpose
// and query problems reuse the residents module's slugs (residents/village-not-found, ...).
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::residents::import::problems {

inline constexpr std::string_view kImportNotFound = "residents-import/import-not-found";
inline constexpr std::string_view kEmptyFile = "residents-import/empty-file";
inline constexpr std::string_view kUnsupportedFileType = "residents-import/unsupported-file-type";  // {reason}
inline constexpr std::string_view kNoHeaderRow = "residents-import/no-header-row";                  // {rows} {missing}
inline constexpr std::string_view kDuplicateColumn = "residents-import/duplicate-column";  // {field} {column} {other_column}
inline constexpr std::string_view kNoDataRows = "residents-import/no-data-rows";            // {header_row}
inline constexpr std::string_view kTooManyRows = "residents-import/too-many-rows";          // {limit}
inline constexpr std::string_view kBusy = "residents-import/busy";
inline constexpr std::string_view kTooManyPending = "residents-import/too-many-pending";    // {limit}
inline constexpr std::string_view kNotConfirmed = "residents-import/not-confirmed";
inline constexpr std::string_view kNotValidated = "residents-import/not-validated";          // {status}
inline constexpr std::string_view kAlreadyApplied = "residents-import/already-applied";
inline constexpr std::string_view kExpired = "residents-import/expired";
inline constexpr std::string_view kChangedSinceValidation = "residents-import/changed-since-validation";
inline constexpr std::string_view kNothingToApply = "residents-import/nothing-to-apply";
inline constexpr std::string_view kInterrupted = "residents-import/interrupted";
inline constexpr std::string_view kApplyInProgress = "residents-import/apply-in-progress";
inline constexpr std::string_view kTooManyResidents = "residents-import/too-many-residents";  // {limit}
inline constexpr std::string_view kBadExportFormat = "residents-import/bad-export-format";    // {format}

inline constexpr std::array<ProblemText, 19> kTexts = {{
    {kImportNotFound, "导入任务不存在", "没有该导入任务，或不在您的管辖范围内", "Import not found",
     "There is no such import, or it is outside your area"},
    {kEmptyFile, "文件为空", "请上传 CSV 或 Excel（.xlsx）格式的花名册文件", "Empty file",
     "Upload the register as a CSV or Excel (.xlsx) file"},
    {kUnsupportedFileType, "不支持的文件类型", "请直接上传 CSV 或 Excel（.xlsx）文件的内容（{reason}）",
     "Unsupported file type", "Upload the bytes of a CSV or Excel (.xlsx) file as the request body ({reason})"},
    {kNoHeaderRow, "找不到表头", "前 {rows} 行中没有包含“姓名”“公民身份号码”“与户主关系”列的表头行（缺少：{missing}）",
     "Header row not found",
     "None of the first {rows} rows is a header with the columns name, ID number and relation to the head (missing: {missing})"},
    {kDuplicateColumn, "列名重复", "{column} 列和 {other_column} 列都是“{field}”，请删除或改名其中一列",
     "Duplicate column", "Columns {column} and {other_column} both hold \"{field}\"; remove or rename one"},
    {kNoDataRows, "没有数据行", "第 {header_row} 行表头下面没有任何居民", "No data rows",
     "There are no residents below the header in row {header_row}"},
    {kTooManyRows, "行数过多", "一次最多导入 {limit} 行，请拆分后分批导入", "Too many rows",
     "At most {limit} rows can be imported at once; split the file"},
    {kBusy, "导入队列已满", "正在处理的导入任务过多，请稍后再试", "Import queue full",
     "Too many imports are being processed; try again in a moment"},
    {kTooManyPending, "待处理的导入过多", "本村最多同时保留 {limit} 个未完成的导入任务，请先确认导入或等待过期",
     "Too many pending imports",
     "A village keeps at most {limit} unfinished imports; apply one or wait until they expire"},
    {kNotConfirmed, "请确认导入", "请求体中的 confirm 应为 true", "Confirmation required",
     "The request body must set confirm to true"},
    {kNotValidated, "导入尚未校验完成", "该导入任务当前状态为 {status}，只有校验完成的导入才能确认",
     "Import not validated", "This import is {status}; only a validated import can be applied"},
    {kAlreadyApplied, "导入已完成", "该导入任务已经确认导入过了，不能重复导入", "Import already applied",
     "This import has already been applied"},
    {kExpired, "导入已过期", "上传的文件只保留 24 小时，已删除；请重新上传", "Import expired",
     "Uploaded files are kept for 24 hours and this one has been deleted; upload it again"},
    {kChangedSinceValidation, "登记信息已变化", "校验之后登记信息发生了变化，已重新校验；请查看新的校验结果后再确认",
     "Register changed", "The register changed after the dry run; the file was checked again: review the new result and apply again"},
    {kNothingToApply, "没有可导入的行", "校验结果中没有要新增或更新的居民", "Nothing to apply",
     "The dry run found no resident to create or update"},
    {kInterrupted, "导入被中断", "服务器在处理该导入时重新启动，请重新上传", "Import interrupted",
     "The server restarted while processing this import; upload the file again"},
    {kApplyInProgress, "正在导入", "该导入任务正在写入，请稍后查看结果", "Import in progress",
     "This import is being written; check its status in a moment"},
    {kTooManyResidents, "居民过多", "一次最多导出 {limit} 名居民", "Too many residents",
     "At most {limit} residents can be exported at once"},
    {kBadExportFormat, "导出格式无效", "format 应为 csv 或 xlsx", "Invalid export format",
     "format must be csv or xlsx"},
}};

// Row-level reasons of the dry-run report: {code, zh, en}. A reason names the column (letters)
// it is about, or none for a household-level reason.
struct ReasonText {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};

namespace reason {
inline constexpr std::string_view kMissingName = "missing-name";
inline constexpr std::string_view kBadName = "bad-name";
inline constexpr std::string_view kMissingIdNumber = "missing-id-number";
inline constexpr std::string_view kBadIdNumber = "bad-id-number";                 // detail: GB 11643 reason
inline constexpr std::string_view kImpossibleBirthDate = "impossible-birth-date";  // detail
inline constexpr std::string_view kBirthDateMismatch = "birth-date-mismatch";
inline constexpr std::string_view kBadGender = "bad-gender";
inline constexpr std::string_view kGenderMismatch = "gender-mismatch";
inline constexpr std::string_view kMissingRelation = "missing-relation";
inline constexpr std::string_view kBadRelation = "bad-relation";
inline constexpr std::string_view kUnsupportedRelation = "unsupported-relation";
inline constexpr std::string_view kBadPhone = "bad-phone";
inline constexpr std::string_view kBadAddress = "bad-address";
inline constexpr std::string_view kMissingAddress = "missing-address";
inline constexpr std::string_view kBadFlag = "bad-flag";                          // detail
inline constexpr std::string_view kBadHouseholdNumber = "bad-household-number";
inline constexpr std::string_view kUnreadableCell = "unreadable-cell";            // detail: tabular cell problem
inline constexpr std::string_view kDuplicateInFile = "duplicate-in-file";         // other_row
inline constexpr std::string_view kRegisteredInAnotherVillage = "registered-in-another-village";
inline constexpr std::string_view kNameMismatch = "name-mismatch";
inline constexpr std::string_view kHeadMissing = "head-missing";
inline constexpr std::string_view kSeveralHeads = "several-heads";
inline constexpr std::string_view kHeadRejected = "head-rejected";
inline constexpr std::string_view kHouseholdSplit = "household-split";
inline constexpr std::string_view kTooManyMembers = "too-many-members";
inline constexpr std::string_view kUpdateRefused = "update-refused";              // detail: residents slug
}  // namespace reason

inline constexpr std::array<ReasonText, 26> kReasonTexts = {{
    {reason::kMissingName, "姓名为空", "The name is empty"},
    {reason::kBadName, "姓名无效（过长或含控制字符）", "The name is invalid (too long or control characters)"},
    {reason::kMissingIdNumber, "公民身份号码为空", "The ID number is empty"},
    {reason::kBadIdNumber, "公民身份号码无效", "The ID number is invalid"},
    {reason::kImpossibleBirthDate, "出生日期不可能", "The birth date is impossible"},
    {reason::kBirthDateMismatch, "出生日期与身份证号码不一致", "The birth date differs from the one in the ID number"},
    {reason::kBadGender, "性别无法识别（应为男或女）", "The gender is not recognised (男/女, male/female)"},
    {reason::kGenderMismatch, "性别与身份证号码不一致", "The gender differs from the one in the ID number"},
    {reason::kMissingRelation, "与户主关系为空", "The relation to the head is empty"},
    {reason::kBadRelation, "与户主关系无法识别", "The relation to the head is not recognised"},
    {reason::kUnsupportedRelation, "暂不支持该与户主关系（只支持户主、配偶、子女、父母、孙子女）",
     "This relation is not supported yet (only head, spouse, child, parent, grandchild)"},
    {reason::kBadPhone, "手机号码格式错误（应为 11 位手机号）", "The phone number is malformed (an 11-digit mobile number)"},
    {reason::kBadAddress, "住址无效（过长或含控制字符）", "The address is invalid (too long or control characters)"},
    {reason::kMissingAddress, "新建的户没有住址", "A new household needs an address"},
    {reason::kBadFlag, "特殊标识无法识别", "A flag is not recognised"},
    {reason::kBadHouseholdNumber, "户号过长或含控制字符", "The household number is too long or has control characters"},
    {reason::kUnreadableCell, "单元格内容无法可靠读取", "The cell cannot be read reliably"},
    {reason::kDuplicateInFile, "同一身份证号码在文件中出现多次", "The same ID number appears more than once in the file"},
    {reason::kRegisteredInAnotherVillage, "该身份证号码已在其他村登记", "This ID number is registered in another village"},
    {reason::kNameMismatch, "姓名与已登记的不一致（改名请走更正申请）",
     "The name differs from the registered one (names change through a correction request)"},
    {reason::kHeadMissing, "户内没有户主", "The household has no head"},
    {reason::kSeveralHeads, "户内有多个户主", "The household has more than one head"},
    {reason::kHeadRejected, "户主一行有错误，全户暂不导入", "The head's row has errors, so the household is not imported"},
    {reason::kHouseholdSplit, "同一户号的已登记居民分属不同的户", "Registered people under one household number belong to different households"},
    {reason::kTooManyMembers, "一户最多 20 人", "A household has at most 20 members"},
    {reason::kUpdateRefused, "登记信息不能这样更新", "The registered record cannot be updated this way"},
}};

// Sub-reasons ("detail") shown in brackets after the reason.
inline constexpr std::array<ReasonText, 22> kDetailTexts = {{
    {"length", "不是 18 位", "not 18 characters"},
    {"non-digit", "含有非数字字符", "a character that is not a digit"},
    {"lowercase-x", "校验位应为大写 X", "the check character must be an upper-case X"},
    {"check-char", "校验位错误，可能有录入错误", "wrong check character: probably a typo"},
    {"region", "地区码无效", "invalid region code"},
    {"unknown-region", "地区码不存在", "the region code does not exist"},
    {"birth-date", "号码中的出生日期不是有效日期", "the birth date in the number is not a calendar date"},
    {"birth-before-1900", "出生日期早于 1900 年", "born before 1900"},
    {"birth-in-future", "出生日期晚于今天", "born after today"},
    {"age-over-120", "年龄超过 120 岁", "older than 120 years"},
    {"not-a-date", "不是日期", "not a date"},
    {"not-a-calendar-day", "日历上没有这一天", "no such day in the calendar"},
    {"number-lost-precision", "超过 15 位的数字已被 Excel 截断，请将该列设为文本后重新录入",
     "Excel cut this number to 15 digits; format the column as text and enter it again"},
    {"formula-not-calculated", "公式没有保存计算结果", "a formula without a saved result"},
    {"error-value", "错误值（如 #N/A）", "an error value such as #N/A"},
    {"bad-number", "不是有效数字", "not a number"},
    {"unknown", "未知的标识", "unknown flag"},
    {"not-yes-no", "应为“是”或“否”", "must be yes or no"},
    {"residents/bad-household", "户主人数不对", "wrong number of heads"},
    {"residents/duplicate-id-number", "身份证号码已登记", "ID number already registered"},
    {"residents/bad-phone", "手机号码无效", "invalid phone number"},
    {"residents/bad-flag", "标识无效", "invalid flag"},
}};

}  // namespace gz::residents::import::problems
