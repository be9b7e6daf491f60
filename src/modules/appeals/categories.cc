// Layer: appeals domain (see categories.h).
#include "modules/appeals/categories.h"

#include <array>

namespace gz::appeals {
namespace {

using C = DeadlineClass;

// Deadline classes follow the Beijing 接诉即办 rules: hazards to life or property are
// emergencies; water, power and gas outages are utilities; land contracts and neighbour disputes
// need investigation and mediation, so they are complex; everything else is general.
constexpr std::array<Category, 17> kCategories = {{
    {"safety_hazard", "安全隐患", "Safety hazard", "alert", C::kEmergency},
    {"water_supply", "供水", "Water supply", "water", C::kUtilities},
    {"power_supply", "供电", "Power supply", "power", C::kUtilities},
    {"gas_supply", "燃气", "Gas supply", "flame", C::kUtilities},
    {"roads", "道路交通", "Roads and transport", "road", C::kGeneral},
    {"street_lights", "路灯照明", "Street lights", "lamp", C::kGeneral},
    {"sanitation", "环境卫生", "Sanitation and rubbish", "broom", C::kGeneral},
    {"housing_safety", "房屋安全", "Housing safety", "house", C::kGeneral},
    {"agriculture", "农业生产", "Farming", "sprout", C::kGeneral},
    {"social_assistance", "社会救助", "Social assistance", "hands", C::kGeneral},
    {"elderly_care", "养老服务", "Care for the elderly", "elder", C::kGeneral},
    {"health", "医疗卫生", "Health care", "medical", C::kGeneral},
    {"education", "教育", "Education", "school", C::kGeneral},
    {"village_affairs", "村务管理", "Village affairs", "notice", C::kGeneral},
    {"land", "土地承包", "Land contracts", "field", C::kComplex},
    {"dispute", "邻里纠纷", "Neighbour disputes", "talk", C::kComplex},
    {"other", "其他", "Other", "more", C::kGeneral},
}};

}  // namespace

std::span<const Category> Categories() { return kCategories; }

const Category* FindCategory(std::string_view code) {
  for (const Category& c : kCategories)
    if (c.code == code) return &c;
  return nullptr;
}

HandlingUnit DefaultUnitFor(const Category& category, std::string_view village) { return VillageUnitOf(village); }

Result<HandlingUnit> UnitServingVillage(UnitLevel level, std::string_view department, std::string_view village) {
  switch (level) {
    case UnitLevel::kVillage: return MakeUnit(level, village, department);
    case UnitLevel::kTownship: return MakeUnit(level, TownshipOf(village), department);
    case UnitLevel::kCounty: return MakeUnit(level, CountyOf(village), department);
  }
  return MakeUnit(level, village, department);
}

ResolvedUnit ResolveUnit(std::span<const UnitRule> rules, std::string_view category, std::string_view village) {
  for (const std::string& scope : RuleScopesFor(village)) {
    for (const UnitRule& r : rules) {
      if (r.scope != scope || r.category != category) continue;
      // A stored rule was validated when set; a department that no longer validates falls back
      // to the default rather than leaving the appeal without a unit.
      Result<HandlingUnit> unit = UnitServingVillage(r.level, r.department, village);
      if (unit.ok()) return {*unit, scope};
    }
  }
  const Category* c = FindCategory(category);
  HandlingUnit unit = c ? DefaultUnitFor(*c, village) : VillageUnitOf(village);
  return {unit, "default"};
}

}  // namespace gz::appeals
