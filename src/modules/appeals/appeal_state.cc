// THE transition table of appeals (see appeal_state.h for the picture). Adding an edge here is a
// policy decision: appeal_state_test.cc holds an independent copy that must be changed with it.
#include "modules/appeals/appeal_state.h"

#include <array>

namespace gz::appeals {
namespace {

using S = AppealState;
using A = Action;
using O = Outcome;

constexpr std::array<Action, kActionCount> kActions = {
    A::kSubmit, A::kAccept, A::kStart,   A::kAnswer,  A::kRate,    A::kVisit,    A::kTransfer,
    A::kEscalate, A::kReject, A::kContest, A::kUphold, A::kOverturn, A::kWithdraw};

constexpr std::array<Relation, kRelationCount> kRelations = {kSubmitter, kSubmitterInPerson, kRecorder, kHandler,
                                                              kNextLevel, kEscalationTarget, kSupervisor, kSystem};

const std::vector<Edge>& Table() {
  static const std::vector<Edge> table = {
      // Filing: the villager (or a helper for them), or staff recording what a villager said.
      {std::nullopt, A::kSubmit, S::kSubmitted, O::kAlways, kSubmitter | kRecorder},

      // 签收: the handling unit takes it in hand; an escalated appeal is taken over by the unit above.
      {S::kSubmitted, A::kAccept, S::kAccepted, O::kAlways, kHandler},
      {S::kTransferred, A::kAccept, S::kAccepted, O::kAlways, kHandler},
      {S::kReopened, A::kAccept, S::kAccepted, O::kAlways, kHandler},
      {S::kEscalated, A::kAccept, S::kAccepted, O::kAlways, kEscalationTarget},

      // 处置 and 反馈: only after acceptance.
      {S::kAccepted, A::kStart, S::kInProgress, O::kAlways, kHandler},
      {S::kInProgress, A::kAnswer, S::kAnswered, O::kAlways, kHandler},

      // Only the submitter's own word closes an appeal; a helper cannot rate for them.
      {S::kAnswered, A::kRate, S::kClosed, O::kSatisfied, kSubmitterInPerson},
      {S::kAnswered, A::kRate, S::kReopened, O::kReopen, kSubmitterInPerson},
      {S::kAnswered, A::kRate, S::kEscalated, O::kReopensUsedUp, kSubmitterInPerson},
      // ... or what they told a supervision member at a follow-up visit, once the rating window passed.
      {S::kAnswered, A::kVisit, S::kClosed, O::kSatisfied, kSupervisor},
      {S::kAnswered, A::kVisit, S::kReopened, O::kReopen, kSupervisor},
      {S::kAnswered, A::kVisit, S::kEscalated, O::kReopensUsedUp, kSupervisor},

      // 流转: the handling unit passes it on, or the level above re-routes it.
      {S::kSubmitted, A::kTransfer, S::kTransferred, O::kAlways, kHandler | kNextLevel},
      {S::kTransferred, A::kTransfer, S::kTransferred, O::kAlways, kHandler | kNextLevel},
      {S::kAccepted, A::kTransfer, S::kTransferred, O::kAlways, kHandler | kNextLevel},
      {S::kInProgress, A::kTransfer, S::kTransferred, O::kAlways, kHandler | kNextLevel},
      {S::kReopened, A::kTransfer, S::kTransferred, O::kAlways, kHandler | kNextLevel},
      {S::kEscalated, A::kTransfer, S::kTransferred, O::kAlways, kEscalationTarget},

      // 升级: only the sweep, when a deadline of the current round passed (once per deadline).
      {S::kSubmitted, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kTransferred, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kAccepted, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kInProgress, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kReopened, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kContested, A::kEscalate, S::kEscalated, O::kAlways, kSystem},
      {S::kEscalated, A::kEscalate, S::kEscalated, O::kAlways, kSystem},

      // 不予受理: before anything was answered, with a reason.
      {S::kSubmitted, A::kReject, S::kRejected, O::kAlways, kHandler},
      {S::kTransferred, A::kReject, S::kRejected, O::kAlways, kHandler},
      {S::kAccepted, A::kReject, S::kRejected, O::kAlways, kHandler},
      {S::kReopened, A::kReject, S::kRejected, O::kAlways, kHandler},
      {S::kEscalated, A::kReject, S::kRejected, O::kAlways, kEscalationTarget},

      // The submitter may contest a rejection; the level above the rejecting unit reviews it.
      {S::kRejected, A::kContest, S::kContested, O::kAlways, kSubmitter},
      {S::kContested, A::kUphold, S::kRejected, O::kAlways, kNextLevel},
      {S::kContested, A::kOverturn, S::kTransferred, O::kAlways, kNextLevel},

      // 撤回: the submitter, while nothing is waiting for their rating.
      {S::kSubmitted, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kTransferred, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kAccepted, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kInProgress, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kReopened, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kEscalated, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
      {S::kContested, A::kWithdraw, S::kWithdrawn, O::kAlways, kSubmitter},
  };
  return table;
}

}  // namespace

std::string_view ActionCode(Action action) {
  switch (action) {
    case A::kSubmit: return "submit";
    case A::kAccept: return "accept";
    case A::kStart: return "start";
    case A::kAnswer: return "answer";
    case A::kRate: return "rate";
    case A::kVisit: return "visit";
    case A::kTransfer: return "transfer";
    case A::kEscalate: return "escalate";
    case A::kReject: return "reject";
    case A::kContest: return "contest";
    case A::kUphold: return "uphold";
    case A::kOverturn: return "overturn";
    case A::kWithdraw: return "withdraw";
  }
  return "submit";
}

std::optional<Action> ParseAction(std::string_view code) {
  for (Action a : kActions)
    if (ActionCode(a) == code) return a;
  return std::nullopt;
}

std::span<const Action> AllActions() { return kActions; }

std::string_view RelationCode(Relation relation) {
  switch (relation) {
    case kSubmitter: return "submitter";
    case kSubmitterInPerson: return "submitter_in_person";
    case kRecorder: return "recorder";
    case kHandler: return "handler";
    case kNextLevel: return "next_level";
    case kEscalationTarget: return "escalation_target";
    case kSupervisor: return "supervisor";
    case kSystem: return "system";
  }
  return "";
}

std::span<const Relation> AllRelations() { return kRelations; }

std::string RelationsText(Relations relations) {
  std::string out;
  for (Relation r : kRelations) {
    if ((relations & r) == 0) continue;
    if (!out.empty()) out += '|';
    out += RelationCode(r);
  }
  return out;
}

std::span<const Edge> TransitionTable() { return Table(); }

std::vector<const Edge*> EdgesFor(std::optional<AppealState> from, Action action) {
  std::vector<const Edge*> out;
  for (const Edge& e : Table())
    if (e.from == from && e.action == action) out.push_back(&e);
  return out;
}

const Edge* FindEdge(std::optional<AppealState> from, Action action, Outcome outcome) {
  for (const Edge& e : Table())
    if (e.from == from && e.action == action && e.outcome == outcome) return &e;
  return nullptr;
}

bool MayPerform(std::optional<AppealState> from, Action action, Relations who) {
  for (const Edge* e : EdgesFor(from, action))
    if ((e->who & who) != 0) return true;
  return false;
}

}  // namespace gz::appeals
