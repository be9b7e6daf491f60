// Schema migrations of the identity module (SQLite and PostgreSQL texts of one logical schema).
//
// Layer: identity sql. Registered after the audit and residents migrations.
//
//   identity_accounts     id | home_division | status | name_sealed | phone_sealed? | phone_index?
//                         (UNIQUE) | resident_id? | household_id? | password_sealed? |
//                         password_changed_at_ms | totp_sealed? | totp_pending_sealed? |
//                         totp_last_step | failed_attempts | locked_until_ms | created_at_ms |
//                         updated_at_ms
//   identity_grants       id | account_id | role | scope | granted_by | created_at_ms,
//                         UNIQUE (account_id, role, scope)
//   identity_sessions     id | token_hash (UNIQUE, 32 bytes) | account_id | kind | csrf_hash? |
//                         limited | created_at_ms | last_seen_ms | expires_at_ms
//   identity_invitations  id | account_id | code_index (UNIQUE, 34 bytes) | created_at_ms |
//                         expires_at_ms | used_at_ms (0: unused)
// Sealed columns are BLOB / BYTEA of at least the envelope size, so a value written in clear by
// mistake is refused by the database itself.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::identity {

const std::vector<storage::Migration>& IdentityMigrations();

}  // namespace gz::identity
