// Sensitive flags of a resident (独居老人, 残疾, 低保, ...): the vocabulary and its sealed form.
//
// Layer: residents domain (standard library only). Flags are sensitive personal information
// (PIPL art. 28): they are sealed at rest as ONE column holding a small JSON array of codes
// ("[\"disability\",\"low_income\"]"), bound to its row like every sealed column, never shown in
// masked views, and read in clear only through the audited reader.
//
// Extending the set: add a row to kResidentFlags (a new code, both names). Codes are stable
// forever; a code removed from the table still reads back (old rows keep their values) but can no
// longer be written.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::residents {

struct FlagDefinition {
  std::string_view code;     // "elderly_alone"
  std::string_view name_zh;  // "独居老人"
  std::string_view name_en;  // "Elderly person living alone"
};

inline constexpr std::array<FlagDefinition, 3> kResidentFlags = {{
    {"elderly_alone", "独居老人", "Elderly person living alone"},
    {"disability", "残疾", "Disability"},
    {"low_income", "低保", "Minimum living allowance (dibao)"},
}};
inline constexpr size_t kMaxFlags = 16;
inline constexpr size_t kMaxFlagCodeBytes = 32;

// nullptr for a code that is not in kResidentFlags.
const FlagDefinition* FindFlag(std::string_view code);

// The flags as they are stored: known codes, sorted, each once. Duplicates are folded.
// kInvalidArgument "residents/bad-flag" (argument "reason": "unknown" with "flag" = the code cut to
// 32 bytes, or "too-many" with "limit").
Result<std::vector<std::string>> NormalizeFlags(std::span<const std::string> codes);

// The sealed plaintext: a JSON array of the codes, e.g. ["disability","low_income"]; "[]" for none.
// REQUIRES: codes of [a-z0-9_] (NormalizeFlags guarantees it).
std::string EncodeFlags(std::span<const std::string> flags);
// The inverse. Accepts exactly what EncodeFlags writes (codes of [a-z0-9_], at most kMaxFlags);
// anything else is kFailedPrecondition "crypto/integrity-failure" (argument column "flags"): an
// opened value that does not parse was not written by gongzhi.
Result<std::vector<std::string>> DecodeFlags(std::string_view encoded);

}  // namespace gz::residents
