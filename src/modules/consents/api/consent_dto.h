// JSON shape of a consent in the API.
//
// Layer: consents api. Ids (consents and accounts) are decimal STRINGS: they are 63-bit
// (crypto::NewRowId), and a JavaScript number holds 53 bits exactly. Times are RFC 3339 UTC.
//
//   {"id":"3891...","villager":"...","helper":"...","village":"420114001205",
//    "actions":["me.read","residents.read"],"valid_from":"2026-11-28T20:00:00.000Z",
//    "valid_until":"2027-11-28T20:00:00.000Z","method":"in_person_signature",
//    "status":"active",                       // pending | active | expired | revoked, at the time of the answer
//    "evidence":{"kind":"image","media_type":"image/png","sha256":"...","bytes":1234}
//               | {"kind":"attestation"} | null,
//    "call_at":"..." | null, "recorded_by":"...", "recorded_at":"...",
//    "revoked_at":null, "revoked_by":null, "revoke_reason":null}
#pragma once

#include <boost/json/object.hpp>

#include "modules/consents/consent.h"
#include "modules/consents/consent_store.h"

namespace gz::consents {

boost::json::object ConsentJson(const Consent& consent, int64_t now_ms);
// {"items":[consent,...],"total":N,"limit":L,"offset":O}
boost::json::object ConsentPageJson(const ConsentPage& page, int limit, int64_t offset, int64_t now_ms);

}  // namespace gz::consents
