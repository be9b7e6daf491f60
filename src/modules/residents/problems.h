// Problem types of the residents module (slugs are stable; texts may change). Arguments never
// carry personal data: a bad ID number is reported by its reason and position, not its digits.
//
// Layer: residents domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::residents::problems {

inline constexpr std::string_view kBadIdNumber = "residents/bad-id-number";        // {reason} [{member}]
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

inline constexpr std::array<ProblemText, 9> kTexts = {{
    {kBadIdNumber, "身份证号码无效", "身份证号码无效（{reason}）", "Invalid ID number",
     "The citizen ID number is invalid ({reason})"},
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
}};

}  // namespace gz::residents::problems
