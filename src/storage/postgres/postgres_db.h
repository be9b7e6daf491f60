// The PostgreSQL backend of the storage port (storage/db.h), on libpq (issue #8).
//
// Layer: storage/postgres. This header is driver-free, so app/ can include it; only the .cc files
// of this folder see libpq-fe.h.
//
// Connection model:
//
//   Read()  ──> [pool] ── (BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY + 1st statement) ... COMMIT (not awaited)
//   Write() ──> [one writer per process] ──> [pool] ── BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT
//
//   - The pool holds up to `pool_size` connections (size it to the server's worker threads),
//     opened on demand; a caller waits at most `acquire_timeout_ms` for a free one, then gets
//     kUnavailable "storage/busy".
//   - A Read() sees one snapshot, taken at its first statement; a write statement in it fails
//     (READ ONLY) with kInternal. Round trips: the BEGIN is sent only with the first statement,
//     in the same flight (libpq pipeline mode; a callback that runs no statement opens no
//     transaction), and the COMMIT is sent without waiting for its answer, which the
//     connection's next user (Read or Write) reads and checks before anything else; a connection
//     whose COMMIT failed or broke is closed then. A Read() of one statement waits for one
//     answer, plus the previous COMMIT's when its connection is taken again before that answer
//     arrived (bench/results/2026-11-29-pgread.md).
//   - Writes: with `one_writer_per_process` (the default) Write()s of one process run one at a
//     time, like the SQLite store, so a callback normally runs once. Writes of other processes
//     (several gongzhi nodes on one database) are made safe by SERIALIZABLE: when PostgreSQL
//     reports a serialization failure or a deadlock (40001, 40P01) anywhere in the transaction,
//     it is rolled back and the callback runs again, up to `max_write_attempts` times, then the
//     result is kUnavailable "storage/busy". A callback must therefore have no effect outside
//     its Tx except setting its results.
//   - Durability: COMMIT returns after PostgreSQL's WAL flush (synchronous_commit is left on);
//     if the connection breaks during COMMIT the outcome is unknown and Write() returns
//     kUnavailable "storage/unavailable" (it may or may not have been committed).
//   - Values: nullptr <-> NULL; int64_t -> int8 parameter, and int2/int4/int8/oid/bool columns
//     (and numeric without a fraction) read back as int64_t; double <-> float8 (float4 and
//     numeric with a fraction read back as double); std::string <-> text (a typed text
//     parameter: never turned into a number or into bytea, so a text cannot land in a column
//     meant for sealed bytes; PostgreSQL text holds no NUL byte, so such a string fails with
//     kInternal: store bytes as a Blob); Blob <-> bytea, binary-safe.
//     Other column types read back as their text.
//   - After a failed statement PostgreSQL aborts the transaction: every later statement of the
//     callback fails with kInternal naming the first error, and Write() never commits it.
//   - QueryEach() streams in libpq's single-row mode inside a SAVEPOINT; a callback that stops
//     early cancels the statement and the Tx stays usable.
//   - Module SQL may not run BEGIN / COMMIT / ROLLBACK / END / ABORT / START / PREPARE
//     TRANSACTION (SAVEPOINT is fine): kInternal, nothing is sent.
//   - Every connection sets statement_timeout and lock_timeout; either firing gives
//     kUnavailable "storage/busy".
//   - Outages: a broken connection is dropped with every idle one (a server restart breaks them
//     all); calls during an outage fail within about `connect_timeout_ms` (at once when the server
//     refuses connections) with kUnavailable "storage/unavailable", and for a short while after a
//     failed connection attempt without trying again. The pool reconnects by itself when the
//     server is back. Read() and Write() retry once on a fresh connection when a pooled one turns
//     out to be dead before anything was sent in the transaction.
//
// Error mapping (SQLSTATE):
//   23505 unique_violation                         -> kAlreadyExists      "storage/conflict"
//   other 23xxx (not null, foreign key, check, exclusion)
//                                                  -> kFailedPrecondition "storage/constraint"
//   40001, 40P01 (after the retries)               -> kUnavailable        "storage/busy"
//   57014 query_canceled, 55P03 lock_not_available -> kUnavailable        "storage/busy"
//   53100 disk_full                                -> kUnavailable        "storage/disk-full"
//   08xxx, 57P01..57P03, 53300, a broken connection -> kUnavailable       "storage/unavailable"
//   anything else                                  -> kInternal; the primary message (not the
//        DETAIL, which can hold values) and the first 200 bytes of the SQL go to the note.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/db.h"

namespace gz::storage::postgres {

struct PostgresOptions {
  // A libpq connection string: "postgresql://user:pw@host:5432/db?sslmode=..." or "host=... dbname=...".
  std::string conninfo;
  // Connections at most (1..1000). Size it to the threads that call the Db.
  int pool_size = 8;
  // How long a call waits for a free pooled connection before kUnavailable "storage/busy". >= 0.
  int acquire_timeout_ms = 2000;
  // libpq's connect_timeout (whole seconds, at least 2 s; libpq's own rule). >= 1000.
  int connect_timeout_ms = 2000;
  // Server-side limits of one statement, and of waiting for a row or table lock. >= 1.
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 5000;
  // Write()s of this process run one at a time (see above). Turn off only if every callback
  // tolerates being run again.
  bool one_writer_per_process = true;
  // Runs of a Write() callback on serialization failures before giving up. >= 1.
  int max_write_attempts = 30;
};

// Opens the pool and checks, with one connection, that the server answers.
// Returns kInvalidArgument "storage/bad-options" (argument "reason") for options out of range;
// kUnavailable "storage/cannot-open" (argument "reason", libpq's message) if the first
// connection fails. The Db is thread-safe. REQUIRES: no call is running when it is destroyed.
// Describe() returns "postgresql://user@host:port/dbname" (never a password).
Result<std::unique_ptr<Db>> OpenPostgres(const PostgresOptions& options);

}  // namespace gz::storage::postgres
