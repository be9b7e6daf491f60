// The HTTP routes of appeal routing suggestions (issue #4, "Routing").
//
// Layer: appeals api (thin: parse, authorize with the gate, call AppealRouter, map to JSON).
//
//   POST /api/v1/appeals/suggestion       appeals.submit   a category and unit for a text about to be filed
//   GET  /api/v1/appeals/{id}/suggestion  appeals.handle   the same for an appeal already filed (staff)
//
// A suggestion changes nothing: staff confirm the category and unit by accepting (or
// transferring) the appeal. The text travels in the body, never in a URL (URLs are logged).
//
// POST body: {"village": "<12-digit code>", "text": "..."} (unknown fields 400). Authorization:
// whoever may submit in that village, i.e. the policy's appeals.submit checked on the village
// with the caller as owner when it is the caller's (or the villager acted for's) home village: a
// villager asks about their own village only, grid workers and cadres about the villages of
// their scope. Other villages answer 404 appeals/village-not-found.
// GET: appeals.handle on the appeal (404 appeals/appeal-not-found outside the caller's reach);
// its text is read with the audited ReadContent ("办理诉求").
//
// Answer (200, no-store):
//   {"village", "category", "unit", "confidence", "unit_basis": {"count","of"} | null,
//    "alternatives": [{"category","unit","confidence","unit_basis"}...],
//    "trained_on": {"scope": "village"|"township"|"county", "division", "count", "trained_at_ms"},
//    "village_history": <confirmed appeals of the village>,
//    GET only: "appeal_id", "current": {"category","unit"}}
// or 409 appeals/not-enough-history {village_count, township_count, county_count, needed}.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/routing/appeal_router.h"

namespace gz::appeals {

// Adds the routes above. All must outlive `router`. Handlers are thread-safe.
void RegisterSuggestionRoutes(http::Router& router, AppealService& service, routing::AppealRouter& appeal_router,
                              const access::Gate& gate);

}  // namespace gz::appeals
