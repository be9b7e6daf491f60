// Paging parameters. Layer: divisions domain.
#include "modules/divisions/paging.h"

#include <string>

#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

Status BadPaging(std::string_view param, std::string_view reason, int64_t min, int64_t max) {
  return InvalidArgument(std::string(problems::kBadPaging))
      .With("param", std::string(param))
      .With("reason", std::string(reason))
      .With("min", std::to_string(min))
      .With("max", std::to_string(max));
}

// Digits only (no sign, no spaces); values past `max` stop early so nothing overflows.
Status ParseBounded(std::string_view param, std::string_view text, int64_t min, int64_t max, int64_t* out) {
  if (text.empty()) return BadPaging(param, "empty", min, max);
  int64_t value = 0;
  bool too_big = false;
  for (char c : text) {
    if (c < '0' || c > '9') return BadPaging(param, "not-a-number", min, max);
    if (!too_big) {
      value = value * 10 + (c - '0');
      too_big = value > max;
    }
  }
  if (too_big || value < min) return BadPaging(param, "out-of-range", min, max);
  *out = value;
  return Status::Ok();
}

}  // namespace

Result<Page> ParsePage(bool has_limit, std::string_view limit, bool has_offset, std::string_view offset) {
  Page page;
  if (has_limit) GZ_RETURN_IF_ERROR(ParseBounded("limit", limit, 1, kMaxLimit, &page.limit));
  if (has_offset) GZ_RETURN_IF_ERROR(ParseBounded("offset", offset, 0, kMaxOffset, &page.offset));
  return page;
}

Status ValidatePage(const Page& page) {
  if (page.limit < 1 || page.limit > kMaxLimit) return BadPaging("limit", "out-of-range", 1, kMaxLimit);
  if (page.offset < 0 || page.offset > kMaxOffset) return BadPaging("offset", "out-of-range", 0, kMaxOffset);
  return Status::Ok();
}

}  // namespace gz::divisions
