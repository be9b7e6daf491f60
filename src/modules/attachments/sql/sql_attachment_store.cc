// Layer: attachments sql (see sql_attachment_store.h).
#include "modules/attachments/sql/sql_attachment_store.h"

#include "modules/audit/sql/audit_sql.h"

namespace gz::attachments {
namespace {

using storage::Blob;
using storage::ResultSet;
using storage::Row;
using storage::Tx;

constexpr std::string_view kColumns =
    "id, owner_type, owner_id, division_code, format, width, height, byte_size, sha256, added_by, acting_for, "
    "consent_id, added_at_ms";

Result<Attachment> FromRow(const Row& row) {
  Attachment a;
  a.id = row.Int(0);
  a.owner_type = row.Text(1);
  a.owner_id = row.Int(2);
  a.division = row.Text(3);
  std::optional<ImageFormat> format = ParseFormatCode(row.Text(4));
  if (!format) return Internal("attachments: unknown format in the store");
  a.format = *format;
  a.width = static_cast<int>(row.Int(5));
  a.height = static_cast<int>(row.Int(6));
  a.byte_size = row.Int(7);
  a.sha256 = row.Text(8);
  a.added_by = row.Int(9);
  a.acting_for = row.Int(10);
  a.consent_id = row.Int(11);
  a.added_at_ms = row.Int(12);
  return a;
}

}  // namespace

Status InsertAttachmentInTx(Tx& tx, const SealedAttachment& s) {
  const Attachment& a = s.info;
  GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO attachments_files (" + std::string(kColumns) +
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                             {a.id, a.owner_type, a.owner_id, a.division, std::string(FormatCode(a.format)),
                              int64_t{a.width}, int64_t{a.height}, a.byte_size, a.sha256, a.added_by, a.acting_for,
                              a.consent_id, a.added_at_ms})
                         .status());
  return tx.Exec("INSERT INTO attachments_content (attachment_id, sealed) VALUES ($1, $2)", {a.id, Blob{s.sealed}})
      .status();
}

SqlAttachmentStore::SqlAttachmentStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(append_audit ? std::move(append_audit) : AppendAuditFn(&audit::AppendAuditInTx)) {}

Result<std::vector<Attachment>> SqlAttachmentStore::List(std::string_view owner_type, int64_t owner_id) {
  std::vector<Attachment> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT " + std::string(kColumns) +
                                                   " FROM attachments_files WHERE owner_type = $1 AND owner_id = $2"
                                                   " ORDER BY id",
                                               {std::string(owner_type), owner_id}));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(Attachment a, FromRow(row));
      out.push_back(std::move(a));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SqlAttachmentStore::Count(std::string_view owner_type, int64_t owner_id) {
  int64_t n = 0;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM attachments_files WHERE owner_type = $1 AND owner_id = $2",
                                               {std::string(owner_type), owner_id}));
    n = rs.rows.front().Int(0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<std::optional<SealedAttachment>> SqlAttachmentStore::Get(int64_t id) {
  std::optional<SealedAttachment> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    std::string columns;
    for (std::string_view c : {"f.id", "f.owner_type", "f.owner_id", "f.division_code", "f.format", "f.width",
                               "f.height", "f.byte_size", "f.sha256", "f.added_by", "f.acting_for", "f.consent_id",
                               "f.added_at_ms", "c.sealed"}) {
      if (!columns.empty()) columns += ", ";
      columns += c;
    }
    GZ_ASSIGN_OR_RETURN(ResultSet rs,
                        tx.Query("SELECT " + columns +
                                     " FROM attachments_files f JOIN attachments_content c ON c.attachment_id = f.id"
                                     " WHERE f.id = $1",
                                 {id}));
    if (rs.empty()) return Status::Ok();
    SealedAttachment a;
    GZ_ASSIGN_OR_RETURN(a.info, FromRow(rs.rows.front()));
    a.sealed = rs.rows.front().Text(13);
    out = std::move(a);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlAttachmentStore::Insert(const SealedAttachment& attachment, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(InsertAttachmentInTx(tx, attachment));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::attachments
