// A small lexer over SQL text for the PostgreSQL backend: how many statements a text holds,
// which $n placeholders it uses, and whether it tries to control the transaction.
//
// Layer: storage/postgres, internal. It knows just enough of PostgreSQL's lexical rules to skip
// what can hide a ';' or a '$1': 'strings' (with '' and E'\'' escapes), "identifiers",
// -- and /* nested */ comments, and $tag$ dollar quotes $tag$.
#pragma once

#include <set>
#include <string_view>

#include "core/status.h"

namespace gz::storage::postgres {

struct SqlShape {
  int statements = 0;          // non-empty statements (comments and ';' alone do not count)
  int max_placeholder = 0;     // the largest $n, 0 if none
  std::set<int> placeholders;  // every $n used
  // A statement starts with BEGIN, START, COMMIT, END, ABORT, ROLLBACK (but not ROLLBACK TO)
  // or PREPARE TRANSACTION.
  bool transaction_control = false;
};

// Returns kInternal for an unterminated string, identifier, comment or dollar quote, or a
// placeholder number above 65535.
Result<SqlShape> AnalyzeSql(std::string_view sql);

// kInternal unless the placeholders are exactly $1..$count (each at least once).
Status CheckPlaceholders(const SqlShape& shape, size_t count, std::string_view sql);

}  // namespace gz::storage::postgres
