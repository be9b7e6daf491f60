// Layer: disclosure domain (see calendar.h).
#include "modules/disclosure/calendar.h"

namespace gz::disclosure {

std::string_view SlotStatusCode(SlotStatus s) {
  switch (s) {
    case SlotStatus::kUpcoming: return "upcoming";
    case SlotStatus::kDue: return "due";
    case SlotStatus::kPublished: return "published";
    case SlotStatus::kPublishedLate: return "late";
    case SlotStatus::kMissing: return "missing";
  }
  return "upcoming";
}

std::vector<CalendarSlot> BuildCalendar(const std::string& village, int year, Cadence cadence,
                                        const std::vector<Item>& published, int64_t now_ms) {
  std::vector<Period> finance_periods, quarters;
  for (int q = 1; q <= 4; ++q) quarters.push_back(Period{Period::Unit::kQuarter, year, q});
  if (cadence == Cadence::kMonthly) {
    for (int m = 1; m <= 12; ++m) finance_periods.push_back(Period{Period::Unit::kMonth, year, m});
  } else {
    finance_periods = quarters;
  }
  struct Want {
    Kind kind;
    const std::vector<Period>* periods;
  };
  const Want wants[] = {{Kind::kFinanceStatement, &finance_periods},
                        {Kind::kIncomeExpense, &finance_periods},
                        {Kind::kProjectProgress, &quarters}};
  std::vector<CalendarSlot> out;
  for (const Want& w : wants) {
    for (const Period& p : *w.periods) {
      CalendarSlot s;
      s.village = village;
      s.kind = w.kind;
      s.period = p.Code();
      s.deadline_ms = p.EndMs() + int64_t{kGraceDays} * 86'400'000;
      for (const Item& item : published) {
        if (item.state != State::kPublished || item.kind != w.kind || item.period != s.period) continue;
        // Corrections do not make a late item timely: the first publication counts.
        if (s.item_id == 0 || item.published_at_ms < s.published_at_ms) {
          s.item_id = item.id;
          s.published_at_ms = item.published_at_ms;
        }
      }
      if (s.item_id != 0) s.status = s.published_at_ms <= s.deadline_ms ? SlotStatus::kPublished : SlotStatus::kPublishedLate;
      else if (now_ms < p.EndMs()) s.status = SlotStatus::kUpcoming;
      else if (now_ms <= s.deadline_ms) s.status = SlotStatus::kDue;
      else s.status = SlotStatus::kMissing;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace gz::disclosure
