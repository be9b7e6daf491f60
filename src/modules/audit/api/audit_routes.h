// The HTTP routes of the audit trail. There is no route that changes or deletes a record.
//
// Layer: audit api (thin: parse and validate, call one service method, map to JSON / CSV).
//
//   GET /api/v1/audit           audit.search  records of the caller's area, newest first, paged
//   GET /api/v1/audit/export    audit.export  the same filters as CSV (UTF-8 BOM, at most
//                                             100,000 rows per file; X-Export-Next-Before says
//                                             where to continue when the cap was reached)
//   GET /api/v1/audit/verify    audit.verify  {ok, records, first_broken_seq, reason, head_seq,
//                                             head_hash}: the hash chain, no content
//   GET /api/v1/me/data-reads   me.data       who read MY personal data: role(s), place, purpose, time
//   GET /api/v1/me/acted-for    me.data       everything a helper did in my name
//
// Query parameters of search and export (all optional): from_ms, to_ms (UTC ms, [from, to)),
// actor, acting_for (account ids), action (a prefix: "residents." or "residents.reveal"),
// outcome (ok|denied|failed), object_type, object_id, division (a code inside the caller's
// area), before (paging cursor: the next_before of the previous page), limit (1..500, default 100;
// search only). The /me routes take before and limit. Any other parameter: 400 audit/bad-filter.
//
// Reach (access::ReachFor(caller, permission).scopes): a record is visible if its division lies
// in one of the caller's scopes; a record without a division (sign-ins, function-level denials,
// the trail's own use) is visible to callers with a county-wide (or wider) scope only.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/audit/audit_trail.h"

namespace gz::audit {

// Adds the five routes. `trail` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterAuditRoutes(http::Router& router, AuditTrail& trail, const access::Gate& gate);

}  // namespace gz::audit
