// Layer: identity sql (see sql_identity_store.h).
#include "modules/identity/sql/sql_identity_store.h"

#include <algorithm>

#include "modules/audit/sql/audit_sql.h"
#include "modules/identity/problems.h"
#include "storage/sql_columns.h"

namespace gz::identity {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kAccountColumns =
    "id, home_division, status, name_sealed, phone_sealed, phone_index, resident_id, household_id, password_sealed, "
    "password_changed_at_ms, totp_sealed, totp_pending_sealed, totp_last_step, failed_attempts, locked_until_ms, "
    "created_at_ms";
constexpr std::string_view kGrantColumns = "id, account_id, role, scope, granted_by, created_at_ms";
constexpr std::string_view kSessionColumns =
    "id, token_hash, account_id, kind, csrf_hash, limited, created_at_ms, last_seen_ms, expires_at_ms";
constexpr size_t kMaxInList = 500;

Value OptionalBlob(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return Blob{*v};
}
Value OptionalId(int64_t v) {
  if (v == 0) return nullptr;
  return v;
}
std::optional<std::string> OptionalBytes(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Text(i);
}

Result<AccountRow> AccountFromRow(const Row& r) {
  AccountRow a;
  a.id = r.Int(0);
  a.home_division = r.Text(1);
  std::optional<AccountStatus> status = ParseAccountStatus(r.Text(2));
  if (!status) return Internal("identity_accounts.status unknown");
  a.status = *status;
  a.name_sealed = r.Text(3);
  a.phone_sealed = OptionalBytes(r, 4);
  a.phone_index = OptionalBytes(r, 5);
  a.resident_id = r.Int(6);
  a.household_id = r.Int(7);
  a.password_sealed = OptionalBytes(r, 8);
  a.password_changed_at_ms = r.Int(9);
  a.totp_sealed = OptionalBytes(r, 10);
  a.totp_pending_sealed = OptionalBytes(r, 11);
  a.totp_last_step = r.Int(12);
  a.failed_attempts = static_cast<int>(r.Int(13));
  a.locked_until_ms = r.Int(14);
  a.created_at_ms = r.Int(15);
  return a;
}

Result<GrantRow> GrantFromRow(const Row& r) {
  GrantRow g;
  g.id = r.Int(0);
  g.account_id = r.Int(1);
  std::optional<access::Role> role = access::ParseRole(r.Text(2));
  if (!role) return Internal("identity_grants.role unknown");
  g.role = *role;
  g.scope = r.Text(3);
  g.granted_by = r.Int(4);
  g.created_at_ms = r.Int(5);
  return g;
}

SessionRow SessionFromRow(const Row& r) {
  SessionRow s;
  s.id = r.Int(0);
  s.token_hash = r.Text(1);
  s.account_id = r.Int(2);
  s.kind = r.Text(3) == "cookie" ? SessionKind::kCookie : SessionKind::kBearer;
  s.csrf_hash = OptionalBytes(r, 4);
  s.limited = r.Int(5) != 0;
  s.created_at_ms = r.Int(6);
  s.last_seen_ms = r.Int(7);
  s.expires_at_ms = r.Int(8);
  return s;
}

Status InsertGrant(Tx& tx, const GrantRow& g) {
  Result<int64_t> n = tx.Exec("INSERT INTO identity_grants (" + std::string(kGrantColumns) +
                                  ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                              {g.id, g.account_id, std::string(access::RoleCode(g.role)), g.scope, g.granted_by,
                               g.created_at_ms});
  if (!n.ok()) return n.status();
  if (*n == 0) return AlreadyExists(std::string(problems::kAlreadyGranted));
  return Status::Ok();
}

Status InsertSession(Tx& tx, const SessionRow& s) {
  // Expired sessions of the account go when it signs in again; the rest stay until their time.
  GZ_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM identity_sessions WHERE account_id = $1 AND expires_at_ms <= $2", {s.account_id, s.created_at_ms})
          .status());
  return tx
      .Exec("INSERT INTO identity_sessions (" + std::string(kSessionColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {s.id, Blob{s.token_hash}, s.account_id, std::string(SessionKindCode(s.kind)), OptionalBlob(s.csrf_hash),
             int64_t{s.limited ? 1 : 0}, s.created_at_ms, s.last_seen_ms, s.expires_at_ms})
      .status();
}

Status InsertInvitation(Tx& tx, const InvitationRow& i) {
  return tx
      .Exec("INSERT INTO identity_invitations (id, account_id, code_index, created_at_ms, expires_at_ms, used_at_ms) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            {i.id, i.account_id, Blob{i.code_index}, i.created_at_ms, i.expires_at_ms, i.used_at_ms})
      .status();
}

Status PhoneFree(Tx& tx, const std::optional<std::string>& phone_index, int64_t account_id) {
  if (!phone_index) return Status::Ok();
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT id FROM identity_accounts WHERE phone_index = $1 AND id <> $2",
                                                      {Blob{*phone_index}, account_id}));
  if (!rs.empty()) return AlreadyExists(std::string(problems::kPhoneTaken));
  return Status::Ok();
}

Result<std::vector<GrantRow>> GrantsOf(Tx& tx, int64_t account_id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                      tx.Query("SELECT " + std::string(kGrantColumns) +
                                   " FROM identity_grants WHERE account_id = $1 ORDER BY id",
                               {account_id}));
  std::vector<GrantRow> out;
  for (const Row& r : rs.rows) {
    GZ_ASSIGN_OR_RETURN(GrantRow g, GrantFromRow(r));
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::optional<AccountWithGrants>> LoadAccount(Tx& tx, std::string_view where, const Params& params) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kAccountColumns) +
                                                          " FROM identity_accounts WHERE " + std::string(where),
                                                      params));
  if (rs.empty()) return std::optional<AccountWithGrants>();
  AccountWithGrants out;
  GZ_ASSIGN_OR_RETURN(out.account, AccountFromRow(rs.rows[0]));
  GZ_ASSIGN_OR_RETURN(out.grants, GrantsOf(tx, out.account.id));
  return std::optional<AccountWithGrants>(std::move(out));
}

// The digits that name a division in a canonical 12-digit code: 2, 4, 6, 9 or 12.
size_t SignificantLength(std::string_view canonical) {
  if (canonical.size() != 12) return 12;
  if (canonical.substr(9, 3) != "000") return 12;
  if (canonical.substr(6, 3) != "000") return 9;
  if (canonical.substr(4, 2) != "00") return 6;
  if (canonical.substr(2, 2) != "00") return 4;
  return 2;
}

Status AppendAll(Tx& tx, const std::vector<access::AuditEvent>& audit, int64_t now_ms) {
  for (const access::AuditEvent& e : audit) GZ_RETURN_IF_ERROR(audit::AppendAuditInTx(tx, e, now_ms));
  return Status::Ok();
}

}  // namespace

int64_t SqlIdentityStore::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

Status SqlIdentityStore::InsertAccount(const AccountRow& a, const std::vector<GrantRow>& grants,
                                       const std::optional<InvitationRow>& invitation,
                                       const std::vector<access::AuditEvent>& audit) {
  const int64_t now = NowMs();
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(PhoneFree(tx, a.phone_index, a.id));
    GZ_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO identity_accounts (" + std::string(kAccountColumns) +
                    ", updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                {a.id, a.home_division, std::string(AccountStatusCode(a.status)), Blob{a.name_sealed},
                 OptionalBlob(a.phone_sealed), OptionalBlob(a.phone_index), OptionalId(a.resident_id),
                 OptionalId(a.household_id), OptionalBlob(a.password_sealed), a.password_changed_at_ms,
                 OptionalBlob(a.totp_sealed), OptionalBlob(a.totp_pending_sealed), a.totp_last_step,
                 int64_t{a.failed_attempts}, a.locked_until_ms, a.created_at_ms, now})
            .status());
    for (const GrantRow& g : grants) GZ_RETURN_IF_ERROR(InsertGrant(tx, g));
    if (invitation) GZ_RETURN_IF_ERROR(InsertInvitation(tx, *invitation));
    return AppendAll(tx, audit, now);
  });
}

Result<std::optional<AccountWithGrants>> SqlIdentityStore::GetAccount(int64_t id) {
  std::optional<AccountWithGrants> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, LoadAccount(tx, "id = $1", {id}));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<AccountWithGrants>> SqlIdentityStore::FindAccountByPhoneIndex(std::string_view phone_index) {
  std::optional<AccountWithGrants> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, LoadAccount(tx, "phone_index = $1", {Blob{std::string(phone_index)}}));
    return Status::Ok();
  }));
  return out;
}

Result<AccountPage> SqlIdentityStore::ListAccounts(const AccountFilter& filter) {
  AccountPage page;
  if (filter.scopes.empty()) return page;
  Params params;
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string where = "(";
  for (size_t i = 0; i < filter.scopes.size() && i < kMaxInList; ++i) {
    const std::string& s = filter.scopes[i];
    size_t n = SignificantLength(s);
    if (i) where += " OR ";
    where += "substr(a.home_division, 1, " + std::to_string(n) + ") = " + param(s.substr(0, n));
  }
  where += ")";
  if (!filter.village.empty()) {
    size_t n = SignificantLength(filter.village);
    where += " AND substr(a.home_division, 1, " + std::to_string(n) + ") = " + param(filter.village.substr(0, n));
  }
  if (filter.role) {
    where += " AND EXISTS (SELECT 1 FROM identity_grants g WHERE g.account_id = a.id AND g.role = " +
             param(std::string(access::RoleCode(*filter.role))) + ")";
  }
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet count,
                        tx.Query("SELECT COUNT(*) FROM identity_accounts a WHERE " + where, params));
    page.total = count.rows.empty() ? 0 : count.rows[0].Int(0);
    Params list_params = params;
    list_params.push_back(filter.limit);
    list_params.push_back(filter.offset);
    std::string cols;
    for (std::string_view c : {"id", "home_division", "status", "name_sealed", "phone_sealed", "phone_index",
                               "resident_id", "household_id", "password_sealed", "password_changed_at_ms",
                               "totp_sealed", "totp_pending_sealed", "totp_last_step", "failed_attempts",
                               "locked_until_ms", "created_at_ms"}) {
      if (!cols.empty()) cols += ", ";
      cols += "a.";
      cols += c;
    }
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + cols + " FROM identity_accounts a WHERE " + where + " ORDER BY a.id LIMIT $" +
                                     std::to_string(params.size() + 1) + " OFFSET $" + std::to_string(params.size() + 2),
                                 list_params));
    for (const Row& r : rs.rows) {
      AccountWithGrants item;
      GZ_ASSIGN_OR_RETURN(item.account, AccountFromRow(r));
      GZ_ASSIGN_OR_RETURN(item.grants, GrantsOf(tx, item.account.id));
      page.items.push_back(std::move(item));
    }
    return Status::Ok();
  }));
  return page;
}

Status SqlIdentityStore::UpdateAccount(int64_t id, const AccountMutator& fn) {
  const int64_t now = NowMs();
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> loaded, LoadAccount(tx, "id = $1", {id}));
    if (!loaded) return NotFound(std::string(problems::kAccountNotFound));
    AccountRow a = loaded->account;
    AccountUpdate u;
    GZ_RETURN_IF_ERROR(fn(a, loaded->grants, u));
    a.id = id;  // the row's identity is not the callback's to change
    a.home_division = loaded->account.home_division;
    if (u.write_account && !(a == loaded->account)) {
      if (a.phone_index != loaded->account.phone_index) GZ_RETURN_IF_ERROR(PhoneFree(tx, a.phone_index, id));
      GZ_RETURN_IF_ERROR(
          tx.Exec("UPDATE identity_accounts SET status = $2, name_sealed = $3, phone_sealed = $4, phone_index = $5, "
                  "resident_id = $6, household_id = $7, password_sealed = $8, password_changed_at_ms = $9, "
                  "totp_sealed = $10, totp_pending_sealed = $11, totp_last_step = $12, failed_attempts = $13, "
                  "locked_until_ms = $14, updated_at_ms = $15 WHERE id = $1",
                  {id, std::string(AccountStatusCode(a.status)), Blob{a.name_sealed}, OptionalBlob(a.phone_sealed),
                   OptionalBlob(a.phone_index), OptionalId(a.resident_id), OptionalId(a.household_id),
                   OptionalBlob(a.password_sealed), a.password_changed_at_ms, OptionalBlob(a.totp_sealed),
                   OptionalBlob(a.totp_pending_sealed), a.totp_last_step, int64_t{a.failed_attempts},
                   a.locked_until_ms, now})
              .status());
    }
    for (int64_t grant_id : u.remove_grants)
      GZ_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM identity_grants WHERE id = $1 AND account_id = $2", {grant_id, id}).status());
    for (GrantRow g : u.add_grants) {
      g.account_id = id;
      GZ_RETURN_IF_ERROR(InsertGrant(tx, g));
    }
    if (u.delete_session != 0)
      GZ_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM identity_sessions WHERE id = $1 AND account_id = $2", {u.delete_session, id}).status());
    if (u.delete_sessions)
      GZ_RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_sessions WHERE account_id = $1 AND id <> $2", {id, u.keep_session})
                             .status());
    if (u.unlimit_session != 0)
      GZ_RETURN_IF_ERROR(tx.Exec("UPDATE identity_sessions SET limited = 0 WHERE id = $1 AND account_id = $2",
                                 {u.unlimit_session, id})
                             .status());
    if (u.new_session) {
      SessionRow s = *u.new_session;
      s.account_id = id;
      GZ_RETURN_IF_ERROR(InsertSession(tx, s));
    }
    if (u.use_invitation != 0) {
      GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE identity_invitations SET used_at_ms = $3 "
                                             "WHERE id = $1 AND account_id = $2 AND used_at_ms = 0",
                                             {u.use_invitation, id, now}));
      if (n != 1) return FailedPrecondition(std::string(problems::kInvalidInvitation));
    }
    if (u.new_invitation) {
      InvitationRow inv = *u.new_invitation;
      inv.account_id = id;
      GZ_RETURN_IF_ERROR(InsertInvitation(tx, inv));
    }
    return AppendAll(tx, u.audit, now);
  });
}

// Every authenticated request starts here, so the session, its account and the account's grants
// come in one statement (one row per grant, the grant columns NULL when there is none): on
// PostgreSQL each statement is a round trip, and three of them were most of a small read's cost.
Result<std::optional<SessionContext>> SqlIdentityStore::FindSession(std::string_view token_hash) {
  static const std::string sql = "SELECT " + storage::QualifiedColumns("s", kSessionColumns) + ", " + storage::QualifiedColumns("a", kAccountColumns) +
                                 ", " + storage::QualifiedColumns("g", kGrantColumns) +
                                 " FROM identity_sessions s JOIN identity_accounts a ON a.id = s.account_id"
                                 " LEFT JOIN identity_grants g ON g.account_id = a.id"
                                 " WHERE s.token_hash = $1 ORDER BY g.id";
  // One statement, so no transaction around it (every authenticated request runs this).
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, db_.ReadStatement(sql, {Blob{std::string(token_hash)}}));
  if (rs.empty()) return std::optional<SessionContext>();
  const size_t session_n = storage::ColumnCount(kSessionColumns), account_n = storage::ColumnCount(kAccountColumns),
               grant_n = storage::ColumnCount(kGrantColumns);
  SessionContext ctx;
  ctx.session = SessionFromRow(storage::SliceRow(rs.rows[0], 0, session_n));
  GZ_ASSIGN_OR_RETURN(ctx.account.account, AccountFromRow(storage::SliceRow(rs.rows[0], session_n, account_n)));
  for (const Row& row : rs.rows) {
    if (row.IsNull(session_n + account_n)) continue;  // no grants: the LEFT JOIN's NULLs
    GZ_ASSIGN_OR_RETURN(GrantRow g, GrantFromRow(storage::SliceRow(row, session_n + account_n, grant_n)));
    ctx.account.grants.push_back(std::move(g));
  }
  return std::optional<SessionContext>(std::move(ctx));
}

Status SqlIdentityStore::TouchSession(int64_t session_id, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("UPDATE identity_sessions SET last_seen_ms = $2 WHERE id = $1 AND last_seen_ms < $2",
                   {session_id, now_ms})
        .status();
  });
}

Status SqlIdentityStore::DeleteSession(int64_t session_id) {
  return db_.Write(
      [&](Tx& tx) -> Status { return tx.Exec("DELETE FROM identity_sessions WHERE id = $1", {session_id}).status(); });
}

Result<std::optional<InvitationRow>> SqlIdentityStore::FindInvitation(std::string_view code_index) {
  std::optional<InvitationRow> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id, account_id, code_index, created_at_ms, expires_at_ms, used_at_ms "
                                 "FROM identity_invitations WHERE code_index = $1",
                                 {Blob{std::string(code_index)}}));
    if (rs.empty()) return Status::Ok();
    const Row& r = rs.rows[0];
    out = InvitationRow{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5)};
    return Status::Ok();
  }));
  return out;
}

Status SqlIdentityStore::AppendAudit(const std::vector<access::AuditEvent>& audit) {
  const int64_t now = NowMs();
  return db_.Write([&](Tx& tx) -> Status { return AppendAll(tx, audit, now); });
}

// On PostgreSQL two nodes counting the same key at once both read the same count; SERIALIZABLE
// makes one of them fail and run again (the read of the key's range and the other's insert
// conflict), so the limit holds across nodes. On SQLite writers take turns.
Result<int64_t> SqlIdentityStore::CountAttempt(std::string_view key_index, int limit, int64_t window_ms,
                                               int64_t now_ms) {
  int64_t wait_ms = 0;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    wait_ms = 0;
    const Blob key{std::string(key_index)};
    GZ_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM identity_attempts WHERE key_index = $1 AND at_ms <= $2", {key, now_ms - window_ms}).status());
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT COUNT(*), MIN(at_ms) FROM identity_attempts WHERE key_index = $1", {key}));
    if (rs.rows.at(0).Int(0) >= limit) {
      wait_ms = std::max<int64_t>(1, rs.rows[0].Int(1) + window_ms - now_ms);
      return Status::Ok();
    }
    return tx.Exec("INSERT INTO identity_attempts (key_index, at_ms) VALUES ($1, $2)", {key, now_ms}).status();
  }));
  return wait_ms;
}

Result<UnknownPhoneFailure> SqlIdentityStore::FailUnknownPhone(
    std::string_view phone_index, int threshold, int64_t lock_ms, int64_t now_ms,
    const std::function<std::vector<access::AuditEvent>(const UnknownPhoneFailure&)>& audit) {
  UnknownPhoneFailure out;
  const int64_t audit_ms = NowMs();
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    out = UnknownPhoneFailure{};
    const Blob key{std::string(phone_index)};
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT failures, locked_until_ms FROM identity_unknown_phones WHERE phone_index = $1",
                                 {key}));
    int64_t failures = rs.empty() ? 0 : rs.rows[0].Int(0);
    int64_t locked_until = rs.empty() ? 0 : rs.rows[0].Int(1);
    if (locked_until > now_ms) {
      out.locked_until_ms = locked_until;
    } else {
      if (locked_until != 0) failures = 0;  // a lock that has run out starts a new count
      locked_until = 0;
      if (++failures >= threshold) {
        failures = 0;
        locked_until = now_ms + lock_ms;
        out.locked_until_ms = locked_until;
        out.locked_now = true;
      }
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO identity_unknown_phones (phone_index, failures, locked_until_ms, "
                                 "updated_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (phone_index) DO UPDATE SET "
                                 "failures = excluded.failures, locked_until_ms = excluded.locked_until_ms, "
                                 "updated_at_ms = excluded.updated_at_ms",
                                 {key, failures, locked_until, now_ms})
                             .status());
    }
    return AppendAll(tx, audit(out), audit_ms);
  }));
  return out;
}

Status SqlIdentityStore::PurgeLimits(int64_t attempts_before_ms, int64_t phones_before_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("DELETE FROM identity_attempts WHERE at_ms < $1", {attempts_before_ms}).status());
    return tx.Exec("DELETE FROM identity_unknown_phones WHERE updated_at_ms < $1 AND locked_until_ms < $1",
                   {phones_before_ms})
        .status();
  });
}

}  // namespace gz::identity
