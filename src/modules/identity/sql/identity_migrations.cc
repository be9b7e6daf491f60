// Migration texts of the identity module. Layer: identity sql.
#include "modules/identity/sql/identity_migrations.h"

namespace gz::identity {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE identity_accounts (
  id                     INTEGER NOT NULL PRIMARY KEY,
  home_division          TEXT NOT NULL CHECK (length(home_division) = 12),
  status                 TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  name_sealed            BLOB NOT NULL CHECK (typeof(name_sealed) = 'blob' AND length(name_sealed) >= 42),
  phone_sealed           BLOB CHECK (phone_sealed IS NULL OR (typeof(phone_sealed) = 'blob' AND length(phone_sealed) >= 42)),
  phone_index            BLOB CHECK (phone_index IS NULL OR (typeof(phone_index) = 'blob' AND length(phone_index) = 34)),
  resident_id            INTEGER,
  household_id           INTEGER,
  password_sealed        BLOB CHECK (password_sealed IS NULL OR (typeof(password_sealed) = 'blob' AND length(password_sealed) >= 42)),
  password_changed_at_ms INTEGER NOT NULL DEFAULT 0,
  totp_sealed            BLOB CHECK (totp_sealed IS NULL OR (typeof(totp_sealed) = 'blob' AND length(totp_sealed) >= 42)),
  totp_pending_sealed    BLOB CHECK (totp_pending_sealed IS NULL OR (typeof(totp_pending_sealed) = 'blob' AND length(totp_pending_sealed) >= 42)),
  totp_last_step         INTEGER NOT NULL DEFAULT 0,
  failed_attempts        INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until_ms        INTEGER NOT NULL DEFAULT 0,
  created_at_ms          INTEGER NOT NULL,
  updated_at_ms          INTEGER NOT NULL,
  CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
);
CREATE UNIQUE INDEX identity_accounts_by_phone ON identity_accounts (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX identity_accounts_by_division ON identity_accounts (home_division, id);

CREATE TABLE identity_grants (
  id            INTEGER NOT NULL PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES identity_accounts (id),
  role          TEXT NOT NULL CHECK (role IN ('villager', 'helper', 'grid_worker', 'village_cadre', 'supervisor',
                                             'township_official', 'county_admin', 'auditor', 'operator')),
  scope         TEXT NOT NULL CHECK (length(scope) = 12),
  granted_by    INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (account_id, role, scope)
);
CREATE INDEX identity_grants_by_role ON identity_grants (role, account_id);

CREATE TABLE identity_sessions (
  id            INTEGER NOT NULL PRIMARY KEY,
  token_hash    BLOB NOT NULL UNIQUE CHECK (typeof(token_hash) = 'blob' AND length(token_hash) = 32),
  account_id    INTEGER NOT NULL REFERENCES identity_accounts (id),
  kind          TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_hash     BLOB CHECK (csrf_hash IS NULL OR (typeof(csrf_hash) = 'blob' AND length(csrf_hash) = 32)),
  limited       INTEGER NOT NULL CHECK (limited IN (0, 1)),
  created_at_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX identity_sessions_by_account ON identity_sessions (account_id);

CREATE TABLE identity_invitations (
  id            INTEGER NOT NULL PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES identity_accounts (id),
  code_index    BLOB NOT NULL UNIQUE CHECK (typeof(code_index) = 'blob' AND length(code_index) = 34),
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  used_at_ms    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX identity_invitations_by_account ON identity_invitations (account_id);
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE identity_accounts (
  id                     BIGINT NOT NULL PRIMARY KEY,
  home_division          TEXT COLLATE "C" NOT NULL CHECK (length(home_division) = 12),
  status                 TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  name_sealed            BYTEA NOT NULL CHECK (octet_length(name_sealed) >= 42),
  phone_sealed           BYTEA CHECK (octet_length(phone_sealed) >= 42),
  phone_index            BYTEA CHECK (octet_length(phone_index) = 34),
  resident_id            BIGINT,
  household_id           BIGINT,
  password_sealed        BYTEA CHECK (octet_length(password_sealed) >= 42),
  password_changed_at_ms BIGINT NOT NULL DEFAULT 0,
  totp_sealed            BYTEA CHECK (octet_length(totp_sealed) >= 42),
  totp_pending_sealed    BYTEA CHECK (octet_length(totp_pending_sealed) >= 42),
  totp_last_step         BIGINT NOT NULL DEFAULT 0,
  failed_attempts        INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until_ms        BIGINT NOT NULL DEFAULT 0,
  created_at_ms          BIGINT NOT NULL,
  updated_at_ms          BIGINT NOT NULL,
  CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
);
CREATE UNIQUE INDEX identity_accounts_by_phone ON identity_accounts (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX identity_accounts_by_division ON identity_accounts (home_division, id);

CREATE TABLE identity_grants (
  id            BIGINT NOT NULL PRIMARY KEY,
  account_id    BIGINT NOT NULL REFERENCES identity_accounts (id),
  role          TEXT NOT NULL CHECK (role IN ('villager', 'helper', 'grid_worker', 'village_cadre', 'supervisor',
                                             'township_official', 'county_admin', 'auditor', 'operator')),
  scope         TEXT COLLATE "C" NOT NULL CHECK (length(scope) = 12),
  granted_by    BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE (account_id, role, scope)
);
CREATE INDEX identity_grants_by_role ON identity_grants (role, account_id);

CREATE TABLE identity_sessions (
  id            BIGINT NOT NULL PRIMARY KEY,
  token_hash    BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  account_id    BIGINT NOT NULL REFERENCES identity_accounts (id),
  kind          TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_hash     BYTEA CHECK (octet_length(csrf_hash) = 32),
  limited       INTEGER NOT NULL CHECK (limited IN (0, 1)),
  created_at_ms BIGINT NOT NULL,
  last_seen_ms  BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
CREATE INDEX identity_sessions_by_account ON identity_sessions (account_id);

CREATE TABLE identity_invitations (
  id            BIGINT NOT NULL PRIMARY KEY,
  account_id    BIGINT NOT NULL REFERENCES identity_accounts (id),
  code_index    BYTEA NOT NULL UNIQUE CHECK (octet_length(code_index) = 34),
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  used_at_ms    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX identity_invitations_by_account ON identity_invitations (account_id);
)sql";

// The security limits that several gongzhi nodes must share (an attacker behind a load balancer
// would otherwise get one allowance per node): sign-in attempts per client address (one row per
// counted attempt, keyed by a blind index of the address, kept for one window) and the lockout
// of phones that have no account (kept as for accounts, so that a lockout does not reveal which
// phones have one). Old rows are purged by PurgeAttempts().
constexpr std::string_view kLimitsSqlite = R"sql(
CREATE TABLE identity_attempts (
  key_index BLOB NOT NULL CHECK (length(key_index) = 34),
  at_ms     INTEGER NOT NULL
);
CREATE INDEX identity_attempts_by_key ON identity_attempts (key_index, at_ms);
CREATE INDEX identity_attempts_by_time ON identity_attempts (at_ms);
CREATE TABLE identity_unknown_phones (
  phone_index     BLOB NOT NULL PRIMARY KEY CHECK (length(phone_index) = 34),
  failures        INTEGER NOT NULL CHECK (failures >= 0),
  locked_until_ms INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX identity_unknown_phones_by_time ON identity_unknown_phones (updated_at_ms);
)sql";

constexpr std::string_view kLimitsPostgres = R"sql(
CREATE TABLE identity_attempts (
  key_index BYTEA NOT NULL CHECK (octet_length(key_index) = 34),
  at_ms     BIGINT NOT NULL
);
CREATE INDEX identity_attempts_by_key ON identity_attempts (key_index, at_ms);
CREATE INDEX identity_attempts_by_time ON identity_attempts (at_ms);
CREATE TABLE identity_unknown_phones (
  phone_index     BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(phone_index) = 34),
  failures        INTEGER NOT NULL CHECK (failures >= 0),
  locked_until_ms BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL
);
CREATE INDEX identity_unknown_phones_by_time ON identity_unknown_phones (updated_at_ms);
)sql";

}  // namespace

const std::vector<storage::Migration>& IdentityMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"identity", 1, "create_accounts_grants_sessions_invitations", kCreateSqlite, kCreatePostgres},
      {"identity", 2, "shared_sign_in_limits", kLimitsSqlite, kLimitsPostgres},
  };
  return migrations;
}

}  // namespace gz::identity
