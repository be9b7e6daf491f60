#include "modules/identity/api/identity_dto.h"


#include "core/clock.h"

namespace gz::identity {

std::string TimeText(int64_t unix_ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(unix_ms))); }

boost::json::object GrantJson(const GrantRow& g) {
  boost::json::object o;
  o["id"] = std::to_string(g.id);
  o["role"] = access::RoleCode(g.role);
  o["scope"] = g.scope;
  return o;
}

boost::json::array RolesJson(const std::vector<GrantRow>& grants) {
  boost::json::array a;
  for (const GrantRow& g : grants) a.push_back(GrantJson(g));
  return a;
}

boost::json::object AccountJson(const AccountView& v, int64_t now_ms) {
  const AccountRow& a = v.account.account;
  boost::json::object o;
  o["id"] = std::to_string(a.id);
  o["status"] = AccountStatusCode(a.status);
  o["display_name"] = v.display_name;
  if (v.phone_masked.empty()) o["phone"] = nullptr;
  else o["phone"] = v.phone_masked;
  o["home_division"] = a.home_division;
  if (a.resident_id) o["resident_id"] = std::to_string(a.resident_id);
  else o["resident_id"] = nullptr;
  if (a.household_id) o["household_id"] = std::to_string(a.household_id);
  else o["household_id"] = nullptr;
  o["has_password"] = v.has_password;
  o["totp_enrolled"] = v.totp_enrolled;
  if (a.locked_until_ms > now_ms) o["locked_until"] = TimeText(a.locked_until_ms);
  else o["locked_until"] = nullptr;
  o["created_at"] = TimeText(a.created_at_ms);
  o["roles"] = RolesJson(v.account.grants);
  return o;
}

}  // namespace gz::identity
