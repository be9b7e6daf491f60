#include "modules/identity/account_service.h"

#include <algorithm>

#include "access/policy.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/password_policy.h"
#include "modules/identity/problems.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"

namespace gz::identity {
namespace {

constexpr int kInvitationDigits = 10;

std::string GrantDetails(const GrantRow& g) {
  std::string out = "{\"role\":\"";
  out += access::RoleCode(g.role);
  out += "\",\"scope\":\"";
  out += g.scope;
  out += "\",\"grant_id\":\"";
  out += std::to_string(g.id);
  out += "\"}";
  return out;
}

access::AuditEvent AccountEvent(const access::Principal& caller, std::string action, const AccountRow& a) {
  access::AuditEvent e = access::EventFor(caller, std::move(action));
  e.object_type = "account";
  e.object_id = std::to_string(a.id);
  e.division = a.home_division;
  return e;
}

// Holds `caller` a grant that could grant `role` over `scope`?
bool CouldGrant(const access::Principal& caller, access::Role role, std::string_view scope) {
  return std::any_of(caller.self.grants.begin(), caller.self.grants.end(), [&](const access::Grant& g) {
    return access::CanGrant(g.role, role) && access::ScopeContains(g.scope, scope);
  });
}

bool CouldManage(const access::Principal& caller, const AccountWithGrants& target) {
  if (caller.self.account_id == target.account.id) return false;
  if (target.grants.empty()) {
    return std::any_of(caller.self.grants.begin(), caller.self.grants.end(), [&](const access::Grant& g) {
      return access::CanGrant(g.role, access::Role::kVillager) && access::ScopeContains(g.scope, target.account.home_division);
    });
  }
  return std::all_of(target.grants.begin(), target.grants.end(),
                     [&](const GrantRow& g) { return CouldGrant(caller, g.role, g.scope); });
}

// 1..500 bytes (the audit record's purpose limit), line breaks allowed, no other control character.
bool ValidReason(std::string_view reason) {
  if (reason.empty() || reason.size() > kMaxReasonBytes) return false;
  for (unsigned char c : reason)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  return reason.find_first_not_of(" \n") != std::string_view::npos;
}

Status InvalidInvitation() { return InvalidArgument(std::string(problems::kInvalidInvitation)); }

std::string DigitsOnly(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    out += c;
  }
  return out;
}

}  // namespace

bool IsVillageLevel(std::string_view code) {
  return code.size() == 12 && code.find_first_not_of("0123456789") == std::string_view::npos &&
         code.substr(9) != "000" && code.substr(0, 2) != "00";
}

bool ValidName(std::string_view name) {
  size_t chars = Utf8Length(name);
  if (chars == 0 || chars > kMaxNameChars) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return false;
  return name.find_first_not_of(' ') != std::string_view::npos;
}

AccountService::AccountService(IdentityService& identity, residents::ResidentStore* residents)
    : identity_(identity), residents_(residents) {}

Result<Invitation> AccountService::NewInvitation(int64_t account_id, InvitationRow* row) {
  const int64_t now = identity_.NowMs();
  Invitation inv;
  for (int i = 0; i < kInvitationDigits; ++i) inv.code += static_cast<char>('0' + crypto::RandomUniform(10));
  inv.expires_at_ms =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(identity_.options().invitation_validity).count();
  row->id = crypto::NewRowId(now);
  row->account_id = account_id;
  row->code_index = InvitationIndex(identity_.cipher(), inv.code);
  row->created_at_ms = now;
  row->expires_at_ms = inv.expires_at_ms;
  return inv;
}

Result<RegisteredAccount> AccountService::RegisterVillager(const access::Principal& caller,
                                                           const NewVillagerAccount& request) {
  if (!IsVillageLevel(request.village)) return InvalidArgument(std::string(problems::kBadVillage)).With("code", request.village);
  if (!ValidName(request.name)) return InvalidArgument(std::string(problems::kBadName));
  std::optional<std::string> phone;
  if (request.phone) {
    phone = residents::NormalizeMobile(*request.phone);
    if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
  }
  const int64_t now = identity_.NowMs();
  AccountRow row;
  row.id = crypto::NewRowId(now);
  row.home_division = request.village;
  row.status = AccountStatus::kInvited;
  row.created_at_ms = now;
  if (request.resident_id != 0) {
    if (residents_ == nullptr) return InvalidArgument(std::string(problems::kBadResident)).With("reason", "no-registry");
    Result<residents::SealedResident> resident = residents_->GetResident(residents::ResidentId{request.resident_id});
    if (!resident.ok()) {
      if (resident.status().code() == Code::kNotFound)
        return InvalidArgument(std::string(problems::kBadResident)).With("reason", "not-found");
      return resident.status();
    }
    if (resident->info.village_code != request.village)
      return InvalidArgument(std::string(problems::kBadResident)).With("reason", "other-village");
    row.resident_id = request.resident_id;
    row.household_id = resident->info.household_id.value;
  }
  SealName(identity_.cipher(), row, request.name);
  if (phone) SealPhone(identity_.cipher(), row, *phone);
  GrantRow grant{crypto::NewRowId(now), row.id, access::Role::kVillager, request.village, caller.self.account_id, now};
  InvitationRow inv_row;
  GZ_ASSIGN_OR_RETURN(Invitation invitation, NewInvitation(row.id, &inv_row));
  access::AuditEvent e = AccountEvent(caller, "account.created", row);
  e.details = "{\"role\":\"villager\",\"invitation\":true,\"phone\":" + std::string(phone ? "true" : "false") +
              ",\"resident_linked\":" + (row.resident_id ? "true" : "false") + "}";
  GZ_RETURN_IF_ERROR(identity_.store().InsertAccount(row, {grant}, inv_row, {e}));
  GZ_ASSIGN_OR_RETURN(AccountView view, identity_.MakeView(AccountWithGrants{row, {grant}}, true));
  return RegisteredAccount{std::move(view), std::move(invitation)};
}

Result<RegisteredAccount> AccountService::CreateWithRole(std::string_view phone_text, std::string_view name,
                                                         access::Role role, std::string_view scope_text) {
  std::string scope = access::CanonicalScope(scope_text);
  if (scope.empty() || !access::ScopeContains(scope, scope))
    return InvalidArgument(std::string(problems::kBadScope)).With("scope", std::string(scope_text.substr(0, 32)));
  std::optional<std::string> phone = residents::NormalizeMobile(phone_text);
  if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
  if (!ValidName(name)) return InvalidArgument(std::string(problems::kBadName));
  const int64_t now = identity_.NowMs();
  AccountRow row;
  row.id = crypto::NewRowId(now);
  row.home_division = scope;
  row.status = AccountStatus::kActive;
  row.created_at_ms = now;
  SealName(identity_.cipher(), row, name);
  SealPhone(identity_.cipher(), row, *phone);
  GrantRow grant{crypto::NewRowId(now), row.id, role, scope, 0, now};
  InvitationRow inv_row;
  GZ_ASSIGN_OR_RETURN(Invitation invitation, NewInvitation(row.id, &inv_row));
  access::AuditEvent e;
  e.action = "account.created";
  e.object_type = "account";
  e.object_id = std::to_string(row.id);
  e.division = scope;
  e.details = "{\"via\":\"cli\"," + GrantDetails(grant).substr(1);
  GZ_RETURN_IF_ERROR(identity_.store().InsertAccount(row, {grant}, inv_row, {e}));
  GZ_ASSIGN_OR_RETURN(AccountView view, identity_.MakeView(AccountWithGrants{row, {grant}}, true));
  return RegisteredAccount{std::move(view), std::move(invitation)};
}

Result<Invitation> AccountService::Reinvite(int64_t account_id) {
  InvitationRow inv_row;
  GZ_ASSIGN_OR_RETURN(Invitation invitation, NewInvitation(account_id, &inv_row));
  GZ_RETURN_IF_ERROR(identity_.store().UpdateAccount(account_id, [&](AccountRow& a, const std::vector<GrantRow>&,
                                                                     AccountUpdate& u) -> Status {
    u.write_account = false;
    u.new_invitation = inv_row;
    access::AuditEvent e;
    e.action = "account.invitation_issued";
    e.object_type = "account";
    e.object_id = std::to_string(a.id);
    e.division = a.home_division;
    e.details = "{\"via\":\"cli\"}";
    u.audit.push_back(std::move(e));
    return Status::Ok();
  }));
  return invitation;
}

Result<int64_t> AccountService::AcceptInvitation(std::string_view code_text, std::string_view phone_text,
                                                 std::string_view password, const RequestInfo& info) {
  GZ_ASSIGN_OR_RETURN(int64_t wait, identity_.CountAttempt(info.remote_addr));
  if (wait > 0)
    return Status(Code::kRateLimited, std::string(problems::kTooManyAttempts)).With("retry_after", std::to_string(wait));
  const int64_t now = identity_.NowMs();
  const std::string code = DigitsOnly(code_text);
  auto refuse = [&](const AccountRow* account, std::string_view reason) -> Status {
    access::AuditEvent e;
    e.action = "account.invitation_accept";
    e.outcome = access::outcome::kFailed;
    e.request_id = info.request_id;
    e.object_type = "account";
    if (account) {
      e.object_id = std::to_string(account->id);
      e.division = account->home_division;
    }
    e.details = std::string("{\"reason\":\"") + std::string(reason) + "\"}";
    GZ_RETURN_IF_ERROR(identity_.store().AppendAudit({e}));
    return InvalidInvitation();
  };
  if (code.size() != kInvitationDigits || code.find_first_not_of("0123456789") != std::string::npos)
    return refuse(nullptr, "malformed-code");
  GZ_ASSIGN_OR_RETURN(std::optional<InvitationRow> inv,
                      identity_.store().FindInvitation(InvitationIndex(identity_.cipher(), code)));
  if (!inv) return refuse(nullptr, "unknown-code");
  GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> found, identity_.store().GetAccount(inv->account_id));
  if (!found) return refuse(nullptr, "unknown-code");
  if (inv->used_at_ms != 0) return refuse(&found->account, "used");
  if (inv->expires_at_ms <= now) return refuse(&found->account, "expired");
  if (found->account.status == AccountStatus::kDisabled) return refuse(&found->account, "disabled");
  std::optional<std::string> phone = residents::NormalizeMobile(phone_text);
  if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> existing, OpenPhone(identity_.cipher(), found->account));
  if (existing && *existing != *phone) return refuse(&found->account, "other-phone");
  GZ_RETURN_IF_ERROR(identity_.policy().Check(password, HoldsStaffRole(found->grants), {*phone}));
  GZ_ASSIGN_OR_RETURN(std::string hash, identity_.HashPassword(password));
  GZ_RETURN_IF_ERROR(identity_.store().UpdateAccount(inv->account_id, [&](AccountRow& a, const std::vector<GrantRow>&,
                                                                          AccountUpdate& u) -> Status {
    if (a.status == AccountStatus::kDisabled) return InvalidInvitation();
    if (!a.phone_sealed) SealPhone(identity_.cipher(), a, *phone);
    SealPasswordHash(identity_.cipher(), a, hash);
    a.password_changed_at_ms = now;
    a.status = AccountStatus::kActive;
    a.failed_attempts = 0;
    a.locked_until_ms = 0;
    u.use_invitation = inv->id;
    u.delete_sessions = true;  // a password set anew ends whatever sessions existed
    access::AuditEvent e;
    e.action = "account.invitation_accepted";
    e.actor_account = a.id;
    e.request_id = info.request_id;
    e.object_type = "account";
    e.object_id = std::to_string(a.id);
    e.division = a.home_division;
    u.audit.push_back(std::move(e));
    return Status::Ok();
  }));
  return inv->account_id;
}

Result<AccountList> AccountService::List(const access::Principal& caller, std::string_view village,
                                         std::optional<access::Role> role, int64_t page) {
  if (page < 1 || page > kMaxAccountsPage) return InvalidArgument(std::string(problems::kBadPage));
  AccountFilter filter;
  filter.scopes = access::ReachFor(caller, "accounts.read").scopes;
  if (!village.empty()) {
    std::string canonical = access::CanonicalScope(village);
    if (canonical.empty() || !access::ScopeContains(canonical, canonical))
      return InvalidArgument(std::string(problems::kBadVillage)).With("code", std::string(village.substr(0, 32)));
    filter.village = canonical;
  }
  filter.role = role;
  filter.limit = kAccountsPageSize;
  filter.offset = (page - 1) * kAccountsPageSize;
  AccountList out;
  out.page = page;
  if (filter.scopes.empty()) return out;
  GZ_ASSIGN_OR_RETURN(AccountPage rows, identity_.store().ListAccounts(filter));
  out.total = rows.total;
  for (const auto& a : rows.items) {
    GZ_ASSIGN_OR_RETURN(AccountView v, identity_.MakeView(a, true));
    out.items.push_back(std::move(v));
  }
  return out;
}

Result<std::optional<AccountWithGrants>> AccountService::Find(int64_t account_id) {
  return identity_.store().GetAccount(account_id);
}

Result<std::optional<AccountWithGrants>> AccountService::FindByPhone(std::string_view phone) {
  std::optional<std::string> normalized = residents::NormalizeMobile(phone);
  if (!normalized) return std::optional<AccountWithGrants>();
  return identity_.store().FindAccountByPhoneIndex(PhoneIndex(identity_.cipher(), *normalized));
}

Result<AccountView> AccountService::View(const AccountWithGrants& account) { return identity_.MakeView(account, true); }

Result<AccountView> AccountService::Apply(const access::Principal& caller, int64_t account_id, AccountAction action,
                                          std::string_view reason) {
  if (!ValidReason(reason)) return InvalidArgument(std::string(problems::kBadReason));
  AccountWithGrants result;
  GZ_RETURN_IF_ERROR(identity_.store().UpdateAccount(account_id, [&](AccountRow& a, const std::vector<GrantRow>& grants,
                                                                     AccountUpdate& u) -> Status {
    if (!CouldManage(caller, AccountWithGrants{a, grants})) return PermissionDenied(std::string(problems::kCannotManage));
    const char* name = "account.unlocked";
    switch (action) {
      case AccountAction::kDisable:
        a.status = AccountStatus::kDisabled;
        u.delete_sessions = true;
        name = "account.disabled";
        break;
      case AccountAction::kEnable:
        a.status = a.password_sealed ? AccountStatus::kActive : AccountStatus::kInvited;
        name = "account.enabled";
        break;
      case AccountAction::kUnlock:
        a.failed_attempts = 0;
        a.locked_until_ms = 0;
        break;
    }
    access::AuditEvent e = AccountEvent(caller, name, a);
    e.purpose = std::string(reason);
    u.audit.push_back(std::move(e));
    result = AccountWithGrants{a, grants};
    return Status::Ok();
  }));
  return identity_.MakeView(result, true);
}

Result<GrantRow> AccountService::Grant(const access::Principal& caller, int64_t account_id, std::string_view role_text,
                                       std::string_view scope_text) {
  std::optional<access::Role> role = access::ParseRole(role_text);
  if (!role) return InvalidArgument(std::string(problems::kBadRole)).With("role", std::string(role_text.substr(0, 32)));
  std::string scope = access::CanonicalScope(scope_text);
  if (scope.empty() || !access::ScopeContains(scope, scope))
    return InvalidArgument(std::string(problems::kBadScope)).With("scope", std::string(scope_text.substr(0, 32)));
  if (caller.self.account_id == account_id) return PermissionDenied(std::string(problems::kSelfGrant));
  if (!CouldGrant(caller, *role, scope))
    return PermissionDenied(std::string(problems::kCannotGrant)).With("role", std::string(access::RoleCode(*role)));
  const int64_t now = identity_.NowMs();
  GrantRow grant{crypto::NewRowId(now), account_id, *role, scope, caller.self.account_id, now};
  GZ_RETURN_IF_ERROR(identity_.store().UpdateAccount(account_id, [&](AccountRow& a, const std::vector<GrantRow>& grants,
                                                                     AccountUpdate& u) -> Status {
    for (const GrantRow& g : grants) {
      if (g.role == *role && g.scope == scope) return AlreadyExists(std::string(problems::kAlreadyGranted));
      if (access::Incompatible(g.role, *role))
        return FailedPrecondition(std::string(problems::kIncompatibleRoles))
            .With("role", std::string(access::RoleCode(*role)))
            .With("other", std::string(access::RoleCode(g.role)));
    }
    u.write_account = false;
    u.add_grants.push_back(grant);
    access::AuditEvent e = AccountEvent(caller, "account.grant_added", a);
    e.details = GrantDetails(grant);
    u.audit.push_back(std::move(e));
    return Status::Ok();
  }));
  return grant;
}

Status AccountService::Revoke(const access::Principal& caller, int64_t account_id, int64_t grant_id) {
  if (caller.self.account_id == account_id) return PermissionDenied(std::string(problems::kSelfGrant));
  return identity_.store().UpdateAccount(account_id, [&](AccountRow& a, const std::vector<GrantRow>& grants,
                                                         AccountUpdate& u) -> Status {
    auto it = std::find_if(grants.begin(), grants.end(), [&](const GrantRow& g) { return g.id == grant_id; });
    if (it == grants.end()) return NotFound(std::string(problems::kGrantNotFound));
    if (!CouldGrant(caller, it->role, it->scope))
      return PermissionDenied(std::string(problems::kCannotGrant)).With("role", std::string(access::RoleCode(it->role)));
    u.write_account = false;
    u.remove_grants.push_back(grant_id);
    access::AuditEvent e = AccountEvent(caller, "account.grant_revoked", a);
    e.details = GrantDetails(*it);
    u.audit.push_back(std::move(e));
    return Status::Ok();
  });
}

}  // namespace gz::identity
