// Layer: appeals domain (see lifecycle.h).
#include "modules/appeals/lifecycle.h"

#include <algorithm>
#include <chrono>

#include "core/clock.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/relations.h"

namespace gz::appeals {
namespace {

// Facts for the timeline's details column: codes and numbers only, never personal data.
class Details {
 public:
  Details& Add(std::string_view key, std::string_view value) {
    Open(key);
    out_ += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out_ += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;
      out_ += c;
    }
    out_ += '"';
    return *this;
  }
  Details& Add(std::string_view key, int64_t value) {
    Open(key);
    out_ += std::to_string(value);
    return *this;
  }
  Details& Add(std::string_view key, bool value) {
    Open(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  std::string Done() const { return out_.empty() ? "" : out_ + "}"; }

 private:
  void Open(std::string_view key) {
    out_ += out_.empty() ? "{" : ",";
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string out_;
};

Status NotAllowed(std::string_view slug, Action action, AppealState state, Code code) {
  return Status(code, std::string(slug)).With("action", std::string(ActionCode(action))).With("state", std::string(StateCode(state)));
}

// The relation a change is recorded under, when a caller stands in several.
Relation CapacityOf(Relations usable) {
  for (Relation r : {kHandler, kEscalationTarget, kNextLevel, kSupervisor, kSubmitterInPerson, kSubmitter, kRecorder,
                     kSystem})
    if (usable & r) return r;
  return kSystem;
}

void AddRecipient(std::vector<Recipient>& to, Recipient r) {
  if (r.kind == RecipientKind::kAccount && r.account == 0) return;
  if (std::find(to.begin(), to.end(), r) == to.end()) to.push_back(std::move(r));
}

void NotifySubmitter(std::vector<Recipient>& to, const Appeal& a) { AddRecipient(to, Recipient::Account(a.submitter_account)); }

std::string Rfc3339(int64_t ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(ms))); }

// The unit an escalation of `a` goes to: above the current escalation target, above the reviewer
// of a contested rejection, or above the handling unit.
HandlingUnit EscalationTargetOf(const Appeal& a) {
  if (a.state == AppealState::kEscalated && a.escalated_to) return OversightUnitOf(*a.escalated_to);
  if (a.state == AppealState::kContested) return OversightUnitOf(OversightUnitOf(a.unit));
  return OversightUnitOf(a.unit);
}

struct Effects {
  Appeal& n;
  const PlanContext& ctx;
  void OpenAccept() {
    n.accept_due_ms = ctx.now_ms + ctx.durations.accept_ms;
    n.accept_round += 1;
  }
  void OpenAnswer() {
    n.answer_due_ms = ctx.now_ms + ctx.durations.answer_ms;
    n.answer_round += 1;
  }
  void Escalate(const Appeal& from) {
    n.state = AppealState::kEscalated;
    n.escalated_to = EscalationTargetOf(from);
    n.escalation_count += 1;
    OpenAccept();
  }
};

Plan StartPlan(const Appeal& current, std::string_view action, AppealState to, const PlanContext& ctx) {
  Plan plan;
  plan.next = current;
  plan.next.state = to;
  plan.next.version = current.version + 1;
  plan.next.updated_at_ms = ctx.now_ms;
  plan.entry.appeal_id = current.id;
  plan.entry.seq = plan.next.version;
  plan.entry.at_ms = ctx.now_ms;
  plan.entry.action = std::string(action);
  plan.entry.from = current.state;
  plan.entry.to = to;
  plan.entry.visibility = Visibility::kPublic;
  return plan;
}

}  // namespace

bool NoteRequired(Action action) {
  switch (action) {
    case Action::kAnswer:
    case Action::kTransfer:
    case Action::kReject:
    case Action::kContest:
    case Action::kUphold:
    case Action::kOverturn:
    case Action::kVisit:
      return true;
    default:
      return false;
  }
}

Status ValidateCommand(const Command& c) {
  if (c.action == Action::kEscalate) return PermissionDenied(std::string(problems::kSystemOnly));
  if (c.action == Action::kSubmit)
    return FailedPrecondition(std::string(problems::kTransitionNotAllowed)).With("action", "submit");
  auto not_allowed = [](const char* field) {
    return InvalidArgument(std::string(problems::kFieldNotAllowed)).With("field", field);
  };
  auto required = [](const char* field) {
    return InvalidArgument(std::string(problems::kFieldRequired)).With("field", field);
  };
  const bool takes_unit = c.action == Action::kTransfer || c.action == Action::kOverturn;
  const bool takes_rating = c.action == Action::kRate || c.action == Action::kVisit;
  if (c.unit && !takes_unit) return not_allowed("unit");
  if (c.rating && !takes_rating) return not_allowed("rating");
  if (c.solved && !takes_rating) return not_allowed("solved");
  if (c.action == Action::kTransfer && !c.unit) return required("unit");
  if (takes_rating && !c.rating) return required("rating");
  if (takes_rating && !c.solved) return required("solved");
  if (NoteRequired(c.action) && c.note.empty()) return required("note");
  return ValidateNote(c.note, NoteRequired(c.action));
}

std::string_view DeadlineKindCode(DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kAccept: return "accept";
    case DeadlineKind::kAnswer: return "answer";
    case DeadlineKind::kFollowUp: return "follow_up";
  }
  return "accept";
}

std::optional<DeadlineKind> ParseDeadlineKind(std::string_view code) {
  for (DeadlineKind k : {DeadlineKind::kAccept, DeadlineKind::kAnswer, DeadlineKind::kFollowUp})
    if (DeadlineKindCode(k) == code) return k;
  return std::nullopt;
}

Plan PlanSubmission(Appeal a, Relation capacity, const PlanContext& ctx) {
  a.state = AppealState::kSubmitted;
  a.escalated_to.reset();
  a.version = 1;
  a.reopen_count = a.contest_count = a.escalation_count = 0;
  a.accept_round = a.answer_round = 0;
  Effects fx{a, ctx};
  fx.OpenAccept();
  fx.OpenAnswer();
  a.rating_due_ms.reset();
  a.first_accept_due_ms = *a.accept_due_ms;
  a.first_answer_due_ms = *a.answer_due_ms;
  a.first_accepted_at_ms.reset();
  a.accepted_on_time.reset();
  a.first_answered_at_ms.reset();
  a.rating.reset();
  a.solved.reset();
  a.rated_at_ms.reset();
  a.rated_via.reset();
  a.submitted_at_ms = a.updated_at_ms = ctx.now_ms;
  a.ended_at_ms.reset();

  Plan plan;
  plan.entry.appeal_id = a.id;
  plan.entry.seq = 1;
  plan.entry.at_ms = ctx.now_ms;
  plan.entry.capacity = std::string(RelationCode(capacity));
  plan.entry.action = std::string(ActionCode(Action::kSubmit));
  plan.entry.to = AppealState::kSubmitted;
  plan.entry.details = Details()
                           .Add("category", a.category)
                           .Add("unit", a.unit.Key())
                           .Add("channel", ChannelCode(a.channel))
                           .Add("accept_due_ms", *a.accept_due_ms)
                           .Add("answer_due_ms", *a.answer_due_ms)
                           .Done();
  AddRecipient(plan.notify, Recipient::Unit(a.unit));
  NotifySubmitter(plan.notify, a);
  plan.capacity = capacity;
  plan.next = std::move(a);
  return plan;
}

Result<Plan> PlanCommand(const Appeal& a, const Command& c, Relations who, const PlanContext& ctx) {
  GZ_RETURN_IF_ERROR(ValidateCommand(c));
  // A caller who acted on an older version learns that first: whatever they meant to do, they
  // must look at the appeal again.
  if (c.expected_version && *c.expected_version != a.version)
    return Aborted(std::string(problems::kEditConflict), "expected version " + std::to_string(*c.expected_version) +
                                                            ", found " + std::to_string(a.version));

  std::vector<const Edge*> edges = EdgesFor(a.state, c.action);
  if (edges.empty()) return NotAllowed(problems::kTransitionNotAllowed, c.action, a.state, Code::kFailedPrecondition);

  Outcome outcome = Outcome::kAlways;
  if (c.action == Action::kRate || c.action == Action::kVisit) {
    if (CountsAsSatisfied(*c.rating)) outcome = Outcome::kSatisfied;
    else outcome = a.reopen_count < ctx.settings.reopen_limit ? Outcome::kReopen : Outcome::kReopensUsedUp;
  }
  const Edge* edge = FindEdge(a.state, c.action, outcome);
  if (edge == nullptr) return NotAllowed(problems::kTransitionNotAllowed, c.action, a.state, Code::kFailedPrecondition);
  const Relations usable = edge->who & who;
  if (usable == 0) return NotAllowed(problems::kNotAllowed, c.action, a.state, Code::kPermissionDenied);
  const Relation capacity = CapacityOf(usable);

  // Nobody handles, reviews or verifies their own appeal, and a supervisor does not verify the
  // work of a unit they belong to.
  const bool staff_capacity =
      capacity == kHandler || capacity == kNextLevel || capacity == kEscalationTarget || capacity == kSupervisor;
  if (staff_capacity && (who & kSubmitter)) return PermissionDenied(std::string(problems::kConflictOfInterest));
  if (capacity == kSupervisor && (who & (kHandler | kEscalationTarget)))
    return PermissionDenied(std::string(problems::kConflictOfInterest));

  if (c.action == Action::kVisit && (!a.rating_due_ms || ctx.now_ms < *a.rating_due_ms))
    return FailedPrecondition(std::string(problems::kRatingWindowOpen)).With("until", Rfc3339(a.rating_due_ms.value_or(0)));
  if (c.action == Action::kContest && a.contest_count >= ctx.settings.contest_limit)
    return FailedPrecondition(std::string(problems::kContestLimit)).With("limit", std::to_string(ctx.settings.contest_limit));

  HandlingUnit target = a.unit;
  if (c.action == Action::kTransfer || c.action == Action::kOverturn) {
    if (c.unit) target = *c.unit;
    if (!UnitServes(target, a.village))
      return InvalidArgument(std::string(problems::kBadUnit)).With("reason", "not-serving");
    // From escalated or contested the level above re-dispatches, possibly to the same unit.
    if (c.action == Action::kTransfer && a.state != AppealState::kEscalated && target.level == a.unit.level &&
        target.division == a.unit.division && target.department == a.unit.department)
      return FailedPrecondition(std::string(problems::kSameUnit));
  }

  Plan plan = StartPlan(a, ActionCode(c.action), edge->to, ctx);
  plan.capacity = capacity;
  plan.entry.capacity = std::string(RelationCode(capacity));
  if (!c.note.empty()) plan.note = c.note;
  Appeal& n = plan.next;
  Effects fx{n, ctx};
  Details details;

  switch (c.action) {
    case Action::kAccept:
      n.accept_due_ms.reset();
      if (!a.first_accepted_at_ms) {
        n.first_accepted_at_ms = ctx.now_ms;
        n.accepted_on_time = a.accept_due_ms.has_value() && ctx.now_ms <= *a.accept_due_ms;
      }
      if (a.state == AppealState::kEscalated && a.escalated_to) {
        n.unit = *a.escalated_to;
        n.escalated_to.reset();
        fx.OpenAnswer();
        details.Add("unit", n.unit.Key()).Add("answer_due_ms", *n.answer_due_ms);
      }
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kStart:
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kAnswer:
      n.answer_due_ms.reset();
      n.rating_due_ms = ctx.now_ms + ctx.settings.rating_window_ms;
      if (!a.first_answered_at_ms) n.first_answered_at_ms = ctx.now_ms;
      details.Add("rating_due_ms", *n.rating_due_ms);
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kRate:
    case Action::kVisit:
      n.rating = c.rating;
      n.solved = c.solved;
      n.rated_at_ms = ctx.now_ms;
      n.rated_via = c.action == Action::kRate ? RatedVia::kSubmitter : RatedVia::kVisit;
      n.rating_due_ms.reset();
      details.Add("rating", RatingCode(*c.rating)).Add("solved", *c.solved);
      AddRecipient(plan.notify, Recipient::Unit(a.unit));
      if (c.action == Action::kVisit) NotifySubmitter(plan.notify, a);
      if (outcome == Outcome::kSatisfied) {
        n.ended_at_ms = ctx.now_ms;
      } else if (outcome == Outcome::kReopen) {
        n.reopen_count += 1;
        fx.OpenAccept();
        fx.OpenAnswer();
        details.Add("reopen", static_cast<int64_t>(n.reopen_count));
      } else {
        fx.Escalate(a);
        details.Add("reason", "reopen-limit").Add("to", n.escalated_to->Key());
        AddRecipient(plan.notify, Recipient::Unit(*n.escalated_to));
        NotifySubmitter(plan.notify, a);
      }
      break;
    case Action::kTransfer:
      n.unit = target;
      fx.OpenAccept();
      if (a.state == AppealState::kEscalated) {
        n.escalated_to.reset();
        fx.OpenAnswer();
      }
      details.Add("from_unit", a.unit.Key()).Add("unit", n.unit.Key());
      AddRecipient(plan.notify, Recipient::Unit(n.unit));
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kReject:
      if (a.state == AppealState::kEscalated && a.escalated_to) n.unit = *a.escalated_to;
      n.escalated_to.reset();
      n.accept_due_ms.reset();
      n.answer_due_ms.reset();
      n.ended_at_ms = ctx.now_ms;
      details.Add("unit", n.unit.Key());
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kContest:
      n.contest_count += 1;
      n.ended_at_ms.reset();
      fx.OpenAccept();
      details.Add("reviewer", OversightUnitOf(a.unit).Key());
      AddRecipient(plan.notify, Recipient::Unit(OversightUnitOf(a.unit)));
      break;
    case Action::kUphold:
      n.accept_due_ms.reset();
      n.ended_at_ms = ctx.now_ms;
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kOverturn:
      n.unit = target;
      n.ended_at_ms.reset();
      fx.OpenAccept();
      fx.OpenAnswer();
      details.Add("unit", n.unit.Key());
      AddRecipient(plan.notify, Recipient::Unit(n.unit));
      NotifySubmitter(plan.notify, a);
      break;
    case Action::kWithdraw:
      n.accept_due_ms.reset();
      n.answer_due_ms.reset();
      n.rating_due_ms.reset();
      n.ended_at_ms = ctx.now_ms;
      AddRecipient(plan.notify, Recipient::Unit(a.unit));
      if (a.state == AppealState::kEscalated && a.escalated_to) AddRecipient(plan.notify, Recipient::Unit(*a.escalated_to));
      break;
    case Action::kSubmit:
    case Action::kEscalate:
      return Internal("unreachable: rejected by ValidateCommand");
  }
  if (n.accept_due_ms && n.accept_due_ms != a.accept_due_ms) details.Add("accept_due_ms", *n.accept_due_ms);
  plan.entry.details = details.Done();
  return plan;
}

std::optional<DeadlineKey> RunningDeadline(const Appeal& a, DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kAccept:
      if (AwaitsAcceptance(a.state) && a.accept_due_ms) return DeadlineKey{a.id, kind, a.accept_round, *a.accept_due_ms};
      break;
    case DeadlineKind::kAnswer:
      if ((a.state == AppealState::kAccepted || a.state == AppealState::kInProgress) && a.answer_due_ms)
        return DeadlineKey{a.id, kind, a.answer_round, *a.answer_due_ms};
      break;
    case DeadlineKind::kFollowUp:
      if (a.state == AppealState::kAnswered && a.rating_due_ms)
        return DeadlineKey{a.id, kind, a.answer_round, *a.rating_due_ms};
      break;
  }
  return std::nullopt;
}

Result<Plan> PlanDeadline(const Appeal& a, DeadlineKind kind, const PlanContext& ctx) {
  std::optional<DeadlineKey> key = RunningDeadline(a, kind);
  if (!key || key->due_ms > ctx.now_ms)
    return NotAllowed(problems::kTransitionNotAllowed, Action::kEscalate, a.state, Code::kFailedPrecondition);
  Details details;
  details.Add("deadline", DeadlineKindCode(kind)).Add("round", static_cast<int64_t>(key->round)).Add("due_ms", key->due_ms);

  if (kind == DeadlineKind::kFollowUp) {
    Plan plan = StartPlan(a, kFollowUpAction, a.state, ctx);
    plan.entry.capacity = std::string(RelationCode(kSystem));
    plan.entry.details = details.Done();
    plan.deadline = key;
    AddRecipient(plan.notify, Recipient::Supervisors(a.village));
    NotifySubmitter(plan.notify, a);
    return plan;
  }

  const Edge* edge = FindEdge(a.state, Action::kEscalate, Outcome::kAlways);
  if (edge == nullptr || (edge->who & kSystem) == 0)
    return NotAllowed(problems::kTransitionNotAllowed, Action::kEscalate, a.state, Code::kFailedPrecondition);
  Plan plan = StartPlan(a, ActionCode(Action::kEscalate), edge->to, ctx);
  plan.entry.capacity = std::string(RelationCode(kSystem));
  plan.deadline = key;
  Effects fx{plan.next, ctx};
  fx.Escalate(a);
  details.Add("to", plan.next.escalated_to->Key()).Add("accept_due_ms", *plan.next.accept_due_ms);
  plan.entry.details = details.Done();
  AddRecipient(plan.notify, Recipient::Unit(*plan.next.escalated_to));
  AddRecipient(plan.notify, Recipient::Unit(a.unit));
  NotifySubmitter(plan.notify, a);
  return plan;
}

}  // namespace gz::appeals
