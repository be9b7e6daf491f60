// The embedded SQLite backend of the storage port (storage/db.h): the default store, one file.
//
// Layer: storage/sqlite. This header is driver-free, so app/ can include it; only the .cc files
// of this folder see sqlite3.h.
//
// Connection model (docs/decisions/0003-sqlite-store.md says why):
//
//   Write() ──> [writer baton] ──> writer connection ── BEGIN IMMEDIATE ... COMMIT (fsync)
//   Read()  ──> [reader pool: `readers` connections] ── BEGIN ... COMMIT (a WAL snapshot)
//
//   - Every connection: journal_mode = WAL, synchronous = FULL (each COMMIT is fsynced before
//     Write() returns OK), foreign_keys = ON, busy_timeout = `busy_timeout_ms`.
//   - Readers also have query_only = ON: a write statement inside Read() fails (kInternal).
//   - Reads never wait for the writer, nor the writer for reads (WAL); a Read() sees the state as
//     of its first statement and nothing committed after it.
//   - Group commit: Write()s that queue up while one is running each run their `fn` in order in
//     one transaction (each inside its own SAVEPOINT, so a failing fn undoes only its own
//     changes) and are committed by one COMMIT; every one of them returns only after that COMMIT.
//     If the COMMIT fails, or SQLite rolls the transaction back by itself (disk full, I/O error),
//     all of them get that error and none of their changes are kept.
//   - Statements are prepared once per connection and cached by SQL text.
//   - Module SQL may not run BEGIN / COMMIT / ROLLBACK (SAVEPOINT is fine), ATTACH, or set the
//     pragmas above: such statements fail with kInternal.
//   - Placeholders $1..$n are bound by name, so "$2 ... $1" works and a number may repeat. A
//     count mismatch, a gap, or another placeholder style (?, :name) fails with kInternal.
//   - Values: nullptr <-> NULL, int64_t <-> INTEGER, double <-> REAL, std::string <-> TEXT
//     (bytes kept exactly, NUL included), Blob <-> BLOB (an empty Blob stays an empty BLOB).
//   - Errors: see the mapping table in connection.h (conflict, constraint, busy, disk-full).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/db.h"

namespace gz::storage::sqlite {

struct SqliteOptions {
  // The database file; created if missing (its folder must exist). Not ":memory:" nor "file:...".
  std::string path;
  // Reader connections: how many Read()s can run at the same time. 1..64.
  int readers = 4;
  // How long a statement waits for a lock held by another process, and how long Read() waits
  // for a free reader connection, before failing with kUnavailable "storage/busy". >= 0.
  int busy_timeout_ms = 5000;
  // At most this many Write() callbacks share one COMMIT; 1 turns group commit off. >= 1.
  int group_commit_limit = 64;
};

// Opens (or creates) the store at `options.path`.
// Returns kInvalidArgument "storage/bad-options" (argument "reason") for options out of range;
// kUnavailable "storage/cannot-open" (argument "reason") if the file cannot be opened or
// created, is not an SQLite database, or cannot use WAL.
// The Db is thread-safe. REQUIRES: no Read()/Write() is running when it is destroyed.
// Describe() returns "sqlite:///absolute/path".
Result<std::unique_ptr<Db>> OpenSqlite(const SqliteOptions& options);

}  // namespace gz::storage::sqlite
