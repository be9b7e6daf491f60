// The HTTP response a handler returns: plain data, no Beast types.
// Layer: http (Beast-free contract).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gz::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // names as written on the wire
  std::string body;

  // Replaces any header with the same name (case-insensitive).
  void SetHeader(std::string_view name, std::string_view value);
  std::string_view Header(std::string_view name) const;  // case-insensitive; empty if absent

  // 200-style responses with a body and its Content-Type.
  static Response Json(int status, std::string body);  // application/json; charset=utf-8
  static Response Text(int status, std::string body, std::string_view content_type = "text/plain; charset=utf-8");
  // Marks the response as personal: Cache-Control: no-store. Handlers that return data about
  // a person must call this (the security-headers test checks it).
  Response& NoStore();
};

}  // namespace gz::http
