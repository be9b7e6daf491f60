// Turns a Request into a Response: routing, 404/405/415, handler errors as problem+json,
// security headers, metrics. Never throws; an exception from a handler is a bug, logged with
// the request id and answered with a 500 problem that reveals nothing.
// Layer: http. The server layer calls Handle() from a worker thread.
#pragma once

#include "http/metrics.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace gz::http {

class Dispatcher {
 public:
  Dispatcher(const Router& router, const ProblemCatalog& catalog, Metrics& metrics)
      : router_(router), catalog_(catalog), metrics_(metrics) {}

  // REQUIRES: request.path, method, headers, body set; request_id set.
  // Sets request.language from Accept-Language and request.route from the match, writes the
  // access-log line, records metrics, and adds the security headers to every response.
  Response Handle(Request& request) const;

 private:
  const Router& router_;
  const ProblemCatalog& catalog_;
  Metrics& metrics_;
};

// The headers every response carries (CSP, nosniff, Referrer-Policy, ...). Exposed for the
// server's own error responses (431, 413 before a request is complete).
void AddSecurityHeaders(Response& response);

}  // namespace gz::http
