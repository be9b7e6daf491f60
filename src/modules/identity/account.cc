#include "modules/identity/account.h"

namespace gz::identity {

std::string_view AccountStatusCode(AccountStatus s) {
  switch (s) {
    case AccountStatus::kInvited: return "invited";
    case AccountStatus::kActive: return "active";
    case AccountStatus::kDisabled: return "disabled";
  }
  return "disabled";
}

std::optional<AccountStatus> ParseAccountStatus(std::string_view code) {
  if (code == "invited") return AccountStatus::kInvited;
  if (code == "active") return AccountStatus::kActive;
  if (code == "disabled") return AccountStatus::kDisabled;
  return std::nullopt;
}

std::string_view SessionKindCode(SessionKind k) { return k == SessionKind::kCookie ? "cookie" : "bearer"; }

}  // namespace gz::identity
