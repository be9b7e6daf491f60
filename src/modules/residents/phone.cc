#include "modules/residents/phone.h"

namespace gz::residents {

bool IsMainlandMobile(std::string_view d) {
  if (d.size() != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9') return false;
  for (char c : d)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::string> NormalizeMobile(std::string_view typed) {
  std::string digits;
  bool plus = false;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '\t') continue;
    if (c == '+' && digits.empty() && !plus) { plus = true; continue; }
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  // Country code forms: +86..., 0086..., 86... (only when 13 digits, so a bare number is never cut).
  if (digits.size() == 15 && digits.compare(0, 4, "0086") == 0) digits.erase(0, 4);
  else if (digits.size() == 13 && digits.compare(0, 2, "86") == 0) digits.erase(0, 2);
  else if (plus) return std::nullopt;
  if (!IsMainlandMobile(digits)) return std::nullopt;
  return digits;
}

bool IsSyntheticMobile(std::string_view d) {
  return IsMainlandMobile(d) && d.substr(0, kSyntheticMobilePrefix.size()) == kSyntheticMobilePrefix;
}

}  // namespace gz::residents
