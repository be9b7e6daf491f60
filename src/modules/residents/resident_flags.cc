#include "modules/residents/resident_flags.h"

#include <algorithm>

#include "modules/residents/problems.h"

namespace gz::residents {
namespace {

bool IsCodeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

Status Corrupt() {
  return FailedPrecondition("crypto/integrity-failure", "flags do not parse").With("column", "flags");
}

}  // namespace

const FlagDefinition* FindFlag(std::string_view code) {
  for (const FlagDefinition& f : kResidentFlags)
    if (f.code == code) return &f;
  return nullptr;
}

Result<std::vector<std::string>> NormalizeFlags(std::span<const std::string> codes) {
  if (codes.size() > kMaxFlags)
    return InvalidArgument(std::string(problems::kBadFlag)).With("reason", "too-many").With("limit", std::to_string(kMaxFlags));
  std::vector<std::string> out;
  for (const std::string& code : codes) {
    if (FindFlag(code) == nullptr) {
      // The code is echoed only if it looks like a code: a flag field must not carry free text
      // (or personal data) into a problem detail.
      std::string shown = code.substr(0, kMaxFlagCodeBytes);
      if (!std::all_of(shown.begin(), shown.end(), IsCodeChar)) shown = "?";
      return InvalidArgument(std::string(problems::kBadFlag)).With("reason", "unknown").With("flag", shown);
    }
    out.push_back(code);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string EncodeFlags(std::span<const std::string> flags) {
  std::string out = "[";
  for (size_t i = 0; i < flags.size(); ++i) {
    if (i) out += ',';
    out += '"';
    out += flags[i];
    out += '"';
  }
  out += ']';
  return out;
}

Result<std::vector<std::string>> DecodeFlags(std::string_view s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return Corrupt();
  std::vector<std::string> out;
  size_t i = 1;
  const size_t end = s.size() - 1;
  while (i < end) {
    if (!out.empty()) {
      if (s[i] != ',') return Corrupt();
      ++i;
    }
    if (i >= end || s[i] != '"') return Corrupt();
    size_t close = s.find('"', i + 1);
    if (close == std::string_view::npos || close >= end || close == i + 1) return Corrupt();
    std::string_view code = s.substr(i + 1, close - i - 1);
    if (code.size() > kMaxFlagCodeBytes || !std::all_of(code.begin(), code.end(), IsCodeChar)) return Corrupt();
    out.emplace_back(code);
    if (out.size() > kMaxFlags) return Corrupt();
    i = close + 1;
  }
  return out;
}

}  // namespace gz::residents
