// SqlImportStore: import jobs, the one-transaction apply, and batched audit writes, on storage::Db.
//
// Layer: residents import sql. Schema in import_migrations.h.
//
// The apply transaction. The residents module writes through its ResidentStore port, whose SQL
// implementation runs each call in its own Db::Write. To put every write of an import, the job's
// new state and the audit records into ONE transaction, Run() opens one Write and hands the
// residents module a SqlResidentStore built on a Db that is bound to that transaction
// (TxBoundDb: Read and Write run their callback in the open transaction, each Write inside a
// SAVEPOINT so that a failing call undoes exactly its own statements, as a real Write would). The
// ResidentRegistry on top of it is the module's own, unchanged: validation, sealing, blind indexes
// and its audit events (written through the same TxAuditWriter, in the same transaction). If any
// step fails, the callback returns the error and the whole transaction rolls back: no resident,
// no job change, no audit record of it remains.
//
// Queries:
//   Get                 id = $1                                        primary key
//   CountHoldingFiles   village_code = $1, file_sealed NOT NULL        residents_imports_by_village
//   PurgeExpired        expires_at_ms <= $1 and something sealed       residents_imports_holding
//   FailInterrupted     status = 'queued' (a handful of rows at most; a scan at start-up)
// Thread-safe, as storage::Db is.
#pragma once

#include <functional>

#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "modules/residents/import/import_job.h"
#include "modules/residents/places.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/db.h"

namespace gz::residents::import {

class SqlImportStore final : public ImportJobStore, public ApplyTransaction, public AuditBatchWriter {
 public:
  // All must outlive the store. `regions` may be null (as for ResidentRegistry). `audit_writer`
  // is audit::AppendAuditInTx (injected by app/, like the residents store's).
  SqlImportStore(storage::Db& db, const crypto::FieldCipher& cipher, const Clock& clock, const RegionCodes* regions,
                 TxAuditWriter audit_writer)
      : db_(db), cipher_(cipher), clock_(clock), regions_(regions), audit_writer_(std::move(audit_writer)) {}

  // ImportJobStore
  Status Insert(const SealedImportJob& job, std::span<const access::AuditEvent> audit, int64_t now_ms) override;
  Result<SealedImportJob> Get(int64_t id, bool with_file, bool with_report) override;
  Status Update(const ImportJobInfo& info, const std::optional<std::string>& report_sealed, bool drop_file,
                int64_t expected_updated_at_ms) override;
  Result<int64_t> CountHoldingFiles(std::string_view village_code, int64_t now_ms) override;
  Result<int64_t> PurgeExpired(int64_t now_ms, const access::AuditEvent& event) override;
  Result<int64_t> FailInterrupted(int64_t now_ms) override;

  // ApplyTransaction
  Status Run(int64_t job_id, int64_t expected_updated_at_ms, const Body& body) override;

  // AuditBatchWriter
  Status AppendAll(std::span<const access::AuditEvent> events) override;

 private:
  Status WriteAudit(storage::Tx& tx, const access::AuditEvent& event, int64_t now_ms) const;

  storage::Db& db_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
  const RegionCodes* regions_;
  TxAuditWriter audit_writer_;
};

// A storage::Db whose Read() and Write() run in an open transaction (see above). Exposed for the
// tests of this folder; `tx` must outlive it and it must not outlive the transaction.
class TxBoundDb final : public storage::Db {
 public:
  explicit TxBoundDb(storage::Tx& tx) : tx_(tx) {}
  storage::Dialect dialect() const override { return tx_.dialect(); }
  Status Read(const std::function<Status(storage::Tx&)>& fn) override;
  Status Write(const std::function<Status(storage::Tx&)>& fn) override;
  Status Ping() override { return Status::Ok(); }
  std::string Describe() const override { return "transaction"; }

 private:
  storage::Tx& tx_;
  int depth_ = 0;
};

}  // namespace gz::residents::import
