// The timeline of an appeal: one entry per change (who, acting for whom, in what capacity, what,
// when), and notes. Entries are never edited or deleted (the store's triggers refuse it).
//
// Layer: appeals domain.
//
// Visibility: every state change is public (the submitter always sees what happened to their
// appeal and why); staff may add internal notes that only staff see. A note's text is personal
// data (it may name people) and is sealed at rest, bound to its entry, appeal, seq, visibility
// and action, so an internal note copied into a public entry fails to open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_state.h"

namespace gz::appeals {

enum class Visibility { kPublic, kInternal };
std::string_view VisibilityCode(Visibility v);  // "public" | "internal"
std::optional<Visibility> ParseVisibility(std::string_view code);

// The timeline's own actions beside the transitions of appeal_state.h.
inline constexpr std::string_view kNoteAction = "note";            // a note, no state change
inline constexpr std::string_view kFollowUpAction = "follow_up";   // the rating window passed (sweep)

struct TimelineEntry {
  int64_t id = 0;          // crypto::NewRowId (bound into the sealed note)
  int64_t appeal_id = 0;
  int64_t seq = 0;         // 1, 2, 3 ... per appeal; equals the appeal's version after the change
  int64_t at_ms = 0;
  int64_t actor_account = 0;       // 0: the system (the sweep)
  int64_t acting_for_account = 0;  // the villager a helper acted for, else 0
  int64_t consent_id = 0;
  std::string capacity;            // RelationCode of the relation used: "handler", "system", ...
  std::string action;              // ActionCode, kNoteAction or kFollowUpAction
  std::optional<AppealState> from; // nullopt for the submission
  AppealState to = AppealState::kSubmitted;
  Visibility visibility = Visibility::kPublic;
  std::optional<std::string> note_sealed;  // PERSONAL: sealed at rest; every read audited.
  // A JSON object of facts that are not personal data (unit keys, rating, deadline kind and
  // round, due times): {"unit":"township:420114001000"}; "" for none.
  std::string details;
};

// An entry with its note opened, for a reader.
struct TimelineView {
  TimelineEntry entry;
  std::optional<std::string> note;
};

}  // namespace gz::appeals
