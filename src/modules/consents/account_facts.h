// AccountFacts: what the consents module needs to know about an account, and nothing more.
//
// Layer: consents domain (port). The identity module owns accounts; the composition root (app/)
// wires identity's implementation of this port, so that consents never includes identity's code
// (and identity, which calls access::ConsentLookup, never includes ours). Tests use
// testing/fake_account_facts.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/status.h"

namespace gz::consents {

struct AccountSummary {
  int64_t account_id = 0;
  // False for a disabled account: it can neither give nor receive a consent.
  bool enabled = true;
  // Canonical 12-digit code of the village the person lives in (for a villager: where their
  // consents live and who may see them), or "" if the account has none.
  std::string home_village;
  // Every role the account holds now, with its scope (the same grants identity puts in
  // access::Principal::self.grants).
  std::vector<access::Grant> grants;
};

class AccountFacts {
 public:
  virtual ~AccountFacts() = default;
  // The account, or nullopt if there is none with this id. Errors: the store's (kUnavailable).
  // Must reflect the current state (a demotion or a disabled account counts at once).
  virtual Result<std::optional<AccountSummary>> Find(int64_t account_id) = 0;
  // The account's phone number (11 digits), opened to send it a text, or nullopt if it has none.
  // Reading it is a read of personal data: the caller writes the audit event that says why (the
  // SMS challenge's own record).
  virtual Result<std::optional<std::string>> PhoneForSms(int64_t account_id) = 0;
};

// Holds the villager role (in any scope).
bool IsVillager(const AccountSummary& account);
// Holds the helper role in a scope that contains `village`.
bool IsHelperFor(const AccountSummary& account, std::string_view village);

}  // namespace gz::consents
