// The storage port: the one interface through which every module reaches its data.
//
// Layer: storage (interface only; no driver headers here). Implementations live in
// storage/sqlite/ (embedded, default) and storage/postgres/ (issue #8). Modules write their SQL
// in their own sql/ folder against this interface and run the same contract tests on both.
//
// SQL conventions, so one statement text works on both backends wherever the dialects agree:
//   - placeholders are $1, $2, ... (PostgreSQL style); the SQLite backend binds them by name;
//   - use RETURNING instead of last-insert-id;
//   - timestamps are stored as INTEGER milliseconds since the Unix epoch, UTC;
//   - where dialects differ, branch on Tx::dialect() in the module's sql/ code.
//
// Transactions: Read() runs `fn` in a read-only snapshot; Write() runs it in a read-write
// transaction that is committed, durably, before Write() returns OK (an acknowledged write is
// never lost). If `fn` returns a non-OK Status, the transaction is rolled back and that Status
// is returned. Write transactions from one process are serialized (one writer at a time).
// Both are safe to call from any thread; `Tx` must not escape `fn`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace gz::storage {

enum class Dialect { kSqlite, kPostgres };

// Bytes that are not text (hashes, sealed fields). Kept distinct from text so that each backend
// stores it as BLOB / BYTEA.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

// One result row. Accessors return kInvalidArgument-free plain values: a NULL reads as 0 / "".
// Use IsNull() where NULL matters.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  // Text, or the bytes of a blob.
  std::string Text(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  std::optional<std::string> OptionalText(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
};

class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement that returns rows (SELECT, or anything with RETURNING).
  virtual Result<ResultSet> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  // A UNIQUE / PRIMARY KEY violation returns kAlreadyExists ("storage/conflict");
  // other constraint violations kFailedPrecondition ("storage/constraint").
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs one or more statements without parameters (DDL in migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
};

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Cheap check that the store answers (for /readyz).
  virtual Status Ping() = 0;
  // The location with any password masked, for logs.
  virtual std::string Describe() const = 0;
};

}  // namespace gz::storage
