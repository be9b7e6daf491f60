// Problem types of the residents module (slugs are stable; texts may change). Arguments never
// carry personal data: a bad ID number is reported by its reason and position, not its digits.
//
// Layer: residents domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::residents::problems {

inline constexpr std::string_view kBadIdNumber = "residents/bad-id-number";        // {reason} {why_zh} {why_en} [{member}]
inline constexpr std::string_view kBadPhone = "residents/bad-phone";               // [{member}]
inline constexpr std::string_view kBadName = "residents/bad-name";                 // [{member}]
inline constexpr std::string_view kBadAddress = "residents/bad-address";
inline constexpr std::string_view kBadVillageCode = "residents/bad-village-code";  // {code}
inline constexpr std::string_view kBadHousehold = "residents/bad-household";       // {reason}
inline constexpr std::string_view kDuplicateIdNumber = "residents/duplicate-id-number";
inline constexpr std::string_view kResidentNotFound = "residents/resident-not-found";
inline constexpr std::string_view kHouseholdNotFound = "residents/household-not-found";
inline constexpr std::string_view kSyntheticIdsExhausted = "residents/synthetic-ids-exhausted";  // {year}
inline constexpr std::string_view kBadSeedOptions = "residents/bad-seed-options";  // {reason}
// Issue #3.
inline constexpr std::string_view kBadFlag = "residents/bad-flag";                  // {reason} [{flag}] [{limit}]
inline constexpr std::string_view kBadRelation = "residents/bad-relation";          // [{member}]
inline constexpr std::string_view kBadGender = "residents/bad-gender";              // [{member}]
inline constexpr std::string_view kVillageNotFound = "residents/village-not-found";
inline constexpr std::string_view kEditConflict = "residents/edit-conflict";
inline constexpr std::string_view kNothingToChange = "residents/nothing-to-change";
inline constexpr std::string_view kBadPurpose = "residents/bad-purpose";            // {reason} {min} {max}
inline constexpr std::string_view kBadRevealFields = "residents/bad-reveal-fields"; // {reason} [{field}]
inline constexpr std::string_view kReadNotAudited = "residents/read-not-audited";
inline constexpr std::string_view kBadQuery = "residents/bad-query";                // {param} {reason}
inline constexpr std::string_view kNotLinked = "residents/not-linked";
inline constexpr std::string_view kBadCorrection = "residents/bad-correction";      // {reason} [{limit}]
inline constexpr std::string_view kCorrectionNotFound = "residents/correction-not-found";
inline constexpr std::string_view kCorrectionClosed = "residents/correction-closed";
inline constexpr std::string_view kOwnRequest = "residents/own-request";
inline constexpr std::string_view kTooManyOpenCorrections = "residents/too-many-open-corrections";  // {limit}

inline constexpr std::array<ProblemText, 27> kTexts = {{
    {kBadIdNumber, "身份证号码无效", "身份证号码无效：{why_zh}（{reason}）", "Invalid ID number",
     "The citizen ID number is invalid: {why_en} ({reason})"},
    {kBadPhone, "手机号码无效", "请填写 11 位手机号码", "Invalid phone number", "Enter an 11-digit mobile number"},
    {kBadName, "姓名无效", "姓名不能为空，且不超过 50 个字节", "Invalid name",
     "The name must be non-empty and at most 50 bytes"},
    {kBadAddress, "地址无效", "地址不能为空，且不超过 200 个字节", "Invalid address",
     "The address must be non-empty and at most 200 bytes"},
    {kBadVillageCode, "村代码无效", "村级区划代码应为 12 位数字：{code}", "Invalid village code",
     "A village code has 12 digits: {code}"},
    {kBadHousehold, "户信息无效", "户信息无效（{reason}）", "Invalid household", "The household is invalid ({reason})"},
    {kDuplicateIdNumber, "身份证号码已登记", "该身份证号码已在本区县登记", "ID number already registered",
     "This ID number is already registered in the county"},
    {kResidentNotFound, "居民不存在", "没有该居民", "Resident not found", "There is no such resident"},
    {kHouseholdNotFound, "户不存在", "没有该户", "Household not found", "There is no such household"},
    {kSyntheticIdsExhausted, "合成身份证号码已用完", "{year} 年的合成身份证号码已全部分配",
     "Synthetic ID numbers exhausted", "Every synthetic ID number of {year} is taken"},
    {kBadSeedOptions, "示范数据参数无效", "示范数据参数无效（{reason}）", "Invalid seeding options",
     "The demo seeding options are invalid ({reason})"},
    {kBadFlag, "标记无效", "标记无效（{reason}）：{flag}；最多 {limit} 个", "Invalid flag",
     "Invalid flag ({reason}): {flag}; at most {limit}"},
    {kBadRelation, "与户主关系无效", "与户主关系应为 head、spouse、child、parent 或 grandchild 之一",
     "Invalid relation", "The relation to the head must be one of head, spouse, child, parent, grandchild"},
    {kBadGender, "性别无效", "性别应为 male 或 female", "Invalid gender", "The gender must be male or female"},
    {kVillageNotFound, "村不存在", "没有该村（社区），或不在您的管辖范围内", "Village not found",
     "There is no such village, or it is outside your area"},
    {kEditConflict, "记录已被修改", "该记录刚被他人修改，请刷新后重试", "Record changed",
     "Someone else changed this record just now; reload it and try again"},
    {kNothingToChange, "没有要修改的内容", "请求中没有任何要修改的字段", "Nothing to change",
     "The request names no field to change"},
    {kBadPurpose, "查看目的无效", "请说明查看目的（{min} 到 {max} 个字符）", "Invalid purpose",
     "State why you need to see this ({min} to {max} characters)"},
    {kBadRevealFields, "查看字段无效", "字段无效（{reason}）：{field}", "Invalid fields",
     "Invalid fields ({reason}): {field}"},
    {kReadNotAudited, "暂时无法查看个人信息", "审计记录暂时无法写入，为保护个人信息已拒绝本次查看，请稍后重试",
     "Personal data unavailable", "The audit trail cannot be written right now, so the read was refused; try again later"},
    {kBadQuery, "查询参数无效", "查询参数 {param} 无效（{reason}）", "Invalid query parameter",
     "The query parameter {param} is invalid ({reason})"},
    {kNotLinked, "账户未关联居民信息", "您的账户尚未关联居民登记信息，请联系村委会", "No resident record",
     "Your account is not linked to a resident record; ask the village committee"},
    {kBadCorrection, "更正申请无效", "更正申请无效（{reason}）", "Invalid correction request",
     "The correction request is invalid ({reason})"},
    {kCorrectionNotFound, "更正申请不存在", "没有该更正申请", "Correction request not found",
     "There is no such correction request"},
    {kCorrectionClosed, "更正申请已处理", "该更正申请已经处理过了", "Correction request closed",
     "This correction request has already been resolved"},
    {kOwnRequest, "不能处理自己的申请", "不能处理自己提出的更正申请，请由其他村干部处理", "Own request",
     "You cannot resolve your own correction request; another cadre must"},
    {kTooManyOpenCorrections, "待处理的更正申请过多", "同时最多可有 {limit} 个待处理的更正申请",
     "Too many open requests", "At most {limit} correction requests can be open at once"},
}};

}  // namespace gz::residents::problems
