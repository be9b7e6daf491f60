// ConsentStore: the port through which the consents domain reaches its data.
//
// Layer: consents domain (port). Implemented with SQL in sql/sql_consent_store.h. Every change is
// written together with its audit event in ONE transaction, so a consent never exists (or ends)
// without its record in the audit trail, and an audit failure undoes the change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/consents/consent.h"

namespace gz::consents {

// Evidence as stored: a FieldCipher envelope bound (associated data) to its consent and kind.
struct SealedEvidence {
  enum class Kind { kImage, kAttestation };
  Kind kind = Kind::kImage;
  std::string sealed;
  bool operator==(const SealedEvidence&) const = default;
};
std::string_view EvidenceKindCode(SealedEvidence::Kind kind);  // "image" | "attestation"
// "consents_evidence.content:<consent id>|<kind>": a sealed image moved to another consent (or
// swapped with an attestation) fails to open.
std::string EvidenceAssociatedData(int64_t consent_id, SealedEvidence::Kind kind);

// A list query: the REACH (scopes OR party) limits what may be returned at all; the filters
// narrow it further. With neither scopes nor a party, nothing is returned.
struct ConsentQuery {
  std::vector<std::string> scopes;  // canonical division codes: the consent's village lies in one
  int64_t party_account = 0;        // or this account is the consent's villager or helper
  std::string village;              // filter: exactly this 12-digit village, or ""
  int64_t villager_account = 0;     // filter, or 0
  int64_t helper_account = 0;       // filter, or 0
  std::optional<bool> active;       // filter: ActiveAt(now_ms) is this
  int64_t now_ms = 0;
  int limit = 50;                   // 1..200
  int64_t offset = 0;
};

struct ConsentPage {
  std::vector<Consent> items;  // newest first (by id)
  int64_t total = 0;           // matching the query, without limit and offset
};

class ConsentStore {
 public:
  virtual ~ConsentStore() = default;

  // Inserts `consent` (with `evidence`, if any) and appends `event`, in one write transaction.
  // Refuses with kAlreadyExists "consents/overlapping-consent" {consent: the existing id} when the
  // same villager and helper have a non-revoked consent whose window overlaps this one's.
  virtual Status Insert(const Consent& consent, const std::optional<SealedEvidence>& evidence,
                        const access::AuditEvent& event, int64_t now_ms) = 0;

  virtual Result<std::optional<Consent>> Get(int64_t id) = 0;
  virtual Result<std::optional<SealedEvidence>> GetEvidence(int64_t consent_id) = 0;
  virtual Result<ConsentPage> List(const ConsentQuery& query) = 0;

  // Marks the consent revoked at `now_ms` by `by` and appends `event`, in one write transaction.
  // kNotFound "consents/consent-not-found"; kFailedPrecondition "consents/already-revoked" (also
  // when a concurrent revocation won).
  virtual Status Revoke(int64_t id, int64_t by, const std::string& reason, int64_t now_ms,
                        const access::AuditEvent& event) = 0;

  // ---- SMS-code consents ----
  // Inserts the challenge and appends `event`, in one write transaction, unless the villager
  // already received kSmsPerVillagerPerHour challenges, or the requester asked for
  // kSmsPerRequesterPerHour, in the hour before now_ms: kRateLimited "consents/sms-rate-limited"
  // {limit, per: "villager" | "requester"}. Counted inside the transaction, so concurrent requests
  // cannot slip past the limit together.
  virtual Status InsertChallenge(const SmsChallenge& challenge, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<SmsChallenge>> GetChallenge(int64_t id) = 0;
  // Counts one wrong code and appends `event`, in one write transaction, unless the challenge is
  // used or has no attempts left (kFailedPrecondition "consents/sms-code-used" or
  // "consents/sms-code-exhausted": two concurrent wrong guesses cannot get a sixth try).
  // Returns the attempts counted after this one.
  virtual Result<int> CountWrongCode(int64_t id, const access::AuditEvent& event, int64_t now_ms) = 0;
  // Marks the challenge used by `consent` and inserts the consent (as Insert does, overlap check
  // included) and appends `event`, in one write transaction; refuses with kFailedPrecondition
  // "consents/sms-code-used" | "consents/sms-code-exhausted" | "consents/sms-code-expired" when
  // the challenge changed since it was read.
  virtual Status ConsumeChallenge(int64_t challenge_id, const Consent& consent, const access::AuditEvent& event,
                                  int64_t now_ms) = 0;
};

}  // namespace gz::consents
