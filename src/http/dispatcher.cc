#include "http/dispatcher.h"

#include <exception>
#include <string>

#include "core/clock.h"
#include "core/log.h"

namespace gz::http {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "application/json", optionally with "; charset=utf-8" (JSON is UTF-8: RFC 8259 §8.1).
bool IsJsonContentType(std::string_view content_type) {
  std::string lower = Lower(content_type);
  std::string_view rest = lower;
  size_t semi = rest.find(';');
  if (Trim(rest.substr(0, semi)) != "application/json") return false;
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    if (param.empty()) continue;
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    if (Trim(param.substr(0, eq)) != "charset") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value != "utf-8" && value != "utf8") return false;
  }
  return true;
}

std::string AllowHeader(const std::vector<Method>& allowed) {
  std::string out;
  for (Method m : allowed) {
    if (!out.empty()) out += ", ";
    out += MethodName(m);
  }
  return out;
}

}  // namespace

void AddSecurityHeaders(Response& response) {
  if (response.Header("Content-Security-Policy") != kFileContentSecurityPolicy)
    response.SetHeader("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                       "object-src 'none'; form-action 'self'");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
}

Response Dispatcher::Invoke(const Route& route, Request& request) const {
  Status status;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  Response response = InvokeChecked(route, request, &extra_headers);
  for (auto& [name, value] : extra_headers) response.AddHeader(name, value);
  return response;
}

Response Dispatcher::InvokeChecked(const Route& route, Request& request,
                                   std::vector<std::pair<std::string, std::string>>* extra_headers) const {
  Status status;
  size_t limit = route.max_body_bytes != 0 ? route.max_body_bytes : default_max_body_bytes_;
  if (limit != 0 && request.body.size() > limit) {
    status = TooLarge(std::string(problems::kBodyTooLarge)).With("limit", std::to_string(limit));
  } else if (Status admitted = RunGuard(route, request, extra_headers); !admitted.ok()) {
    status = std::move(admitted);
  } else if (route.json_body && !IsJsonContentType(request.Header("content-type"))) {
    status = Status(Code::kUnsupportedMediaType, std::string(problems::kUnsupportedMediaType));
  } else if (route.json_body && request.body.empty()) {
    status = InvalidArgument(std::string(problems::kEmptyBody));
  } else {
    // The handler is the one place where an unexpected exception could come from; it stops here.
    try {
      Result<Response> result = route.handler(request);
      if (result.ok()) return std::move(result).value();
      status = result.status();
    } catch (const std::exception& e) {
      status = Internal(std::string("exception from handler: ") + e.what());
    } catch (...) {
      status = Internal("non-standard exception from handler");
    }
  }
  if (status.code() == Code::kInternal) {
    log::Error("request.internal_error",
               {{"request_id", request.request_id}, {"route", route.pattern}, {"detail", status.ToString()}});
  }
  return MakeProblem(status, request, catalog_);
}

Status Dispatcher::RunGuard(const Route& route, Request& request,
                            std::vector<std::pair<std::string, std::string>>* extra_headers) const {
  if (!guard_) return Status::Ok();
  try {
    return guard_(route, request, extra_headers);
  } catch (const std::exception& e) {
    return Internal(std::string("exception from guard: ") + e.what());
  } catch (...) {
    return Internal("non-standard exception from guard");
  }
}

Response Dispatcher::Handle(Request& request) const {
  const Clock& clock = SystemClock::Instance();
  MonoTime start = clock.Monotonic();
  request.language = NegotiateLanguage(request.Header("accept-language"));
  request.route.clear();
  request.path_params.clear();

  Router::Match match = router_.Find(request.method, request.path, &request.path_params);
  Response response;
  if (match.route != nullptr) {
    request.route = match.route->pattern;
    response = Invoke(*match.route, request);
  } else if (match.path_known) {
    std::string allow = AllowHeader(match.allowed);
    std::string method = request.method_text.empty() ? std::string(MethodName(request.method)) : request.method_text;
    Status status(Code::kMethodNotAllowed, std::string(problems::kMethodNotAllowed));
    status.With("method", method.substr(0, 32)).With("allowed", allow);
    response = MakeProblem(status, request, catalog_);
    response.SetHeader("Allow", allow);
  } else if (fallback_ && (request.method == Method::kGet || request.method == Method::kHead)) {
    request.route = fallback_->pattern;
    response = Invoke(*fallback_, request);
  } else {
    response = MakeProblem(NotFound(std::string(problems::kNotFound)), request, catalog_);
  }

  if (request.method == Method::kHead) {
    // HEAD answers with the headers GET would send, Content-Length included, and no body.
    if (response.Header("Content-Length").empty())
      response.SetHeader("Content-Length", std::to_string(response.body.size()));
    response.body.clear();
  }
  AddSecurityHeaders(response);
  if (request.path.starts_with("/api/") && response.Header("Cache-Control").empty())
    response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Request-Id", request.request_id);

  // Labels and log fields use the route pattern: bounded, and free of personal data.
  std::string_view route_label = request.route.empty() ? std::string_view("unmatched") : request.route;
  double seconds = std::chrono::duration<double>(clock.Monotonic() - start).count();
  metrics_.ObserveRequest(route_label, MethodName(request.method), response.status, seconds);
  log::Info("request", {{"request_id", request.request_id},
                        {"method", MethodName(request.method)},
                        {"route", route_label},
                        {"status", response.status},
                        {"duration_ms", seconds * 1000.0},
                        {"bytes_out", static_cast<uint64_t>(response.body.size())}});
  return response;
}

}  // namespace gz::http
