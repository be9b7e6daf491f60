#include "access/gate.h"

#include "core/log.h"

namespace gz::access {
namespace {

Status StatusFor(Decision d) {
  switch (d) {
    case Decision::kUnauthenticated: return Status(Code::kUnauthenticated, std::string(problems::kUnauthenticated));
    default: return Status(Code::kPermissionDenied, std::string(problems::kForbidden));
  }
}

}  // namespace

void Gate::RecordDenial(const Principal& principal, std::string_view permission, Decision decision,
                        std::string_view division, std::string_view route) const {
  AuditEvent e = EventFor(principal, "access.denied");
  e.outcome = outcome::kDenied;
  e.division = std::string(division);
  std::string details = "{\"permission\":\"";
  log::AppendJsonEscaped(details, permission);
  details += "\",\"decision\":\"";
  details += DecisionName(decision);
  details += "\",\"route\":\"";
  log::AppendJsonEscaped(details, route);
  details += "\"}";
  e.details = std::move(details);
  if (audit_ == nullptr) return;
  Status s = audit_->Append(e);
  if (!s.ok()) log::Error("access.denial_not_audited", {{"request_id", principal.request_id}, {"detail", s.ToString()}});
}

Status Gate::Admit(const Principal& principal, std::string_view permission, std::string_view route) const {
  Decision d = MayAttempt(principal, permission);
  if (d == Decision::kAllow) return Status::Ok();
  RecordDenial(principal, permission, d, "", route);
  return StatusFor(d);
}

Status Gate::Require(const Principal& principal, std::string_view permission, const Target& target,
                     Status not_found) const {
  Decision d = Check(principal, permission, target);
  if (d == Decision::kAllow) return Status::Ok();
  RecordDenial(principal, permission, d, target.division, "");
  return d == Decision::kNotFound ? std::move(not_found) : StatusFor(d);
}

}  // namespace gz::access
