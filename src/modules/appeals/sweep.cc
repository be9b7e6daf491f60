// Layer: appeals domain (see sweep.h).
#include "modules/appeals/sweep.h"

#include <algorithm>

#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/lifecycle.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {

DeadlineSweeper::DeadlineSweeper(AppealStore& store, const Clock& clock, AppealSettings settings)
    : store_(store), clock_(clock), settings_(settings) {}

Status DeadlineSweeper::ActOn(const DeadlineKey& key, int64_t now, SweepReport& report,
                              std::map<std::string, DeadlineDurations>& cache) {
  GZ_ASSIGN_OR_RETURN(std::optional<Appeal> appeal, store_.Get(key.appeal_id));
  std::optional<DeadlineKey> running = appeal ? RunningDeadline(*appeal, key.kind) : std::nullopt;
  if (!running || running->round != key.round || running->due_ms > now) {
    ++report.skipped;
    return Status::Ok();
  }
  const std::string cache_key = appeal->category + "@" + appeal->village;
  auto cached = cache.find(cache_key);
  if (cached == cache.end()) {
    GZ_ASSIGN_OR_RETURN(std::vector<DeadlineRule> rules, store_.DeadlineRules(RuleScopesFor(appeal->village)));
    cached = cache.emplace(cache_key, ResolveDeadlines(rules, appeal->category, appeal->village).durations).first;
  }
  GZ_ASSIGN_OR_RETURN(Plan plan, PlanDeadline(*appeal, key.kind, PlanContext{now, cached->second, settings_}));

  Change change;
  change.entry = std::move(plan.entry);
  change.entry.id = crypto::NewRowId(now);
  for (const Recipient& r : plan.notify) {
    Notification n;
    n.id = crypto::NewRowId(now);
    n.to = r;
    n.appeal_id = appeal->id;
    n.village = appeal->village;
    n.kind = change.entry.action;
    n.created_at_ms = now;
    change.notifications.push_back(std::move(n));
  }
  access::AuditEvent system;  // actor 0: the system itself
  change.audit = ChangeEvent(system, plan.next, change.entry);
  change.appeal = std::move(plan.next);
  change.expected_version = appeal->version;
  change.deadline = plan.deadline;
  change.now_ms = now;
  Status s = store_.Update(change);
  if (s.ok()) {
    if (key.kind == DeadlineKind::kFollowUp) ++report.follow_ups;
    else ++report.escalated;
    return Status::Ok();
  }
  if (s.slug() == problems::kDeadlineHandled || s.slug() == problems::kEditConflict) {
    ++report.already_handled;
    return Status::Ok();
  }
  return s;
}

Result<SweepReport> DeadlineSweeper::RunOnce(int batch) {
  batch = std::clamp(batch, 1, 1000);
  SweepReport report;
  std::map<std::string, DeadlineDurations> cache;
  // Catch up after downtime in batches, but stop when a batch changed nothing (every candidate
  // failed or was skipped), so that a persistent error cannot spin.
  for (int round = 0; round < 100; ++round) {
    const int64_t now = NowMsOf(clock_);
    GZ_ASSIGN_OR_RETURN(std::vector<DeadlineKey> due, store_.ListDue(now, batch));
    const int64_t before = report.escalated + report.follow_ups;
    for (const DeadlineKey& key : due) {
      Status s = ActOn(key, now, report, cache);
      if (!s.ok()) {
        ++report.failed;
        log::Warn("appeals.sweep_item_failed", {{"appeal", key.appeal_id},
                                                {"deadline", DeadlineKindCode(key.kind)},
                                                {"round", key.round},
                                                {"status", s.ToString()}});
      }
    }
    if (static_cast<int>(due.size()) < batch || report.escalated + report.follow_ups == before) break;
  }
  return report;
}

PeriodicSweep::PeriodicSweep(DeadlineSweeper& sweeper, std::chrono::milliseconds interval, std::function<bool()> may_run)
    : sweeper_(sweeper), interval_(interval), may_run_(std::move(may_run)) {}

PeriodicSweep::~PeriodicSweep() { Stop(); }

void PeriodicSweep::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicSweep::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t PeriodicSweep::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void PeriodicSweep::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    Result<SweepReport> r = (!may_run_ || may_run_()) ? sweeper_.RunOnce() : Result<SweepReport>(SweepReport{});
    if (!r.ok()) {
      log::Warn("appeals.sweep_failed", {{"status", r.status().ToString()}});
    } else if (r->escalated + r->follow_ups + r->failed > 0) {
      log::Info("appeals.sweep", {{"escalated", r->escalated},
                                  {"follow_ups", r->follow_ups},
                                  {"already_handled", r->already_handled},
                                  {"failed", r->failed}});
    }
    lock.lock();
    ++runs_;
    // The wait is a pause between runs, not a deadline: what is due is decided by the Clock.
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace gz::appeals
