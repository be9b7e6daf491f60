// Migration texts of the audit module. Layer: audit sql.
#include "modules/audit/sql/audit_migrations.h"

namespace gz::audit {
namespace {

// Every column NOT NULL with "" / 0 for "none": the hash covers exactly what is stored, and a
// NULL would read back as "" anyway, so allowing it would only add a second spelling of "none".
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE audit_records (
  seq                INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
  at_ms              INTEGER NOT NULL,
  action             TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  outcome            TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  actor_account      INTEGER NOT NULL,
  acting_for_account INTEGER NOT NULL,
  consent_id         INTEGER NOT NULL,
  roles              TEXT NOT NULL,
  division           TEXT NOT NULL CHECK (division = '' OR length(division) = 12),
  object_type        TEXT NOT NULL,
  object_id          TEXT NOT NULL,
  purpose            TEXT NOT NULL,
  request_id         TEXT NOT NULL,
  details            TEXT NOT NULL,
  prev_hash          BLOB NOT NULL CHECK (typeof(prev_hash) = 'blob' AND length(prev_hash) = 32),
  hash               BLOB NOT NULL CHECK (typeof(hash) = 'blob' AND length(hash) = 32)
);
CREATE INDEX audit_records_by_time ON audit_records (at_ms, seq);
CREATE INDEX audit_records_by_actor ON audit_records (actor_account, seq);
CREATE INDEX audit_records_by_acting_for ON audit_records (acting_for_account, seq) WHERE acting_for_account <> 0;
CREATE INDEX audit_records_by_object ON audit_records (object_type, object_id, seq);
CREATE INDEX audit_records_by_division ON audit_records (division, seq);

CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records is append-only');
END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records is append-only');
END;

CREATE TABLE audit_chain_lock (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1));
INSERT INTO audit_chain_lock (id) VALUES (1);
)sql";

// PostgreSQL (issue #8): the same schema; COLLATE "C" so that prefix searches and ordering are
// byte-wise as on SQLite. The trigger function raises insufficient_privilege for UPDATE, DELETE
// and TRUNCATE. A superuser can still drop the trigger: the hash chain is what detects that.
constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE audit_records (
  seq                BIGINT NOT NULL PRIMARY KEY CHECK (seq >= 1),
  at_ms              BIGINT NOT NULL,
  action             TEXT COLLATE "C" NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  outcome            TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  actor_account      BIGINT NOT NULL,
  acting_for_account BIGINT NOT NULL,
  consent_id         BIGINT NOT NULL,
  roles              TEXT COLLATE "C" NOT NULL,
  division           TEXT COLLATE "C" NOT NULL CHECK (division = '' OR length(division) = 12),
  object_type        TEXT COLLATE "C" NOT NULL,
  object_id          TEXT COLLATE "C" NOT NULL,
  purpose            TEXT NOT NULL,
  request_id         TEXT COLLATE "C" NOT NULL,
  details            TEXT NOT NULL,
  prev_hash          BYTEA NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash               BYTEA NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE INDEX audit_records_by_time ON audit_records (at_ms, seq);
CREATE INDEX audit_records_by_actor ON audit_records (actor_account, seq);
CREATE INDEX audit_records_by_acting_for ON audit_records (acting_for_account, seq) WHERE acting_for_account <> 0;
CREATE INDEX audit_records_by_object ON audit_records (object_type, object_id, seq);
CREATE INDEX audit_records_by_division ON audit_records (division, seq);

CREATE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_records is append-only' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER audit_records_no_update_delete BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
  FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();

CREATE TABLE audit_chain_lock (id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1));
INSERT INTO audit_chain_lock (id) VALUES (1);
)sql";

}  // namespace

const std::vector<storage::Migration>& AuditMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"audit", 1, "create_audit_records", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::audit
