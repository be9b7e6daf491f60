// The disclosure calendar of a village: which periodic items are due when, and which were
// published on time, late, or not at all. Pure functions.
//
// Layer: disclosure domain.
//
// Art. 30: general matters at least quarterly; finances monthly where transactions are many,
// otherwise quarterly (the village's cadence). The calendar tracks the two finance kinds
// (finance_statement, income_expense) per period of the village's cadence, and one
// project_progress report per quarter. Other kinds are published as events happen and are
// not "due". An item is due by the 10th day after its period ends (kGraceDays; local practice
// in Hubei's 村务公开 rules is "每月10日前"), in Beijing time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "modules/disclosure/item.h"

namespace gz::disclosure {

inline constexpr int kGraceDays = 10;

enum class SlotStatus {
  kUpcoming,       // the period has not ended
  kDue,            // ended, deadline not passed, nothing published
  kPublished,      // published by the deadline
  kPublishedLate,  // published after the deadline
  kMissing,        // deadline passed, nothing published (flagged to the township)
};
std::string_view SlotStatusCode(SlotStatus s);

struct CalendarSlot {
  std::string village;
  Kind kind = Kind::kFinanceStatement;
  std::string period;
  int64_t deadline_ms = 0;
  SlotStatus status = SlotStatus::kUpcoming;
  int64_t item_id = 0;           // the first published item of the slot, or 0
  int64_t published_at_ms = 0;
};

// The slots of `village` for `year`, given its cadence and its published items (any; others
// are ignored), at `now_ms`.
std::vector<CalendarSlot> BuildCalendar(const std::string& village, int year, Cadence cadence,
                                        const std::vector<Item>& published, int64_t now_ms);

}  // namespace gz::disclosure
