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

#include "core/problem_text.h"
#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::http {

int HttpStatusFor(Code code);

class ProblemCatalog {
 public:
  ProblemCatalog();  // holds the http/* problems (not-found, method-not-allowed, ...) already
  // REQUIRES: slugs not already present.
  void Add(std::span<const ProblemText> texts);
  const ProblemText* Find(std::string_view slug) const;
  // Every slug, for the test that checks each one has both languages.
  std::vector<std::string_view> Slugs() const;

 private:
  std::unordered_map<std::string_view, ProblemText> texts_;
};

// Renders `status` (not OK) as a problem+json response for `request`.
Response MakeProblem(const Status& status, const Request& request, const ProblemCatalog& catalog);

}  // namespace gz::http
