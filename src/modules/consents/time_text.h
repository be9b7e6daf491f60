// Instants as text: RFC 3339 in, RFC 3339 UTC out. Stored as UTC milliseconds.
//
// Layer: consents domain (standard library and core).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gz::consents {

// "2027-03-01T08:00:00+08:00", "2027-03-01T00:00:00Z", "2027-03-01t00:00:00.5z": RFC 3339
// section 5.6 date-time (fractions of a second up to 9 digits, truncated to milliseconds; leap
// second 60 refused), years 1970..9999. UTC milliseconds, or nullopt.
std::optional<int64_t> ParseRfc3339Ms(std::string_view text);

// "2027-02-28T16:00:00.000Z".
std::string FormatRfc3339Ms(int64_t unix_ms);

}  // namespace gz::consents
