// Instants as GeoReport v2 writes and reads them: W3C date-times (ISO 8601 profile).
//
// Layer: open311 domain (standard library only). gongzhi serves Chinese counties, so answers are
// written in China Standard Time, UTC+08:00 all year (no daylight saving since 1991), with the
// offset always shown: "2026-04-17T15:04:05+08:00". Any offset is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gz::open311 {

inline constexpr int kChinaOffsetMinutes = 8 * 60;

// "2026-04-17T15:04:05+08:00" for UTC milliseconds (milliseconds dropped). Years 1970..9999.
std::string FormatChinaTime(int64_t unix_ms);

// UTC milliseconds of a W3C date-time: "YYYY-MM-DDThh:mm[:ss[.s+]]TZD" with TZD "Z" or "±hh:mm",
// or a bare date "YYYY-MM-DD" (midnight China time). A space where the offset's '+' belongs is
// read as '+' (an unencoded '+' in a query string arrives as a space). nullopt for anything else.
std::optional<int64_t> ParseW3cDateTime(std::string_view text);

}  // namespace gz::open311
