// Layer: disclosure domain (see question_sweep.h).
#include "modules/disclosure/question_sweep.h"

#include "core/log.h"

namespace gz::disclosure {

QuestionSweeper::QuestionSweeper(DisclosureStore& store, QuestionEscalation& escalation, const Clock& clock,
                                 int answer_days)
    : store_(store), escalation_(escalation), clock_(clock), answer_days_(answer_days) {}

Result<QuestionSweepReport> QuestionSweeper::RunOnce(int batch) {
  QuestionSweepReport report;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  const int64_t cutoff = now - int64_t{answer_days_} * 86'400'000;
  GZ_ASSIGN_OR_RETURN(std::vector<Question> due, store_.DueForEscalation(cutoff, batch));
  for (const Question& q : due) {
    Result<std::optional<Item>> item = store_.Get(q.item_id);
    if (!item.ok() || !item->has_value()) {
      ++report.failed;
      continue;
    }
    Result<int64_t> appeal = escalation_.Escalate(q, **item);
    if (!appeal.ok()) {
      ++report.failed;
      log::Warn("disclosure.escalation_failed", {{"question", std::to_string(q.id)}, {"slug", appeal.status().slug()}});
      continue;
    }
    access::AuditEvent e;
    e.action = "disclosure.escalate";
    e.division = q.village;
    e.object_type = "disclosure_question";
    e.object_id = std::to_string(q.id);
    e.details = "{\"appeal\":\"" + std::to_string(*appeal) + "\"}";
    Status marked = store_.MarkEscalated(q.id, *appeal, now, e);
    if (marked.ok()) ++report.escalated;
    else if (marked.code() == Code::kFailedPrecondition) ++report.already_handled;
    else ++report.failed;
  }
  return report;
}

PeriodicQuestionSweep::PeriodicQuestionSweep(QuestionSweeper& sweeper, std::chrono::milliseconds interval,
                                             std::function<bool()> may_run)
    : sweeper_(sweeper), interval_(interval), may_run_(std::move(may_run)) {}

PeriodicQuestionSweep::~PeriodicQuestionSweep() { Stop(); }

void PeriodicQuestionSweep::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicQuestionSweep::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicQuestionSweep::Loop() {
  while (true) {
    Result<QuestionSweepReport> r = (!may_run_ || may_run_()) ? sweeper_.RunOnce() : Result<QuestionSweepReport>(QuestionSweepReport{});
    if (!r.ok()) log::Warn("disclosure.sweep_failed", {{"slug", r.status().slug()}});
    else if (r->escalated > 0) log::Info("disclosure.questions_escalated", {{"count", r->escalated}});
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stop_; })) return;
  }
}

}  // namespace gz::disclosure
