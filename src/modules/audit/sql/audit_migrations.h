// Schema migrations of the audit module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: audit sql. app/ registers them right after the divisions migrations (before every module
// that writes audit events in its own transactions).
//
//   audit_records     seq (PK, 1..n) | at_ms | action | outcome | actor_account | acting_for_account
//                     | consent_id | roles | division | object_type | object_id | purpose | request_id
//                     | details | prev_hash (32 bytes) | hash (32 bytes)
//                     append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
//   audit_chain_lock  one row (id = 1), never changed: PostgreSQL appenders take its row lock
//                     (SELECT ... FOR UPDATE) so that appends are serialized; SQLite has one
//                     writer already and never reads it.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::audit {

const std::vector<storage::Migration>& AuditMigrations();

}  // namespace gz::audit
