#include "modules/disclosure/calendar.h"

#include <gtest/gtest.h>

namespace gz::disclosure {
namespace {

Item Published(Kind kind, std::string period, int64_t at) {
  Item i;
  i.id = at;
  i.kind = kind;
  i.period = std::move(period);
  i.state = State::kPublished;
  i.published_at_ms = at;
  return i;
}

const CalendarSlot* Find(const std::vector<CalendarSlot>& slots, Kind kind, std::string_view period) {
  for (const auto& s : slots)
    if (s.kind == kind && s.period == period) return &s;
  return nullptr;
}

TEST(Calendar, MonthlyFinanceOnTimeLateDueMissingUpcoming) {
  const Period mar = *ParsePeriod("2026-03"), apr = *ParsePeriod("2026-04");
  const int64_t day = 86'400'000;
  std::vector<Item> items = {Published(Kind::kFinanceStatement, "2026-01", ParsePeriod("2026-02")->StartMs() + 3 * day),
                             Published(Kind::kFinanceStatement, "2026-02", ParsePeriod("2026-03")->StartMs() + 20 * day)};
  const int64_t now = apr.StartMs() + 5 * day;  // 5 April: March is due until the 10th
  std::vector<CalendarSlot> slots = BuildCalendar("420114001205", 2026, Cadence::kMonthly, items, now);
  EXPECT_EQ(slots.size(), 12u + 12u + 4u);
  EXPECT_EQ(Find(slots, Kind::kFinanceStatement, "2026-01")->status, SlotStatus::kPublished);
  EXPECT_EQ(Find(slots, Kind::kFinanceStatement, "2026-02")->status, SlotStatus::kPublishedLate);
  EXPECT_EQ(Find(slots, Kind::kFinanceStatement, "2026-03")->status, SlotStatus::kDue);
  EXPECT_EQ(Find(slots, Kind::kFinanceStatement, "2026-04")->status, SlotStatus::kUpcoming);
  EXPECT_EQ(Find(slots, Kind::kIncomeExpense, "2026-01")->status, SlotStatus::kMissing);
  EXPECT_EQ(Find(slots, Kind::kFinanceStatement, "2026-03")->deadline_ms, mar.EndMs() + kGraceDays * day);
}

TEST(Calendar, QuarterlyCadence) {
  std::vector<CalendarSlot> slots = BuildCalendar("420114001205", 2026, Cadence::kQuarterly, {}, 0);
  EXPECT_EQ(slots.size(), 4u + 4u + 4u);
  EXPECT_NE(Find(slots, Kind::kIncomeExpense, "2026-Q3"), nullptr);
}

}  // namespace
}  // namespace gz::disclosure
