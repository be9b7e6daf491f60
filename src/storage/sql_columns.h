// Helpers for statements that join tables whose column lists are kept as text constants: one
// joined SELECT instead of a round trip per table (on PostgreSQL each statement is one).
//
// Layer: storage (plain text and rows; no driver).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "storage/db.h"

namespace gz::storage {

// "x.a, x.b, ..." for the column list "a, b, ...".
std::string QualifiedColumns(std::string_view alias, std::string_view columns);
// How many columns the list "a, b, ..." names.
size_t ColumnCount(std::string_view columns);
// Columns [first, first + n) of a row, as a row of their own (one table's part of a joined row).
Row SliceRow(const Row& row, size_t first, size_t n);

}  // namespace gz::storage
