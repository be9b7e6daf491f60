// The GeoReport v2 (Open311) routes, under /open311/v2/, every one in .json and .xml.
//
// Layer: open311 api (thin: parse, call GeoReportService, write JSON or XML).
//
//   GET  /open311/v2/discovery.{json,xml}          the endpoint, its formats, where keys come from
//   GET  /open311/v2/services.{json,xml}           the appeal categories (?jurisdiction_id optional)
//   GET  /open311/v2/services/{code}.{json,xml}    a service definition (no attributes: metadata false)
//   GET  /open311/v2/requests.{json,xml}           search: jurisdiction_id (required), service_request_id,
//                                                  service_code, start_date, end_date, status, api_key
//   POST /open311/v2/requests.{json,xml}           file an appeal (form-encoded, api_key required)
//   GET  /open311/v2/requests/{id}.{json,xml}      one request (?jurisdiction_id, ?api_key)
//   GET  /open311/v2/tokens/{token}.{json,xml}     the service_request_id of a POST's token
//
// Every route's permission is "public": the api_key is the credential, checked by
// ClientService::Authenticate (the identity guard still runs: a bad session token is refused).
// Errors are answered in the GeoReport format, in the route's format, with the right status:
// [{"code":403,"description":"api_key 无效：...","type":"/problems/open311/bad-key"}] (XML:
// <errors><error><code>...). `type` is an addition of gongzhi (the stable problem slug). Errors
// the dispatcher answers before a handler runs (405, 413, a refused session) stay problem+json.
#pragma once

#include "http/problem.h"
#include "http/router.h"
#include "modules/open311/georeport.h"

namespace gz::open311 {

struct GeoReportRouteOptions {
  // TLS terminates in front of the server (the cookie_secure setting): discovery says https.
  bool https = false;
};

// Adds the routes above. `service` and `catalog` must outlive `router`. Handlers are thread-safe.
void RegisterGeoReportRoutes(http::Router& router, GeoReportService& service, const http::ProblemCatalog& catalog,
                             GeoReportRouteOptions options = {});

}  // namespace gz::open311
