// Who someone is to an appeal: the relations of appeal_state.h, computed from a Principal.
//
// Layer: appeals domain. The policy table (access/) decides whether a role may call a route at
// all and whether the appeal lies in the caller's area; these relations decide which transitions
// the caller may perform on this particular appeal.
//
// Membership of a handling unit is read from the caller's grants: the level's role over the
// unit's division (village committee: village_cadre; township office: township_official; county:
// county_admin). A helper acting for a villager (X-Acting-For) stands only in the villager's
// relations: staff relations come from the caller's own grants and only when acting for nobody.
#pragma once

#include "access/principal.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_state.h"

namespace gz::appeals {

// The role whose holders are members of units of `level`.
access::Role MemberRole(UnitLevel level);
// True if `person` holds MemberRole(unit.level) over a scope containing unit.division.
bool IsMemberOf(const access::Person& person, const HandlingUnit& unit);

// The unit that oversees `unit`: the next level up; the county oversees itself (there is no
// level above it in a deployment, which serves one county).
HandlingUnit OversightUnitOf(const HandlingUnit& unit);

// The relations of `principal` to an existing appeal (never kRecorder or kSystem).
Relations RelationsOf(const access::Principal& principal, const Appeal& appeal);

// kRecorder if `principal` (acting for nobody) is a grid worker or village cadre over `village`.
Relations RecorderRelation(const access::Principal& principal, std::string_view village);

}  // namespace gz::appeals
