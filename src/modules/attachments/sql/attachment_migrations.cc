// Migration texts of the attachments module. Layer: attachments sql (see attachment_migrations.h).
#include "modules/attachments/sql/attachment_migrations.h"

namespace gz::attachments {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE attachments_files (
  id            INTEGER NOT NULL PRIMARY KEY,
  owner_type    TEXT NOT NULL CHECK (length(owner_type) BETWEEN 1 AND 32 AND owner_type NOT GLOB '*[^a-z0-9_]*'),
  owner_id      INTEGER NOT NULL CHECK (owner_id > 0),
  division_code TEXT NOT NULL CHECK (length(division_code) = 12 AND division_code NOT GLOB '*[^0-9]*'),
  format        TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
  width         INTEGER NOT NULL CHECK (width BETWEEN 1 AND 65535),
  height        INTEGER NOT NULL CHECK (height BETWEEN 1 AND 65535),
  byte_size     INTEGER NOT NULL CHECK (byte_size BETWEEN 1 AND 67108864),
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  added_by      INTEGER NOT NULL CHECK (added_by > 0),
  acting_for    INTEGER NOT NULL CHECK (acting_for >= 0),
  consent_id    INTEGER NOT NULL CHECK (consent_id >= 0),
  added_at_ms   INTEGER NOT NULL,
  CHECK ((acting_for = 0) = (consent_id = 0))
);
CREATE INDEX attachments_by_owner ON attachments_files (owner_type, owner_id, id);
CREATE TRIGGER attachments_files_no_update BEFORE UPDATE ON attachments_files
BEGIN
  SELECT RAISE(ABORT, 'attachments are never edited');
END;
CREATE TRIGGER attachments_files_no_delete BEFORE DELETE ON attachments_files
BEGIN
  SELECT RAISE(ABORT, 'attachments are kept');
END;

CREATE TABLE attachments_content (
  attachment_id INTEGER NOT NULL PRIMARY KEY REFERENCES attachments_files (id),
  sealed        BLOB NOT NULL CHECK (typeof(sealed) = 'blob' AND length(sealed) >= 42)
);
CREATE TRIGGER attachments_content_no_update BEFORE UPDATE ON attachments_content
BEGIN
  SELECT RAISE(ABORT, 'attachments are never edited');
END;
CREATE TRIGGER attachments_content_no_delete BEFORE DELETE ON attachments_content
BEGIN
  SELECT RAISE(ABORT, 'attachments are kept');
END;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE attachments_files (
  id            BIGINT NOT NULL PRIMARY KEY,
  owner_type    TEXT COLLATE "C" NOT NULL CHECK (owner_type ~ '^[a-z0-9_]{1,32}$'),
  owner_id      BIGINT NOT NULL CHECK (owner_id > 0),
  division_code TEXT COLLATE "C" NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
  format        TEXT COLLATE "C" NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
  width         INTEGER NOT NULL CHECK (width BETWEEN 1 AND 65535),
  height        INTEGER NOT NULL CHECK (height BETWEEN 1 AND 65535),
  byte_size     BIGINT NOT NULL CHECK (byte_size BETWEEN 1 AND 67108864),
  sha256        TEXT COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  added_by      BIGINT NOT NULL CHECK (added_by > 0),
  acting_for    BIGINT NOT NULL CHECK (acting_for >= 0),
  consent_id    BIGINT NOT NULL CHECK (consent_id >= 0),
  added_at_ms   BIGINT NOT NULL,
  CHECK ((acting_for = 0) = (consent_id = 0))
);
CREATE INDEX attachments_by_owner ON attachments_files (owner_type, owner_id, id);

CREATE TABLE attachments_content (
  attachment_id BIGINT NOT NULL PRIMARY KEY REFERENCES attachments_files (id),
  sealed        BYTEA NOT NULL CHECK (octet_length(sealed) >= 42)
);

CREATE FUNCTION attachments_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% rows are never edited or deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER attachments_files_immutable BEFORE UPDATE OR DELETE ON attachments_files
  FOR EACH ROW EXECUTE FUNCTION attachments_refuse_change();
CREATE TRIGGER attachments_content_immutable BEFORE UPDATE OR DELETE ON attachments_content
  FOR EACH ROW EXECUTE FUNCTION attachments_refuse_change();
)sql";

}  // namespace

const std::vector<storage::Migration>& AttachmentMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"attachments", 1, "create_attachments", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::attachments
