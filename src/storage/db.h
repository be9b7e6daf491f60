// The storage port: the one interface through which every module reaches its data.
//
// Layer: storage (interface only; no driver headers here). Implementations live in
// storage/sqlite/ (embedded, default) and storage/postgres/ (libpq, issue #8). Modules write their SQL
// in their own sql/ folder against this interface and run the same contract tests on both.
//
// SQL conventions, so one statement text works on both backends wherever the dialects agree:
//   - placeholders are $1, $2, ... (PostgreSQL style); the SQLite backend binds them by name;
//   - use RETURNING instead of last-insert-id;
//   - timestamps are stored as integer milliseconds since the Unix epoch, UTC, in a BIGINT
//     column (PostgreSQL's INTEGER is 32-bit; in SQLite BIGINT is the same 64-bit integer);
//   - where dialects differ, branch on Tx::dialect() in the module's sql/ code;
//   - an expected conflict is written INSERT ... ON CONFLICT DO NOTHING / DO UPDATE (both
//     dialects), not caught as an error: after a failed statement PostgreSQL refuses every
//     further statement of the transaction, so the callback should return the error.
//
// Transactions: Read() runs `fn` in a read-only snapshot; Write() runs it in a read-write
// transaction that is committed, durably, before Write() returns OK (an acknowledged write is
// never lost). If `fn` returns a non-OK Status, the transaction is rolled back and that Status
// is returned. Write transactions from one process are serialized (one writer at a time).
// Both are safe to call from any thread; `Tx` must not escape `fn`. On PostgreSQL a Write()
// callback may run more than once (a serialization failure against another process's write is
// retried, postgres/postgres_db.h): it must have no effect outside its Tx except setting results.
//
// Errors common to every call (beyond those listed below): kUnavailable "storage/busy" (a lock
// or connection was not free within the busy timeout; retry later), kUnavailable
// "storage/disk-full", kUnavailable "storage/unavailable" (the database server cannot be
// reached; PostgreSQL only, which reconnects by itself), and kInternal for bugs (SQL errors, a $n count that does not match the
// parameters, a write inside Read(), BEGIN/COMMIT inside a callback); the driver's message goes
// only to the note, never to a user-facing argument. Parameter values never appear in a Status.
#pragma once

#include <chrono>
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

// One result row. Accessors return plain values: a NULL reads as 0 / "". Use IsNull() where NULL
// matters. Mismatched types convert leniently (SQLite may hand back 3 for a REAL column):
// Int() of a double truncates toward zero (clamped to the int64 range, NaN -> 0); Real() of an
// integer converts; Int()/Real() of text parse the whole text or give 0; Text() of a number
// formats it (shortest round-trip form for doubles). REQUIRES: i < size() (at() throws).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  // Text, or the bytes of a blob.
  std::string Text(size_t i) const;
  // The same without a copy, for TEXT and BLOB values only ("" for numbers and NULL); valid while
  // the Row lives. For loops over many rows (QueryEach).
  std::string_view TextView(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  std::optional<std::string> OptionalText(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }
  // Hands the values back (a backend streaming rows reuses their storage for the next row).
  std::vector<Value> Release() && { return std::move(values_); }

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
  // Runs a statement that returns rows and hands them to `each` one at a time, in order, keeping
  // none: for results too large to hold (the rates of a county read a million appeals). If `each`
  // returns non-OK (or throws) the statement stops there and that status is the result. `each`
  // must not use this Tx: any statement run from inside it fails with kInternal.
  virtual Status QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each) = 0;
  // Runs a statement and returns the number of rows it changed.
  // A UNIQUE / PRIMARY KEY violation returns kAlreadyExists ("storage/conflict");
  // other constraint violations kFailedPrecondition ("storage/constraint").
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs one or more statements without parameters (DDL in migrations). Query() and Exec()
  // take exactly one statement; a second one is refused (kInternal).
  virtual Status ExecScript(std::string_view sql) = 0;
};

// What Write() has done since the store was opened (for /metrics). On SQLite each commit is one
// fsync, so committed_writes / commits is how many acknowledged writes one fsync carried (group
// commit, sqlite_db.h); a backend without batching reports commits == committed_writes.
struct WriteCounters {
  int64_t writes = 0;            // Write() calls whose callback ran
  int64_t committed_writes = 0;  // of those, acknowledged with OK (durably committed)
  int64_t commits = 0;           // transactions committed
};

// True if `sql` starts with the keyword SELECT (after white space): what ReadStatement() runs.
bool IsSelectStatement(std::string_view sql);

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;
  // Runs `fn` in a read-only snapshot; returns its status. A write statement in it fails.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // Runs one SELECT on its own and returns its rows. One statement reads one consistent snapshot by
  // itself, so no transaction is opened around it: on PostgreSQL no BEGIN and no COMMIT (a third of
  // the server's work for a one-row read, measured with pgbench). For reads that are exactly one
  // statement (the session of every authenticated request). A statement that is not a SELECT is
  // refused (kInternal). The default runs it in Read().
  virtual Result<ResultSet> ReadStatement(std::string_view sql, const Params& params = {});
  // Runs `fn` in a write transaction and commits it durably before returning OK. If `fn` returns
  // non-OK or throws, nothing it did is kept: its status (or kInternal for an exception) is
  // returned. Calling Write() from inside a Write() callback on the same thread returns kInternal.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Cheap check that the store answers (for /readyz).
  virtual Status Ping() = 0;
  // The location with any password masked, for logs.
  virtual std::string Describe() const = 0;
  // Counters since the store was opened; zeros for a Db that does not keep them.
  virtual WriteCounters write_counters() const { return {}; }
  // Runs `fn` (which uses this Db as usual) while holding the lock `name` against every process
  // on this store, for work that is not one transaction (schema migrations at start-up, which
  // on PostgreSQL cannot be made safe inside SERIALIZABLE: DDL fails on the catalog instead of
  // waiting, and a lock taken in a transaction comes after its snapshot). Waits at most `wait`
  // for the lock, then kUnavailable "storage/busy". PostgreSQL: a session advisory lock on a
  // connection of its own (released when `fn` returns, or by the server if the process dies).
  // This default (SQLite): a lock within this process only, since SQLite's file lock already
  // serializes the writers of all processes; callers still re-check their work in each Write().
  // Not reentrant.
  virtual Status WithStoreLock(std::string_view name, std::chrono::milliseconds wait, const std::function<Status()>& fn);
};

}  // namespace gz::storage
