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

// Parses `text` as one JSON value (RFC 8259: no comments, no trailing commas, strict UTF-8,
// nothing but whitespace after the value). Never throws. Errors, all kInvalidArgument with
// arguments line and column (1-based; the column counts characters, not bytes) and offset
// (0-based byte offset where parsing stopped):
//   "http/malformed-json"     syntax error; also argument `reason` (English, for logs);
//   "http/json-too-deep"      arrays/objects nested deeper than limits.max_depth (`max_depth`);
//   "http/duplicate-json-key" a key repeated inside one object (`key`, at most 64 bytes).
// Duplicate keys are rejected rather than resolved: RFC 8259 leaves their meaning open, and
// two components that resolve them differently (first wins / last wins) can be made to see
// different documents, which is how validation gets bypassed.
Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits = {});

// Parses the request body as ParseJson() does; requires it to be a JSON object
// (kInvalidArgument "http/expected-object" otherwise).
Result<boost::json::object> ParseJsonObject(const Request& request, const JsonLimits& limits = {});

// A response with `status` (200, 201, ...) and the serialized value as application/json.
Response JsonResponse(int status, const boost::json::value& value);
// The same for an object, without copying it into a value first (hot paths build objects).
Response JsonResponse(int status, const boost::json::object& object);

}  // namespace gz::http
