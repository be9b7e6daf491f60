// ConsentService: recording, reading and revoking consents, with the rules of docs/security-consents.md.
//
// Layer: consents domain (service). Authorization is the caller's (api/) job and happens first:
// function level by the dispatcher's guard, object level by access::Gate::Require on the Target
// that GrantTarget() / TargetsOf() name. The service then applies the rules a policy table cannot
// express: who may record which method, what each method needs, the validity window, no
// overlapping consents for one pair. Every change is written with its audit event in one
// transaction (ConsentStore); every read of evidence is audited before it is returned, and
// refused when the audit cannot be written (fail closed).
//
// Thread-safe (the store, the account facts and the audit sink must be).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "access/policy.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/consents/account_facts.h"
#include "modules/consents/consent.h"
#include "modules/consents/consent_store.h"
#include "sms/sms_gateway.h"

namespace gz::consents {

struct GrantRequest {
  int64_t villager_account = 0;
  int64_t helper_account = 0;
  std::vector<std::string> actions;      // permission names; sorted and checked by Grant()
  std::optional<int64_t> valid_from_ms;  // default: now
  std::optional<int64_t> valid_until_ms; // exactly one of valid_until_ms and valid_days
  std::optional<int> valid_days;         // 1..366, counted from valid_from
  Method method = Method::kInApp;
  std::optional<std::string> evidence_image;  // decoded bytes (JPEG or PNG), in-person methods
  std::optional<std::string> attestation;     // phone_call: the recorder's account of the call
  std::optional<int64_t> call_at_ms;          // phone_call: when the call took place; default now
};

// Evidence opened for a reader.
struct Evidence {
  SealedEvidence::Kind kind = SealedEvidence::Kind::kImage;
  std::string media_type;  // "image/jpeg", "image/png", or "text/plain; charset=utf-8"
  std::string content;
};

// A code request that was sent.
struct SmsCodeSent {
  SmsChallenge challenge;
  std::string sent_to;  // the villager's phone, masked (154****0001)
};

class ConsentService {
 public:
  // All must outlive the service. `audit` receives the personal-data reads (durable Append).
  // `sms` may be null: then consents by SMS code answer "consents/sms-unavailable".
  ConsentService(ConsentStore& store, AccountFacts& accounts, const crypto::FieldCipher& cipher,
                 access::AuditSink& audit, const Clock& clock, sms::SmsGateway* sms = nullptr);

  // Where a new consent of this villager would live, for gate.Require("consents.grant"):
  // {division = home village, owner_account = villager}. kNotFound "consents/villager-not-found"
  // for an unknown account or one without a home village.
  Result<access::Target> GrantTarget(int64_t villager_account);

  // Records a consent (see the rules in docs/security-consents.md). `recorder` has passed the
  // gate for GrantTarget(request.villager_account). Errors: the problems of problems.h.
  Result<Consent> Grant(const access::Principal& recorder, const GrantRequest& request);

  // kNotFound "consents/consent-not-found".
  Result<Consent> Get(int64_t id);

  // The object-level targets of a consent: one per party (the villager's first), each in the
  // villager's village. A caller passes if it passes for either.
  static std::array<access::Target, 2> TargetsOf(const Consent& consent);

  Result<ConsentPage> List(ConsentQuery query);

  // Opens the evidence for `reader` (who has passed the gate for TargetsOf(consent)) and writes
  // "consents.read_personal" to the audit trail before returning it. Errors:
  //   kInvalidArgument "consents/bad-purpose"; kNotFound "consents/no-evidence";
  //   kFailedPrecondition "crypto/integrity-failure" (altered, moved, or not matching the record's
  //   SHA-256: never returned); the sink's error (kUnavailable "audit/unavailable") -- fail closed.
  Result<Evidence> ReadEvidence(const access::Principal& reader, const Consent& consent, std::string_view purpose);

  // Revokes at once: the next acted-for request finds no consent. Returns the revoked consent.
  // kInvalidArgument "consents/bad-reason"; kNotFound; kFailedPrecondition "consents/already-revoked".
  Result<Consent> Revoke(const access::Principal& by, int64_t id, const std::string& reason);

  // ---- consent by SMS code (consent.h, SmsChallenge) ----
  // Checks `request` (method sms_code, no evidence) exactly as Grant would, then sends the
  // villager's phone a text saying who asks, for what, until when, with a fresh 6-digit code, and
  // records the challenge with its audit event ("consents.sms_challenge") before sending. The
  // recorder has passed the gate for GrantTarget(request.villager_account). Errors: Grant's;
  // kFailedPrecondition "consents/sms-unavailable" (no gateway), "consents/no-phone";
  // kRateLimited "consents/sms-rate-limited" {limit, per}; kUnavailable "consents/sms-send-failed"
  // (recorded but not sent: the code is unknown to anyone and expires).
  Result<SmsCodeSent> RequestSmsCode(const access::Principal& recorder, const GrantRequest& request);
  // The challenge, to the account that asked for it only: kNotFound
  // "consents/sms-challenge-not-found" for anyone else.
  Result<SmsChallenge> GetSmsChallenge(const access::Principal& by, int64_t id);
  // Records the consent the challenge describes if `code` is its code, still unused, within 10
  // minutes and with fewer than 5 wrong tries; the helper and the villager are checked again as
  // Grant checks them. The consent starts when the code is entered (never before) and ends when
  // the text said. Errors: kNotFound "consents/sms-challenge-not-found";
  // kInvalidArgument "consents/bad-sms-code", "consents/sms-code-wrong" {attempts_left} (counted,
  // audited as "consents.sms_code_wrong"); kFailedPrecondition "consents/sms-code-expired" |
  // "-used" | "-exhausted"; Grant's (overlap, helper no longer eligible, ...).
  Result<Consent> ConfirmSmsCode(const access::Principal& recorder, int64_t challenge_id, std::string_view code);
  bool sms_available() const { return sms_ != nullptr; }

  int64_t NowMs() const;

 private:
  // Every check of Grant, and the consent it would record (no evidence yet).
  Result<Consent> Draft(const access::Principal& recorder, const GrantRequest& request, int64_t now_ms);
  Status CheckRecorder(const access::Principal& recorder, const GrantRequest& request, std::string_view village) const;
  Status CheckMethodFields(const GrantRequest& request, int64_t now_ms) const;

  ConsentStore& store_;
  AccountFacts& accounts_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& audit_;
  const Clock& clock_;
  sms::SmsGateway* sms_;
};

// The text a villager receives: who asks (the helper's last four phone digits), for what (in
// words), until when (China date), the code, and "tell nobody if you do not agree".
std::string SmsConsentText(const SmsChallenge& challenge, std::string_view helper_phone, std::string_view code);

}  // namespace gz::consents
