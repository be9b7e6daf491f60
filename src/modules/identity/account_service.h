// AccountService: registering people, invitations, listing accounts, disabling and unlocking
// them, granting and revoking roles, with separation of duties enforced here (not only in the
// routes), so the CLI and every future caller get the same rules:
//   - nobody grants or revokes a role on their own account, nor disables or unlocks themself;
//   - a role is granted (or revoked) only by a holder of a role that access::CanGrant allows,
//     and only inside that holder's scope;
//   - roles that access::Incompatible names never end up on one account;
//   - accounts.manage (disable, enable, unlock) needs, for every role the account holds, a
//     grant of the caller that could have granted it there.
//
// Layer: identity domain (service). The routes check function- and object-level permission with
// access::Gate first; this service then applies the rules above. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/status.h"
#include "modules/identity/identity_service.h"
#include "modules/residents/resident_store.h"

namespace gz::identity {

inline constexpr size_t kMaxNameChars = 64;
inline constexpr size_t kMaxReasonBytes = 500;
inline constexpr int64_t kAccountsPageSize = 50;
inline constexpr int64_t kMaxAccountsPage = 10000;

struct NewVillagerAccount {
  std::string village;               // canonical 12-digit village code
  std::string name;                  // display name
  std::optional<std::string> phone;  // none: cannot sign in, reachable through a helper
  int64_t resident_id = 0;           // 0: not linked
};

struct Invitation {
  std::string code;  // 10 digits, shown once
  int64_t expires_at_ms = 0;
};

struct RegisteredAccount {
  AccountView view;
  Invitation invitation;
};

enum class AccountAction { kDisable, kEnable, kUnlock };

struct AccountList {
  std::vector<AccountView> items;  // names masked
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = kAccountsPageSize;
};

class AccountService {
 public:
  // `residents` may be null (then linking a resident is refused). Both must outlive the service.
  AccountService(IdentityService& identity, residents::ResidentStore* residents);

  // A villager account (status invited, role villager in `village`) and its invitation code.
  // kInvalidArgument identity/bad-village, bad-name, bad-phone, bad-resident; kAlreadyExists
  // identity/phone-taken.
  Result<RegisteredAccount> RegisterVillager(const access::Principal& caller, const NewVillagerAccount& account);

  // `gongzhi account add`: an active account holding `role` over `scope` (its home division),
  // no password yet, and an invitation code to set one. The system is the granter.
  Result<RegisteredAccount> CreateWithRole(std::string_view phone, std::string_view name, access::Role role,
                                           std::string_view scope);
  // A fresh invitation code for an account (CLI: a lost code). Earlier unused codes stay valid
  // until they expire.
  Result<Invitation> Reinvite(int64_t account_id);

  // The invited person sets their password. kInvalidArgument identity/invalid-invitation for a
  // wrong, expired or used code, a disabled account, or a phone that is not the account's;
  // identity/weak-password; kRateLimited identity/too-many-attempts (per client address).
  Result<int64_t> AcceptInvitation(std::string_view code, std::string_view phone, std::string_view password,
                                   const RequestInfo& info);

  // Accounts whose home division lies where the caller's accounts.read reaches, optionally inside
  // `village` (any canonical code) and holding `role`. `page` from 1.
  Result<AccountList> List(const access::Principal& caller, std::string_view village,
                           std::optional<access::Role> role, int64_t page);

  Result<std::optional<AccountWithGrants>> Find(int64_t account_id);
  // By phone number (any form NormalizeMobile accepts); nullopt for none or a malformed number.
  Result<std::optional<AccountWithGrants>> FindByPhone(std::string_view phone);
  Result<AccountView> View(const AccountWithGrants& account);  // name masked

  // kPermissionDenied identity/cannot-manage (includes oneself); kInvalidArgument bad-reason.
  Result<AccountView> Apply(const access::Principal& caller, int64_t account_id, AccountAction action,
                            std::string_view reason);

  // kPermissionDenied identity/self-grant, identity/cannot-grant; kInvalidArgument bad-role,
  // bad-scope; kAlreadyExists identity/already-granted; kFailedPrecondition incompatible-roles.
  Result<GrantRow> Grant(const access::Principal& caller, int64_t account_id, std::string_view role,
                         std::string_view scope);
  // kNotFound identity/grant-not-found; the same permission errors as Grant.
  Status Revoke(const access::Principal& caller, int64_t account_id, int64_t grant_id);

 private:
  Result<Invitation> NewInvitation(int64_t account_id, InvitationRow* row);
  IdentityService& identity_;
  residents::ResidentStore* residents_;
};

// Village-level canonical code (12 digits, the last three not all zero).
bool IsVillageLevel(std::string_view code);
// "1".."64" code points, no control characters.
bool ValidName(std::string_view name);

}  // namespace gz::identity
