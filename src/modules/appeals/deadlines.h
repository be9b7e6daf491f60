// Deadlines (办理时限) per category: county defaults, overridable by a township or a village, the
// most specific rule winning; and the module's other time settings.
//
// Layer: appeals domain. Rules are stored (appeals_deadline_rules, through AppealStore) and
// resolved here, so the sweep and the service compute the same deadline for the same appeal.
//
// Two deadlines per appeal, both counted in calendar time (working-day calendars are future work):
//   accept  签收: from submission (or transfer, reopening, escalation, contest) until the unit
//           must have taken the appeal in hand;
//   answer  反馈: from submission (or reopening, or re-dispatch by the level above) until the unit
//           must have answered the villager.
// Built-in county defaults (the Beijing 接诉即办 rules; accept times where the rules say nothing
// are our choice and marked so):
//   emergency  accept 1 h            answer 2 h
//   utilities  accept 2 h (ours)     answer 24 h      water, power, gas
//   general    accept 24 h           answer 7 days
//   complex    accept 24 h           answer 15 days
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::appeals {

enum class DeadlineClass { kEmergency, kUtilities, kGeneral, kComplex };
std::string_view DeadlineClassCode(DeadlineClass c);  // "emergency" | "utilities" | "general" | "complex"

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

struct DeadlineDurations {
  int64_t accept_ms = 0;
  int64_t answer_ms = 0;
  bool operator==(const DeadlineDurations&) const = default;
};

DeadlineDurations DefaultDurations(DeadlineClass c);

// Bounds every rule must respect: accept in [15 min, 30 days], answer in [30 min, 180 days], and
// accept <= answer. kInvalidArgument "appeals/bad-deadline-rule" {reason: "accept" | "answer" |
// "order"}.
inline constexpr int64_t kMinAcceptMs = 15 * kMinuteMs;
inline constexpr int64_t kMaxAcceptMs = 30 * kDayMs;
inline constexpr int64_t kMinAnswerMs = 30 * kMinuteMs;
inline constexpr int64_t kMaxAnswerMs = 180 * kDayMs;
Status ValidateDurations(const DeadlineDurations& d);

// An override for one category in one division subtree (a county, a township or a village).
struct DeadlineRule {
  std::string scope;     // canonical 12-digit code of a county, township or village
  std::string category;  // a catalogue code
  DeadlineDurations durations;
  int64_t set_by = 0;    // account
  int64_t set_at_ms = 0;
  bool operator==(const DeadlineRule&) const = default;
};

// Where a rule may sit: a county, township or village code. The scopes that apply to `village`,
// most specific first: {village, its township, its county}.
bool IsRuleScope(std::string_view scope);
std::vector<std::string> RuleScopesFor(std::string_view village);

struct ResolvedDeadlines {
  DeadlineDurations durations;
  std::string source;  // the scope of the rule used, or "default"
};

// The deadlines of `category` in `village`: the village's rule, else the township's, else the
// county's, else the built-in default of the category's class (general for an unknown category).
// Rules for other places or categories in `rules` are ignored.
ResolvedDeadlines ResolveDeadlines(std::span<const DeadlineRule> rules, std::string_view category,
                                   std::string_view village);

// The module's other settings (county-wide; app/ will read them from its configuration).
struct AppealSettings {
  // How often an appeal may be reopened by a 不满意 rating; the next 不满意 escalates it.
  int reopen_limit = 2;
  // How long the submitter has to rate an answer before a supervision member may record a
  // follow-up visit (silence never counts as satisfied: the appeal simply stays answered).
  int64_t rating_window_ms = 3 * kDayMs;
  // How often a rejection may be contested.
  int contest_limit = 1;
  // Open appeals one submitter may have at once (a brake on floods; staff are not limited).
  int max_open_per_submitter = 20;
};

}  // namespace gz::appeals
