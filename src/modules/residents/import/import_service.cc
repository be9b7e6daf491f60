// Uploads, dry runs and applies of village registers. Layer: residents import domain.
#include "modules/residents/import/import_service.h"

#include <algorithm>
#include <exception>

#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/import/register_lookup.h"

namespace gz::residents::import {
namespace {

access::AuditEvent JobEvent(const access::Principal& actor, std::string action, const ImportJobInfo& info,
                            std::string details) {
  access::AuditEvent e = access::EventFor(actor, std::move(action));
  e.object_type = "import";
  e.object_id = std::to_string(info.id);
  e.division = info.village_code;
  e.details = std::move(details);
  return e;
}

std::string CountsJson(const ImportTotals& t, std::string_view format) {
  return "{\"format\":\"" + std::string(format) + "\",\"created\":" + std::to_string(t.create) +
         ",\"updated\":" + std::to_string(t.update) + ",\"unchanged\":" + std::to_string(t.unchanged) +
         ",\"rejected\":" + std::to_string(t.reject) + ",\"households\":" + std::to_string(t.households) + "}";
}

bool IsFileProblem(const Status& s) {
  return s.code() == Code::kInvalidArgument || s.code() == Code::kTooLarge;
}

}  // namespace

ImportService::ImportService(ImportServiceDeps deps, ImportOptions options)
    : deps_(deps), options_(std::move(options)) {}

ImportService::~ImportService() { Stop(); }

int64_t ImportService::NowMs() const { return residents::NowMs(deps_.clock); }

Status ImportService::Start() {
  std::lock_guard lock(start_mu_);
  if (started_ || stopped_) return Status::Ok();
  Result<int64_t> interrupted = deps_.jobs.FailInterrupted(NowMs());
  if (!interrupted.ok()) return interrupted.status();
  if (*interrupted > 0) log::Warn("residents_import.interrupted", {{"imports", *interrupted}});
  GZ_RETURN_IF_ERROR(PurgeExpired().status());
  runner_ = std::make_unique<JobRunner>(options_.queue_capacity, options_.purge_every, [this] {
    Result<int64_t> purged = PurgeExpired();
    if (!purged.ok()) log::Error("residents_import.purge_failed", {{"status", purged.status().ToString()}});
  });
  started_ = true;
  return Status::Ok();
}

void ImportService::Stop() {
  std::lock_guard lock(start_mu_);
  stopped_ = true;
  if (runner_) runner_->Stop();
}

std::shared_ptr<ImportService::Live> ImportService::Track(int64_t id, ImportStatus status) {
  auto live = std::make_shared<Live>();
  live->status = status;
  std::lock_guard lock(mu_);
  auto [it, inserted] = live_.emplace(id, live);
  if (!inserted) return nullptr;  // someone works on it already
  return live;
}

void ImportService::Untrack(int64_t id) {
  std::lock_guard lock(mu_);
  live_.erase(id);
}

std::shared_ptr<ImportService::Live> ImportService::LiveOf(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : it->second;
}

ValidationContext ImportService::ContextFor(const ImportJobInfo& info) const {
  return ValidationContext{info.village_code, ChinaDateOf(deps_.clock.Now()), info.format};
}

Result<ImportView> ImportService::Submit(const access::Principal& actor, std::string_view village_code,
                                         std::string bytes) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  GZ_RETURN_IF_ERROR(Start());
  if (bytes.empty()) return InvalidArgument(std::string(problems::kEmptyFile));
  const int64_t now = NowMs();
  GZ_ASSIGN_OR_RETURN(int64_t holding, deps_.jobs.CountHoldingFiles(village_code, now));
  if (holding >= options_.max_files_per_village)
    return Status(Code::kRateLimited, std::string(problems::kTooManyPending))
        .With("limit", std::to_string(options_.max_files_per_village));

  SealedImportJob job;
  ImportJobInfo& info = job.info;
  info.id = crypto::NewRowId(now);
  info.county_code = CountyOf(village_code);
  info.village_code = std::string(village_code);
  info.created_by = actor.self.account_id;
  info.status = ImportStatus::kQueued;
  info.format = std::string(FormatOf(bytes));
  info.file_bytes = static_cast<int64_t>(bytes.size());
  info.created_at_ms = now;
  info.updated_at_ms = now;
  info.expires_at_ms = now + options_.keep_for.count();
  job.file_sealed = deps_.cipher.Seal(bytes, FileAssociatedData(info));
  const access::AuditEvent uploaded =
      JobEvent(actor, "residents.import_upload", info,
               "{\"bytes\":" + std::to_string(bytes.size()) + ",\"format\":\"" + info.format + "\"}");
  GZ_RETURN_IF_ERROR(deps_.jobs.Insert(job, std::span<const access::AuditEvent>(&uploaded, 1), now));

  if (bytes.size() <= options_.sync_max_bytes) {
    std::shared_ptr<Live> live = Track(info.id, ImportStatus::kValidating);
    if (!live) live = std::make_shared<Live>();  // a fresh id is tracked by nobody; never null in practice
    Status validated;
    {
      UntrackAtExit untrack{this, info.id};  // also if Validate throws (the dispatcher answers 500)
      validated = Validate(info, bytes, *live);
    }
    GZ_RETURN_IF_ERROR(validated);
    return View(info.id, true);
  }

  std::shared_ptr<Live> queued = Track(info.id, ImportStatus::kQueued);
  const int64_t id = info.id;
  if (!runner_ || !runner_->TryPost([this, id] { ValidateQueued(id); })) {
    Untrack(id);
    ImportJobInfo failed = info;
    failed.status = ImportStatus::kFailed;
    failed.failure = FailureOf(Unavailable(std::string(problems::kBusy)));
    failed.updated_at_ms = std::max(NowMs(), info.updated_at_ms + 1);
    Status s = deps_.jobs.Update(failed, std::nullopt, /*drop_file=*/true, info.updated_at_ms);
    if (!s.ok()) log::Error("residents_import.busy_not_recorded", {{"import", id}, {"status", s.ToString()}});
    return Unavailable(std::string(problems::kBusy));
  }
  return View(id, false);
}

void ImportService::ValidateQueued(int64_t id) {
  try {
    ValidateQueuedOrThrow(id);
  } catch (const std::exception& e) {
    // Out of memory on a huge file, most likely: the job fails, the server stays up.
    log::Error("residents_import.validation_threw", {{"import", id}, {"what", e.what()}});
    Result<SealedImportJob> job = deps_.jobs.Get(id, false, false);
    if (job.ok() && job->info.status == ImportStatus::kQueued) {
      ImportJobInfo failed = job->info;
      failed.status = ImportStatus::kFailed;
      failed.failure = FailureOf(Internal("validation threw"));
      failed.updated_at_ms = std::max(NowMs(), job->info.updated_at_ms + 1);
      (void)deps_.jobs.Update(failed, std::nullopt, true, job->info.updated_at_ms);
    }
    Untrack(id);
  }
}

void ImportService::ValidateQueuedOrThrow(int64_t id) {
  std::shared_ptr<Live> live = LiveOf(id);
  if (!live) return;
  live->status = ImportStatus::kValidating;
  Result<SealedImportJob> job = deps_.jobs.Get(id, /*with_file=*/true, /*with_report=*/false);
  Status s = job.status();
  if (job.ok()) {
    if (job->info.status != ImportStatus::kQueued || !job->file_sealed) {
      Untrack(id);
      return;  // expired or failed in the meantime
    }
    Result<std::string> bytes = deps_.cipher.Open(*job->file_sealed, FileAssociatedData(job->info));
    s = bytes.ok() ? Validate(job->info, *bytes, *live) : bytes.status();
    if (!bytes.ok()) {
      ImportJobInfo failed = job->info;
      failed.status = ImportStatus::kFailed;
      failed.failure = FailureOf(bytes.status());
      failed.updated_at_ms = std::max(NowMs(), job->info.updated_at_ms + 1);
      (void)deps_.jobs.Update(failed, std::nullopt, true, job->info.updated_at_ms);
    }
  }
  if (!s.ok() && !IsFileProblem(s))
    log::Error("residents_import.validation_failed", {{"import", id}, {"status", s.ToString()}});
  Untrack(id);
}

Status ImportService::Validate(ImportJobInfo info, const std::string& bytes, Live& live) {
  RegistryLookup lookup(deps_.registry, deps_.store, deps_.cipher);
  Result<ValidatedImport> validated =
      ValidateFile(bytes, ContextFor(info), options_.limits, lookup, [&live](int64_t processed, int64_t total) {
        live.total = total;
        live.processed = processed;
      });
  const int64_t expected = info.updated_at_ms;
  info.updated_at_ms = std::max(NowMs(), expected + 1);
  if (!validated.ok()) {
    info.status = ImportStatus::kFailed;
    info.failure = FailureOf(validated.status());
    // The upload is of no further use, and it is personal data: delete it now.
    GZ_RETURN_IF_ERROR(deps_.jobs.Update(info, std::nullopt, /*drop_file=*/true, expected));
    return validated.status();
  }
  const ImportReport& report = validated->report;
  info.status = ImportStatus::kValidated;
  info.totals = report.totals;
  info.total_rows = report.totals.rows;
  info.report_digest = ReportDigest(report);
  info.failure = {};
  std::string sealed = deps_.cipher.Seal(EncodeReport(report), ReportAssociatedData(info));
  return deps_.jobs.Update(info, sealed, /*drop_file=*/false, expected);
}

Result<ImportJobInfo> ImportService::Find(int64_t id) {
  GZ_RETURN_IF_ERROR(Start());
  GZ_ASSIGN_OR_RETURN(SealedImportJob job, deps_.jobs.Get(id, false, false));
  return job.info;
}

Result<ImportView> ImportService::View(int64_t id, bool with_report) {
  GZ_ASSIGN_OR_RETURN(SealedImportJob job, deps_.jobs.Get(id, false, with_report));
  ImportView view;
  view.info = job.info;
  view.total_rows = job.info.total_rows;
  const bool finished = job.info.status == ImportStatus::kValidated || job.info.status == ImportStatus::kApplied;
  view.processed_rows = finished ? job.info.total_rows : 0;
  if (std::shared_ptr<Live> live = LiveOf(id)) {
    view.info.status = live->status.load();
    view.processed_rows = live->processed.load();
    view.total_rows = std::max(live->total.load(), job.info.total_rows);
  }
  if (with_report && job.report_sealed) {
    GZ_ASSIGN_OR_RETURN(std::string encoded, deps_.cipher.Open(*job.report_sealed, ReportAssociatedData(job.info)));
    GZ_ASSIGN_OR_RETURN(ImportReport report, DecodeReport(encoded));
    view.report = std::move(report);
  }
  return view;
}

Result<ImportView> ImportService::Apply(const access::Principal& actor, int64_t id) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  GZ_RETURN_IF_ERROR(Start());
  GZ_ASSIGN_OR_RETURN(SealedImportJob job, deps_.jobs.Get(id, false, false));
  const ImportJobInfo& info = job.info;
  if (std::shared_ptr<Live> working = LiveOf(id)) {
    const ImportStatus live = working->status.load();
    if (live == ImportStatus::kApplying) return Aborted(std::string(problems::kApplyInProgress));
    return FailedPrecondition(std::string(problems::kNotValidated)).With("status", std::string(ImportStatusCode(live)));
  }
  if (info.status == ImportStatus::kApplied) return FailedPrecondition(std::string(problems::kAlreadyApplied));
  if (info.status == ImportStatus::kExpired || (info.status == ImportStatus::kValidated && NowMs() >= info.expires_at_ms)) {
    (void)PurgeExpired();
    return FailedPrecondition(std::string(problems::kExpired));
  }
  if (info.status != ImportStatus::kValidated)
    return FailedPrecondition(std::string(problems::kNotValidated)).With("status", std::string(ImportStatusCode(info.status)));
  if (info.totals.create + info.totals.update == 0) return FailedPrecondition(std::string(problems::kNothingToApply));

  const bool now = info.totals.create + info.totals.update <= options_.sync_max_writes;
  std::shared_ptr<Live> live = Track(id, ImportStatus::kApplying);
  if (!live) return Aborted(std::string(problems::kApplyInProgress));
  live->total = info.total_rows;
  if (now) {
    Status applied;
    {
      UntrackAtExit untrack{this, id};
      applied = DoApply(actor, info, *live);
    }
    GZ_RETURN_IF_ERROR(applied);
    return View(id, true);
  }
  const access::Principal actor_copy = actor;
  if (!runner_ || !runner_->TryPost([this, actor_copy, info] {
        std::shared_ptr<Live> l = LiveOf(info.id);
        Status s;
        try {
          s = l ? DoApply(actor_copy, info, *l) : Status::Ok();
        } catch (const std::exception& e) {
          s = Internal(std::string("apply threw: ") + e.what());  // the transaction was rolled back
        }
        if (!s.ok() && s.code() != Code::kAborted && s.code() != Code::kFailedPrecondition)
          log::Error("residents_import.apply_failed", {{"import", info.id}, {"status", s.ToString()}});
        Untrack(info.id);
      })) {
    Untrack(id);
    return Unavailable(std::string(problems::kBusy));
  }
  return View(id, false);
}

Status ImportService::RecordApplyFailure(int64_t id, const Status& failure) {
  // With the report: Update() writes the report column as given, and the clerk still needs it.
  GZ_ASSIGN_OR_RETURN(SealedImportJob job, deps_.jobs.Get(id, /*with_file=*/false, /*with_report=*/true));
  if (job.info.status != ImportStatus::kValidated) return Status::Ok();
  ImportJobInfo info = job.info;
  info.failure = FailureOf(failure);
  info.updated_at_ms = std::max(NowMs(), job.info.updated_at_ms + 1);
  return deps_.jobs.Update(info, job.report_sealed, false, job.info.updated_at_ms);
}

Status ImportService::DoApply(const access::Principal& actor, ImportJobInfo info, Live& live) {
  GZ_ASSIGN_OR_RETURN(SealedImportJob job, deps_.jobs.Get(info.id, /*with_file=*/true, /*with_report=*/false));
  if (!job.file_sealed) return FailedPrecondition(std::string(problems::kExpired));
  GZ_ASSIGN_OR_RETURN(std::string bytes, deps_.cipher.Open(*job.file_sealed, FileAssociatedData(job.info)));
  info = job.info;

  std::optional<ValidatedImport> revalidated;  // kept when the register changed under the report
  const ApplyTransaction::Body body = [&](ResidentRegistry& registry, ResidentStore& store) -> Result<ApplyCommit> {
    revalidated.reset();  // the body runs again after a serialization retry: nothing of an earlier run
    RegistryLookup lookup(registry, store, deps_.cipher);
    GZ_ASSIGN_OR_RETURN(ValidatedImport validated, ValidateFile(bytes, ContextFor(info), options_.limits, lookup, {}));
    if (ReportDigest(validated.report) != info.report_digest) {
      revalidated = std::move(validated);
      return Aborted(std::string(problems::kChangedSinceValidation));
    }
    const ImportPlan& plan = validated.plan;
    int64_t written = 0;
    auto progress = [&](int64_t n) -> Status {
      written += n;
      live.processed = std::min<int64_t>(written, live.total.load());
      return apply_checkpoint_ ? apply_checkpoint_(written) : Status::Ok();
    };
    for (size_t start = 0; start < plan.households.size(); start += options_.households_per_batch) {
      const size_t end = std::min(plan.households.size(), start + options_.households_per_batch);
      std::vector<NewHousehold> batch;
      int64_t people = 0;
      for (size_t i = start; i < end; ++i) {
        batch.push_back(plan.households[i].household);
        people += static_cast<int64_t>(plan.households[i].household.members.size());
      }
      GZ_RETURN_IF_ERROR(registry.CreateHouseholds(actor, batch).status());
      GZ_RETURN_IF_ERROR(progress(people));
    }
    for (const ImportPlan::Member& m : plan.members) {
      GZ_RETURN_IF_ERROR(registry.AddResident(actor, m.household, m.resident).status());
      GZ_RETURN_IF_ERROR(progress(1));
    }
    for (const ImportPlan::Update& u : plan.updates) {
      GZ_RETURN_IF_ERROR(registry.UpdateResident(actor, u.resident, u.change).status());
      GZ_RETURN_IF_ERROR(progress(1));
    }
    ApplyCommit commit;
    commit.job = info;
    commit.job.status = ImportStatus::kApplied;
    commit.job.totals = validated.report.totals;
    commit.job.failure = {};
    commit.job.applied_by = actor.self.account_id;
    commit.job.applied_at_ms = NowMs();
    commit.job.updated_at_ms = std::max(commit.job.applied_at_ms, info.updated_at_ms + 1);
    commit.report_sealed = deps_.cipher.Seal(EncodeReport(validated.report), ReportAssociatedData(info));
    commit.event = JobEvent(actor, "residents.import", info, CountsJson(validated.report.totals, info.format));
    return commit;
  };
  Status s = deps_.apply.Run(info.id, info.updated_at_ms, body);
  if (s.ok()) return s;
  if (s.slug() == problems::kChangedSinceValidation && revalidated) {
    // Keep the new report, so the clerk sees what would happen now, and ask for a new confirmation.
    ImportJobInfo next = info;
    next.totals = revalidated->report.totals;
    next.total_rows = revalidated->report.totals.rows;
    next.report_digest = ReportDigest(revalidated->report);
    next.failure = FailureOf(s);
    next.updated_at_ms = std::max(NowMs(), info.updated_at_ms + 1);
    std::string sealed = deps_.cipher.Seal(EncodeReport(revalidated->report), ReportAssociatedData(info));
    GZ_RETURN_IF_ERROR(deps_.jobs.Update(next, sealed, false, info.updated_at_ms));
    return s;
  }
  if (s.slug() != problems::kAlreadyApplied && s.slug() != problems::kApplyInProgress) {
    Status recorded = RecordApplyFailure(info.id, s);
    if (!recorded.ok()) log::Warn("residents_import.failure_not_recorded", {{"import", info.id}});
  }
  return s;
}

Result<int64_t> ImportService::PurgeExpired() {
  access::AuditEvent event;
  event.action = "residents.import_purge";
  event.object_type = "import";
  return deps_.jobs.PurgeExpired(NowMs(), event);
}

}  // namespace gz::residents::import
