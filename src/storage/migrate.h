// Numbered schema migrations, per module, applied in a transaction and recorded.
//
// Layer: storage. Each module declares its migrations (module, version, name, SQL for each
// dialect); app/ collects them from every registered module. A migration is applied exactly
// once, in (module registration order, version) order, each in its own write transaction
// together with its row in `schema_migrations`. A store that records a migration this binary
// does not know was written by a newer gongzhi: Check() reports it and the server refuses to
// start rather than corrupt it.
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
  std::vector<const Migration*> pending;   // known to the binary, not yet applied
  std::vector<std::string> unknown;        // applied in the store, unknown to the binary: "module/version"
  int applied = 0;                         // how many known migrations are applied
};

// Creates the bookkeeping table if needed and reports what is pending and what is unknown.
Result<MigrationState> CheckMigrations(Db& db, const std::vector<Migration>& known);

// Applies every pending migration. Returns kFailedPrecondition ("storage/store-newer-than-binary")
// if the store has migrations the binary does not know, without applying anything.
// `applied` (optional) receives how many were applied now.
Status ApplyMigrations(Db& db, const std::vector<Migration>& known, const Clock& clock, int* applied = nullptr);

}  // namespace gz::storage
