// Writing the audit trail: inside a caller's transaction, or in a transaction of its own.
//
// Layer: audit sql (storage::Db only; no backend, no HTTP).
//
// Two ways in, one chain:
//   - AppendAuditInTx: a module that changes state appends the event in the SAME write
//     transaction as the change, so the change and its record commit or roll back together.
//         GZ_RETURN_IF_ERROR(db.Write([&](storage::Tx& tx) -> Status {
//           GZ_RETURN_IF_ERROR(InsertThing(tx, thing));
//           return audit::AppendAuditInTx(tx, event, now_ms);
//         }));
//   - SqlAuditSink (access::AuditSink): reads of personal data and the Gate's denials, which change
//     nothing else. Append() runs its own write transaction and returns once it is durable. Never
//     call it from inside a Db::Write callback (a nested Write is refused); use AppendAuditInTx there.
//
// Each append reads the last record (seq, at_ms, hash) and inserts seq + 1 with
// at_ms = max(now_ms, last at_ms) and prev_hash = last hash (audit_record.h has the encoding).
// Serialization: SQLite has a single writer (BEGIN IMMEDIATE; in-process group commit runs the
// callbacks one after another, each seeing the previous one's record), so reading the last record
// inside the write transaction is race-free. On PostgreSQL, the append first locks the one row of
// audit_chain_lock (SELECT ... FOR UPDATE), held until the caller's transaction ends; concurrent
// appenders queue behind it, and seq's PRIMARY KEY refuses a duplicate should that ever fail.
// A consequence worth knowing: a long transaction that appends early holds the chain lock
// until it commits, so append the audit event as the LAST statement of a transaction.
#pragma once

#include <cstdint>

#include "access/audit_event.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/audit/audit_record.h"
#include "modules/audit/sql/audit_migrations.h"
#include "storage/db.h"

namespace gz::audit {

// Appends one record inside `tx` (a write transaction). `now_ms`: UTC milliseconds from the
// caller's Clock. Errors: kInternal "audit/bad-event" (argument "field") for an event that breaks
// the limits of audit_record.h (a bug in the caller); the store's errors otherwise. On any error
// the caller returns it from its Write callback, so the change it audits is rolled back too.
Status AppendAuditInTx(storage::Tx& tx, const access::AuditEvent& event, int64_t now_ms);

// The same, returning the record as stored (tests, and the audit module itself).
Result<AuditRecord> AppendAuditRecordInTx(storage::Tx& tx, access::AuditEvent event, int64_t now_ms);

// The AuditSink the composition root hands to access::Gate and to modules that audit reads.
class SqlAuditSink final : public access::AuditSink {
 public:
  // `db` and `clock` must outlive the sink. Thread-safe.
  SqlAuditSink(storage::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  // One write transaction; durable when it returns OK. kUnavailable "audit/unavailable" on any
  // failure (the cause is in the note, for the log): callers then refuse what they were about to
  // do (fail closed).
  Status Append(const access::AuditEvent& event) override;

 private:
  storage::Db& db_;
  const Clock& clock_;
};

// UTC milliseconds of `clock`.
int64_t NowMs(const Clock& clock);

}  // namespace gz::audit
