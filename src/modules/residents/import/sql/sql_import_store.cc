// Layer: residents import sql (see sql_import_store.h).
#include "modules/residents/import/sql/sql_import_store.h"

#include <exception>

#include "modules/residents/import/problems.h"
#include "modules/residents/resident_registry.h"

namespace gz::residents::import {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kColumns =
    "id, county_code, village_code, created_by, status, format, file_bytes, total_rows, totals, report_digest, "
    "failure, created_at_ms, updated_at_ms, expires_at_ms, applied_at_ms, applied_by";

Value OptionalBlob(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return Blob{*v};
}

// Only settled states are stored; validating and applying live in memory (import_job.h).
std::string StoredStatus(ImportStatus s) {
  if (s == ImportStatus::kValidating) return "queued";
  if (s == ImportStatus::kApplying) return "validated";
  return std::string(ImportStatusCode(s));
}

Result<ImportJobInfo> InfoFromRow(const Row& row) {
  ImportJobInfo info;
  info.id = row.Int(0);
  info.county_code = row.Text(1);
  info.village_code = row.Text(2);
  info.created_by = row.Int(3);
  std::optional<ImportStatus> status = ParseImportStatus(row.Text(4));
  if (!status) return Internal("residents_imports: unknown status");
  info.status = *status;
  info.format = row.Text(5);
  info.file_bytes = row.Int(6);
  info.total_rows = row.Int(7);
  info.totals = DecodeTotals(row.Text(8));
  info.report_digest = row.Text(9);
  info.failure = DecodeFailure(row.Text(10));
  info.created_at_ms = row.Int(11);
  info.updated_at_ms = row.Int(12);
  info.expires_at_ms = row.Int(13);
  info.applied_at_ms = row.Int(14);
  info.applied_by = row.Int(15);
  return info;
}

Status NotFoundImport() { return NotFound(std::string(problems::kImportNotFound)); }

// The UPDATE of a job's state; `drop_file` also deletes the upload. Matches only at `expected`.
Result<int64_t> UpdateRow(Tx& tx, const ImportJobInfo& info, const std::optional<std::string>& report_sealed,
                          bool drop_file, int64_t expected) {
  return tx.Exec(
      "UPDATE residents_imports SET status = $2, format = $3, total_rows = $4, totals = $5, report_digest = $6, "
      "failure = $7, report_sealed = $8, file_sealed = CASE WHEN $9 = 1 THEN NULL ELSE file_sealed END, "
      "updated_at_ms = $10, applied_at_ms = $11, applied_by = $12 WHERE id = $1 AND updated_at_ms = $13",
      {info.id, StoredStatus(info.status), info.format, info.total_rows, EncodeTotals(info.totals),
       info.report_digest, EncodeFailure(info.failure), OptionalBlob(report_sealed), int64_t{drop_file ? 1 : 0},
       info.updated_at_ms, info.applied_at_ms, info.applied_by, expected});
}

// Why a conditional update matched nothing.
Status Unmatched(Tx& tx, int64_t id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT status FROM residents_imports WHERE id = $1", {id}));
  if (rs.empty()) return NotFoundImport();
  if (rs.rows[0].Text(0) == "applied") return FailedPrecondition(std::string(problems::kAlreadyApplied));
  return Aborted(std::string(problems::kApplyInProgress));
}

}  // namespace

Status TxBoundDb::Read(const std::function<Status(Tx&)>& fn) { return fn(tx_); }

Status TxBoundDb::Write(const std::function<Status(Tx&)>& fn) {
  // A savepoint per call, so that a failing call leaves no statement of its own behind, exactly
  // as a Write of its own would; the enclosing transaction decides about the rest.
  const std::string name = "gz_import_" + std::to_string(depth_++);
  struct Depth {
    int& d;
    ~Depth() { --d; }
  } restore{depth_};
  GZ_RETURN_IF_ERROR(tx_.Exec("SAVEPOINT " + name).status());
  Status s;
  try {
    s = fn(tx_);
  } catch (const std::exception& e) {
    s = Internal(std::string("exception in a bound write: ") + e.what());
  }
  if (!s.ok()) {
    Status undone = tx_.Exec("ROLLBACK TO SAVEPOINT " + name).status();
    if (undone.ok()) undone = tx_.Exec("RELEASE SAVEPOINT " + name).status();
    return s;
  }
  GZ_RETURN_IF_ERROR(tx_.Exec("RELEASE SAVEPOINT " + name).status());
  return s;
}

Status SqlImportStore::WriteAudit(Tx& tx, const access::AuditEvent& event, int64_t now_ms) const {
  if (!audit_writer_) return Internal("import store has no audit writer: refusing an unaudited change");
  return audit_writer_(tx, event, now_ms);
}

Status SqlImportStore::Insert(const SealedImportJob& job, std::span<const access::AuditEvent> audit, int64_t now_ms) {
  const ImportJobInfo& i = job.info;
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO residents_imports (id, county_code, village_code, created_by, status, format, file_bytes, "
                "total_rows, totals, report_digest, failure, file_sealed, report_sealed, created_at_ms, updated_at_ms, "
                "expires_at_ms, applied_at_ms, applied_by) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
                {i.id, i.county_code, i.village_code, i.created_by, StoredStatus(i.status), i.format, i.file_bytes,
                 i.total_rows, EncodeTotals(i.totals), i.report_digest, EncodeFailure(i.failure),
                 OptionalBlob(job.file_sealed), OptionalBlob(job.report_sealed), i.created_at_ms, i.updated_at_ms,
                 i.expires_at_ms, i.applied_at_ms, i.applied_by})
            .status());
    for (const access::AuditEvent& e : audit) GZ_RETURN_IF_ERROR(WriteAudit(tx, e, now_ms));
    return Status::Ok();
  });
}

Result<SealedImportJob> SqlImportStore::Get(int64_t id, bool with_file, bool with_report) {
  SealedImportJob job;
  Status s = db_.Read([&](Tx& tx) -> Status {
    std::string sql = "SELECT " + std::string(kColumns);
    sql += with_file ? ", file_sealed" : ", NULL";
    sql += with_report ? ", report_sealed" : ", NULL";
    sql += " FROM residents_imports WHERE id = $1";
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, {id}));
    if (rs.empty()) return NotFoundImport();
    const Row& row = rs.rows[0];
    GZ_ASSIGN_OR_RETURN(job.info, InfoFromRow(row));
    if (!row.IsNull(16)) job.file_sealed = row.Text(16);
    if (!row.IsNull(17)) job.report_sealed = row.Text(17);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return job;
}

Status SqlImportStore::Update(const ImportJobInfo& info, const std::optional<std::string>& report_sealed,
                              bool drop_file, int64_t expected_updated_at_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed, UpdateRow(tx, info, report_sealed, drop_file, expected_updated_at_ms));
    if (changed != 1) return Unmatched(tx, info.id);
    return Status::Ok();
  });
}

Result<int64_t> SqlImportStore::CountHoldingFiles(std::string_view village_code, int64_t now_ms) {
  int64_t count = 0;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT COUNT(*) FROM residents_imports WHERE village_code = $1 "
                                 "AND file_sealed IS NOT NULL AND expires_at_ms > $2",
                                 {std::string(village_code), now_ms}));
    count = rs.empty() ? 0 : rs.rows[0].Int(0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return count;
}

Result<int64_t> SqlImportStore::PurgeExpired(int64_t now_ms, const access::AuditEvent& event) {
  int64_t purged = 0;
  Status s = db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(
        storage::ResultSet rs,
        tx.Query("UPDATE residents_imports SET file_sealed = NULL, report_sealed = NULL, "
                 "status = CASE WHEN status IN ('queued', 'validated') THEN 'expired' ELSE status END, "
                 "updated_at_ms = CASE WHEN updated_at_ms >= $1 THEN updated_at_ms + 1 ELSE $1 END "
                 "WHERE expires_at_ms <= $1 AND (file_sealed IS NOT NULL OR report_sealed IS NOT NULL) "
                 "RETURNING id, village_code",
                 {now_ms}));
    purged = static_cast<int64_t>(rs.rows.size());
    // One record per import, placed in its village, so that the village's auditors see it.
    for (const Row& row : rs.rows) {
      access::AuditEvent e = event;
      e.object_id = std::to_string(row.Int(0));
      e.division = row.Text(1);
      GZ_RETURN_IF_ERROR(WriteAudit(tx, e, now_ms));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return purged;
}

Result<int64_t> SqlImportStore::FailInterrupted(int64_t now_ms) {
  int64_t failed = 0;
  ImportFailure failure;
  failure.slug = std::string(problems::kInterrupted);
  failure.args = {{"code", std::string(CodeName(Code::kFailedPrecondition))}};
  Status s = db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("UPDATE residents_imports SET status = 'failed', file_sealed = NULL, failure = $1, "
                                 "updated_at_ms = CASE WHEN updated_at_ms >= $2 THEN updated_at_ms + 1 ELSE $2 END "
                                 "WHERE status = 'queued' RETURNING id",
                                 {EncodeFailure(failure), now_ms}));
    failed = static_cast<int64_t>(rs.rows.size());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return failed;
}

Status SqlImportStore::Run(int64_t job_id, int64_t expected_updated_at_ms, const Body& body) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT status, updated_at_ms FROM residents_imports WHERE id = $1", {job_id}));
    if (rs.empty()) return NotFoundImport();
    if (rs.rows[0].Text(0) == "applied") return FailedPrecondition(std::string(problems::kAlreadyApplied));
    if (rs.rows[0].Text(0) != "validated" || rs.rows[0].Int(1) != expected_updated_at_ms)
      return Aborted(std::string(problems::kApplyInProgress));

    TxBoundDb bound(tx);
    SqlResidentStore store(bound, audit_writer_);
    ResidentRegistry registry(store, cipher_, clock_, regions_);
    GZ_ASSIGN_OR_RETURN(ApplyCommit commit, body(registry, store));
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        UpdateRow(tx, commit.job, commit.report_sealed, /*drop_file=*/true, expected_updated_at_ms));
    if (changed != 1) return Unmatched(tx, job_id);
    return WriteAudit(tx, commit.event, residents::NowMs(clock_));
  });
}

Status SqlImportStore::AppendAll(std::span<const access::AuditEvent> events) {
  const int64_t now = residents::NowMs(clock_);
  return db_.Write([&](Tx& tx) -> Status {
    for (const access::AuditEvent& e : events) GZ_RETURN_IF_ERROR(WriteAudit(tx, e, now));
    return Status::Ok();
  });
}

}  // namespace gz::residents::import
