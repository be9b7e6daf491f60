// Layer: appeals domain (see relations.h).
#include "modules/appeals/relations.h"

#include <algorithm>

namespace gz::appeals {
namespace {

bool Holds(const access::Person& person, access::Role role, std::string_view division) {
  return std::any_of(person.grants.begin(), person.grants.end(), [&](const access::Grant& g) {
    return g.role == role && access::ScopeContains(g.scope, division);
  });
}

}  // namespace

access::Role MemberRole(UnitLevel level) {
  switch (level) {
    case UnitLevel::kVillage: return access::Role::kVillageCadre;
    case UnitLevel::kTownship: return access::Role::kTownshipOfficial;
    case UnitLevel::kCounty: return access::Role::kCountyAdmin;
  }
  return access::Role::kCountyAdmin;
}

bool IsMemberOf(const access::Person& person, const HandlingUnit& unit) {
  return Holds(person, MemberRole(unit.level), unit.division);
}

HandlingUnit OversightUnitOf(const HandlingUnit& unit) {
  std::optional<HandlingUnit> next = NextLevelUnit(unit);
  if (next) return *next;
  return HandlingUnit{unit.level, unit.division, ""};
}

Relations RelationsOf(const access::Principal& principal, const Appeal& appeal) {
  Relations out = 0;
  if (principal.anonymous()) return out;
  const access::Person& subject = principal.subject();
  const bool is_submitter = (appeal.submitter_account != 0 && subject.account_id == appeal.submitter_account) ||
                            (appeal.submitter_resident != 0 && subject.resident_id == appeal.submitter_resident);
  if (is_submitter) {
    out |= kSubmitter;
    if (!principal.acting_for) out |= kSubmitterInPerson;
  }
  if (principal.acting_for) return out;
  const access::Person& self = principal.self;
  if (IsMemberOf(self, appeal.unit)) out |= kHandler;
  if (IsMemberOf(self, OversightUnitOf(appeal.unit))) out |= kNextLevel;
  if (appeal.state == AppealState::kEscalated && appeal.escalated_to && IsMemberOf(self, *appeal.escalated_to))
    out |= kEscalationTarget;
  if (Holds(self, access::Role::kSupervisor, appeal.village)) out |= kSupervisor;
  return out;
}

Relations RecorderRelation(const access::Principal& principal, std::string_view village) {
  if (principal.anonymous() || principal.acting_for) return 0;
  if (Holds(principal.self, access::Role::kGridWorker, village) || Holds(principal.self, access::Role::kVillageCadre, village))
    return kRecorder;
  return 0;
}

}  // namespace gz::appeals
