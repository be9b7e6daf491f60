// Moving a whole store from one backend to another (`gongzhi migrate-store`, issue #8), and
// checking afterwards that both hold the same rows.
//
// Layer: storage (the Db port only; no driver header, no module). The tables are read from the
// stores' own catalogs (SQLite: sqlite_schema and its pragmas; PostgreSQL: the catalog of
// current_schema()), never from a list kept by hand: a table the copier was not told about
// cannot be skipped silently, because the caller compares the source's tables with the ones the
// binary's migrations created on the target (CompareTables) and refuses any difference.
//
// Digest of a table (TableDigest): SHA-256 over the rows in primary-key order (text keys in byte
// order on both engines: COLLATE BINARY / COLLATE "C"), each value in a canonical encoding that
// does not depend on the engine:
//   NULL   0x00
//   int    0x01, 8 bytes two's complement big-endian
//   real   0x02, 8 bytes IEEE 754 big-endian
//   text   0x03, 8-byte big-endian length, the bytes
//   blob   0x04, 8-byte big-endian length, the bytes
// with the columns in the order given by the TableSchema (the source's), so the same rows give
// the same digest on SQLite and on PostgreSQL, and any changed value, row or byte changes it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace gz::storage {

struct TableSchema {
  std::string name;
  std::vector<std::string> columns;       // declaration order
  std::vector<bool> text_column;          // per column: holds text (sorted with a byte collation)
  std::vector<std::string> primary_key;   // in key order; empty: the table has none
  std::vector<std::string> references;    // other tables its foreign keys point at (sorted, unique)
};

// The user tables of the store (SQLite: not sqlite_*; PostgreSQL: base tables of
// current_schema()), sorted by name.
Result<std::vector<TableSchema>> ReadTables(Tx& tx);

// The tables in an order in which each comes after every table it references (self-references
// are left to primary-key order), ties by name. kFailedPrecondition "storage/copy-refused"
// (argument "reason") if the references form a cycle or name a table that is not in the list.
Result<std::vector<TableSchema>> OrderForCopy(std::vector<TableSchema> tables);

// Every difference between the tables of two stores, one line each ("only in the source: x",
// "only in the target: y", "t: column c only in the source"); empty when they have the same
// tables with the same column names.
std::vector<std::string> CompareTables(const std::vector<TableSchema>& source, const std::vector<TableSchema>& target);

// Tables that hold at least one row, by name.
Result<std::vector<std::string>> NonEmptyTables(Tx& tx, const std::vector<TableSchema>& tables);

struct TableDigest {
  std::string table;
  int64_t rows = 0;
  std::string sha256_hex;
  bool operator==(const TableDigest&) const = default;
};

// Streams the table (QueryEach) in primary-key order and digests it as described above. The
// columns named by `table` are read; the store must have them.
Result<TableDigest> DigestTable(Tx& tx, const TableSchema& table);

// The canonical encoding of one value (exposed for the tests).
void AppendCanonical(const Value& value, std::string* out);

struct CopyProgress {
  std::string table;
  int64_t copied = 0;  // rows of this table copied so far
  int64_t total = 0;   // rows of this table in the source snapshot
  bool done = false;   // the table is finished
};

struct CopyOptions {
  // Rows per write transaction on the target, and a bound on their bytes: the copy holds at most
  // one batch in memory whatever the size of the store.
  int batch_rows = 5000;
  int64_t batch_bytes = 8 << 20;
  // Called after each batch and when a table is done.
  std::function<void(const CopyProgress&)> progress;
};

// Copies every row of `tables` (in the given order, see OrderForCopy) from one read snapshot of
// `source` into `target`, preserving every value (ids, blobs byte for byte). Rows already in a
// target table listed in `clear_first` are deleted first, in the same transaction as its first
// batch (for rows a migration put there, like the bookkeeping of schema_migrations). The target
// must have the tables and columns. An error names the table; the rows of earlier batches stay
// in the target (start again on a new database).
Status CopyTables(Db& source, Db& target, const std::vector<TableSchema>& tables,
                  const std::vector<std::string>& clear_first, const CopyOptions& options);

// PostgreSQL only (nothing on SQLite, whose INTEGER PRIMARY KEY follows the largest id by
// itself): moves every sequence owned by a column of current_schema() (serial, identity) past
// the largest value of its column, so that rows inserted with explicit ids do not make the next
// generated id collide. Returns how many sequences were set.
Result<int> ResetSequences(Db& target);

}  // namespace gz::storage
