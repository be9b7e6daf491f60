// Turns a Request into a Response: routing, 404/405/415, handler errors as problem+json,
// security headers, metrics. Never throws; an exception from a handler is a bug, logged with
// the request id and answered with a 500 problem that reveals nothing.
// Layer: http. The server layer calls Handle() from a worker thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/metrics.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace gz::http {

// Runs before every handler, once the route is known and the body is within its limit: the
// identity module authenticates the caller (sets request.principal), checks CSRF for cookie
// sessions, and the access gate admits the route's permission. A non-OK status is answered as a
// problem and the handler does not run. It may add headers to the eventual response through
// `response_headers` (for example a cookie that clears an expired session).
using Guard = std::function<Status(const Route& route, Request& request,
                                   std::vector<std::pair<std::string, std::string>>* response_headers)>;

class Dispatcher {
 public:
  Dispatcher(const Router& router, const ProblemCatalog& catalog, Metrics& metrics, Guard guard = {})
      : router_(router), catalog_(catalog), metrics_(metrics), guard_(std::move(guard)) {}

  // REQUIRES: request.path, method, headers, body set; request_id set.
  // Sets request.language from Accept-Language and request.route from the match, writes the
  // access-log line, records metrics, and adds the security headers to every response.
  //   - no route for the path: 404 "http/not-found"; the path exists for other methods: 405
  //     "http/method-not-allowed" with an Allow header (HEAD listed wherever GET is);
  //   - route.max_body_bytes exceeded: 413; route.json_body and Content-Type not
  //     application/json (charset, if any, UTF-8): 415; route.json_body and an empty body: 400;
  //   - a non-OK Status from the handler: MakeProblem(); an exception: 500, logged with the
  //     request id as "request.internal_error" (so is a kInternal Status);
  //   - HEAD: the body is dropped, Content-Length keeps the size GET would send;
  //   - every response: AddSecurityHeaders(), X-Request-Id, and Cache-Control: no-store under
  //     /api/ unless the handler set Cache-Control;
  //   - metrics and the "request" log line (request_id, method, route, status, duration_ms,
  //     bytes_out) use the route pattern, or "unmatched" when no route matched; never the
  //     raw path or query, which may carry personal data.
  // Thread-safe (the router and catalog are read-only by then); runs on the calling thread.
  Response Handle(Request& request) const;

  // The body limit of routes that do not declare their own (Route::max_body_bytes == 0); 0: none.
  // The server reads bodies up to the largest limit of any route (Router::LargestBodyLimit), so
  // this is where the default applies.
  void set_default_max_body_bytes(size_t limit) { default_max_body_bytes_ = limit; }

  // What answers GET and HEAD requests whose path no route knows (the web app's files and the
  // paths of its client-side router). It runs like a route (guard, limits, headers, metrics and
  // the log line under its own pattern) and may answer 404 itself. It is not in the router's
  // table, so neither in the OpenAPI document nor in the access census. Unset: 404.
  void set_fallback(Route route) { fallback_ = std::make_unique<Route>(std::move(route)); }

 private:
  Response Invoke(const Route& route, Request& request) const;
  Response InvokeChecked(const Route& route, Request& request,
                         std::vector<std::pair<std::string, std::string>>* extra_headers) const;
  Status RunGuard(const Route& route, Request& request,
                  std::vector<std::pair<std::string, std::string>>* extra_headers) const;

  const Router& router_;
  const ProblemCatalog& catalog_;
  Metrics& metrics_;
  Guard guard_;
  size_t default_max_body_bytes_ = 0;
  std::unique_ptr<Route> fallback_;
};

// The Content-Security-Policy of a stored file served as itself (an uploaded photo): nothing may
// load and, should a browser ever render it as a document, it runs in a sandbox with no origin.
inline constexpr std::string_view kFileContentSecurityPolicy = "default-src 'none'; sandbox";

// The headers every response carries: Content-Security-Policy, X-Content-Type-Options nosniff,
// Referrer-Policy, X-Frame-Options DENY, Cross-Origin-Opener-Policy; they replace any value the
// handler set, with one exception: a handler may set kFileContentSecurityPolicy, which is
// stricter than the default and is kept. Exposed for the server's own error responses (431, 413
// before a request is complete).
void AddSecurityHeaders(Response& response);

}  // namespace gz::http
