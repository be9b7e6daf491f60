#include "core/status.h"

namespace gz {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "INVALID_ARGUMENT";
    case Code::kUnauthenticated: return "UNAUTHENTICATED";
    case Code::kPermissionDenied: return "PERMISSION_DENIED";
    case Code::kNotFound: return "NOT_FOUND";
    case Code::kMethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case Code::kAlreadyExists: return "ALREADY_EXISTS";
    case Code::kFailedPrecondition: return "FAILED_PRECONDITION";
    case Code::kAborted: return "ABORTED";
    case Code::kTooLarge: return "TOO_LARGE";
    case Code::kUnsupportedMediaType: return "UNSUPPORTED_MEDIA_TYPE";
    case Code::kRateLimited: return "RATE_LIMITED";
    case Code::kUnavailable: return "UNAVAILABLE";
    case Code::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string_view Status::Arg(std::string_view name) const {
  for (const auto& [k, v] : args_)
    if (k == name) return v;
  return {};
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ' ';
  out += slug_;
  if (!args_.empty()) {
    out += " (";
    for (size_t i = 0; i < args_.size(); ++i) {
      if (i) out += ", ";
      out += args_[i].first + "=" + args_[i].second;
    }
    out += ')';
  }
  if (!note_.empty()) out += " " + note_;
  return out;
}

}  // namespace gz
