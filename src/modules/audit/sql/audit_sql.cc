// Layer: audit sql (see audit_sql.h).
#include "modules/audit/sql/audit_sql.h"

#include <algorithm>
#include <chrono>

#include "modules/audit/problems.h"

namespace gz::audit {
namespace {

using storage::Blob;
using storage::Dialect;

constexpr std::string_view kLockChain = "SELECT id FROM audit_chain_lock WHERE id = 1 FOR UPDATE";
constexpr std::string_view kLastRecord = "SELECT seq, at_ms, hash FROM audit_records ORDER BY seq DESC LIMIT 1";
constexpr std::string_view kInsert =
    "INSERT INTO audit_records (seq, at_ms, action, outcome, actor_account, acting_for_account, consent_id, roles, "
    "division, object_type, object_id, purpose, request_id, details, prev_hash, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

}  // namespace

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

Result<AuditRecord> AppendAuditRecordInTx(storage::Tx& tx, access::AuditEvent event, int64_t now_ms) {
  GZ_RETURN_IF_ERROR(NormalizeEvent(event));
  if (tx.dialect() == Dialect::kPostgres) {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet locked, tx.Query(kLockChain));
    if (locked.empty()) return Internal("audit_chain_lock has no row");
  }
  AuditRecord record;
  record.event = std::move(event);
  GZ_ASSIGN_OR_RETURN(storage::ResultSet last, tx.Query(kLastRecord));
  if (last.empty()) {
    record.seq = 1;
    record.at_ms = now_ms;
    record.prev_hash = GenesisHash();
  } else {
    const storage::Row& row = last.rows.front();
    record.seq = row.Int(0) + 1;
    record.at_ms = std::max(now_ms, row.Int(1));
    record.prev_hash = row.Text(2);
    if (record.prev_hash.size() != kHashBytes) return Internal("audit_records.hash of the last record is not 32 bytes");
  }
  record.hash = ChainHash(record);
  if (record.hash.size() != kHashBytes) return Internal("SHA-256 failed");
  const access::AuditEvent& e = record.event;
  GZ_ASSIGN_OR_RETURN(int64_t inserted,
                      tx.Exec(kInsert, {record.seq, record.at_ms, e.action, e.outcome, e.actor_account,
                                        e.acting_for_account, e.consent_id, e.roles, e.division, e.object_type,
                                        e.object_id, e.purpose, e.request_id, e.details, Blob{record.prev_hash},
                                        Blob{record.hash}}));
  if (inserted != 1) return Internal("audit record insert changed no row");
  return record;
}

Status AppendAuditInTx(storage::Tx& tx, const access::AuditEvent& event, int64_t now_ms) {
  Result<AuditRecord> appended = AppendAuditRecordInTx(tx, event, now_ms);
  return appended.ok() ? Status::Ok() : appended.status();
}

Status SqlAuditSink::Append(const access::AuditEvent& event) {
  const int64_t now_ms = NowMs(clock_);
  Status s = db_.Write([&](storage::Tx& tx) { return AppendAuditInTx(tx, event, now_ms); });
  if (s.ok()) return s;
  return Unavailable(std::string(problems::kUnavailable), s.ToString());
}

}  // namespace gz::audit
