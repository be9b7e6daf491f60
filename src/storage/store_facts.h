// Store facts: a few named values that every process using one store must agree on.
//
// Layer: storage. Bookkeeping like schema_migrations (storage/migrate.h), created by these
// functions when missing (so they work before the migrations, on a store of any version):
//   store_facts(name TEXT PRIMARY KEY, value TEXT NOT NULL, recorded_at_ms BIGINT NOT NULL)
// The first user is app/node_keys.h: the public identity of the keys several gongzhi nodes must
// share. Never put a secret here: the store is not where secrets live.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/db.h"

namespace gz::storage {

// Every fact whose name starts with `prefix`, by name.
Result<std::map<std::string, std::string>> ReadStoreFacts(Db& db, std::string_view prefix);

// Records each fact that is not recorded yet, in one transaction; a fact already recorded keeps
// its value (read them back to see whether another process recorded a different one first).
Status RecordStoreFacts(Db& db, const std::map<std::string, std::string>& facts, int64_t now_ms);

}  // namespace gz::storage
