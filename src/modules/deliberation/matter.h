// The records of the deliberation module: major matters (重大事项) moving through a chain, the
// meetings recorded at each step, the publications, spending recorded against a matter, the
// village's chain and settings, proposals (村民议事), their supports and comments.
//
// Layer: deliberation domain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "modules/deliberation/rules.h"

namespace gz::deliberation {

enum class MatterState { kOpen, kCompleted, kWithdrawn };
std::string_view MatterStateCode(MatterState s);

struct Matter {
  int64_t id = 0;
  std::string village;
  std::string title;        // 2..100 characters
  std::string description;  // 0..5000 characters: the plan (方案) as proposed
  int64_t proposal_id = 0;  // the villagers' proposal it came from, or 0
  std::string chain_text;   // EncodeChain of the chain in force when it was opened (frozen)
  std::string chain_source; // "law" | "county:<code>" | "village:<code>"
  int current_step = 0;     // index into the chain; == steps.size() when completed
  MatterState state = MatterState::kOpen;
  int64_t opened_by = 0;
  int64_t opened_at_ms = 0;
  int64_t version = 1;      // optimistic concurrency on advance
  int64_t resolution_item = 0;       // the published (or drafted) resolution disclosure, or 0
  int64_t resolution_published_at_ms = 0;  // when the resolution step completed, or 0
  std::string closing_note;  // why it was withdrawn (public to its readers), "" otherwise
};

// A named vote (recorded for bodies whose votes are named): the member's public office or name as
// it stands in the minutes, and how they voted.
struct NamedVote {
  std::string voter;   // 1..40 characters
  std::string choice;  // "for" | "against" | "abstain"
};

struct Meeting {
  int64_t id = 0;
  int64_t matter_id = 0;
  std::string village;
  int step = 0;
  std::string step_code;
  std::string body_code;
  int64_t held_at_ms = 0;
  int64_t notice_at_ms = 0;  // 0: not recorded
  bool offline = true;       // held in person, entered by the clerk from the paper record
  Attendance attendance;
  Tally tally;
  std::vector<NamedVote> named;
  std::string minutes;                   // 0..20000 characters
  std::vector<std::string> attachments;  // SHA-256 of scans (attendance sheet photos, minutes)
  Outcome outcome;
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
};

struct Publication {
  int64_t matter_id = 0;
  int step = 0;
  std::string kind;      // "resolution" | "result"
  int64_t item_id = 0;   // the disclosure item (kind resolution)
  int64_t drafted_by = 0;
  int64_t drafted_at_ms = 0;
};

// Money spent on a matter, entered by a cadre. Flagged when the matter's resolution was not
// published at the time of the spending (the 四议两公开 rule: no implementation before the
// resolution is public).
struct Spending {
  int64_t id = 0;
  int64_t matter_id = 0;
  std::string village;
  int64_t amount_fen = 0;    // 1 .. 10^13
  std::string purpose;       // 2..200 characters
  int64_t spent_at_ms = 0;
  int64_t finance_item = 0;  // the finance disclosure naming it, or 0
  bool flagged = false;
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
};

// A village's chain override, with the village's own decision that adopted it.
struct ChainSetting {
  std::string scope;        // county or village code
  std::string chain_text;
  std::string decision;     // e.g. "2026年第2次村民代表会议决议" (villages: required)
  int64_t decision_item = 0;  // the published disclosure of that decision, or 0
  int64_t set_by = 0;
  int64_t set_at_ms = 0;
};

struct VillageSettings {
  std::string village;
  int64_t support_threshold = 10;  // supports that oblige the committee to answer
  int answer_days = 15;            // days to answer once the threshold is reached
  bool stored = false;
};
inline constexpr int64_t kDefaultSupportThreshold = 10;
inline constexpr int kDefaultAnswerDays = 15;

enum class ProposalState { kOpen, kAnswered, kEscalated, kInProcedure };
std::string_view ProposalStateCode(ProposalState s);

struct Proposal {
  int64_t id = 0;
  std::string village;
  std::string title;   // 2..100 characters
  std::string text;    // 10..5000 characters, public (the proposer is told so)
  int64_t raised_by = 0;     // the villager (subject); never shown publicly
  int64_t recorded_by = 0;   // who typed it (a helper acting for them), = raised_by otherwise
  int64_t consent_id = 0;
  int64_t raised_at_ms = 0;
  int64_t supports = 0;
  int64_t threshold = 0;     // the village's threshold when it was raised
  int64_t reached_at_ms = 0; // 0 until the threshold is reached
  int64_t answer_due_ms = 0; // 0 until then
  std::string answer;
  int64_t answered_by = 0;
  int64_t answered_at_ms = 0;
  int64_t appeal_id = 0;
  int64_t escalated_at_ms = 0;
  int64_t matter_id = 0;
  ProposalState State() const;
};

struct Comment {
  int64_t id = 0;
  int64_t proposal_id = 0;
  std::string village;
  int64_t author = 0;         // never shown publicly
  std::string text;           // 2..2000 characters
  int64_t written_at_ms = 0;
  std::string hidden_reason;  // "" unless hidden; the reason stays public
  int64_t hidden_by = 0;
  int64_t hidden_at_ms = 0;
};

inline constexpr int64_t kMaxAmountFen = 10'000'000'000'000;

}  // namespace gz::deliberation
