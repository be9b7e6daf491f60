// JSON shapes of the identity routes. Layer: identity api.
//
// Ids are 63-bit integers and leave the server as decimal STRINGS ("id": "7012345678901234567"):
// JavaScript numbers hold 53 bits, and a client must never round an account id.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "modules/identity/account_service.h"
#include "modules/identity/identity_service.h"

namespace gz::identity {

// {"id","status","display_name","phone","home_division","resident_id","household_id",
//  "has_password","totp_enrolled","locked_until","created_at","roles":[...]}
boost::json::object AccountJson(const AccountView& view, int64_t now_ms);
// [{"id","role","scope"}]
boost::json::array RolesJson(const std::vector<GrantRow>& grants);
boost::json::object GrantJson(const GrantRow& grant);
std::string TimeText(int64_t unix_ms);  // RFC 3339 UTC

}  // namespace gz::identity
