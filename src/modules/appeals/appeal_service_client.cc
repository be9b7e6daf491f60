// AppealService for applications outside gongzhi (Open311 clients): filing for a villager and
// reading back what the client filed. Kept apart from appeal_service.cc because a client is not a
// principal: the gate, the relations and EventFor() do not apply, and every record names the
// client instead.
//
// Layer: appeals domain (see appeal_service.h, ClientSubmission).
#include <string>

#include "access/principal.h"
#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {
namespace {

// The timeline capacity of a client's entry: no actor account, not the system (the store's
// CHECK pairs actor 0 with exactly "system" and "client").
constexpr std::string_view kClientCapacity = "client";

Status NotAllowedForClient(std::string_view action) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action)).With("state", "new");
}

// Adds "client" (and "client_name") to a JSON object text ("{...}" or "").
std::string WithClient(const std::string& details, int64_t client_id, std::string_view client_name) {
  std::string fields = "\"client\":\"" + std::to_string(client_id) + "\"";
  if (!client_name.empty()) {
    fields += ",\"client_name\":\"";
    log::AppendJsonEscaped(fields, client_name);
    fields += "\"";
  }
  if (details.size() < 2 || details.back() != '}') return "{" + fields + "}";
  std::string out = details.substr(0, details.size() - 1);
  if (out.size() > 1) out += ",";
  return out + fields + "}";
}

}  // namespace

Result<Appeal> AppealService::SubmitForClient(const ClientSubmission& s) {
  if (s.client_id <= 0) return NotAllowedForClient("submit");
  GZ_RETURN_IF_ERROR(ValidateAppealText(s.text));
  const Category* category = FindCategory(s.category);
  if (category == nullptr || category->retired) return InvalidArgument(std::string(problems::kUnknownCategory));
  if (s.location) GZ_RETURN_IF_ERROR(ValidateLocation(*s.location));
  if (s.for_account < 0 || s.for_resident < 0 || (s.for_account == 0 && s.for_resident == 0))
    return InvalidArgument(std::string(problems::kSubmitterNotFound));

  // Where the villager lives, exactly as for staff recording (the principal is not consulted
  // when the villager is named).
  SubmitRequest who;
  who.for_account = s.for_account;
  who.for_resident = s.for_resident;
  GZ_ASSIGN_OR_RETURN(access::Target target, SubmitTarget(access::Principal{}, who));
  if (!access::ScopeContains(s.client_scope, target.division)) return NotAllowedForClient("submit");

  const int64_t now = NowMs();
  Appeal a;
  a.id = crypto::NewRowId(now);
  a.village = target.division;
  a.submitter_account = target.owner_account;
  a.submitter_resident = target.owner_resident;
  a.recorded_by = 0;
  a.channel = Channel::kOpen311;
  a.client_id = s.client_id;
  a.category = std::string(category->code);
  a.anonymous_to_public = s.anonymous_to_public;
  a.submitted_at_ms = now;
  GZ_ASSIGN_OR_RETURN(ResolvedUnit unit, UnitFor(a.category, a.village));
  a.unit = unit.unit;

  GZ_ASSIGN_OR_RETURN(int64_t open, store_.CountOpenBySubmitter(a.submitter_account, a.submitter_resident));
  if (open >= settings_.max_open_per_submitter)
    return FailedPrecondition(std::string(problems::kTooManyOpen)).With("limit", std::to_string(settings_.max_open_per_submitter));

  GZ_ASSIGN_OR_RETURN(ResolvedDeadlines deadlines, DeadlinesFor(a.category, a.village));
  SealContent(cipher_, a, AppealContent{s.text, s.location});
  PlanContext ctx{now, deadlines.durations, settings_};
  // The villager is the submitter; the entry records that a client, not they, typed it in.
  Plan plan = PlanSubmission(std::move(a), kSubmitter, ctx);

  Change change;
  change.entry = plan.entry;
  change.entry.id = crypto::NewRowId(now);
  change.entry.actor_account = 0;
  change.entry.acting_for_account = plan.next.submitter_account;
  change.entry.capacity = std::string(kClientCapacity);
  change.entry.details = WithClient(change.entry.details, s.client_id, s.client_name);
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
  access::AuditEvent base;
  base.acting_for_account = plan.next.submitter_account;
  base.request_id = s.request_id;
  change.audit = ChangeEvent(std::move(base), plan.next, change.entry);
  change.audit.details = WithClient(change.audit.details, s.client_id, "");
  change.appeal = plan.next;
  change.expected_version = 0;
  change.now_ms = now;
  GZ_RETURN_IF_ERROR(store_.Insert(change));
  return change.appeal;
}

Result<AppealContent> AppealService::ReadContentForClient(int64_t client_id, std::string_view request_id,
                                                          const Appeal& a, std::string_view purpose) {
  if (client_id <= 0 || a.client_id != client_id) return NotAllowedForClient("read");
  if (purpose.empty() || purpose.size() > kMaxPurposeBytes || !CountTextChars(purpose))
    return InvalidArgument(std::string(problems::kBadPurpose)).With("max", std::to_string(kMaxPurposeBytes));
  // Open first, so that a tampered row is refused without claiming a read; audit before returning.
  GZ_ASSIGN_OR_RETURN(AppealContent content, OpenContent(cipher_, a));
  access::AuditEvent e;
  e.action = "appeals.read_personal";
  e.request_id = std::string(request_id);
  e.division = a.village;
  // Named by the resident when there is one, so the villager's "who read my data" view finds it.
  if (a.submitter_resident != 0) {
    e.object_type = "resident";
    e.object_id = std::to_string(a.submitter_resident);
  } else {
    e.object_type = "appeal";
    e.object_id = std::to_string(a.id);
  }
  e.purpose = std::string(purpose);
  e.details = WithClient("{\"appeal\":\"" + std::to_string(a.id) + "\"}", client_id, "");
  GZ_RETURN_IF_ERROR(audit_.Append(e));
  return content;
}

}  // namespace gz::appeals
