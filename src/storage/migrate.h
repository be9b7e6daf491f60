// Numbered schema migrations, per module, applied in a transaction and recorded.
//
// Layer: storage. Each module declares its migrations (module, version, name, SQL for each
// dialect); app/ collects them from every registered module. A migration is applied exactly
// once, in (module registration order, version) order, each in its own write transaction
// together with its row in `schema_migrations`. A store that records a migration this binary
// does not know was written by a newer gongzhi: Check() reports it and the server refuses to
// start rather than corrupt it.
//
// Bookkeeping table (same text on both dialects; BIGINT because PostgreSQL's INTEGER is 32-bit):
//   schema_migrations(module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
//                     applied_at_ms BIGINT NOT NULL, PRIMARY KEY (module, version))
//
// Rules for the `known` list, checked before the store is touched (kInternal otherwise, since
// it is a bug in the binary): versions of a module are 1..n without gaps or duplicates, each
// has a module and a name, and each pending one has SQL for the store's dialect. Migration SQL
// is run with Tx::ExecScript(): several statements, no parameters, no BEGIN/COMMIT.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "storage/db.h"

namespace gz::storage {

struct Migration {
  std::string_view module;    // "divisions"
  int version;                // 1, 2, 3 ... within the module, never reused
  std::string_view name;      // "create_divisions"
  std::string_view sqlite;    // DDL for SQLite
  std::string_view postgres;  // DDL for PostgreSQL (same logical schema)
};

struct MigrationState {
  // Known to the binary, not yet applied, in the order they would be applied. Points into the
  // `known` vector given to CheckMigrations(), which must outlive this state.
  std::vector<const Migration*> pending;
  std::vector<std::string> unknown;        // applied in the store, unknown to the binary: "module/version"
  int applied = 0;                         // how many known migrations are applied
};

// Creates the bookkeeping table if needed and reports what is pending and what is unknown
// ("module/version", sorted). Applies nothing else.
Result<MigrationState> CheckMigrations(Db& db, const std::vector<Migration>& known);

// Applies every pending migration. Returns kFailedPrecondition ("storage/store-newer-than-binary",
// argument "migrations" = "divisions/3, points/1") if the store has migrations the binary does
// not know, without applying anything. If a migration fails, its transaction is rolled back (it
// is not recorded), the ones before it stay applied, none after it runs, and the result is
// kInternal "storage/migration-failed" with argument "migration" = "module/version" and the
// cause in the note. Safe to run again; two processes running it at once never apply a
// migration twice (each is re-checked under the write lock). `applied` (optional) receives how many were applied now,
// also when it fails part-way.
Status ApplyMigrations(Db& db, const std::vector<Migration>& known, const Clock& clock, int* applied = nullptr);

}  // namespace gz::storage
