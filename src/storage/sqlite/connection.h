// One SQLite connection: opening and configuring it, its prepared-statement cache, parameter
// binding, value mapping, and the mapping of SQLite result codes to Status.
//
// Layer: storage/sqlite, internal (only this folder includes it; it is the one header that pulls
// in sqlite3.h). A Connection is used by one thread at a time: SqliteDb hands the writer to one
// Write() at a time and each reader to one Read() at a time, so the handle is opened with
// SQLITE_OPEN_NOMUTEX and nothing here locks.
//
// Error mapping (every call that runs SQL returns it):
//   SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY / _ROWID  -> kAlreadyExists      "storage/conflict"
//   any other SQLITE_CONSTRAINT_* (FK, CHECK, NOT NULL, trigger RAISE, STRICT type)
//                                                    -> kFailedPrecondition "storage/constraint"
//   SQLITE_BUSY / SQLITE_LOCKED (after busy_timeout)  -> kUnavailable        "storage/busy"
//   SQLITE_FULL, or SQLITE_IOERR with ENOSPC / EDQUOT -> kUnavailable        "storage/disk-full"
//   anything else (syntax, READONLY, AUTH, CORRUPT...) -> kInternal; the SQLite message and the
//                                                       first 200 bytes of the SQL go to the note
// Parameter values never appear in a note (they may be personal data).
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "storage/db.h"

namespace gz::storage::sqlite {

enum class Role {
  kWriter,  // opens with SQLITE_OPEN_CREATE and switches the file to WAL
  kReader,  // PRAGMA query_only = ON: a write statement fails instead of taking the write lock
};

// Maps result code `rc` (extended codes enabled) of the last call on `db` to a Status.
// REQUIRES: rc is not SQLITE_OK / SQLITE_ROW / SQLITE_DONE.
Status StatusFromSqlite(sqlite3* db, int rc, std::string_view sql);

class Connection {
 public:
  // Opens `path` and sets WAL (writer), synchronous = FULL, foreign_keys = ON, the busy timeout,
  // and query_only (reader). Returns kUnavailable "storage/cannot-open" with a "reason" if the
  // file cannot be opened or created, is not a database, or cannot use WAL.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Role role, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with $1..$n bound to `params` and returns its rows.
  Result<ResultSet> Query(std::string_view sql, const Params& params);
  // The same, handing each row to `each` as it is stepped; stops at the first non-OK from `each`.
  // The statement stays active while `each` runs: `each` must not run statements here.
  Status QueryEach(std::string_view sql, const Params& params, const std::function<Status(const Row&)>& each);
  // Runs one statement and returns the number of rows it inserted, updated or deleted
  // (0 for any other kind of statement).
  Result<int64_t> Exec(std::string_view sql, const Params& params);
  // Runs every statement of `sql` in order, without parameters, stopping at the first error.
  Status ExecScript(std::string_view sql);
  // Runs a transaction-control statement (BEGIN IMMEDIATE, COMMIT, SAVEPOINT x, ...). These are
  // refused in Query/Exec/ExecScript, so that module code cannot end the transaction that
  // SqliteDb manages.
  Status Control(std::string_view sql);

  // True between BEGIN and COMMIT/ROLLBACK. SQLite ends a transaction by itself after some errors
  // (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM); callers check this after a failure.
  bool InTransaction() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  using StatementCache = std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>>;

  // The statement for `sql` from `cache`, prepared on first use. Refuses empty and
  // multi-statement SQL.
  Result<sqlite3_stmt*> Prepare(StatementCache& cache, std::string_view sql);
  Status Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql);
  // Steps `sql` to completion; collects rows into `rows`, or hands them to `each`, and the change
  // count into `changes`, when they are not null.
  Status Run(StatementCache& cache, std::string_view sql, const Params& params, ResultSet* rows, int64_t* changes,
             const std::function<Status(const Row&)>* each = nullptr);
  static int Authorize(void* self, int action, const char* a1, const char* a2, const char* db,
                       const char* trigger);

  sqlite3* db_;
  StatementCache statements_;
  // Kept apart: the authorizer passes these only while Control() runs, so a module's "COMMIT"
  // must never find one of them in statements_.
  StatementCache control_statements_;
  bool control_allowed_ = false;  // set only inside Control()
  std::string denied_;            // what the authorizer last refused, for the error note
};

}  // namespace gz::storage::sqlite
