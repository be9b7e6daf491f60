// TableBuilder: gives the tables of both readers one shape (table.h) and enforces the row and
// cell limits in one place.
//
// Layer: tabular (internal; not for use outside src/tabular).
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular::internal {

// kInvalidArgument "tabular/too-large" with {reason} and {limit}, and {row} {column} {cell} when
// the place is known (row/column 0 = unknown).
Status TooLargeError(std::string_view reason, int64_t limit, int32_t row = 0, int32_t column = 0);

// Adds the {row}, {column} (letters) and {cell} arguments when known.
Status& AddPlace(Status& status, int32_t row, int32_t column);

// Runs `body` (returning a Status or Result) and turns an exception into kInternal, so that none
// leaves the library. Only std::bad_alloc is expected, and rarely: every size that depends on the
// file is limited before it is allocated.
template <typename Body>
auto NoThrow(Body&& body) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Internal("tabular: out of memory");
  } catch (const std::exception& e) {
    return Internal(std::string("tabular: exception: ") + e.what());
  } catch (...) {
    return Internal("tabular: unknown exception");
  }
}

class TableBuilder {
 public:
  explicit TableBuilder(const ReadLimits& limits) : limits_(limits) {}

  // Takes one row as read. Its cells must be in ascending column order and carry row and column;
  // gaps between them (a sparse sheet row) are filled with empty cells. A row with no text is
  // dropped. Fails when a limit is exceeded.
  Status AddRow(Row row);

  // The table, or "tabular/empty" when no row had any text.
  Result<Table> Finish() &&;

 private:
  const ReadLimits& limits_;
  Table table_;
  bool have_header_ = false;
  int64_t cells_ = 0;
};

}  // namespace gz::tabular::internal
