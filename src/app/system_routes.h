// The operational endpoints every deployment has: liveness, readiness, metrics, and the OpenAPI
// document. Layer: app (they look at the store and the migration list, which only app/ knows).
//
//   GET /healthz           [public]  the process is alive and serving
//   GET /readyz            [public]  the store answers and every known migration is applied
//   GET /metrics           [system.metrics] Prometheus text; loopback callers, or a bearer token
//   GET /api/openapi.json  [public]  the OpenAPI 3.1 description of the whole API
//   GET /api/v1/access-policy [public] THE policy table and which permission each route needs:
//                          clients show only what a person may do; the access matrix test
//                          derives its expectations from it. Publishing it hides nothing: the
//                          gate, not secrecy, enforces it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/problem_text.h"
#include "http/metrics.h"
#include "http/router.h"
#include "storage/db.h"
#include "storage/migrate.h"

namespace gz::app {

struct SystemRouteDeps {
  storage::Db* db;
  const std::vector<storage::Migration>* migrations;
  http::Metrics* metrics;
  std::string metrics_token;  // empty: only loopback callers may read /metrics
  std::string version;
  const http::Router* router;  // for the access-policy route (read at request time)
};

void RegisterSystemRoutes(http::Router& router, SystemRouteDeps deps);

// The OpenAPI document served at /api/openapi.json (src/app/openapi.json, embedded at build time).
std::string_view OpenApiDocument();

// The problems these routes return.
extern const ProblemText kSystemProblems[];
extern const size_t kSystemProblemCount;

}  // namespace gz::app
