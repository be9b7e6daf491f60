// SqlClientStore: the ClientStore port on storage::Db.
//
// Layer: open311 sql. The statements use $1..$n and SQL both dialects accept; the schema is in
// open311_migrations.h (apply the audit migrations and Open311Migrations() first). A change and
// its audit event are one Db::Write, the event last (audit_sql.h).
//
// Queries and their indexes:
//   FindByKeyHash   key_hash = $1                                  the UNIQUE index on key_hash
//   List            scope_code BETWEEN range OR ..., newest first  open311_clients_by_scope
//   AppealOfToken   token = $1                                     the primary key
// Thread-safe, as storage::Db is.
#pragma once

#include <functional>

#include "modules/open311/client_store.h"
#include "storage/db.h"

namespace gz::open311 {

// Appends an audit event inside a write transaction: audit::AppendAuditInTx in production.
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlClientStore final : public ClientStore {
 public:
  // `db` must outlive the store. `append_audit` defaults to audit::AppendAuditInTx.
  explicit SqlClientStore(storage::Db& db, AppendAuditFn append_audit = {});

  Status Insert(const Client& client, const std::string& key_hash, const access::AuditEvent& event,
                int64_t now_ms) override;
  Result<std::optional<Client>> Get(int64_t id) override;
  Result<std::optional<Client>> FindByKeyHash(std::string_view key_hash) override;
  Result<std::vector<Client>> List(const std::vector<std::string>& scopes, bool all) override;
  Status Revoke(int64_t id, int64_t by, const std::string& reason, const access::AuditEvent& event,
                int64_t now_ms) override;
  Status InsertToken(const std::string& token, int64_t client_id, int64_t appeal_id, int64_t now_ms) override;
  Result<std::optional<int64_t>> AppealOfToken(std::string_view token) override;

 private:
  Result<std::optional<Client>> FindOne(std::string_view where, const storage::Params& params);

  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::open311
