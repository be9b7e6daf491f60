// What the residents routes and the register import/export routes share: the query and body checks
// of their problem type (residents/bad-query) and the no-store answer for personal data.
// Layer: residents api.
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/json.hpp>

#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::residents {

// kInvalidArgument "residents/bad-query" {param, reason}.
Status BadQuery(std::string_view param, std::string_view reason);

// Routes without a body: a non-empty one must be a JSON object without members, so a stray field
// (the access-matrix probe included) is a 400 and never silently ignored.
Status RequireNoBody(const http::Request& request);

// A JSON answer holding personal data: never stored by a browser or a proxy.
http::Response PersonalJson(int status, const boost::json::object& body);

// An integer query parameter within [min, max], or `fallback` when absent; otherwise BadQuery
// with reason not-an-integer or out-of-range.
Result<int64_t> IntQueryParam(const http::Request& req, std::string_view name, int64_t min, int64_t max,
                              int64_t fallback);

}  // namespace gz::residents
