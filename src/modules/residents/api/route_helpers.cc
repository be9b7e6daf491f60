// Layer: residents api (see route_helpers.h).
#include "modules/residents/api/route_helpers.h"

#include <charconv>
#include <string>

#include "http/json.h"
#include "modules/residents/problems.h"

namespace gz::residents {

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadQuery)).With("param", std::string(param)).With("reason", std::string(reason));
}

Status RequireNoBody(const http::Request& request) {
  if (request.body.empty()) return Status::Ok();
  GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  return http::JsonFields(body).Only({});
}

http::Response PersonalJson(int status, const boost::json::object& body) {
  http::Response r = http::JsonResponse(status, body);
  r.NoStore();
  return r;
}

Result<int64_t> IntQueryParam(const http::Request& req, std::string_view name, int64_t min, int64_t max,
                              int64_t fallback) {
  if (!req.HasQueryParam(name)) return fallback;
  const std::string text = req.QueryParam(name);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return BadQuery(name, "not-an-integer");
  if (v < min || v > max) return BadQuery(name, "out-of-range");
  return v;
}

}  // namespace gz::residents
