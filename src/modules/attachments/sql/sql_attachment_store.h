// SqlAttachmentStore: the AttachmentStore port on storage::Db, and the insert that owner modules
// run inside their own transactions.
//
// Layer: attachments sql. Schema: attachment_migrations.h. Statements use $1..$n and SQL both
// dialects accept. Thread-safe, as storage::Db is.
//
//   List / Count   WHERE owner_type = $1 AND owner_id = $2 (ORDER BY id)   attachments_by_owner
//   Get            files JOIN content by id
#pragma once

#include <functional>

#include "modules/attachments/attachment_store.h"
#include "storage/db.h"

namespace gz::attachments {

// Inserts the row and its sealed bytes inside `tx` (an owner's write transaction). Errors: the
// store's (kAlreadyExists "storage/conflict" for a taken id; kFailedPrecondition
// "storage/constraint" for values the schema refuses).
Status InsertAttachmentInTx(storage::Tx& tx, const SealedAttachment& attachment);

// Appends an audit event inside a write transaction: audit::AppendAuditInTx in production.
using AppendAuditFn = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlAttachmentStore final : public AttachmentStore {
 public:
  // `db` must outlive the store. `append_audit` defaults to audit::AppendAuditInTx.
  explicit SqlAttachmentStore(storage::Db& db, AppendAuditFn append_audit = {});

  Result<std::vector<Attachment>> List(std::string_view owner_type, int64_t owner_id) override;
  Result<int64_t> Count(std::string_view owner_type, int64_t owner_id) override;
  Result<std::optional<SealedAttachment>> Get(int64_t id) override;
  Status Insert(const SealedAttachment& attachment, const access::AuditEvent& event, int64_t now_ms) override;

 private:
  storage::Db& db_;
  AppendAuditFn append_audit_;
};

}  // namespace gz::attachments
