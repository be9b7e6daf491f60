// Import jobs: an uploaded register, its dry-run report and its state; and the ports through
// which the import service keeps them and applies them.
//
// Layer: residents import domain (interfaces). Implementations: sql/sql_import_store.h.
//
// The uploaded file and the report are personal data. They are kept only sealed
// (crypto::FieldCipher, bound to the job's id, village and uploader) in the job's row, and
// deleted when the import is applied, fails, or expires (24 hours after the upload); the row
// itself then keeps counts and states only.
//
//   queued ──> validating ──> validated ──> applying ──> applied
//      │            │             │  ▲           │
//      └────────────┴──> failed   │  └───────────┘ (the register changed: re-validated, 409)
//                                 └──> expired (file and report deleted)
// "validating" and "applying" exist only in memory while the job runner works on the job; the
// row says "queued" / "validated" until the work commits. A job left "queued" by a restart
// fails as residents-import/interrupted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/residents/import/import_report.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents::import {

enum class ImportStatus { kQueued, kValidating, kValidated, kApplying, kApplied, kFailed, kExpired };
std::string_view ImportStatusCode(ImportStatus s);  // "queued", "validating", ...
std::optional<ImportStatus> ParseImportStatus(std::string_view code);

// Why a job failed: a problem slug and its arguments (positions and limits, never cell text).
struct ImportFailure {
  std::string slug;
  std::vector<std::pair<std::string, std::string>> args;
  bool operator==(const ImportFailure&) const = default;
};
std::string EncodeFailure(const ImportFailure& f);  // "" for none
ImportFailure DecodeFailure(std::string_view encoded);
ImportFailure FailureOf(const Status& status);
Status StatusOf(const ImportFailure& f);  // kInvalidArgument unless the slug says otherwise

struct ImportJobInfo {
  int64_t id = 0;
  std::string county_code;
  std::string village_code;
  int64_t created_by = 0;  // account
  ImportStatus status = ImportStatus::kQueued;
  std::string format;      // "csv" | "xlsx"
  int64_t file_bytes = 0;
  int64_t total_rows = 0;  // data rows, once validated
  ImportTotals totals;     // of the latest validation (after apply: of what was applied)
  std::string report_digest;
  ImportFailure failure;   // set when failed
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;  // also the row's version for conditional updates
  int64_t expires_at_ms = 0;
  int64_t applied_at_ms = 0;
  int64_t applied_by = 0;
  bool operator==(const ImportJobInfo&) const = default;
};

struct SealedImportJob {
  ImportJobInfo info;
  std::optional<std::string> file_sealed;    // deleted once applied, failed or expired
  std::optional<std::string> report_sealed;  // deleted when expired
  bool operator==(const SealedImportJob&) const = default;
};

// Associated data of the two sealed columns: a ciphertext moved to another job, village or
// uploader fails to open.
std::string FileAssociatedData(const ImportJobInfo& info);
std::string ReportAssociatedData(const ImportJobInfo& info);

class ImportJobStore {
 public:
  virtual ~ImportJobStore() = default;

  // Inserts a new job with its audit events, in one transaction.
  virtual Status Insert(const SealedImportJob& job, std::span<const access::AuditEvent> audit, int64_t now_ms) = 0;

  // kNotFound residents-import/import-not-found. Sealed columns only when asked for.
  virtual Result<SealedImportJob> Get(int64_t id, bool with_file, bool with_report) = 0;

  // Replaces the row's state columns (status, format, totals, digest, failure, rows, times) and
  // the sealed report (nullopt: delete it), and deletes the file when `drop_file`; only if the
  // row's updated_at_ms is still `expected_updated_at_ms` (else kAborted
  // residents-import/apply-in-progress: someone else moved the job on).
  virtual Status Update(const ImportJobInfo& info, const std::optional<std::string>& report_sealed, bool drop_file,
                        int64_t expected_updated_at_ms) = 0;

  // Jobs of the village that still hold a file (queued or validated, not expired at `now_ms`).
  virtual Result<int64_t> CountHoldingFiles(std::string_view village_code, int64_t now_ms) = 0;

  // Deletes the file and report of every job past its expiry (status becomes expired unless it
  // was applied or failed), with one audit event naming them; returns how many.
  virtual Result<int64_t> PurgeExpired(int64_t now_ms, const access::AuditEvent& event) = 0;

  // Jobs still "queued" (a restart interrupted them) become failed
  // residents-import/interrupted, their files deleted. Returns how many.
  virtual Result<int64_t> FailInterrupted(int64_t now_ms) = 0;
};

// What the apply step commits together with the residents it writes.
struct ApplyCommit {
  ImportJobInfo job;                       // the new state (applied)
  std::optional<std::string> report_sealed;
  access::AuditEvent event;                // the one "residents.import" event
};

// Runs an apply in ONE write transaction: the residents' writes (through the registry and store
// handed to `body`, which write in that transaction, each with its own audit events), the job's
// new state (the file deleted) and the import's audit event. If anything fails, nothing of it is
// kept. Before `body` runs, the job row must still be validated at `expected_updated_at_ms`
// (else kFailedPrecondition residents-import/already-applied when it was applied, kAborted
// residents-import/apply-in-progress otherwise).
class ApplyTransaction {
 public:
  virtual ~ApplyTransaction() = default;
  using Body = std::function<Result<ApplyCommit>(ResidentRegistry& registry, ResidentStore& store)>;
  virtual Status Run(int64_t job_id, int64_t expected_updated_at_ms, const Body& body) = 0;
};

// Appends audit events in one transaction, durably, before it returns (reads of a revealed
// export: every resident's reveal and the export itself).
class AuditBatchWriter {
 public:
  virtual ~AuditBatchWriter() = default;
  virtual Status AppendAll(std::span<const access::AuditEvent> events) = 0;
};

}  // namespace gz::residents::import
