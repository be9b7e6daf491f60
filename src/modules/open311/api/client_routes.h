// The routes through which administrators issue, list and revoke Open311 clients' keys.
//
// Layer: open311 api (thin: parse, authorize with the gate, call ClientService, map to JSON).
//
//   POST /api/v1/open311/clients               open311.clients  {name, scope} -> 201 the client and its key (once)
//   GET  /api/v1/open311/clients               open311.clients  the clients inside the caller's area
//   POST /api/v1/open311/clients/{id}/revoke   open311.clients  {reason?} -> the client, revoked
//
// Object level: gate.Require on the client's scope (for a new client: the scope asked for),
// before the body is read further: an administrator works only inside their own area, and a
// client (or a division) outside it answers 404. Ids are decimal strings in answers.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/open311/client_service.h"

namespace gz::open311 {

// Adds the routes above. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterClientRoutes(http::Router& router, ClientService& service, const access::Gate& gate);

}  // namespace gz::open311
