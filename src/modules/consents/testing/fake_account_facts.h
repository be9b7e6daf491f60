// An in-memory AccountFacts for tests (the real one is identity's).
//
// Layer: consents testing.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "modules/consents/account_facts.h"

namespace gz::consents {

class FakeAccountFacts final : public AccountFacts {
 public:
  Result<std::optional<AccountSummary>> Find(int64_t account_id) override {
    std::lock_guard lock(mu_);
    if (failing_) return Unavailable("storage/busy", "fake account store failing");
    auto it = accounts_.find(account_id);
    if (it == accounts_.end()) return std::optional<AccountSummary>();
    return std::optional<AccountSummary>(it->second);
  }

  Result<std::optional<std::string>> PhoneForSms(int64_t account_id) override {
    std::lock_guard lock(mu_);
    if (failing_) return Unavailable("storage/busy", "fake account store failing");
    auto it = phones_.find(account_id);
    if (it == phones_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  void SetPhone(int64_t id, std::string phone) {
    std::lock_guard lock(mu_);
    phones_[id] = std::move(phone);
  }

  // Adds or replaces an account holding `role` over `scope`, living in `home_village`.
  void Put(int64_t id, access::Role role, std::string scope, std::string home_village, bool enabled = true) {
    std::lock_guard lock(mu_);
    accounts_[id] = AccountSummary{id, enabled, std::move(home_village), {access::Grant{0, role, std::move(scope)}}};
  }
  void AddGrant(int64_t id, access::Role role, std::string scope) {
    std::lock_guard lock(mu_);
    accounts_[id].grants.push_back(access::Grant{0, role, std::move(scope)});
  }
  void SetFailing(bool failing) {
    std::lock_guard lock(mu_);
    failing_ = failing;
  }

 private:
  std::mutex mu_;
  std::map<int64_t, AccountSummary> accounts_;
  std::map<int64_t, std::string> phones_;
  bool failing_ = false;
};

}  // namespace gz::consents
