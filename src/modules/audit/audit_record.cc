// Layer: audit domain (see audit_record.h).
#include "modules/audit/audit_record.h"

#include <memory>

#include "access/principal.h"
#include "crypto/secrets.h"
#include "modules/audit/problems.h"

namespace gz::audit {
namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutStr(std::string& out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(s);
}

Status BadEvent(std::string_view field) {
  return Status(Code::kInternal, std::string(problems::kBadEvent), "audit event field out of bounds")
      .With("field", std::string(field));
}

bool ValidAction(std::string_view action) {
  if (action.empty() || action.size() > kMaxActionBytes) return false;
  if (action.find('.') == std::string_view::npos || action.front() == '.' || action.back() == '.') return false;
  for (char c : action) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const std::string& GenesisHash() {
  static const std::string zeros(kHashBytes, '\0');
  return zeros;
}

std::string CanonicalEncoding(const AuditRecord& r) {
  const access::AuditEvent& e = r.event;
  std::string out;
  out.reserve(160 + e.action.size() + e.roles.size() + e.details.size() + e.purpose.size());
  PutStr(out, "gongzhi.audit.v1");
  PutU64(out, static_cast<uint64_t>(r.seq));
  PutU64(out, static_cast<uint64_t>(r.at_ms));
  PutStr(out, e.action);
  PutStr(out, e.outcome);
  PutU64(out, static_cast<uint64_t>(e.actor_account));
  PutU64(out, static_cast<uint64_t>(e.acting_for_account));
  PutU64(out, static_cast<uint64_t>(e.consent_id));
  PutStr(out, e.roles);
  PutStr(out, e.division);
  PutStr(out, e.object_type);
  PutStr(out, e.object_id);
  PutStr(out, e.purpose);
  PutStr(out, e.request_id);
  PutStr(out, e.details);
  PutStr(out, r.prev_hash);
  return out;
}

std::string ChainHash(const AuditRecord& record) { return crypto::Sha256(CanonicalEncoding(record)); }

Status NormalizeEvent(access::AuditEvent& e) {
  if (!ValidAction(e.action)) return BadEvent("action");
  if (e.outcome != access::outcome::kOk && e.outcome != access::outcome::kDenied &&
      e.outcome != access::outcome::kFailed)
    return BadEvent("outcome");
  if (e.actor_account < 0 || e.acting_for_account < 0 || e.consent_id < 0) return BadEvent("account");
  if (e.roles.size() > kMaxRolesBytes) return BadEvent("roles");
  if (!e.division.empty()) {
    std::string canonical = access::CanonicalScope(e.division);
    if (canonical.empty()) return BadEvent("division");
    e.division = std::move(canonical);
  }
  if (e.object_type.size() > kMaxObjectTypeBytes) return BadEvent("object_type");
  if (e.object_id.size() > kMaxObjectIdBytes) return BadEvent("object_id");
  if (e.purpose.size() > kMaxPurposeBytes) return BadEvent("purpose");
  if (e.request_id.size() > kMaxRequestIdBytes) return BadEvent("request_id");
  if (e.details.size() > kMaxDetailsBytes) return BadEvent("details");
  if (!e.details.empty() && (e.details.front() != '{' || e.details.back() != '}')) return BadEvent("details");
  return Status::Ok();
}

}  // namespace gz::audit
