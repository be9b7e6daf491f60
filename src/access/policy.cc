#include "access/policy.h"

#include <algorithm>

namespace gz::access {
namespace {

bool Owns(const Person& person, const Target& target) {
  return (target.owner_account != 0 && target.owner_account == person.account_id) ||
         (target.owner_resident != 0 && target.owner_resident == person.resident_id) ||
         (target.owner_household != 0 && target.owner_household == person.household_id);
}

// The access-matrix negative control (tests/access/policy_nc.cc) compiles this file with the
// tenant check weakened to "same county", as if a scope filter had been forgotten; the matrix
// must then report mismatches. Never defined in the real build.
bool InScope(std::string_view scope, std::string_view division) {
#ifdef GZ_ACCESS_NEGATIVE_CONTROL
  return scope.size() == 12 && division.size() == 12 && scope.substr(0, 6) == division.substr(0, 6);
#else
  return ScopeContains(scope, division);
#endif
}

bool ConsentCovers(const ActingFor& acting, std::string_view permission) {
  return std::find(acting.actions.begin(), acting.actions.end(), permission) != acting.actions.end();
}

}  // namespace

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow: return "allow";
    case Decision::kUnauthenticated: return "unauthenticated";
    case Decision::kForbidden: return "forbidden";
    case Decision::kNotFound: return "not-found";
  }
  return "forbidden";
}

const Permission* FindPermission(std::string_view name) {
  const auto& table = PolicyTable();
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const Permission& p, std::string_view n) { return p.name < n; });
  return it != table.end() && it->name == name ? &*it : nullptr;
}

Decision MayAttempt(const Principal& principal, std::string_view permission) {
  const Permission* perm = FindPermission(permission);
  if (perm == nullptr) return Decision::kForbidden;
  if (perm->audience == Audience::kPublic) return Decision::kAllow;
  if (principal.anonymous()) return Decision::kUnauthenticated;
  if (principal.acting_for && (!perm->delegable || !ConsentCovers(*principal.acting_for, permission)))
    return Decision::kForbidden;
  if (perm->audience == Audience::kSignedIn) return Decision::kAllow;
  const Person& subject = principal.subject();
  for (const Rule& rule : perm->rules)
    for (const Grant& g : subject.grants)
      if (g.role == rule.role) return Decision::kAllow;
  return Decision::kForbidden;
}

Decision Check(const Principal& principal, std::string_view permission, const Target& target) {
  Decision attempt = MayAttempt(principal, permission);
  const Permission* perm = FindPermission(permission);
  // A caller who may not use the permission at all is refused at the function level (403 from
  // the dispatcher's guard, before any object is looked up): that answer says nothing about
  // whether an object exists, so it need not be a 404.
  if (attempt != Decision::kAllow || perm->audience != Audience::kRoles) return attempt;
  const Person& subject = principal.subject();
  for (const Rule& rule : perm->rules) {
    for (const Grant& g : subject.grants) {
      if (g.role != rule.role) continue;
      switch (rule.reach) {
        case Reach::kAny: return Decision::kAllow;
        case Reach::kScope:
          if (InScope(g.scope, target.division)) return Decision::kAllow;
          break;
        case Reach::kSelf:
          if (Owns(subject, target)) return Decision::kAllow;
          break;
      }
    }
  }
  bool own_tenant = Owns(subject, target) ||
                    std::any_of(subject.grants.begin(), subject.grants.end(),
                                [&](const Grant& g) { return ScopeContains(g.scope, target.division); });
  return own_tenant ? Decision::kForbidden : Decision::kNotFound;
}

Reachable ReachFor(const Principal& principal, std::string_view permission) {
  Reachable out;
  if (MayAttempt(principal, permission) != Decision::kAllow) return out;
  const Permission* perm = FindPermission(permission);
  const Person& subject = principal.subject();
  for (const Rule& rule : perm->rules) {
    for (const Grant& g : subject.grants) {
      if (g.role != rule.role) continue;
      if (rule.reach == Reach::kSelf) {
        out.self = true;
      } else if (std::find(out.scopes.begin(), out.scopes.end(), g.scope) == out.scopes.end()) {
        out.scopes.push_back(g.scope);
      }
    }
  }
  return out;
}

}  // namespace gz::access
