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
#include <string>
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

// Which unit handles a category (诉求分派规则): "in this place, water supply goes to the county's
// water department". A rule sits on a county, a township or a village (the most specific wins, as
// for deadlines) and names a LEVEL and a department, not a division: the division is the level's
// division of the appeal's own village, so one county rule "township" sends every village's
// appeals to its own township office.
struct UnitRule {
  std::string scope;     // canonical 12-digit code of a county, township or village
  std::string category;  // a catalogue code
  UnitLevel level = UnitLevel::kVillage;
  std::string department;  // "" or [a-z0-9_]{1,32}
  int64_t set_by = 0;      // account
  int64_t set_at_ms = 0;
  bool operator==(const UnitRule&) const = default;
};

struct ResolvedUnit {
  HandlingUnit unit;
  std::string source;  // the scope of the rule used, or "default"
};

// The unit at `level` (with `department`) that serves `village`: its committee, its township or
// its county. kInvalidArgument "appeals/bad-unit" {reason: "department"} for a bad department.
Result<HandlingUnit> UnitServingVillage(UnitLevel level, std::string_view department, std::string_view village);

// The handling unit a new appeal of `category` in `village` goes to unless staff choose another:
// the village's rule, else its township's, else its county's (rules for other places or
// categories in `rules` are ignored), else the village committee (村委会), the first to know; a
// transfer (流转) moves an appeal up in one step.
ResolvedUnit ResolveUnit(std::span<const UnitRule> rules, std::string_view category, std::string_view village);
// The built-in default: the village committee.
HandlingUnit DefaultUnitFor(const Category& category, std::string_view village);

}  // namespace gz::appeals
