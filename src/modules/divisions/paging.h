// Paging of division lists (?limit=&offset=). Layer: divisions domain.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace gz::divisions {

inline constexpr int64_t kDefaultLimit = 500;
inline constexpr int64_t kMaxLimit = 1000;
// Far above any real list (the largest parent, a county, has a few thousand children) and far
// below anything that could overflow.
inline constexpr int64_t kMaxOffset = 1'000'000'000;

struct Page {
  int64_t limit = kDefaultLimit;  // 1..kMaxLimit
  int64_t offset = 0;             // 0..kMaxOffset

  bool operator==(const Page&) const = default;
};

// Parses the texts of the limit and offset query parameters. A parameter that is absent uses
// its default; one that is present must be ASCII decimal digits within range.
// Returns kInvalidArgument "divisions/bad-paging" with arguments param ("limit"/"offset"),
// reason ("empty", "not-a-number", "out-of-range"), min and max.
Result<Page> ParsePage(bool has_limit, std::string_view limit, bool has_offset, std::string_view offset);

// Validates a Page built in code (same errors as ParsePage).
Status ValidatePage(const Page& page);

}  // namespace gz::divisions
