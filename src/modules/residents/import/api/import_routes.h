// The HTTP routes of resident import and export.
//
// Layer: residents import api (thin: check the object with the gate, parse, call one service,
// map to JSON). Order in every handler: the dispatcher's guard has admitted the route's
// permission; the handler finds the village (or the import's village) and calls gate.Require
// BEFORE it reads the body or the query, so a foreign village or import answers 404 exactly like a
// missing one and refusals are audited by the gate.
//
//   POST /api/v1/villages/{code}/imports           residents.import  body: the file (CSV or .xlsx,
//        told by its bytes; Content-Type text/csv, the .xlsx type, application/octet-stream or none)
//        -> 201 validated (small files) | 202 queued (large ones), Location: /api/v1/imports/{id}
//   GET  /api/v1/imports/{id}                      residents.import  status, progress, report
//        ?outcome=create|update|unchanged|reject  ?offset= ?limit= (rows of the report, <= 5000)
//   POST /api/v1/imports/{id}/apply                residents.import  {"confirm": true}
//        -> 200 applied | 202 applying; 409 already applied, expired, changed since validation
//   GET  /api/v1/villages/{code}/residents/export  residents.export  ?format=csv|xlsx
//        ?purpose= (4..200 characters; also needs residents.reveal on the village): full values,
//        each read audited; without: masked. Content-Disposition: attachment.
//
// Reasons in the report carry a "message" in the caller's language (Accept-Language). Every
// answer carries Cache-Control: no-store. Problems: import/problems.h.
#pragma once

#include "access/gate.h"
#include "http/problem.h"
#include "http/router.h"
#include "modules/residents/import/import_service.h"
#include "modules/residents/import/resident_export.h"
#include "modules/residents/places.h"

namespace gz::residents::import {

inline constexpr size_t kMaxUploadBytes = 10u << 20;

struct ImportRouteDeps {
  ImportService& imports;
  ResidentExporter& exporter;
  const VillageDirectory& villages;
  const access::Gate& gate;
  const http::ProblemCatalog& problems;  // to translate a failed job's problem inside its JSON
};

// Adds the routes. Everything in `deps` must outlive `router`. Handlers are thread-safe.
void RegisterImportRoutes(http::Router& router, const ImportRouteDeps& deps);

}  // namespace gz::residents::import
