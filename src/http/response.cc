#include "http/response.h"

#include <algorithm>

namespace gz::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

}  // namespace

void Response::SetHeader(std::string_view name, std::string_view value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::string(name), std::string(value));
}

void Response::AddHeader(std::string_view name, std::string_view value) {
  headers.emplace_back(std::string(name), std::string(value));
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

Response Response::Json(int status, std::string body) {
  return Text(status, std::move(body), "application/json; charset=utf-8");
}

Response Response::Text(int status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", content_type);
  return r;
}

Response& Response::NoStore() {
  SetHeader("Cache-Control", "no-store");
  return *this;
}

}  // namespace gz::http
