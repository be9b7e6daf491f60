// Schema migrations of the open311 module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: open311 sql. app/ registers them after the audit and appeals migrations (changes append
// to audit_records in the same transaction).
//
//   open311_clients  id | name | scope_code | key_hash (UNIQUE, SHA-256 of the key) | key_hint
//                    | created_by | created_at_ms | revoked_at_ms? | revoked_by | revoke_reason
//                    A trigger allows one change only, the revocation (once), and no DELETE.
//   open311_tokens   token (PRIMARY KEY) | client_id -> open311_clients | appeal_id | created_at_ms
//                    (never changed). appeal_id has no REFERENCES: appeals_appeals belongs to the
//                    appeals module, which rebuilds its tables in its own migrations (appeals/2),
//                    and a reference from here would be rewritten or left dangling by them.
// Nothing here is personal data: a client is an application; the key is stored only as a hash.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::open311 {

const std::vector<storage::Migration>& Open311Migrations();

}  // namespace gz::open311
