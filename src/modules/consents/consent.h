// Consent (代办授权): a villager's recorded permission for one digital helper to act for them.
//
// Layer: consents domain (standard library, core, access). A consent names who (villager, helper),
// where (the villager's home village), what (delegable permissions of access::PolicyTable()),
// when (valid_from <= t < valid_until, at most one year), and how it was given (the method, with
// its evidence). It is never edited: it ends by expiring or by revocation, which is immediate
// because every acted-for request asks the store (access::ConsentLookup) again.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::consents {

// How the villager gave the consent.
enum class Method {
  kInPersonSignature,   // before the helper or a cadre; photo of the signed form
  kInPersonThumbprint,  // idem, with a thumbprint (按手印) instead of a signature
  kPhoneCall,           // by phone; the recorder attests the call in writing
  kInApp,               // the villager, signed in, grants it themself
  kSmsCode,             // a code sent by SMS to the villager, told to the helper (SmsChallenge)
};

// "in_person_signature", "in_person_thumbprint", "phone_call", "in_app", "sms_code".
std::string_view MethodCode(Method m);
std::optional<Method> ParseMethod(std::string_view code);
bool NeedsEvidenceImage(Method m);  // the two in-person methods

// Limits (docs/security-consents.md says why each).
inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;
// "At most one year": 366 days, so that a consent made on 1 March lasts to the next 1 March in a
// leap year too.
inline constexpr int64_t kMaxValidityMs = 366 * kDayMs;
// A consent may not be backdated (that would cover acts done before it was given); this much
// clock difference between the recording device and the server is tolerated.
inline constexpr int64_t kStartToleranceMs = 5LL * 60 * 1000;
inline constexpr int64_t kMaxStartAheadMs = 90 * kDayMs;
inline constexpr int64_t kMaxCallAgeMs = 7 * kDayMs;
inline constexpr size_t kMaxActions = 32;
inline constexpr size_t kMaxActionBytes = 64;
inline constexpr size_t kMaxAttestationChars = 500;
inline constexpr size_t kMaxReasonChars = 200;
// 100 characters of at most 4 bytes stay within the audit trail's 500-byte purpose.
inline constexpr size_t kMaxPurposeChars = 100;
inline constexpr size_t kMaxEvidenceBytes = 2 * 1024 * 1024;

// What the record says about its evidence (the evidence itself is sealed in its own table).
struct EvidenceInfo {
  std::string media_type;  // "image/jpeg" | "image/png"
  std::string sha256;      // lower-case hex of the image bytes
  int64_t bytes = 0;
  bool operator==(const EvidenceInfo&) const = default;
};

struct Consent {
  int64_t id = 0;
  int64_t villager_account = 0;
  int64_t helper_account = 0;
  std::string village;               // canonical 12-digit code of the villager's home village
  std::vector<std::string> actions;  // sorted, unique, delegable permission names
  int64_t valid_from_ms = 0;         // UTC ms, inclusive
  int64_t valid_until_ms = 0;        // UTC ms, exclusive
  Method method = Method::kInApp;
  std::optional<EvidenceInfo> evidence;  // in-person methods only
  std::optional<int64_t> call_at_ms;     // phone_call only
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  int64_t revoked_by = 0;                // 0 while not revoked
  std::string revoke_reason;             // "" while not revoked, or none given
  bool operator==(const Consent&) const = default;
};

// A consent by SMS code (短信验证码授权). The helper (or a cadre) asks; the villager's phone gets
// a text that says who asks, for what and how long, with a 6-digit code; the villager, if they
// agree, tells the helper the code (in person or by phone); the helper enters it and the consent
// is recorded with method sms_code. The code proves the villager's phone took part; the text tells
// the villager what they agree to. The code is never stored: only a keyed hash bound to the
// challenge (crypto::FieldCipher::BlindIndex), so a copy of the database cannot be used to guess
// it offline, and a code of one challenge is worthless for another.
inline constexpr int64_t kSmsCodeTtlMs = 10LL * 60 * 1000;  // 10 minutes
inline constexpr int kSmsCodeAttempts = 5;                  // wrong codes before the challenge is dead
inline constexpr int kSmsCodeDigits = 6;
// Texts cost money and annoy: at most this many challenges per villager per hour, and per
// requester per hour (a helper working through a village office's list is well inside it).
inline constexpr int kSmsPerVillagerPerHour = 3;
inline constexpr int kSmsPerRequesterPerHour = 20;
inline constexpr int64_t kHourMs = 3600LL * 1000;

struct SmsChallenge {
  int64_t id = 0;
  int64_t villager_account = 0;
  int64_t helper_account = 0;
  std::string village;
  std::vector<std::string> actions;  // what the consent will cover, as the text said
  int64_t valid_from_ms = 0;
  int64_t valid_until_ms = 0;
  std::string code_index;  // BlindIndex("consents.sms_code", "<id>|<code>")
  int attempts = 0;        // wrong codes entered so far
  int64_t requested_by = 0;
  int64_t requested_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t consent_id = 0;  // the consent it became, 0 while unused
  bool operator==(const SmsChallenge&) const = default;
};

enum class Lifecycle { kPending, kActive, kExpired, kRevoked };
// "pending" (starts later), "active", "expired", "revoked".
std::string_view LifecycleCode(Lifecycle l);
Lifecycle LifecycleAt(const Consent& consent, int64_t now_ms);
// valid_from <= now < valid_until and not revoked: what access::ConsentLookup answers.
bool ActiveAt(const Consent& consent, int64_t now_ms);

// The delegable permissions of access::PolicyTable(), sorted: what a consent may list.
std::vector<std::string> DelegablePermissions();

// Sorted, checked actions: 1..kMaxActions, each a delegable permission, none twice.
// kInvalidArgument "consents/bad-actions" {reason, action} otherwise.
Result<std::vector<std::string>> NormalizeActions(std::span<const std::string> actions);

// Checks the window against `now_ms` and the limits above. kInvalidArgument "consents/bad-window"
// {reason}: starts-in-the-past, starts-too-late, ends-before-start, longer-than-a-year.
Status CheckWindow(int64_t valid_from_ms, int64_t valid_until_ms, int64_t now_ms);

// Free text a person typed (attestation, revocation reason, purpose): valid UTF-8 (the JSON
// parser guarantees it), at most `max_chars` code points, no control characters but newlines
// and tabs. Returns the reason ("too-long", "control-character") or empty when it passes.
std::string_view CheckFreeText(std::string_view text, size_t max_chars, bool allow_newlines);

// "read_personal" and the others: the audit actions this module writes.
inline constexpr std::string_view kAuditGrant = "consents.grant";
inline constexpr std::string_view kAuditRevoke = "consents.revoke";
inline constexpr std::string_view kAuditSmsChallenge = "consents.sms_challenge";
inline constexpr std::string_view kAuditSmsCodeWrong = "consents.sms_code_wrong";
inline constexpr std::string_view kAuditReadPersonal = "consents.read_personal";

}  // namespace gz::consents
