// AppealService: appeals filed by the system for a villager (SystemSubmission), e.g. a question
// about a village disclosure that the committee did not answer in time. The villager is the
// submitter (channel "self": they asked, in their own name); the timeline entry and the audit
// event say the system filed it, and name the source.
//
// Layer: appeals domain (see appeal_service.h).
#include "access/principal.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {

Result<Appeal> AppealService::SubmitForSystem(const SystemSubmission& s) {
  if (s.id <= 0 || s.for_account <= 0) return InvalidArgument(std::string(problems::kSubmitterNotFound));
  GZ_RETURN_IF_ERROR(ValidateAppealText(s.text));
  const Category* category = FindCategory(s.category);
  if (category == nullptr || category->retired) return InvalidArgument(std::string(problems::kUnknownCategory));
  SubmitRequest who;
  who.for_account = s.for_account;
  GZ_ASSIGN_OR_RETURN(access::Target target, SubmitTarget(access::Principal{}, who));

  const int64_t now = NowMs();
  Appeal a;
  a.id = s.id;
  a.village = target.division;
  a.submitter_account = target.owner_account;
  a.submitter_resident = target.owner_resident;
  a.recorded_by = s.for_account;  // they typed the question themselves
  a.channel = Channel::kSelf;
  a.category = std::string(category->code);
  a.submitted_at_ms = now;
  a.unit = DefaultUnitFor(*category, a.village);

  GZ_ASSIGN_OR_RETURN(ResolvedDeadlines deadlines, DeadlinesFor(a.category, a.village));
  SealContent(cipher_, a, AppealContent{s.text, std::nullopt});
  PlanContext ctx{now, deadlines.durations, settings_};
  Plan plan = PlanSubmission(std::move(a), kSubmitter, ctx);

  Change change;
  change.entry = plan.entry;
  change.entry.id = crypto::NewRowId(now);
  change.entry.actor_account = 0;
  change.entry.capacity = "system";
  std::string source = "\"source\":\"";
  log::AppendJsonEscaped(source, s.source);
  source += "\"";
  // The planned facts (unit, deadlines, state) keep their place; the source is added to them.
  auto with_source = [&source](const std::string& facts) {
    return facts.size() > 2 && facts.back() == '}' ? facts.substr(0, facts.size() - 1) + "," + source + "}"
                                                   : "{" + source + "}";
  };
  change.entry.details = with_source(change.entry.details);
  for (const Recipient& r : plan.notify) {
    Notification n;
    n.id = crypto::NewRowId(now);
    n.to = r;
    n.appeal_id = plan.next.id;
    n.village = plan.next.village;
    n.kind = change.entry.action;
    n.created_at_ms = now;
    change.notifications.push_back(std::move(n));
  }
  change.audit = ChangeEvent(access::AuditEvent{}, plan.next, change.entry);
  change.audit.details = with_source(change.audit.details);
  change.appeal = plan.next;
  change.expected_version = 0;
  change.now_ms = now;
  GZ_RETURN_IF_ERROR(store_.Insert(change));
  return change.appeal;
}

}  // namespace gz::appeals
