// Migration texts of the open311 module. Layer: open311 sql (see open311_migrations.h).
#include "modules/open311/sql/open311_migrations.h"

namespace gz::open311 {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE open311_clients (
  id            INTEGER NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scope_code    TEXT NOT NULL CHECK (length(scope_code) = 12 AND scope_code NOT GLOB '*[^0-9]*'),
  key_hash      BLOB NOT NULL UNIQUE CHECK (typeof(key_hash) = 'blob' AND length(key_hash) = 32),
  key_hint      TEXT NOT NULL CHECK (length(key_hint) = 10 AND substr(key_hint, 1, 6) = 'gz311_'),
  created_by    INTEGER NOT NULL CHECK (created_by >= 0),
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER,
  revoked_by    INTEGER NOT NULL CHECK (revoked_by >= 0),
  revoke_reason TEXT NOT NULL CHECK (length(revoke_reason) <= 200),
  CHECK (revoked_at_ms IS NOT NULL OR (revoked_by = 0 AND revoke_reason = ''))
);
CREATE INDEX open311_clients_by_scope ON open311_clients (scope_code, id);
CREATE TRIGGER open311_clients_revoke_only BEFORE UPDATE ON open311_clients
WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.scope_code IS NOT OLD.scope_code
  OR NEW.key_hash IS NOT OLD.key_hash OR NEW.key_hint IS NOT OLD.key_hint OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a client changes only when its key is revoked, once');
END;
CREATE TRIGGER open311_clients_no_delete BEFORE DELETE ON open311_clients
BEGIN
  SELECT RAISE(ABORT, 'clients are kept');
END;

CREATE TABLE open311_tokens (
  token         TEXT NOT NULL PRIMARY KEY CHECK (length(token) BETWEEN 16 AND 64),
  client_id     INTEGER NOT NULL REFERENCES open311_clients (id),
  appeal_id     INTEGER NOT NULL CHECK (appeal_id > 0),
  created_at_ms INTEGER NOT NULL
);
CREATE TRIGGER open311_tokens_no_update BEFORE UPDATE ON open311_tokens
BEGIN
  SELECT RAISE(ABORT, 'tokens are never changed');
END;
CREATE TRIGGER open311_tokens_no_delete BEFORE DELETE ON open311_tokens
BEGIN
  SELECT RAISE(ABORT, 'tokens are kept');
END;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE open311_clients (
  id            BIGINT NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scope_code    TEXT COLLATE "C" NOT NULL CHECK (scope_code ~ '^[0-9]{12}$'),
  key_hash      BYTEA NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
  key_hint      TEXT COLLATE "C" NOT NULL CHECK (length(key_hint) = 10 AND substr(key_hint, 1, 6) = 'gz311_'),
  created_by    BIGINT NOT NULL CHECK (created_by >= 0),
  created_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT,
  revoked_by    BIGINT NOT NULL CHECK (revoked_by >= 0),
  revoke_reason TEXT NOT NULL CHECK (length(revoke_reason) <= 200),
  CHECK (revoked_at_ms IS NOT NULL OR (revoked_by = 0 AND revoke_reason = ''))
);
CREATE INDEX open311_clients_by_scope ON open311_clients (scope_code, id);
CREATE FUNCTION open311_clients_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'clients are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
     OR (NEW.id, NEW.name, NEW.scope_code, NEW.key_hash, NEW.key_hint, NEW.created_by, NEW.created_at_ms)
        IS DISTINCT FROM
        (OLD.id, OLD.name, OLD.scope_code, OLD.key_hash, OLD.key_hint, OLD.created_by, OLD.created_at_ms) THEN
    RAISE EXCEPTION 'a client changes only when its key is revoked, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER open311_clients_revoke_only BEFORE UPDATE OR DELETE ON open311_clients
  FOR EACH ROW EXECUTE FUNCTION open311_clients_guard();

CREATE TABLE open311_tokens (
  token         TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(token) BETWEEN 16 AND 64),
  client_id     BIGINT NOT NULL REFERENCES open311_clients (id),
  appeal_id     BIGINT NOT NULL CHECK (appeal_id > 0),
  created_at_ms BIGINT NOT NULL
);
CREATE FUNCTION open311_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% rows are never edited or deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER open311_tokens_immutable BEFORE UPDATE OR DELETE ON open311_tokens
  FOR EACH ROW EXECUTE FUNCTION open311_refuse_change();
)sql";

}  // namespace

const std::vector<storage::Migration>& Open311Migrations() {
  static const std::vector<storage::Migration> migrations = {
      {"open311", 1, "create_clients_and_tokens", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::open311
