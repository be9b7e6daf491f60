// The HTTP request as handlers see it: plain data, no Beast types.
//
// Layer: http (Beast-free contract). The server layer (server/) fills it from the wire; tests
// build it by hand. Header names are stored lower-case.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gz::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view MethodName(Method m);
Method ParseMethod(std::string_view text);

// The languages gongzhi answers in. zh-CN is the default.
enum class Language { kZh, kEn };
std::string_view LanguageTag(Language l);  // "zh-CN" / "en"
// Picks the best supported language from an Accept-Language header (RFC 9110 §12.5.4, q-values
// honoured); anything unparseable or unsupported gives kZh.
Language NegotiateLanguage(std::string_view accept_language);

struct Request {
  Method method = Method::kGet;
  std::string method_text;  // as received, for logs ("GET")
  std::string target;       // as received: path and query
  std::string path;         // percent-decoded path, no query
  std::string query;        // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
  std::string request_id;   // set by the server before dispatch
  std::string remote_addr;
  Language language = Language::kZh;

  // Filled by the router: values of {placeholders} in the matched pattern.
  std::vector<std::pair<std::string, std::string>> path_params;
  // Filled by the router: the pattern of the matched route ("/api/v1/divisions/{code}"), for
  // metrics and logs (never the raw path, which may carry personal data).
  std::string route;

  // First value of a header, or empty. `name` must be lower-case.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  // Decoded value of a query parameter, or empty if absent.
  std::string QueryParam(std::string_view name) const;
  bool HasQueryParam(std::string_view name) const;
};

}  // namespace gz::http
