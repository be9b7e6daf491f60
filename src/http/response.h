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
  // Names as written on the wire. Connection, Date, Transfer-Encoding and Content-Length belong
  // to the server, which replaces them; the one exception is Content-Length on a response to
  // HEAD, which says how long the GET body would be (the dispatcher sets it).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces any header with the same name (case-insensitive).
  void SetHeader(std::string_view name, std::string_view value);
  std::string_view Header(std::string_view name) const;  // case-insensitive; empty if absent
  // Adds a header line even if one with that name exists (Set-Cookie may repeat).
  void AddHeader(std::string_view name, std::string_view value);

  // 200-style responses with a body and its Content-Type.
  static Response Json(int status, std::string body);  // application/json; charset=utf-8
  static Response Text(int status, std::string body, std::string_view content_type = "text/plain; charset=utf-8");
  // Marks the response as personal: Cache-Control: no-store. Handlers that return data about
  // a person must call this (the security-headers test checks it).
  Response& NoStore();
};

}  // namespace gz::http
