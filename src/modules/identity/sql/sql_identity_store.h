// SqlIdentityStore: the IdentityStore port on storage::Db (SQLite now, PostgreSQL with issue #8).
//
// Layer: identity sql. Statements use $1..$n and SQL both dialects accept; the schema is in
// identity_migrations.h (apply the audit migrations and IdentityMigrations() first). Sealed
// fields, indexes and digests are bound as storage::Blob. Audit events are appended with
// audit::AppendAuditInTx as the last statements of the transaction that makes the change.
//
// Queries and the indexes they use:
//   GetAccount / UpdateAccount   id = $1 (primary key); grants by account_id (UNIQUE's prefix)
//   FindAccountByPhoneIndex      phone_index = $1                 identity_accounts_by_phone
//   ListAccounts                 substr(home_division, 1, n) IN scopes, ORDER BY id
//                                (identity_accounts_by_division for one village)
//   FindSession                  token_hash = $1                  UNIQUE
//   FindInvitation               code_index = $1                  UNIQUE
//   CountAttempt                 key_index = $1 AND at_ms > $2    identity_attempts_by_key
//   FailUnknownPhone             phone_index = $1                 primary key
//   PurgeLimits                  at_ms / updated_at_ms < $1       identity_attempts_by_time, ..._by_time
// Thread-safe, as storage::Db is.
#pragma once

#include "core/clock.h"
#include "modules/identity/identity_store.h"
#include "storage/db.h"

namespace gz::identity {

class SqlIdentityStore final : public IdentityStore {
 public:
  // `db` and `clock` (the time of audit records and used invitations) must outlive the store.
  SqlIdentityStore(storage::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  Status InsertAccount(const AccountRow& account, const std::vector<GrantRow>& grants,
                       const std::optional<InvitationRow>& invitation,
                       const std::vector<access::AuditEvent>& audit) override;
  Result<std::optional<AccountWithGrants>> GetAccount(int64_t id) override;
  Result<std::optional<AccountWithGrants>> FindAccountByPhoneIndex(std::string_view phone_index) override;
  Result<AccountPage> ListAccounts(const AccountFilter& filter) override;
  Status UpdateAccount(int64_t id, const AccountMutator& fn) override;
  Result<std::optional<SessionContext>> FindSession(std::string_view token_hash) override;
  Status TouchSession(int64_t session_id, int64_t now_ms) override;
  Status DeleteSession(int64_t session_id) override;
  Result<std::optional<InvitationRow>> FindInvitation(std::string_view code_index) override;
  Status AppendAudit(const std::vector<access::AuditEvent>& audit) override;
  Result<int64_t> CountAttempt(std::string_view key_index, int limit, int64_t window_ms, int64_t now_ms) override;
  Result<UnknownPhoneFailure> FailUnknownPhone(
      std::string_view phone_index, int threshold, int64_t lock_ms, int64_t now_ms,
      const std::function<std::vector<access::AuditEvent>(const UnknownPhoneFailure&)>& audit) override;
  Status PurgeLimits(int64_t attempts_before_ms, int64_t phones_before_ms) override;

 private:
  int64_t NowMs() const;
  storage::Db& db_;
  const Clock& clock_;
};

}  // namespace gz::identity
