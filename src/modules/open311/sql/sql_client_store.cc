// Layer: open311 sql (see sql_client_store.h).
#include "modules/open311/sql/sql_client_store.h"

#include "access/principal.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

using storage::Blob;
using storage::Params;
using storage::ResultSet;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kSelect =
    "SELECT id, name, scope_code, key_hint, created_by, created_at_ms, revoked_at_ms, revoked_by, revoke_reason "
    "FROM open311_clients";
constexpr size_t kMaxScopes = 64;

Client ClientFromRow(const Row& row) {
  Client c;
  c.id = row.Int(0);
  c.name = row.Text(1);
  c.scope = row.Text(2);
  c.key_hint = row.Text(3);
  c.created_by = row.Int(4);
  c.created_at_ms = row.Int(5);
  c.revoked_at_ms = row.OptionalInt(6);
  c.revoked_by = row.Int(7);
  c.revoke_reason = row.Text(8);
  return c;
}

}  // namespace

SqlClientStore::SqlClientStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(append_audit ? std::move(append_audit) : AppendAuditFn(&audit::AppendAuditInTx)) {}

Status SqlClientStore::Insert(const Client& c, const std::string& key_hash, const access::AuditEvent& event,
                              int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO open311_clients (id, name, scope_code, key_hash, key_hint, created_by, "
                               "created_at_ms, revoked_at_ms, revoked_by, revoke_reason) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, 0, '')",
                               {c.id, c.name, c.scope, Blob{key_hash}, c.key_hint, c.created_by, c.created_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Client>> SqlClientStore::FindOne(std::string_view where, const Params& params) {
  std::optional<Client> out;
  const std::string sql = std::string(kSelect) + " WHERE " + std::string(where);
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, params));
    if (!rs.rows.empty()) out = ClientFromRow(rs.rows.front());
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Client>> SqlClientStore::Get(int64_t id) { return FindOne("id = $1", {id}); }

Result<std::optional<Client>> SqlClientStore::FindByKeyHash(std::string_view key_hash) {
  return FindOne("key_hash = $1", {Blob{std::string(key_hash)}});
}

Result<std::vector<Client>> SqlClientStore::List(const std::vector<std::string>& scopes, bool all) {
  std::vector<Client> out;
  Params p;
  std::string where;
  if (!all) {
    for (size_t i = 0; i < scopes.size() && i < kMaxScopes; ++i) {
      std::optional<std::pair<std::string, std::string>> range = access::ScopeRange(scopes[i]);
      if (!range) continue;
      if (!where.empty()) where += " OR ";
      p.push_back(range->first);
      p.push_back(range->second);
      where += "scope_code BETWEEN $" + std::to_string(p.size() - 1) + " AND $" + std::to_string(p.size());
    }
    if (where.empty()) return out;
    where = " WHERE " + where;
  }
  const std::string sql =
      std::string(kSelect) + where + " ORDER BY id DESC LIMIT " + std::to_string(kMaxListedClients);
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p));
    for (const Row& row : rs.rows) out.push_back(ClientFromRow(row));
    return Status::Ok();
  }));
  return out;
}

Status SqlClientStore::Revoke(int64_t id, int64_t by, const std::string& reason, const access::AuditEvent& event,
                              int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE open311_clients SET revoked_at_ms = $2, revoked_by = $3, revoke_reason = $4 "
                                "WHERE id = $1 AND revoked_at_ms IS NULL",
                                {id, now_ms, by, reason}));
    if (changed == 0) {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT 1 FROM open311_clients WHERE id = $1", {id}));
      if (rs.rows.empty()) return NotFound(std::string(problems::kClientNotFound));
      return FailedPrecondition(std::string(problems::kAlreadyRevoked));
    }
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlClientStore::InsertToken(const std::string& token, int64_t client_id, int64_t appeal_id, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("INSERT INTO open311_tokens (token, client_id, appeal_id, created_at_ms) VALUES ($1, $2, $3, $4)",
                   {token, client_id, appeal_id, now_ms})
        .status();
  });
}

Result<std::optional<int64_t>> SqlClientStore::AppealOfToken(std::string_view token) {
  std::optional<int64_t> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs,
                        tx.Query("SELECT appeal_id FROM open311_tokens WHERE token = $1", {std::string(token)}));
    if (!rs.rows.empty()) out = rs.rows.front().Int(0);
    return Status::Ok();
  }));
  return out;
}

}  // namespace gz::open311
