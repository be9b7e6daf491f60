// The HTTP routes of the appeals module (接诉即办).
//
// Layer: appeals api (thin: parse, authorize with the gate, call AppealService, map to JSON).
//
//   POST /api/v1/appeals                       appeals.submit    file an appeal (201)
//   GET  /api/v1/appeals                       appeals.read      list, narrowed to the caller's reach (no text)
//   GET  /api/v1/appeals/categories            public            the category catalogue
//   GET  /api/v1/appeals/rates                 appeals.rates     rates of the caller's area
//   GET  /api/v1/appeals/{id}                  appeals.read      one appeal with its text (audited read)
//   GET  /api/v1/appeals/{id}/timeline         appeals.read      its timeline (internal notes for staff only; audited)
//   POST /api/v1/appeals/{id}/accept|start|answer|transfer|reject   appeals.handle
//   POST /api/v1/appeals/{id}/rating           appeals.rate_own  the submitter in person rates the answer
//   POST /api/v1/appeals/{id}/withdraw|contest appeals.own
//   POST /api/v1/appeals/{id}/visit            appeals.visit     a supervisor records a follow-up visit
//   GET  /api/v1/me/appeal-inbox               me.read           my appeal notifications
//
// Object level: handlers call gate.Require on AppealService::TargetOf(appeal) (or SubmitTarget
// for a new appeal) with 404 appeals/appeal-not-found BEFORE reading the body; the service then
// applies the lifecycle and the caller's relation to the appeal.
//
// Bodies (JSON; unknown fields 400 http/unknown-field):
//   submit:  {"category","text","location":{"latitude","longitude","description"?}?,
//             "anonymous_to_public"?, "for_account"?, "for_resident"?, "unit":"village:<code>"?}
//   command: {"version"?, "note"?, "unit"? (transfer: a unit key), "rating"? (rating, visit:
//             satisfied|basically_satisfied|dissatisfied), "solved"? (rating, visit)}
//   `version` (or the If-Match header) is the version the caller saw: a stale one answers 409
//   appeals/edit-conflict. Ids are decimal strings in answers; JSON numbers or strings in bodies.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/appeals/appeal_service.h"

namespace gz::appeals {

// Adds the routes above. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterAppealRoutes(http::Router& router, AppealService& service, const access::Gate& gate);

}  // namespace gz::appeals
