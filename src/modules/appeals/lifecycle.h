// What each transition does to an appeal: the pure planning step between "who asks for what"
// and the store. Given the current appeal, a command and the caller's relations, it checks the
// transition table (appeal_state.h) and the action's own preconditions, and returns the next
// appeal, its timeline entry and whom to notify. Nothing is written here: the service seals the
// note and hands the plan to the store, which writes it in one transaction with its audit event.
//
// Layer: appeals domain (pure; no clock: the caller passes `now_ms`).
//
// Deadline effects (deadlines.h has the durations):
//   - entering a state that awaits acceptance (submitted, transferred, reopened, escalated,
//     contested) opens a new acceptance deadline: accept_due = now + accept, accept_round + 1;
//   - submission, reopening, and re-dispatch by the level above (accept or transfer from
//     escalated, overturn of a rejection) open a new answer deadline: answer_due = now + answer,
//     answer_round + 1. A transfer between units keeps the answer deadline: the villager's wait
//     does not restart because the appeal changed hands;
//   - accept closes the acceptance deadline, answer closes the answer deadline and opens the
//     rating window (rating_due = now + rating window);
//   - the sweep escalates when a deadline of the current round passed: acceptance deadlines in the
//     states that await acceptance, answer deadlines in accepted and in_progress. The key
//     (appeal, kind, round) makes each deadline escalate exactly once; the rating window only
//     notifies the supervisors (kind follow_up), it never closes anything.
// Escalation goes to the unit overseeing the late one (village -> township -> county; the county
// stays the target at the top, and is notified again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_state.h"
#include "modules/appeals/deadlines.h"
#include "modules/appeals/notifications.h"
#include "modules/appeals/timeline.h"

namespace gz::appeals {

// A person's request to move an appeal (every action but submit and escalate).
struct Command {
  Action action = Action::kAccept;
  // The version the caller saw; the change is refused with kAborted "appeals/edit-conflict" if
  // the appeal changed since. Without it the version read by the service is used, which still
  // stops two concurrent changes from both being applied.
  std::optional<int64_t> expected_version;
  // Answer, reason or comment, in clear (sealed by the service). Required for answer, transfer,
  // reject, contest, uphold, overturn and visit; optional (may be empty) for the others.
  std::string note;
  std::optional<HandlingUnit> unit;  // transfer (required), overturn (optional: default the current unit)
  std::optional<Rating> rating;      // rate and visit (required)
  std::optional<bool> solved;        // rate and visit (required): "is your problem solved?"
};

// True for the actions whose note is required.
bool NoteRequired(Action action);

// The fields of `command` against its action: kInvalidArgument "appeals/field-not-allowed"
// {field} for a field the action does not take, "appeals/field-required" {field} for a missing
// one, and the note's own limits ("appeals/bad-note"). Submit and escalate are not commands:
// kPermissionDenied "appeals/system-only" for escalate, kFailedPrecondition
// "appeals/transition-not-allowed" for submit.
Status ValidateCommand(const Command& command);

enum class DeadlineKind { kAccept, kAnswer, kFollowUp };
std::string_view DeadlineKindCode(DeadlineKind kind);  // "accept" | "answer" | "follow_up"
std::optional<DeadlineKind> ParseDeadlineKind(std::string_view code);

// The sweep's exactly-once key, stored with the change it caused.
struct DeadlineKey {
  int64_t appeal_id = 0;
  DeadlineKind kind = DeadlineKind::kAccept;
  int round = 0;
  int64_t due_ms = 0;
  bool operator==(const DeadlineKey&) const = default;
};

struct PlanContext {
  int64_t now_ms = 0;
  DeadlineDurations durations;  // of the appeal's category and village (ResolveDeadlines)
  AppealSettings settings;
};

struct Plan {
  Appeal next;                      // version = current + 1, updated_at = now
  TimelineEntry entry;              // id, actor fields and note_sealed are the caller's to fill
  std::optional<std::string> note;  // the note in clear, if any (the caller seals it)
  std::vector<Recipient> notify;    // without duplicates
  std::optional<DeadlineKey> deadline;  // set by PlanDeadline
  Relation capacity = kSystem;      // the relation the change was made in
};

// Plans a new appeal. `initial` carries id, village, submitter fields, recorded_by, consent_id,
// channel, category, unit, anonymity and the sealed fields; everything else is set here.
// `capacity` is kSubmitter or kRecorder (the service has checked it).
Plan PlanSubmission(Appeal initial, Relation capacity, const PlanContext& context);

// Plans a person's command on `current`. Errors, in the order they are checked:
//   ValidateCommand's errors;
//   kAborted "appeals/edit-conflict": expected_version is not current.version;
//   kFailedPrecondition "appeals/transition-not-allowed" {action, state}: no such edge;
//   kPermissionDenied "appeals/not-allowed" {action, state}: an edge exists, but not for `who`;
//   kPermissionDenied "appeals/conflict-of-interest": staff acting on their own appeal, or a
//     supervisor recording a visit on an appeal their own unit handles;
//   kFailedPrecondition "appeals/rating-window-open" {until}: a visit before the rating window ended;
//   kFailedPrecondition "appeals/contest-limit" {limit};
//   kInvalidArgument "appeals/bad-unit" {reason: "not-serving"}: the unit cannot handle appeals of
//     this village; kFailedPrecondition "appeals/same-unit": a transfer to the current unit.
Result<Plan> PlanCommand(const Appeal& current, const Command& command, Relations who, const PlanContext& context);

// Plans the sweep's action for a passed deadline of the current round: an escalation (accept,
// answer) or a follow-up notice (follow_up, no state change). kFailedPrecondition
// "appeals/transition-not-allowed" when the deadline is not (or no longer) due in this state.
Result<Plan> PlanDeadline(const Appeal& current, DeadlineKind kind, const PlanContext& context);

// The deadline of `kind` that is running in the current state, if any (what PlanDeadline would
// act on once it passes).
std::optional<DeadlineKey> RunningDeadline(const Appeal& appeal, DeadlineKind kind);

}  // namespace gz::appeals
