// Roles (角色) and what may be combined: the vocabulary of authorization.
//
// Layer: access (standard library and core only). Every module names roles through this enum;
// the stable codes below are what the store, the API and the policy table use.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace gz::access {

enum class Role {
  kVillager,          // 村民
  kHelper,            // 数字帮办员: acts for villagers with their recorded consent
  kGridWorker,        // 网格员
  kVillageCadre,      // 村干部 (村委会)
  kSupervisor,        // 村务监督委员会成员
  kTownshipOfficial,  // 乡镇干部
  kCountyAdmin,       // 县级管理员
  kAuditor,           // 审计员: read-only, including the audit trail
  kOperator,          // 系统运维: runs the deployment, grants the top roles, reads no personal data
};
inline constexpr int kRoleCount = 9;

// "villager", "helper", "grid_worker", "village_cadre", "supervisor", "township_official",
// "county_admin", "auditor", "operator".
std::string_view RoleCode(Role role);
std::optional<Role> ParseRole(std::string_view code);
std::string_view RoleNameZh(Role role);
std::string_view RoleNameEn(Role role);
std::span<const Role> AllRoles();

// Staff roles must sign in with a second factor (TOTP). Every role but villager is staff: a
// helper reads and acts on other people's data, so it is held to the staff standard.
bool IsStaff(Role role);

// Separation of duties (MLPS 8.1.4.2 d): the roles that administer accounts (county admin,
// operator) and the role that audits them (auditor) are never held by one account.
bool Incompatible(Role a, Role b);

// Which roles a holder of `granter` may grant (always within the granter's own scope, never to
// itself): operator grants county_admin and auditor; county_admin grants township_official and
// every village-level staff role; township_official grants the village-level staff roles;
// village_cadre grants villager and helper. Nobody grants operator through the API (the
// `gongzhi account` CLI on the server does, which needs shell access to the data folder).
bool CanGrant(Role granter, Role granted);

}  // namespace gz::access
