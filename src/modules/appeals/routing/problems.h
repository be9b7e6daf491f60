// Problem types of appeal routing (suggestions). Arguments are counts, never text.
//
// Layer: appeals domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::appeals::routing::problems {

// 409: neither the village nor its township nor its county has enough confirmed appeals to learn
// from. {village_count} {township_count} {county_count} {needed}
inline constexpr std::string_view kNotEnoughHistory = "appeals/not-enough-history";

// 404: the village of a suggestion request does not exist or lies outside the caller's reach
// (the two cannot be told apart).
inline constexpr std::string_view kVillageNotFound = "appeals/village-not-found";

inline constexpr std::array<ProblemText, 2> kTexts = {{
    {kVillageNotFound, "没有该村", "没有该村，或该村不在您的范围内", "Village not found",
     "There is no such village, or it is outside your area"},
    {kNotEnoughHistory, "历史诉求不足，暂无分派建议",
     "本村已确认的诉求有 {village_count} 件，所在乡镇 {township_count} 件，全县 {county_count} 件，"
     "至少需要 {needed} 件才能给出分类和承办单位建议；请工作人员直接选择",
     "Not enough history for a suggestion",
     "The village has {village_count} confirmed appeals, its township {township_count} and the county "
     "{county_count}; at least {needed} are needed to suggest a category and a handling unit, so staff "
     "choose them directly"},
}};

}  // namespace gz::appeals::routing::problems
