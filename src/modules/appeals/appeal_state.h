// The appeal state machine: every allowed transition, and who may perform it. ONE table
// (appeal_state.cc) states it; lifecycle.h applies it; appeal_state_test.cc compares it edge by
// edge with an independent hand-written list, and appeal_service_test.cc tries every (state,
// action, actor) combination against the real store, forbidden ones included (T-LOGIC-3).
//
// Layer: appeals domain.
//
//                 accept (handler)          start (handler)         answer (handler)
//   submitted ─────────────────▶ accepted ──────────────▶ in_progress ──────────────▶ answered
//    │  ▲ (submit: submitter        │                        │                          │
//    │  │  or a recorder)           │ transfer (handler,     │                          │ rate ≥ 基本满意 (submitter in person)
//    │  │                           │ next level)            │                          │ visit ≥ 基本满意 (supervisor,
//    │  │                           ▼                        ▼                          ▼  after the rating window)
//    │  └──────────────────────  transferred ◀───────────────┘                       closed (final)
//    │                            │  accept (handler = the receiving unit)
//    │                            ▼
//    │                          accepted                 answered ── rate/visit 不满意 ──▶ reopened ── accept ──▶ accepted
//    │                                                       └── 不满意 with no reopen left ──▶ escalated
//    │  a deadline passed (system sweep, once per deadline)
//    ├──────────────────────────────────────────────▶ escalated ── accept / transfer (escalation target) ──▶ accepted / transferred
//    │                                                   └── deadline passed again ──▶ escalated (one more level up)
//    │  reject with a reason (handler)
//    └──────────────────────────────────────────────▶ rejected ── contest (submitter, once) ──▶ contested
//                                                         ▲                                      │ uphold (next level)
//                                                         └──────────────────────────────────────┘
//                                                                    contested ── overturn (next level) ──▶ transferred
//   withdraw (submitter): from any state before an answer, and from escalated / contested ──▶ withdrawn (final)
//
// Forbidden by construction (no edge exists): closing without the submitter's rating or a
// supervisor's visit; starting or answering without acceptance; reopening, rating or anything
// else after closing or withdrawing; rating before an answer; contesting anything but a rejection.
// Times come from the server's Clock only: no command carries a time, so nothing can be backdated.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "modules/appeals/appeal.h"

namespace gz::appeals {

enum class Action {
  kSubmit,    // 提交
  kAccept,    // 签收 (or, for the escalation target, take the appeal over)
  kStart,     // 处置
  kAnswer,    // 反馈
  kRate,      // 评价: 满意 / 基本满意 close it, 不满意 reopens it (or escalates when no reopen is left)
  kVisit,     // 回访: a supervisor records what the submitter said, after the rating window
  kTransfer,  // 流转 to another unit (or up to the township), or re-dispatch from escalation
  kEscalate,  // 升级: the sweep, when a deadline passed
  kReject,    // 不予受理, with a reason the submitter sees
  kContest,   // 申诉: the submitter contests a rejection
  kUphold,    // 维持: the next level upholds the rejection
  kOverturn,  // 撤销: the next level overturns it and dispatches the appeal
  kWithdraw,  // 撤回
};
inline constexpr int kActionCount = 13;
// "submit", "accept", "start", "answer", "rate", "visit", "transfer", "escalate", "reject",
// "contest", "uphold", "overturn", "withdraw": timeline entries, audit actions
// ("appeals.<code>"), notifications and the API use these.
std::string_view ActionCode(Action action);
std::optional<Action> ParseAction(std::string_view code);
std::span<const Action> AllActions();

// In what capacity someone may act on an appeal (relations.h computes them from a Principal).
// A bit set: one person may stand in several relations (a township official is the next level
// of a village appeal and, once it is escalated to the township, its escalation target).
enum Relation : uint32_t {
  kSubmitter = 1u << 0,          // the villager, or a helper acting for them under a consent
  kSubmitterInPerson = 1u << 1,  // the villager themself, signed in, nobody acting for them
  kRecorder = 1u << 2,           // grid worker / village cadre of the village, recording for a villager
  kHandler = 1u << 3,            // a member of the handling unit
  kNextLevel = 1u << 4,          // a member of the unit one level above the handling unit
  kEscalationTarget = 1u << 5,   // a member of the unit the appeal is escalated to (while escalated)
  kSupervisor = 1u << 6,         // a village supervision committee member (村务监督委员会) of the village
  kSystem = 1u << 7,             // the deadline sweep
};
using Relations = uint32_t;
inline constexpr int kRelationCount = 8;
// "submitter", "submitter_in_person", "recorder", "handler", "next_level", "escalation_target",
// "supervisor", "system".
std::string_view RelationCode(Relation relation);
std::span<const Relation> AllRelations();
// "handler|supervisor"; "" for none.
std::string RelationsText(Relations relations);

// What decides between several targets of one (from, action): the rate and visit outcomes.
enum class Outcome {
  kAlways,          // the only target
  kSatisfied,       // rating 满意 or 基本满意
  kReopen,          // rating 不满意 and reopens are left
  kReopensUsedUp,   // rating 不满意 and the reopen limit is reached
};

struct Edge {
  std::optional<AppealState> from;  // nullopt: the appeal does not exist yet (submit)
  Action action;
  AppealState to;
  Outcome outcome;
  Relations who;  // any one of these relations suffices
};

// Every allowed transition. Anything not in it is forbidden.
std::span<const Edge> TransitionTable();

// The edges for (from, action), in table order; empty if the action is never allowed there.
std::vector<const Edge*> EdgesFor(std::optional<AppealState> from, Action action);
// The edge for (from, action, outcome), or nullptr.
const Edge* FindEdge(std::optional<AppealState> from, Action action, Outcome outcome);

// True if some edge of (from, action) admits one of `who`.
bool MayPerform(std::optional<AppealState> from, Action action, Relations who);

}  // namespace gz::appeals
