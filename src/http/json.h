// JSON in and out of handlers, with Boost.JSON. Parsing errors become Status values naming the
// line and column; exceptions never escape.
// Layer: http.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>
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

// Reads the fields of a request body, so that every handler validates the same way:
//   JsonFields f(object);
//   GZ_RETURN_IF_ERROR(f.Only({"phone", "password", "totp"}));   // unknown field -> 400
//   GZ_ASSIGN_OR_RETURN(std::string phone, f.String("phone", 32));
//   GZ_ASSIGN_OR_RETURN(std::optional<std::string> totp, f.OptionalString("totp", 8));
// Errors are kInvalidArgument with argument "field": "http/unknown-field", "http/missing-field",
// "http/bad-field" (argument "reason": "not-a-string", "too-long" (with "limit"), "not-an-integer",
// "out-of-range", "not-a-boolean", "not-an-array", "too-many-items", "invalid-utf8" never
// happens: the parser already refused it). Strings must be valid UTF-8 (guaranteed by ParseJson)
// and at most `max_bytes` bytes; a string containing NUL is refused ("control-character").
class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& object) : object_(object) {}
  // Refuses any key not in `allowed` (mass assignment, and the access-matrix probe).
  Status Only(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view key) const;
  Result<std::string> String(std::string_view key, size_t max_bytes) const;
  Result<std::optional<std::string>> OptionalString(std::string_view key, size_t max_bytes) const;
  Result<int64_t> Integer(std::string_view key, int64_t min, int64_t max) const;
  Result<std::optional<int64_t>> OptionalInteger(std::string_view key, int64_t min, int64_t max) const;
  Result<bool> Bool(std::string_view key) const;
  Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  // An array of strings, each at most `max_bytes`, at most `max_items` of them.
  Result<std::vector<std::string>> StringArray(std::string_view key, size_t max_items, size_t max_bytes) const;

 private:
  const boost::json::object& object_;
};

// A response with `status` (200, 201, ...) and the serialized value as application/json.
Response JsonResponse(int status, const boost::json::value& value);
// The same for an object, without copying it into a value first (hot paths build objects).
Response JsonResponse(int status, const boost::json::object& object);

}  // namespace gz::http
