// The HTTP request as handlers see it: plain data, no Beast types.
//
// Layer: http (Beast-free contract). The server layer (server/) fills it from the wire; tests
// build it by hand. Header names are stored lower-case.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/principal.h"
#include "core/status.h"

namespace gz::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view MethodName(Method m);
Method ParseMethod(std::string_view text);

// The languages gongzhi answers in. zh-CN is the default.
enum class Language { kZh, kEn };
std::string_view LanguageTag(Language l);  // "zh-CN" / "en"
// Picks the best supported language from an Accept-Language header (RFC 9110 §12.5.4, q-values
// honoured, equal q: first listed wins, q=0: not acceptable). "zh" and every "zh-*" (zh-CN,
// zh-Hans, ...) and "*" give kZh; "en" and every "en-*" give kEn; anything unparseable or
// unsupported gives kZh. Malformed q-values drop their entry.
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

  // Set by the dispatcher's guard (the identity module) before the handler runs: who is calling,
  // and for whom. Null until then; Caller() gives an anonymous principal in that case.
  std::shared_ptr<const access::Principal> principal;
  const access::Principal& Caller() const;

  // First value of a header, or empty. `name` must be lower-case.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  // Decoded value ('+' is a space) of the first query parameter named `name`, or empty if
  // absent. A malformed %-escape is kept as written.
  std::string QueryParam(std::string_view name) const;
  bool HasQueryParam(std::string_view name) const;
};

// Percent-decodes `text` (RFC 3986 §2.1). With `plus_is_space`, '+' becomes ' ' (HTML form
// encoding, used in query strings). Returns false on a malformed escape ("%", "%4", "%zz").
bool PercentDecode(std::string_view text, std::string* out, bool plus_is_space = false);

// A request-target split into the parts handlers see.
struct Target {
  std::string path;   // percent-decoded, starts with '/'
  std::string query;  // raw, without '?'
};
// Splits an origin-form ("/a/b?x=1") or absolute-form ("http://host/a/b?x=1") request-target
// and decodes its path. Errors: kInvalidArgument "http/invalid-path" when the target has another
// form, a malformed escape, or a path that decodes to a NUL, to invalid UTF-8, or to a "." or
// ".." segment (rejected rather than normalized, so that no later layer can be walked out of
// its folder).
Result<Target> ParseTarget(std::string_view target);

// A row id (or count) from a path segment, query parameter or header: decimal digits only, 1 to 2^63-1
// (no sign, no spaces, at most 19 digits). nullopt otherwise; the caller names the field in its
// own problem.
std::optional<int64_t> ParsePositiveDecimal(std::string_view text);
// The same, also accepting "0" (offsets, counts).
std::optional<int64_t> ParseNonNegativeDecimal(std::string_view text);

}  // namespace gz::http
