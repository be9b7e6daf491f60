#include "access/role.h"

#include <array>

namespace gz::access {
namespace {

struct RoleText {
  Role role;
  std::string_view code, zh, en;
};
constexpr std::array<RoleText, kRoleCount> kRoles = {{
    {Role::kVillager, "villager", "村民", "Villager"},
    {Role::kHelper, "helper", "数字帮办员", "Digital helper"},
    {Role::kGridWorker, "grid_worker", "网格员", "Grid worker"},
    {Role::kVillageCadre, "village_cadre", "村干部", "Village cadre"},
    {Role::kSupervisor, "supervisor", "村务监督委员会成员", "Village supervision committee member"},
    {Role::kTownshipOfficial, "township_official", "乡镇干部", "Township official"},
    {Role::kCountyAdmin, "county_admin", "县级管理员", "County administrator"},
    {Role::kAuditor, "auditor", "审计员", "Auditor"},
    {Role::kOperator, "operator", "系统运维", "System operator"},
}};
constexpr std::array<Role, kRoleCount> kAll = {Role::kVillager,     Role::kHelper,           Role::kGridWorker,
                                               Role::kVillageCadre, Role::kSupervisor,       Role::kTownshipOfficial,
                                               Role::kCountyAdmin,  Role::kAuditor,          Role::kOperator};

const RoleText& Text(Role role) { return kRoles[static_cast<size_t>(role)]; }

bool IsAdministering(Role r) { return r == Role::kCountyAdmin || r == Role::kOperator; }

}  // namespace

std::string_view RoleCode(Role role) { return Text(role).code; }
std::string_view RoleNameZh(Role role) { return Text(role).zh; }
std::string_view RoleNameEn(Role role) { return Text(role).en; }
std::span<const Role> AllRoles() { return kAll; }

std::optional<Role> ParseRole(std::string_view code) {
  for (const auto& r : kRoles)
    if (r.code == code) return r.role;
  return std::nullopt;
}

bool IsStaff(Role role) { return role != Role::kVillager; }

bool Incompatible(Role a, Role b) {
  return (a == Role::kAuditor && IsAdministering(b)) || (b == Role::kAuditor && IsAdministering(a));
}

bool CanGrant(Role granter, Role granted) {
  switch (granter) {
    case Role::kOperator:
      return granted == Role::kCountyAdmin || granted == Role::kAuditor;
    case Role::kCountyAdmin:
      return granted == Role::kTownshipOfficial || granted == Role::kVillageCadre || granted == Role::kSupervisor ||
             granted == Role::kGridWorker || granted == Role::kHelper || granted == Role::kVillager;
    case Role::kTownshipOfficial:
      return granted == Role::kVillageCadre || granted == Role::kSupervisor || granted == Role::kGridWorker ||
             granted == Role::kHelper || granted == Role::kVillager;
    case Role::kVillageCadre:
      return granted == Role::kVillager || granted == Role::kHelper;
    default:
      return false;
  }
}

}  // namespace gz::access
