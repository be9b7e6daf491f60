// Small helpers shared by the identity route files. Layer: identity api.
#pragma once

#include "http/json.h"
#include "http/request.h"

namespace gz::identity {

inline constexpr int64_t kTotpDigitsForJson = 6;
inline constexpr int64_t kTotpPeriodForJson = 30;

// Routes that take no body: a non-empty one must be a JSON object without members (so a stray
// field, the access-matrix probe included, is a 400 and never silently ignored).
inline Status RequireNoBody(const http::Request& request) {
  if (request.body.empty()) return Status::Ok();
  GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  return http::JsonFields(body).Only({});
}

}  // namespace gz::identity
