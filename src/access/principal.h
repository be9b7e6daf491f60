// Principal: who is acting, for whom, and where they may act. Built once per request by the
// identity module from the session (so a demotion or a disabled account counts on the very next
// request), read by the gate and by every handler.
//
// Layer: access (standard library and core only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/role.h"

namespace gz::access {

// A role held over a division subtree. `scope` is a canonical 12-digit division code
// ("420114000000" = the county 420114 and everything below it).
struct Grant {
  int64_t id = 0;  // the grant row, for revocation and audit; 0 in tests
  Role role = Role::kVillager;
  std::string scope;
  bool operator==(const Grant&) const = default;
};

// The person a principal is: an account, and if the account belongs to a registered resident,
// that resident and household (what "self" means for policy rules of reach kSelf).
struct Person {
  int64_t account_id = 0;
  int64_t resident_id = 0;   // 0: not linked to a registered resident
  int64_t household_id = 0;  // 0: idem
  std::string village;       // canonical 12-digit home village, or empty
  std::vector<Grant> grants;
};

// A helper acting for a villager under a recorded consent (代办).
struct ActingFor {
  int64_t consent_id = 0;
  Person person;                     // the villager represented
  std::vector<std::string> actions;  // permission names the consent covers
};

struct Principal {
  Person self;                          // account_id 0: anonymous
  std::optional<ActingFor> acting_for;  // set when the request carries X-Acting-For and a consent holds
  int64_t session_id = 0;
  bool bearer = false;                  // token from Authorization: Bearer (no cookie, no CSRF)
  std::string request_id;

  bool anonymous() const { return self.account_id == 0; }
  // The person whose rights count: the villager acted for, or oneself.
  const Person& subject() const { return acting_for ? acting_for->person : self; }
  bool HasRole(Role role) const;  // on self, in any scope
};

// True if the canonical 12-digit `code` is `scope` or lies below it. Both must be canonical
// 12-digit codes; anything else is contained in nothing. The padding rule follows
// divisions/division_code.h: a division's subtree is every code that shares its non-zero prefix.
bool ScopeContains(std::string_view scope, std::string_view code);

// The subtree of a canonical scope as the closed range of 12-digit codes it contains (the digits
// that name it, then all zeros .. all nines), so that a store answers "in this scope" with one
// index range scan: ScopeContains(scope, c) == (first <= c && c <= last) for 12-digit c.
// nullopt when `scope` is not a canonical 12-digit code of a real level.
std::optional<std::pair<std::string, std::string>> ScopeRange(std::string_view scope);

// "420114000000" for "420114", "420114001001" stays; empty when `code` is not 2/4/6/9/12 digits.
std::string CanonicalScope(std::string_view code);

}  // namespace gz::access
