// IdentityStore: the port through which identity reaches its tables.
//
// Layer: identity domain (interface). Implementation: sql/sql_identity_store.h (storage::Db;
// SQLite now, PostgreSQL with issue #8). Every state change carries the audit events that
// describe it; the store appends them to the audit trail IN THE SAME TRANSACTION (audit's
// AppendAuditInTx), so a change and its record commit or roll back together.
//
// Every method is one transaction and is safe to call from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/identity/account.h"

namespace gz::identity {

// What an UpdateAccount callback asks for besides the changed account row.
struct AccountUpdate {
  std::vector<access::AuditEvent> audit;
  std::vector<GrantRow> add_grants;
  std::vector<int64_t> remove_grants;       // grant ids of this account
  int64_t delete_session = 0;               // one session of the account (sign-out)
  bool delete_sessions = false;             // every session of the account...
  int64_t keep_session = 0;                 // ...but this one
  std::optional<SessionRow> new_session;
  int64_t unlimit_session = 0;              // a limited session that may now do everything
  int64_t use_invitation = 0;               // marked used; the update fails if it already was
  std::optional<InvitationRow> new_invitation;
  bool write_account = true;                // false: nothing of the row changed
};

// Runs inside the write transaction with the current row and grants; changes `account` in place
// and fills `update`. A non-OK status rolls everything back and is returned by UpdateAccount.
using AccountMutator =
    std::function<Status(AccountRow& account, const std::vector<GrantRow>& grants, AccountUpdate& update)>;

struct AccountFilter {
  std::vector<std::string> scopes;  // home division within one of these (canonical codes); empty: nothing
  std::string village;              // "" or a canonical code the home division must lie in
  std::optional<access::Role> role; // holding this role (any scope)
  int64_t offset = 0;
  int64_t limit = 50;
};

struct AccountPage {
  std::vector<AccountWithGrants> items;
  int64_t total = 0;
};

struct UnknownPhoneFailure {
  int64_t locked_until_ms = 0;  // > now while the phone is locked
  bool locked_now = false;      // this failure locked it
};

struct SessionContext {
  SessionRow session;
  AccountWithGrants account;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // Inserts an account with its grants and, optionally, an invitation, plus the audit events.
  // kAlreadyExists "identity/phone-taken" when another account has the phone index.
  virtual Status InsertAccount(const AccountRow& account, const std::vector<GrantRow>& grants,
                               const std::optional<InvitationRow>& invitation,
                               const std::vector<access::AuditEvent>& audit) = 0;

  virtual Result<std::optional<AccountWithGrants>> GetAccount(int64_t id) = 0;
  virtual Result<std::optional<AccountWithGrants>> FindAccountByPhoneIndex(std::string_view phone_index) = 0;
  virtual Result<AccountPage> ListAccounts(const AccountFilter& filter) = 0;

  // Loads the account and its grants in a write transaction, runs `fn`, writes what it changed.
  // kNotFound "identity/account-not-found" if there is no such account; kAlreadyExists
  // "identity/phone-taken" if the new phone index belongs to another account; kFailedPrecondition
  // "identity/invalid-invitation" if `use_invitation` was used meanwhile.
  virtual Status UpdateAccount(int64_t id, const AccountMutator& fn) = 0;

  // The session with this token hash, with its account and grants (one snapshot).
  virtual Result<std::optional<SessionContext>> FindSession(std::string_view token_hash) = 0;
  // Moves last_seen_ms forward (never back).
  virtual Status TouchSession(int64_t session_id, int64_t now_ms) = 0;
  virtual Status DeleteSession(int64_t session_id) = 0;

  virtual Result<std::optional<InvitationRow>> FindInvitation(std::string_view code_index) = 0;

  // Appends audit events that go with no other change (a sign-in attempt for an unknown phone).
  virtual Status AppendAudit(const std::vector<access::AuditEvent>& audit) = 0;

  // The limits below are kept in the store, not in memory, so that every node behind a load
  // balancer counts against the same allowance.
  //
  // Counts an attempt under `key_index` (a blind index of the client address) if fewer than
  // `limit` were counted in the `window_ms` before `now_ms`: returns 0. Otherwise counts nothing
  // and returns the milliseconds until one more would be counted (>= 1).
  virtual Result<int64_t> CountAttempt(std::string_view key_index, int limit, int64_t window_ms, int64_t now_ms) = 0;
  // A failed sign-in for a phone without an account, counted like an account's failures: the
  // `threshold`-th consecutive one locks the phone for `lock_ms`. `audit` is called once with the
  // outcome (inside the transaction: it must only build events) and its events are appended.
  virtual Result<UnknownPhoneFailure> FailUnknownPhone(
      std::string_view phone_index, int threshold, int64_t lock_ms, int64_t now_ms,
      const std::function<std::vector<access::AuditEvent>(const UnknownPhoneFailure&)>& audit) = 0;
  // Deletes attempts counted before `attempts_before_ms` and unknown-phone rows neither locked
  // nor changed since `phones_before_ms`.
  virtual Status PurgeLimits(int64_t attempts_before_ms, int64_t phones_before_ms) = 0;
};

}  // namespace gz::identity
