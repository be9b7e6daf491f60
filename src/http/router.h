// The route table: every endpoint of the server, with what the rest of the system needs to know
// about it (its permission, whether it takes JSON, a summary for docs). The OpenAPI document and
// the authorization census test are checked against this table.
//
// Layer: http (Beast-free). Patterns are literal segments and {name} placeholders, one per
// segment: "/api/v1/divisions/{code}/children". Matching is exact (no trailing-slash magic).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::http {

using Handler = std::function<Result<Response>(Request&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;       // "/api/v1/divisions/{code}"
  std::string operation_id;  // "divisions.get": unique, used in OpenAPI and metrics
  // Who may call it: "public" (anyone, no sign-in) or a permission name "<module>.<verb>" that
  // identity's policy table resolves (issue #3). Never empty: the census test fails otherwise.
  std::string permission;
  std::string summary;       // one line, English, for the OpenAPI document
  bool json_body = false;    // requires Content-Type application/json (else 415) and a body
  size_t max_body_bytes = 0; // 0: the server-wide limit
  Handler handler;
};

class Router {
 public:
  // REQUIRES: no other route with the same method and pattern, pattern starts with '/'.
  // A violation is a startup bug: it is logged ("router.bad_route") and the process aborts.
  // Not thread-safe; build the table before serving.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;       // set when method and path matched
    bool path_known = false;            // some route has this path (so: 405, not 404)
    std::vector<Method> allowed;        // methods that would match, for the Allow header
  };
  // Finds the route for (method, path); fills `params` (may be null) with the placeholder
  // values. A placeholder matches one non-empty segment. HEAD matches a GET route unless a HEAD
  // route exists. When several patterns match, a literal segment beats a placeholder at the
  // first segment where they differ ("/divisions/search" before "/divisions/{code}"),
  // whatever the order of Add(). Thread-safe once the table is built.
  Match Find(Method method, std::string_view path,
             std::vector<std::pair<std::string, std::string>>* params) const;

  const std::vector<Route>& routes() const { return routes_; }
  // The largest Route::max_body_bytes of the table, or `default_limit` if that is larger: what
  // the server must be ready to read before the dispatcher applies each route's own limit.
  size_t LargestBodyLimit(size_t default_limit) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> pattern_segments_;  // routes_[i].pattern, split once
};

}  // namespace gz::http
