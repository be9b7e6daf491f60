// Layer: deliberation domain (see proposal_sweep.h).
#include "modules/deliberation/proposal_sweep.h"

#include "core/log.h"

namespace gz::deliberation {

ProposalSweeper::ProposalSweeper(DeliberationStore& store, ProposalEscalation& escalation, const Clock& clock)
    : store_(store), escalation_(escalation), clock_(clock) {}

Result<ProposalSweepReport> ProposalSweeper::RunOnce(int batch) {
  ProposalSweepReport report;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  GZ_ASSIGN_OR_RETURN(std::vector<Proposal> due, store_.DueForEscalation(now, batch));
  for (const Proposal& p : due) {
    Result<int64_t> appeal = escalation_.Escalate(p);
    if (!appeal.ok()) {
      ++report.failed;
      log::Warn("deliberation.escalation_failed", {{"proposal", std::to_string(p.id)}, {"slug", appeal.status().slug()}});
      continue;
    }
    access::AuditEvent e;
    e.action = "deliberation.escalate";
    e.division = p.village;
    e.object_type = "deliberation_proposal";
    e.object_id = std::to_string(p.id);
    e.details = "{\"appeal\":\"" + std::to_string(*appeal) + "\"}";
    Status marked = store_.MarkEscalated(p.id, *appeal, e, now);
    if (marked.ok()) ++report.escalated;
    else if (marked.code() == Code::kFailedPrecondition) ++report.already_handled;
    else ++report.failed;
  }
  return report;
}

PeriodicProposalSweep::PeriodicProposalSweep(ProposalSweeper& sweeper, std::chrono::milliseconds interval)
    : sweeper_(sweeper), interval_(interval) {}

PeriodicProposalSweep::~PeriodicProposalSweep() { Stop(); }

void PeriodicProposalSweep::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicProposalSweep::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicProposalSweep::Loop() {
  while (true) {
    Result<ProposalSweepReport> r = sweeper_.RunOnce();
    if (!r.ok()) log::Warn("deliberation.sweep_failed", {{"slug", r.status().slug()}});
    else if (r->escalated > 0) log::Info("deliberation.proposals_escalated", {{"count", r->escalated}});
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stop_; })) return;
  }
}

}  // namespace gz::deliberation
