// Mainland China mobile numbers (11 digits, 1xx xxxx xxxx) and the synthetic range of demo data.
//
// Layer: residents domain (standard library only).
//
// Synthetic range (docs/decisions/0005-synthetic-demo-data.md): China has no official fictional
// range like the North American 555-01xx. Demo and test phone numbers use the network prefix
// 154, which MIIT has not allocated to any operator (142/143/154/161/164/194 were the unallocated
// 1xx prefixes in public listings as of 2022-2024; 140-144 are 13-digit IoT numbers). No
// subscriber can hold a 154 number today; if MIIT ever allocates 154, change
// kSyntheticMobilePrefix and re-seed (the decision records how to re-check).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gz::residents {

inline constexpr std::string_view kSyntheticMobilePrefix = "154";

// Folds what people type into 11 digits: drops spaces, '-', '(' and ')', and a leading "+86",
// "0086" or "86" country code. Returns nullopt unless the result is a mainland mobile number:
// 11 digits starting with 13-19.
std::optional<std::string> NormalizeMobile(std::string_view typed);

// True for 11 ASCII digits starting with 13..19 (already normalized).
bool IsMainlandMobile(std::string_view digits);

// True for a normalized number in the synthetic range.
bool IsSyntheticMobile(std::string_view digits);

}  // namespace gz::residents
