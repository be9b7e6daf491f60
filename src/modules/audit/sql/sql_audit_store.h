// AuditStore on storage::Db (SQLite now, PostgreSQL in issue #8). Read-only: appends go through
// audit_sql.h. Layer: audit sql.
#pragma once

#include "modules/audit/audit_store.h"
#include "storage/db.h"

namespace gz::audit {

class SqlAuditStore final : public AuditStore {
 public:
  explicit SqlAuditStore(storage::Db& db) : db_(db) {}  // `db` must outlive the store. Thread-safe.

  Result<std::vector<AuditRecord>> Search(const AuditQuery& query) override;
  Result<std::vector<AuditRecord>> ChainAfter(int64_t after_seq, int64_t limit) override;
  Result<int64_t> LastSeq() override;

 private:
  storage::Db& db_;
};

}  // namespace gz::audit
