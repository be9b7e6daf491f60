// The HTTP routes of the deliberation module (四议两公开 and 村民议事).
//
// Layer: deliberation api (thin: parse, authorize with the gate, call DeliberationService, map to JSON).
//
//   GET  /api/v1/deliberation/chain?village=              public                  the procedure in force and where it comes from
//   PUT  /api/v1/deliberation/chains/{code}               deliberation.chain      set a county's chain, or a village's own (with its decision)
//   GET  /api/v1/deliberation/settings?village=           public                  support threshold and answer days
//   PUT  /api/v1/deliberation/villages/{code}/settings    deliberation.manage     set them
//   POST /api/v1/deliberation/matters                     deliberation.manage     open a major matter (201)
//   GET  /api/v1/deliberation/matters?village=            deliberation.read       matters of a village
//   GET  /api/v1/deliberation/matters/{id}                deliberation.read       a matter: steps, meetings, publications, spending, flags
//   POST /api/v1/deliberation/matters/{id}/meetings       deliberation.record     the clerk records the current step's meeting (201)
//   POST /api/v1/deliberation/matters/{id}/advance        deliberation.manage     move on (409 when the step failed or is not published)
//   POST /api/v1/deliberation/matters/{id}/withdraw       deliberation.manage     close it undone, with a public reason
//   POST /api/v1/deliberation/matters/{id}/publication    deliberation.manage     draft the step's disclosure (kind resolution) (201)
//   POST /api/v1/deliberation/matters/{id}/spending       deliberation.manage     record spending against the matter (201)
//   GET  /api/v1/deliberation/flags                       deliberation.oversee    flagged spending in the caller's area
//   POST /api/v1/deliberation/proposals                   deliberation.propose    a villager (or a helper for them) raises a proposal (201)
//   GET  /api/v1/deliberation/proposals?village=          public                  proposals of a village
//   GET  /api/v1/deliberation/proposals/{id}              public                  a proposal with its comments (hidden ones: the reason)
//   POST /api/v1/deliberation/proposals/{id}/support      deliberation.support    support it (once per person)
//   POST /api/v1/deliberation/proposals/{id}/comments     deliberation.comment    comment (201)
//   POST /api/v1/deliberation/proposals/{id}/answer       deliberation.answer     the committee answers
//   POST /api/v1/deliberation/proposals/{id}/matter       deliberation.manage     put it into the procedure (201)
//   POST /api/v1/deliberation/comments/{id}/hide          deliberation.moderate   hide a comment with a public reason
//
// Object level: handlers call gate.Require on the object's village (404 outside the caller's tenant).
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/deliberation/deliberation_service.h"

namespace gz::deliberation {

// Adds the routes above. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterDeliberationRoutes(http::Router& router, DeliberationService& service, const access::Gate& gate);

}  // namespace gz::deliberation
