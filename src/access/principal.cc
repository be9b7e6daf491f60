#include "access/principal.h"

#include <algorithm>

namespace gz::access {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits that name the division: 2, 4, 6, 9 or 12 (the deepest non-zero group).
size_t SignificantLength(std::string_view canonical) {
  if (canonical.substr(9, 3) != "000") return 12;
  if (canonical.substr(6, 3) != "000") return 9;
  if (canonical.substr(4, 2) != "00") return 6;
  if (canonical.substr(2, 2) != "00") return 4;
  return 2;
}

}  // namespace

bool Principal::HasRole(Role role) const {
  return std::any_of(self.grants.begin(), self.grants.end(), [role](const Grant& g) { return g.role == role; });
}

bool ScopeContains(std::string_view scope, std::string_view code) {
  if (scope.size() != 12 || code.size() != 12 || !AllDigits(scope) || !AllDigits(code)) return false;
  if (scope.substr(0, 2) == "00") return false;
  size_t n = SignificantLength(scope);
  return code.substr(0, n) == scope.substr(0, n);
}

std::optional<std::pair<std::string, std::string>> ScopeRange(std::string_view scope) {
  if (scope.size() != 12 || !AllDigits(scope) || scope.substr(0, 2) == "00") return std::nullopt;
  size_t n = SignificantLength(scope);
  std::string prefix(scope.substr(0, n));
  return std::make_pair(prefix + std::string(12 - n, '0'), prefix + std::string(12 - n, '9'));
}

std::string CanonicalScope(std::string_view code) {
  if (!AllDigits(code)) return {};
  if (code.size() != 2 && code.size() != 4 && code.size() != 6 && code.size() != 9 && code.size() != 12) return {};
  std::string out(code);
  out.resize(12, '0');
  return out;
}

}  // namespace gz::access
