// The HTTP routes of the consents module (代办授权).
//
// Layer: consents api (thin: parse, authorize with the gate, call the service, map to JSON).
//
//   POST /api/v1/consents                    consents.grant   record a consent (201)
//   GET  /api/v1/consents                    consents.read    list, narrowed to the caller's reach
//   GET  /api/v1/consents/{id}               consents.read    one consent (either party, or staff of its area)
//   GET  /api/v1/consents/{id}/evidence      consents.read    the evidence, as an attachment (audited read)
//   POST /api/v1/consents/{id}/revoke        consents.revoke  revoke now
//   GET  /api/v1/me/consents                 me.read          consents where I am the villager or the helper
//
// Object level: a new consent lives at {division = the villager's home village, owner = the
// villager}; an existing one is reachable through either party, so handlers check the villager's
// target with access::Check (silent) and only the helper's with gate.Require, which records a
// refusal exactly once (T-AC-8). Objects outside the caller's area answer 404
// consents/consent-not-found (or consents/villager-not-found for a new one), never 403.
//
// Bodies (JSON; unknown fields are refused with 400 http/unknown-field):
//   grant:  {"villager":"<account id>","helper":"<account id>","actions":["me.read",...],
//            "method":"in_person_signature|in_person_thumbprint|phone_call|in_app|sms_code",
//            "valid_from":"<RFC 3339>"?, "valid_until":"<RFC 3339>" | "valid_days":1..366,
//            "evidence_image":"<base64 JPEG/PNG, <= 2 MiB>"?, "attestation":"<= 500 chars"?,
//            "call_at":"<RFC 3339>"?}
//          Account ids may be JSON numbers or decimal strings. The route accepts 3 MiB of body
//          (Route.max_body_bytes); the server-wide --max-body-bytes must allow it too.
//   revoke: {"reason":"<= 200 chars"?}
// Lists: ?village=<12 digits>&helper=<id>&villager=<id>&active=true|false&limit=1..200&offset=0..
// Evidence: ?purpose=<1..100 chars> (required; recorded in the audit trail).
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/consents/consent_service.h"

namespace gz::consents {

inline constexpr size_t kGrantBodyLimit = 3 * 1024 * 1024;

// Adds the six routes. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterConsentRoutes(http::Router& router, ConsentService& service, const access::Gate& gate);

}  // namespace gz::consents
