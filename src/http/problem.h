// RFC 9457 problem details: how every error leaves the server.
//
// Layer: http. This is the only place that knows HTTP status numbers for Status codes. The body:
//   {"type":"/problems/<slug>","title":"...","status":404,"detail":"...","instance":"<path>",
//    "request_id":"..."} with Content-Type application/problem+json, in the caller's language.
// Internal errors never show their note; it goes to the log with the request id.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/problem_text.h"
#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::http {

// The one table from Status codes to HTTP status numbers:
//   kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403, kNotFound 404,
//   kMethodNotAllowed 405, kAlreadyExists/kFailedPrecondition/kAborted 409, kTooLarge 413,
//   kUnsupportedMediaType 415, kRateLimited 429, kUnavailable 503, kInternal (and kOk) 500.
int HttpStatusFor(Code code);
// Like HttpStatusFor(status.code()), except for the few protocol problems whose number has no
// Code of its own: "http/header-too-large" is 431 and "http/request-timeout" is 408.
int HttpStatusFor(const Status& status);

// Slugs of the problems the HTTP layer itself returns (all in the default catalog).
namespace problems {
inline constexpr std::string_view kNotFound = "http/not-found";
inline constexpr std::string_view kMethodNotAllowed = "http/method-not-allowed";   // {method} {allowed}
inline constexpr std::string_view kMalformedJson = "http/malformed-json";         // {line} {column}
inline constexpr std::string_view kJsonTooDeep = "http/json-too-deep";            // {max_depth} {line} {column}
inline constexpr std::string_view kDuplicateJsonKey = "http/duplicate-json-key";  // {key} {line} {column}
inline constexpr std::string_view kExpectedObject = "http/expected-object";
inline constexpr std::string_view kEmptyBody = "http/empty-body";
inline constexpr std::string_view kUnknownField = "http/unknown-field";            // {field}
inline constexpr std::string_view kMissingField = "http/missing-field";            // {field}
inline constexpr std::string_view kBadField = "http/bad-field";                    // {field} {reason}
inline constexpr std::string_view kBodyTooLarge = "http/body-too-large";          // {limit}
inline constexpr std::string_view kHeaderTooLarge = "http/header-too-large";      // {limit}, 431
inline constexpr std::string_view kUnsupportedMediaType = "http/unsupported-media-type";
inline constexpr std::string_view kRequestTimeout = "http/request-timeout";       // 408
inline constexpr std::string_view kBadRequest = "http/bad-request";               // unparseable HTTP
inline constexpr std::string_view kInvalidPath = "http/invalid-path";
inline constexpr std::string_view kShuttingDown = "http/shutting-down";           // 503
inline constexpr std::string_view kOverloaded = "http/overloaded";                // 503
inline constexpr std::string_view kInternal = "internal";                         // {request_id}
}  // namespace problems

// Translated titles and details by slug. Built at startup (app/ adds each module's
// problems.h array), then only read: Find() is safe from any thread once Add() calls are done.
class ProblemCatalog {
 public:
  ProblemCatalog();  // holds the http/* problems (not-found, method-not-allowed, ...) already
  // REQUIRES: slugs not already present (aborts with a log line otherwise: a startup bug);
  // `texts` and the strings they point to outlive the catalog (static arrays in problems.h).
  void Add(std::span<const ProblemText> texts);
  const ProblemText* Find(std::string_view slug) const;
  // Every slug, for the test that checks each one has both languages.
  std::vector<std::string_view> Slugs() const;

 private:
  std::unordered_map<std::string_view, ProblemText> texts_;
};

// Renders `status` (not OK) as a problem+json response for `request`, in request.language.
// {name} placeholders in the detail are filled from status.args() (plus {request_id}) by
// gz::FillPlaceholders (core/problem_text.h): a placeholder without an argument is left out. A slug missing from the catalog gets a
// generic text for its code (and a warning in the log). kInternal always renders as
// "/problems/internal" with a fixed text: neither its slug, note nor arguments are shown.
// Headers: Content-Type application/problem+json; charset=utf-8, Content-Language,
// Vary: Accept-Language; a 503 or 429 also gets Retry-After (the "retry_after" argument in
// seconds if given, else 5).
Response MakeProblem(const Status& status, const Request& request, const ProblemCatalog& catalog);

}  // namespace gz::http
