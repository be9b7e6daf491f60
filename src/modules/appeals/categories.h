// The category catalogue (诉求分类): what villagers pick, by picture and word, when they file an
// appeal, and the deadline class each category falls in.
//
// Layer: appeals domain. The catalogue is part of the program (a code list, like the states):
// stored appeals keep the code, so a code is never renamed or reused; a retired category stays in
// the list with `retired = true` (old appeals still show it; new ones cannot pick it). Texts are
// for the web app, which shows `icon` (a key into its icon set) beside the name.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "modules/appeals/appeal.h"
#include "modules/appeals/deadlines.h"

namespace gz::appeals {

struct Category {
  std::string_view code;     // "water_supply": stored, and the API's value
  std::string_view name_zh;  // "供水"
  std::string_view name_en;  // "Water supply"
  std::string_view icon;     // "water": the web app's icon key
  DeadlineClass deadline_class;
  bool retired = false;
};

// Every category, in display order ("other" last).
std::span<const Category> Categories();
// nullptr for an unknown code.
const Category* FindCategory(std::string_view code);

// The handling unit a new appeal of `category` in `village` goes to unless staff choose another:
// the village committee (村委会) for every category, since the committee is the first to know
// and a transfer (流转) moves it up in one step. Routing per village (issue #4, "Routing") will
// refine this from the village's own history.
HandlingUnit DefaultUnitFor(const Category& category, std::string_view village);

}  // namespace gz::appeals
