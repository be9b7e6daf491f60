// JSON in and out of handlers, with Boost.JSON. Parsing errors become Status values naming the
// line and column; exceptions never escape.
// Layer: http.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::http {

struct JsonLimits {
  size_t max_depth = 32;
};

// Parses `text` as one JSON value. Errors: kInvalidArgument "http/malformed-json" with
// arguments line, column and offset (1-based line/column, 0-based byte offset) and reason.
Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits = {});

// Parses the request body; requires it to be a JSON object ("http/expected-object" otherwise).
Result<boost::json::object> ParseJsonObject(const Request& request, const JsonLimits& limits = {});

// 200/201 response with the serialized value.
Response JsonResponse(int status, const boost::json::value& value);

}  // namespace gz::http
