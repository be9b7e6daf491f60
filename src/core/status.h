// Status and Result<T>: expected failures as values (see docs/architecture.md, "Errors").
//
// Layer: core (standard library only). Every fallible function in gongzhi returns a Status or a
// Result<T>. A non-OK Status carries
//   - a canonical Code (the HTTP layer maps it to a status number in one table, http/problem.cc),
//   - a stable problem slug such as "divisions/unknown-code" (becomes the RFC 9457 `type`
//     "/problems/divisions/unknown-code" and selects the translated title and detail),
//   - named arguments that are substituted into the translated detail ({code}, {position}, ...),
//   - an internal note for logs (English, never shown to callers, never personal data).
// Exceptions never cross a layer: code that calls a throwing library converts at that call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace gz {

// Abseil's canonical set, trimmed to what gongzhi needs. Order is not significant.
enum class Code {
  kOk = 0,
  kInvalidArgument,     // 400: the caller sent something malformed
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404 (also for objects of another tenant: never leak existence)
  kMethodNotAllowed,    // 405 (router only)
  kAlreadyExists,       // 409
  kFailedPrecondition,  // 409: the object is not in a state that allows this
  kAborted,             // 409: concurrent modification, retry
  kTooLarge,            // 413
  kUnsupportedMediaType,// 415
  kRateLimited,         // 429
  kUnavailable,         // 503: store down, shutting down; caller may retry
  kInternal,            // 500: a bug; details only in the log
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  // `slug` is the stable problem slug ("module/kebab-case"); `note` is for logs only.
  Status(Code code, std::string slug, std::string note = {})
      : code_(code), slug_(std::move(slug)), note_(std::move(note)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& slug() const { return slug_; }
  const std::string& note() const { return note_; }
  const std::vector<std::pair<std::string, std::string>>& args() const { return args_; }

  // Adds a named argument for the translated detail, e.g. .With("code", "4201x").
  // Never pass personal data: arguments may be logged.
  Status& With(std::string name, std::string value) & {
    args_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  Status&& With(std::string name, std::string value) && {
    args_.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
  // Returns the value of argument `name`, or empty.
  std::string_view Arg(std::string_view name) const;

  // "NOT_FOUND divisions/unknown-code (code=420199) note" for logs and test failures.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string slug_;
  std::string note_;
  std::vector<std::pair<std::string, std::string>> args_;
};

// Shorthands, so call sites read as sentences: return NotFound("divisions/unknown-code");
inline Status InvalidArgument(std::string slug, std::string note = {}) { return {Code::kInvalidArgument, std::move(slug), std::move(note)}; }
inline Status NotFound(std::string slug, std::string note = {}) { return {Code::kNotFound, std::move(slug), std::move(note)}; }
inline Status PermissionDenied(std::string slug, std::string note = {}) { return {Code::kPermissionDenied, std::move(slug), std::move(note)}; }
inline Status Unauthenticated(std::string slug, std::string note = {}) { return {Code::kUnauthenticated, std::move(slug), std::move(note)}; }
inline Status AlreadyExists(std::string slug, std::string note = {}) { return {Code::kAlreadyExists, std::move(slug), std::move(note)}; }
inline Status FailedPrecondition(std::string slug, std::string note = {}) { return {Code::kFailedPrecondition, std::move(slug), std::move(note)}; }
inline Status Aborted(std::string slug, std::string note = {}) { return {Code::kAborted, std::move(slug), std::move(note)}; }
inline Status TooLarge(std::string slug, std::string note = {}) { return {Code::kTooLarge, std::move(slug), std::move(note)}; }
inline Status Unavailable(std::string slug, std::string note = {}) { return {Code::kUnavailable, std::move(slug), std::move(note)}; }
inline Status Internal(std::string note) { return {Code::kInternal, "internal", std::move(note)}; }

// Either a value or a non-OK Status. Shaped like std::expected so it can become an alias later.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Internal("Result constructed from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace gz

#define GZ_STATUS_CONCAT_INNER_(a, b) a##b
#define GZ_STATUS_CONCAT_(a, b) GZ_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define GZ_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    ::gz::Status gz_status_ = (expr);                \
    if (!gz_status_.ok()) return gz_status_;         \
  } while (0)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define GZ_ASSIGN_OR_RETURN(lhs, expr) \
  GZ_ASSIGN_OR_RETURN_IMPL_(GZ_STATUS_CONCAT_(gz_result_, __LINE__), lhs, expr)
#define GZ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
