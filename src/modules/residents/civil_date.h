// CivilDate: a calendar date (proleptic Gregorian) without time or zone, as printed in an ID
// number, and the conversions the residents module needs.
//
// Layer: residents domain (standard library only). China uses one zone, UTC+8, without daylight
// saving since 1991, so "today" for an age or birth-date check is the UTC+8 date of Clock::Now().
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "core/clock.h"

namespace gz::residents {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

bool IsLeapYear(int year);
// 28..31. REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);
// True for a real calendar day (2000-02-29 yes, 2001-02-29 no, month 13 no).
bool IsValidDate(const CivilDate& d);

// Days since 1970-01-01 (negative before), and back. REQUIRES for DaysFromCivil: IsValidDate(d).
int64_t DaysFromCivil(const CivilDate& d);
CivilDate CivilFromDays(int64_t days);

// The date in China (UTC+8) at instant `t`.
CivilDate ChinaDateOf(WallTime t);

// Whole years of age on `on` for someone born on `birth` (a 2000-02-29 birthday counts as passed
// on 03-01 in common years). REQUIRES: birth <= on.
int AgeOn(const CivilDate& birth, const CivilDate& on);

// "2000-02-29".
std::string FormatDate(const CivilDate& d);

}  // namespace gz::residents
