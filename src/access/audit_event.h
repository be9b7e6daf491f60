// AuditEvent: what the audit trail records, and the port modules write it through.
//
// Layer: access (standard library and core only). The audit module (src/modules/audit) owns the
// store: it assigns the sequence number and time, and chains each record to the one before by
// hash, so that an edited or deleted record is detected. Modules that change state write the
// event in the same transaction as the change (audit's SQL helper AppendAuditInTx); reads of
// personal data and denials go through AuditSink::Append, which is durable before it returns
// (a read whose audit cannot be written is refused: fail closed).
//
// NEVER put personal data in an event: no names, ID numbers, phone numbers, addresses,
// passwords, tokens. Objects are named by their ids; the purpose is the caller's stated reason.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace gz::access {

struct Principal;

namespace outcome {
inline constexpr const char* kOk = "ok";
inline constexpr const char* kDenied = "denied";  // authorization refused it
inline constexpr const char* kFailed = "failed";  // e.g. a wrong password
}  // namespace outcome

struct AuditEvent {
  std::string action;          // "residents.reveal", "auth.sign_in", "accounts.grant", ...
  std::string outcome = outcome::kOk;
  int64_t actor_account = 0;   // 0: anonymous or the system itself
  int64_t acting_for_account = 0;  // the villager a helper acted for, or 0
  int64_t consent_id = 0;      // the consent that allowed it, or 0
  std::string roles;           // "village_cadre@420114001001;grid_worker@..." held when acting
  std::string division;        // canonical code of the object's place, "" if none
  std::string object_type;     // "resident", "household", "account", "session", "consent", ...
  std::string object_id;
  std::string purpose;         // stated purpose of a personal-data read; "" otherwise
  std::string request_id;
  std::string details;         // a JSON object (or ""): extra facts, never personal data
};

// Fills actor, acting-for, consent, roles and request id from `principal`.
AuditEvent EventFor(const Principal& principal, std::string action);

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Appends one record in its own transaction; returns once it is durable.
  // kUnavailable "audit/unavailable" when it cannot be written (callers then refuse the read).
  virtual Status Append(const AuditEvent& event) = 0;
};

}  // namespace gz::access
