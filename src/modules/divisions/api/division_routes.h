// The HTTP routes of the divisions module: the public, read-only division tree.
//
// Layer: divisions api (thin: parse and validate, call one service method, map to JSON).
//
//   GET /api/v1/divisions                   [public] divisions.roots     the provinces
//   GET /api/v1/divisions/{code}            [public] divisions.get       one division + ancestors
//   GET /api/v1/divisions/{code}/children   [public] divisions.children  its children, paged
//
// {code} is any form DivisionCode::Parse accepts ("420114", "420114000000"). The lists take
// ?limit= (1..1000, default 500) and ?offset= (0..). Errors (problem+json via the dispatcher):
//   400 divisions/bad-code (code, reason), 400 divisions/bad-paging (param, reason, min, max),
//   404 divisions/unknown-code (code). Successful answers carry Cache-Control: public,
//   max-age=300: the data changes only when an operator re-imports it.
#pragma once

#include "http/response_cache.h"
#include "http/router.h"
#include "modules/divisions/division_service.h"

namespace gz::divisions {

// Adds the routes. `service` must outlive `router`. Handlers are thread-safe.
// With `cache` (optional; must outlive `router`), the GET answers are served from it while
// fresh (decision 0009); whoever changes the tree in this process calls cache->Clear().
void RegisterDivisionRoutes(http::Router& router, DivisionService& service, http::ResponseCache* cache = nullptr);

}  // namespace gz::divisions
