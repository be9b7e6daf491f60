// ImportService: uploads of village registers, their dry run, progress and apply.
//
// Layer: residents import domain (service). The routes (api/import_routes.h) call it after the
// gate has admitted the caller to the village; it seals the upload into a job (import_job.h),
// validates it (import_validator.h) without writing residents, and applies it in one
// transaction (ApplyTransaction) after re-validating it against the register as it is then.
//
// Small uploads (at most `sync_max_bytes`) are validated within the request; larger ones go to
// the JobRunner and the caller polls the job (status, processed_rows / total_rows). Likewise an
// apply of at most `sync_max_writes` writes finishes within the request, a larger one runs on
// the runner. At most `queue_capacity` jobs wait (else residents-import/busy, 503), and a village
// keeps at most `max_files_per_village` uploads that are neither applied nor expired (else
// residents-import/too-many-pending, 429).
//
// Audit: "residents.import_upload" with the job row (object "import", details: bytes and format);
// "residents.import" with the apply (details: counts), in the same transaction as the residents
// written, which also carry the registry's own events (residents.create_household,
// residents.add_member, residents.update); "residents.import_purge" when expired uploads are
// deleted. Never a name, number or cell text.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/import/import_job.h"
#include "modules/residents/import/import_report.h"
#include "modules/residents/import/import_validator.h"
#include "modules/residents/import/job_runner.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents::import {

struct ImportOptions {
  ImportLimits limits;
  size_t sync_max_bytes = 256u << 10;
  int64_t sync_max_writes = 2'000;
  std::chrono::milliseconds keep_for = std::chrono::hours(24);
  int64_t max_files_per_village = 20;
  size_t queue_capacity = 4;
  std::chrono::milliseconds purge_every = std::chrono::minutes(10);
  // Households per CreateHouseholds call while applying (progress is reported between calls).
  size_t households_per_batch = 100;
};

struct ImportServiceDeps {
  ImportJobStore& jobs;
  ApplyTransaction& apply;
  ResidentRegistry& registry;  // reads for the dry run
  ResidentStore& store;
  const crypto::FieldCipher& cipher;
  const Clock& clock;
};

// A job as the routes show it: its row, with the live status and progress while the runner
// works on it, and the report when asked for and still kept.
struct ImportView {
  ImportJobInfo info;
  int64_t processed_rows = 0;
  int64_t total_rows = 0;
  std::optional<ImportReport> report;
};

class ImportService {
 public:
  // Does not touch the store: Start() does, on first use at the latest (the store may not be
  // migrated yet when the service is built).
  ImportService(ImportServiceDeps deps, ImportOptions options = {});
  ~ImportService();  // Stop()

  // Once per service (a process start): fails the jobs a restart interrupted, purges expired
  // uploads, starts the runner (which purges again every purge_every). Called by Submit, Find
  // and Apply; a composition root may call it right after migrating, so that uploads left by
  // the previous process expire even if nobody imports. A failure is returned and retried at
  // the next call.
  Status Start();
  // Lets the running job finish; waiting jobs stay "queued" and fail at the next process's
  // Start(). The service does not start again.
  void Stop();

  // Seals `bytes` into a new job of `village_code` and validates it (now, or on the runner).
  // A file-level problem found within the request is returned as such (400 naming row and
  // column); the job is kept as failed. Errors: residents-import/too-many-pending (kRateLimited),
  // residents-import/busy (kUnavailable), residents-import/empty-file, the validator's.
  // REQUIRES: the caller may import into `village_code` (the route's gate check).
  Result<ImportView> Submit(const access::Principal& actor, std::string_view village_code, std::string bytes);

  // The job's row (no sealed columns), for the routes' object-level check.
  // kNotFound residents-import/import-not-found.
  Result<ImportJobInfo> Find(int64_t id);

  // The job with live progress and, when `with_report`, its report.
  Result<ImportView> View(int64_t id, bool with_report);

  // Applies a validated job (now, or on the runner: status "applying"). Errors (the job is left
  // as it was unless said): residents-import/expired, already-applied, not-validated {status},
  // apply-in-progress, nothing-to-apply (kFailedPrecondition / kAborted: 409);
  // residents-import/changed-since-validation (kAborted) when re-validation gives another
  // report: the job then holds the new report, still validated; storage errors.
  Result<ImportView> Apply(const access::Principal& actor, int64_t id);

  // Deletes uploads past their expiry. Returns how many.
  Result<int64_t> PurgeExpired();

  // Test seam: called with the number of residents written so far while applying; a non-OK
  // status aborts the apply there (the atomicity test injects a failure mid-apply with it).
  void SetApplyCheckpointForTest(std::function<Status(int64_t written)> checkpoint) {
    apply_checkpoint_ = std::move(checkpoint);
  }

 private:
  struct Live {
    std::atomic<ImportStatus> status{ImportStatus::kQueued};
    std::atomic<int64_t> processed{0};
    std::atomic<int64_t> total{0};
  };

  struct UntrackAtExit {
    ImportService* service;
    int64_t id;
    ~UntrackAtExit() { service->Untrack(id); }
  };

  std::shared_ptr<Live> Track(int64_t id, ImportStatus status);
  void Untrack(int64_t id);
  std::shared_ptr<Live> LiveOf(int64_t id) const;
  int64_t NowMs() const;
  ValidationContext ContextFor(const ImportJobInfo& info) const;

  // The dry run of an uploaded job; records the outcome in the job row.
  Status Validate(ImportJobInfo info, const std::string& bytes, Live& live);
  void ValidateQueued(int64_t id);
  void ValidateQueuedOrThrow(int64_t id);
  Status DoApply(const access::Principal& actor, ImportJobInfo info, Live& live);
  Status RecordApplyFailure(int64_t id, const Status& failure);

  ImportServiceDeps deps_;
  ImportOptions options_;
  std::function<Status(int64_t)> apply_checkpoint_;
  std::mutex start_mu_;
  bool started_ = false;
  bool stopped_ = false;
  mutable std::mutex mu_;
  std::map<int64_t, std::shared_ptr<Live>> live_;
  std::unique_ptr<JobRunner> runner_;
};

}  // namespace gz::residents::import
