// Problem types of the audit module (slugs are stable; texts may change).
//
// Layer: audit domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::audit::problems {

inline constexpr std::string_view kUnavailable = "audit/unavailable";  // kUnavailable: the trail cannot be written
inline constexpr std::string_view kBadEvent = "audit/bad-event";       // kInternal, {field}: a module's bug
inline constexpr std::string_view kBadFilter = "audit/bad-filter";     // kInvalidArgument, {field}

inline constexpr std::array<ProblemText, 3> kTexts = {{
    {kUnavailable, "审计日志暂不可用", "无法写入审计日志，为保护个人信息，本次操作已拒绝，请稍后重试",
     "Audit trail unavailable",
     "The audit trail cannot be written right now, so this action was refused to protect personal data; please retry later"},
    {kBadEvent, "内部错误", "审计记录不完整（{field}）", "Internal error", "An audit record was malformed ({field})"},
    {kBadFilter, "查询条件无效", "查询条件 {field} 无效", "Invalid filter", "The filter {field} is invalid"},
}};

}  // namespace gz::audit::problems
