#include "access/audit_event.h"

#include "access/principal.h"

namespace gz::access {

AuditEvent EventFor(const Principal& principal, std::string action) {
  AuditEvent e;
  e.action = std::move(action);
  e.actor_account = principal.self.account_id;
  if (principal.acting_for) {
    e.acting_for_account = principal.acting_for->person.account_id;
    e.consent_id = principal.acting_for->consent_id;
  }
  for (const Grant& g : principal.self.grants) {
    if (!e.roles.empty()) e.roles += ';';
    e.roles += RoleCode(g.role);
    e.roles += '@';
    e.roles += g.scope;
  }
  e.request_id = principal.request_id;
  return e;
}

}  // namespace gz::access
