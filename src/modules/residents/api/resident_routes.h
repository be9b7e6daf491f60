// The HTTP routes of the residents module: the register (masked), reveals (audited), changes
// (audited in their transaction), the data-quality report, and the villager's privacy rights.
//
// Layer: residents api (thin: parse and validate, check the object with the gate, call one
// service, map to JSON). Every handler follows the same order: (1) the dispatcher's guard has
// admitted the route's permission; (2) the handler finds where the object lives and calls
// gate.Require(caller, permission, Target{village, owner_resident | owner_household},
// <the module's not-found>) BEFORE it reads the body, so a foreign object answers exactly like a
// missing one (404) and refusals are audited by the gate; (3) the body is read with
// http::JsonFields, Only() first; routes without a body refuse a non-empty one.
//
//   GET   /api/v1/villages/{code}/households    residents.list       masked, paged (limit <= 200)
//   GET   /api/v1/villages/{code}/residents     residents.list       masked, paged; ?id_number= | ?phone=
//   GET   /api/v1/households/{id}               residents.read       masked, with members
//   GET   /api/v1/residents/{id}                residents.read       masked
//   POST  /api/v1/residents/{id}/reveal         residents.reveal     full values, purpose required, audited
//   POST  /api/v1/villages/{code}/households    residents.write      a household with its members
//   POST  /api/v1/households/{id}/members       residents.write      one more member
//   PATCH /api/v1/residents/{id}                residents.write      phone, flags, relation
//   GET   /api/v1/villages/{code}/data-quality  residents.quality    ?stale_years= (1..100, default 3)
//   GET   /api/v1/villages/{code}/corrections   corrections.list     ?status=, paged
//   POST  /api/v1/corrections/{id}/resolve      corrections.resolve  accepted (applied) | declined
//   GET   /api/v1/me/data                       me.data              my record in clear (audited), JSON
//   GET   /api/v1/me/data.html                  me.data              the same, a printable page
//   POST  /api/v1/me/corrections                me.corrections       ask for a correction
//   GET   /api/v1/me/corrections                me.corrections       my requests and their outcome
//
// Every answer about a person carries Cache-Control: no-store. Problems: residents/problems.h.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/residents/residents_module.h"

namespace gz::residents {

// Adds the routes. `module` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterResidentRoutes(http::Router& router, ResidentsModule& module, const access::Gate& gate);

}  // namespace gz::residents
