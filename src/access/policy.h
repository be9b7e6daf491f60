// The authorization policy: for every permission (each route names one), which roles may use
// it and how far their reach goes. ONE table (policy_table.cc) states it all; the gate enforces
// it; the census test checks that every route of the server names a permission of the table;
// the access-matrix API test (tests/access/) checks the real server against it.
//
// Layer: access (standard library and core only).
//
// Reach of a rule:
//   kAny   the role may call the route wherever it holds the role; the handler narrows what it
//          returns to the caller's scopes (ReachFor), e.g. an auditor's search of the audit trail.
//   kScope the target object must lie in the subtree of one of the caller's grants of that role.
//   kSelf  the target object must be the caller's own account, resident record or household.
// Outcome when refused: 401 for anonymous callers; 403 for callers whose roles do not hold the
// permission at all (function level, decided before any object is looked up); for callers who
// hold it, 404 when the object lies outside every scope they hold (another tenant: its existence
// is not revealed) and 403 when it lies inside their tenant but out of their reach.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "access/role.h"

namespace gz::access {

enum class Audience {
  kPublic,    // anyone, signed in or not
  kSignedIn,  // any signed-in account, acting on itself (/me routes)
  kRoles,     // the roles listed in the rules
};
enum class Reach { kAny, kScope, kSelf };

struct Rule {
  Role role;
  Reach reach;
};

struct Permission {
  std::string_view name;  // "<module>.<verb>", as routes name it
  Audience audience = Audience::kRoles;
  std::vector<Rule> rules;  // for kRoles
  // A digital helper may do this for a villager whose consent lists it (代办). Only permissions
  // a villager holds themself can be delegable.
  bool delegable = false;
  std::string_view summary;  // English, one line, for docs and the matrix report
};

// Every permission of the deployment, sorted by name.
const std::vector<Permission>& PolicyTable();
// nullptr when `name` is not in the table (a bug: the census test catches it first).
const Permission* FindPermission(std::string_view name);

enum class Decision { kAllow, kUnauthenticated, kForbidden, kNotFound };
std::string_view DecisionName(Decision d);  // "allow", "unauthenticated", "forbidden", "not-found"

// What an object-level check looks at: where the object lives and whose it is.
struct Target {
  std::string division;         // canonical 12-digit code; "" for objects without a place
  int64_t owner_account = 0;    // the account the object belongs to, if any
  int64_t owner_resident = 0;   // the resident it is about, if any
  int64_t owner_household = 0;  // the household it is about, if any
};

// Function level: may this principal call a route with `permission` at all? A helper acting
// for someone needs a delegable permission that the consent lists, and the villager must hold it.
Decision MayAttempt(const Principal& principal, std::string_view permission);

// Object level: may this principal use `permission` on `target`? Includes MayAttempt.
Decision Check(const Principal& principal, std::string_view permission, const Target& target);

// For list and search handlers: where the principal's `permission` reaches. `anywhere` is set
// by kAny rules (the handler then filters by `scopes`, the grant scopes of those roles, itself).
struct Reachable {
  std::vector<std::string> scopes;  // canonical codes of kScope and kAny grants
  bool self = false;                // a kSelf rule applies: the subject's own objects
};
Reachable ReachFor(const Principal& principal, std::string_view permission);

}  // namespace gz::access
