// Migration texts of the consents module. Layer: consents sql.
#include "modules/consents/sql/consent_migrations.h"

namespace gz::consents {
namespace {

// The CHECKs restate the domain's rules (a window of at most 366 days; evidence exactly for the
// in-person methods; a call time exactly for phone calls; revoked_at and revoked_by together), so
// that a row written around the service is refused by the database itself.
// consents_active_pair serves access::ConsentLookup::FindActive, the query of every acted-for
// request: (helper, villager) equality and a range on valid_until over non-revoked rows only.
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE consents_consents (
  id                  INTEGER NOT NULL PRIMARY KEY,
  villager_account    INTEGER NOT NULL CHECK (villager_account > 0),
  helper_account      INTEGER NOT NULL CHECK (helper_account > 0 AND helper_account <> villager_account),
  village_code        TEXT NOT NULL CHECK (length(village_code) = 12),
  actions             TEXT NOT NULL CHECK (length(actions) BETWEEN 1 AND 2200),
  valid_from_ms       INTEGER NOT NULL,
  valid_until_ms      INTEGER NOT NULL CHECK (valid_until_ms > valid_from_ms AND valid_until_ms - valid_from_ms <= 31622400000),
  method              TEXT NOT NULL CHECK (method IN ('in_person_signature', 'in_person_thumbprint', 'phone_call', 'in_app')),
  evidence_sha256     TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
  evidence_media_type TEXT CHECK (evidence_media_type IS NULL OR evidence_media_type IN ('image/jpeg', 'image/png')),
  evidence_bytes      INTEGER CHECK (evidence_bytes IS NULL OR evidence_bytes BETWEEN 1 AND 2097152),
  call_at_ms          INTEGER,
  recorded_by         INTEGER NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms      INTEGER NOT NULL,
  revoked_at_ms       INTEGER,
  revoked_by          INTEGER,
  revoke_reason       TEXT CHECK (revoke_reason IS NULL OR length(revoke_reason) <= 200),
  CHECK ((method IN ('in_person_signature', 'in_person_thumbprint')) =
         (evidence_sha256 IS NOT NULL AND evidence_media_type IS NOT NULL AND evidence_bytes IS NOT NULL)),
  CHECK ((method = 'phone_call') = (call_at_ms IS NOT NULL)),
  CHECK ((revoked_at_ms IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX consents_active_pair ON consents_consents (helper_account, villager_account, valid_until_ms)
  WHERE revoked_at_ms IS NULL;
CREATE INDEX consents_by_village ON consents_consents (village_code, id);
CREATE INDEX consents_by_villager ON consents_consents (villager_account, id);
CREATE INDEX consents_by_helper ON consents_consents (helper_account, id);

CREATE TRIGGER consents_consents_only_revocation BEFORE UPDATE ON consents_consents
WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.villager_account IS NOT OLD.villager_account
  OR NEW.helper_account IS NOT OLD.helper_account OR NEW.village_code IS NOT OLD.village_code
  OR NEW.actions IS NOT OLD.actions OR NEW.valid_from_ms IS NOT OLD.valid_from_ms
  OR NEW.valid_until_ms IS NOT OLD.valid_until_ms OR NEW.method IS NOT OLD.method
  OR NEW.evidence_sha256 IS NOT OLD.evidence_sha256 OR NEW.evidence_media_type IS NOT OLD.evidence_media_type
  OR NEW.evidence_bytes IS NOT OLD.evidence_bytes OR NEW.call_at_ms IS NOT OLD.call_at_ms
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at_ms IS NOT OLD.recorded_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a consent is never edited; it can only be revoked, once');
END;
CREATE TRIGGER consents_consents_no_delete BEFORE DELETE ON consents_consents
BEGIN
  SELECT RAISE(ABORT, 'consents are kept; revoke instead');
END;

CREATE TABLE consents_evidence (
  consent_id     INTEGER NOT NULL PRIMARY KEY REFERENCES consents_consents (id),
  kind           TEXT NOT NULL CHECK (kind IN ('image', 'attestation')),
  content_sealed BLOB NOT NULL CHECK (typeof(content_sealed) = 'blob' AND length(content_sealed) >= 42)
);
CREATE TRIGGER consents_evidence_no_update BEFORE UPDATE ON consents_evidence
BEGIN
  SELECT RAISE(ABORT, 'evidence is never edited');
END;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE consents_consents (
  id                  BIGINT NOT NULL PRIMARY KEY,
  villager_account    BIGINT NOT NULL CHECK (villager_account > 0),
  helper_account      BIGINT NOT NULL CHECK (helper_account > 0 AND helper_account <> villager_account),
  village_code        TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  actions             TEXT COLLATE "C" NOT NULL CHECK (length(actions) BETWEEN 1 AND 2200),
  valid_from_ms       BIGINT NOT NULL,
  valid_until_ms      BIGINT NOT NULL CHECK (valid_until_ms > valid_from_ms AND valid_until_ms - valid_from_ms <= 31622400000),
  method              TEXT COLLATE "C" NOT NULL
                        CHECK (method IN ('in_person_signature', 'in_person_thumbprint', 'phone_call', 'in_app')),
  evidence_sha256     TEXT COLLATE "C" CHECK (length(evidence_sha256) = 64),
  evidence_media_type TEXT COLLATE "C" CHECK (evidence_media_type IN ('image/jpeg', 'image/png')),
  evidence_bytes      BIGINT CHECK (evidence_bytes BETWEEN 1 AND 2097152),
  call_at_ms          BIGINT,
  recorded_by         BIGINT NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms      BIGINT NOT NULL,
  revoked_at_ms       BIGINT,
  revoked_by          BIGINT,
  revoke_reason       TEXT CHECK (length(revoke_reason) <= 200),
  CHECK ((method IN ('in_person_signature', 'in_person_thumbprint')) =
         (evidence_sha256 IS NOT NULL AND evidence_media_type IS NOT NULL AND evidence_bytes IS NOT NULL)),
  CHECK ((method = 'phone_call') = (call_at_ms IS NOT NULL)),
  CHECK ((revoked_at_ms IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX consents_active_pair ON consents_consents (helper_account, villager_account, valid_until_ms)
  WHERE revoked_at_ms IS NULL;
CREATE INDEX consents_by_village ON consents_consents (village_code, id);
CREATE INDEX consents_by_villager ON consents_consents (villager_account, id);
CREATE INDEX consents_by_helper ON consents_consents (helper_account, id);

CREATE FUNCTION consents_consents_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'consents are kept; revoke instead' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
     OR (NEW.id, NEW.villager_account, NEW.helper_account, NEW.village_code, NEW.actions, NEW.valid_from_ms,
         NEW.valid_until_ms, NEW.method, NEW.evidence_sha256, NEW.evidence_media_type, NEW.evidence_bytes,
         NEW.call_at_ms, NEW.recorded_by, NEW.recorded_at_ms)
        IS DISTINCT FROM
        (OLD.id, OLD.villager_account, OLD.helper_account, OLD.village_code, OLD.actions, OLD.valid_from_ms,
         OLD.valid_until_ms, OLD.method, OLD.evidence_sha256, OLD.evidence_media_type, OLD.evidence_bytes,
         OLD.call_at_ms, OLD.recorded_by, OLD.recorded_at_ms) THEN
    RAISE EXCEPTION 'a consent is never edited; it can only be revoked, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER consents_consents_only_revocation BEFORE UPDATE OR DELETE ON consents_consents
  FOR EACH ROW EXECUTE FUNCTION consents_consents_guard();

CREATE TABLE consents_evidence (
  consent_id     BIGINT NOT NULL PRIMARY KEY REFERENCES consents_consents (id),
  kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('image', 'attestation')),
  content_sealed BYTEA NOT NULL CHECK (octet_length(content_sealed) >= 42)
);
CREATE FUNCTION consents_evidence_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'evidence is never edited' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER consents_evidence_no_update BEFORE UPDATE ON consents_evidence
  FOR EACH ROW EXECUTE FUNCTION consents_evidence_refuse_update();
)sql";


// Version 2: the sms_code method (a code the villager received by SMS and told the helper) and
// the challenges such codes are checked against. SQLite cannot change a CHECK in place, so the
// consents table is rebuilt. Renaming the old table first makes SQLite repoint
// consents_evidence's foreign key at it; the old evidence table is then dropped before the old
// consents, so no foreign key ever points at a missing row inside the transaction.
constexpr std::string_view kSmsSqlite = R"sql(
ALTER TABLE consents_consents RENAME TO consents_consents_v1;
DROP INDEX consents_active_pair;
DROP INDEX consents_by_village;
DROP INDEX consents_by_villager;
DROP INDEX consents_by_helper;
DROP TRIGGER consents_consents_only_revocation;
DROP TRIGGER consents_consents_no_delete;
CREATE TABLE consents_consents (
  id                  INTEGER NOT NULL PRIMARY KEY,
  villager_account    INTEGER NOT NULL CHECK (villager_account > 0),
  helper_account      INTEGER NOT NULL CHECK (helper_account > 0 AND helper_account <> villager_account),
  village_code        TEXT NOT NULL CHECK (length(village_code) = 12),
  actions             TEXT NOT NULL CHECK (length(actions) BETWEEN 1 AND 2200),
  valid_from_ms       INTEGER NOT NULL,
  valid_until_ms      INTEGER NOT NULL CHECK (valid_until_ms > valid_from_ms AND valid_until_ms - valid_from_ms <= 31622400000),
  method              TEXT NOT NULL CHECK (method IN ('in_person_signature', 'in_person_thumbprint', 'phone_call', 'in_app', 'sms_code')),
  evidence_sha256     TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
  evidence_media_type TEXT CHECK (evidence_media_type IS NULL OR evidence_media_type IN ('image/jpeg', 'image/png')),
  evidence_bytes      INTEGER CHECK (evidence_bytes IS NULL OR evidence_bytes BETWEEN 1 AND 2097152),
  call_at_ms          INTEGER,
  recorded_by         INTEGER NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms      INTEGER NOT NULL,
  revoked_at_ms       INTEGER,
  revoked_by          INTEGER,
  revoke_reason       TEXT CHECK (revoke_reason IS NULL OR length(revoke_reason) <= 200),
  CHECK ((method IN ('in_person_signature', 'in_person_thumbprint')) =
         (evidence_sha256 IS NOT NULL AND evidence_media_type IS NOT NULL AND evidence_bytes IS NOT NULL)),
  CHECK ((method = 'phone_call') = (call_at_ms IS NOT NULL)),
  CHECK ((revoked_at_ms IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX consents_active_pair ON consents_consents (helper_account, villager_account, valid_until_ms)
  WHERE revoked_at_ms IS NULL;
CREATE INDEX consents_by_village ON consents_consents (village_code, id);
CREATE INDEX consents_by_villager ON consents_consents (villager_account, id);
CREATE INDEX consents_by_helper ON consents_consents (helper_account, id);

CREATE TRIGGER consents_consents_only_revocation BEFORE UPDATE ON consents_consents
WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.villager_account IS NOT OLD.villager_account
  OR NEW.helper_account IS NOT OLD.helper_account OR NEW.village_code IS NOT OLD.village_code
  OR NEW.actions IS NOT OLD.actions OR NEW.valid_from_ms IS NOT OLD.valid_from_ms
  OR NEW.valid_until_ms IS NOT OLD.valid_until_ms OR NEW.method IS NOT OLD.method
  OR NEW.evidence_sha256 IS NOT OLD.evidence_sha256 OR NEW.evidence_media_type IS NOT OLD.evidence_media_type
  OR NEW.evidence_bytes IS NOT OLD.evidence_bytes OR NEW.call_at_ms IS NOT OLD.call_at_ms
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at_ms IS NOT OLD.recorded_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a consent is never edited; it can only be revoked, once');
END;
CREATE TRIGGER consents_consents_no_delete BEFORE DELETE ON consents_consents
BEGIN
  SELECT RAISE(ABORT, 'consents are kept; revoke instead');
END;

INSERT INTO consents_consents SELECT * FROM consents_consents_v1;
ALTER TABLE consents_evidence RENAME TO consents_evidence_v1;
DROP TRIGGER consents_evidence_no_update;
CREATE TABLE consents_evidence (
  consent_id     INTEGER NOT NULL PRIMARY KEY REFERENCES consents_consents (id),
  kind           TEXT NOT NULL CHECK (kind IN ('image', 'attestation')),
  content_sealed BLOB NOT NULL CHECK (typeof(content_sealed) = 'blob' AND length(content_sealed) >= 42)
);
CREATE TRIGGER consents_evidence_no_update BEFORE UPDATE ON consents_evidence
BEGIN
  SELECT RAISE(ABORT, 'evidence is never edited');
END;
INSERT INTO consents_evidence SELECT * FROM consents_evidence_v1;
DROP TABLE consents_evidence_v1;
DROP TABLE consents_consents_v1;

CREATE TABLE consents_sms_challenges (
  id                INTEGER NOT NULL PRIMARY KEY,
  villager_account  INTEGER NOT NULL CHECK (villager_account > 0),
  helper_account    INTEGER NOT NULL CHECK (helper_account > 0 AND helper_account <> villager_account),
  village_code      TEXT NOT NULL CHECK (length(village_code) = 12),
  actions           TEXT NOT NULL CHECK (length(actions) BETWEEN 1 AND 2200),
  valid_from_ms     INTEGER NOT NULL,
  valid_until_ms    INTEGER NOT NULL CHECK (valid_until_ms > valid_from_ms AND valid_until_ms - valid_from_ms <= 31622400000),
  code_index        BLOB NOT NULL CHECK (typeof(code_index) = 'blob' AND length(code_index) = 34),
  attempts          INTEGER NOT NULL CHECK (attempts BETWEEN 0 AND 5),
  requested_by      INTEGER NOT NULL CHECK (requested_by > 0),
  requested_at_ms   INTEGER NOT NULL,
  expires_at_ms     INTEGER NOT NULL CHECK (expires_at_ms > requested_at_ms),
  consent_id        INTEGER REFERENCES consents_consents (id)
);
CREATE INDEX consents_sms_by_villager ON consents_sms_challenges (villager_account, requested_at_ms);
CREATE INDEX consents_sms_by_requester ON consents_sms_challenges (requested_by, requested_at_ms);
CREATE TRIGGER consents_sms_challenges_guard BEFORE UPDATE ON consents_sms_challenges
WHEN OLD.consent_id IS NOT NULL OR NEW.attempts < OLD.attempts OR NEW.attempts > OLD.attempts + 1
  OR NEW.id IS NOT OLD.id
  OR NEW.villager_account IS NOT OLD.villager_account
  OR NEW.helper_account IS NOT OLD.helper_account
  OR NEW.village_code IS NOT OLD.village_code
  OR NEW.actions IS NOT OLD.actions
  OR NEW.valid_from_ms IS NOT OLD.valid_from_ms
  OR NEW.valid_until_ms IS NOT OLD.valid_until_ms
  OR NEW.code_index IS NOT OLD.code_index
  OR NEW.requested_by IS NOT OLD.requested_by
  OR NEW.requested_at_ms IS NOT OLD.requested_at_ms
  OR NEW.expires_at_ms IS NOT OLD.expires_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a code challenge only counts wrong attempts and is used once');
END;
CREATE TRIGGER consents_sms_challenges_no_delete BEFORE DELETE ON consents_sms_challenges
BEGIN
  SELECT RAISE(ABORT, 'code challenges are kept');
END;
)sql";

constexpr std::string_view kSmsPostgres = R"sql(
ALTER TABLE consents_consents DROP CONSTRAINT consents_consents_method_check,
  ADD CONSTRAINT consents_consents_method_check
    CHECK (method IN ('in_person_signature', 'in_person_thumbprint', 'phone_call', 'in_app', 'sms_code'));

CREATE TABLE consents_sms_challenges (
  id                BIGINT NOT NULL PRIMARY KEY,
  villager_account  BIGINT NOT NULL CHECK (villager_account > 0),
  helper_account    BIGINT NOT NULL CHECK (helper_account > 0 AND helper_account <> villager_account),
  village_code      TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  actions           TEXT COLLATE "C" NOT NULL CHECK (length(actions) BETWEEN 1 AND 2200),
  valid_from_ms     BIGINT NOT NULL,
  valid_until_ms    BIGINT NOT NULL CHECK (valid_until_ms > valid_from_ms AND valid_until_ms - valid_from_ms <= 31622400000),
  code_index        BYTEA NOT NULL CHECK (octet_length(code_index) = 34),
  attempts          INTEGER NOT NULL CHECK (attempts BETWEEN 0 AND 5),
  requested_by      BIGINT NOT NULL CHECK (requested_by > 0),
  requested_at_ms   BIGINT NOT NULL,
  expires_at_ms     BIGINT NOT NULL CHECK (expires_at_ms > requested_at_ms),
  consent_id        BIGINT REFERENCES consents_consents (id)
);
CREATE INDEX consents_sms_by_villager ON consents_sms_challenges (villager_account, requested_at_ms);
CREATE INDEX consents_sms_by_requester ON consents_sms_challenges (requested_by, requested_at_ms);
CREATE FUNCTION consents_sms_challenges_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'code challenges are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.consent_id IS NOT NULL OR NEW.attempts < OLD.attempts OR NEW.attempts > OLD.attempts + 1
     OR (NEW.id, NEW.villager_account, NEW.helper_account, NEW.village_code, NEW.actions, NEW.valid_from_ms, NEW.valid_until_ms, NEW.code_index, NEW.requested_by, NEW.requested_at_ms, NEW.expires_at_ms) IS DISTINCT FROM (OLD.id, OLD.villager_account, OLD.helper_account, OLD.village_code, OLD.actions, OLD.valid_from_ms, OLD.valid_until_ms, OLD.code_index, OLD.requested_by, OLD.requested_at_ms, OLD.expires_at_ms) THEN
    RAISE EXCEPTION 'a code challenge only counts wrong attempts and is used once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER consents_sms_challenges_guard BEFORE UPDATE OR DELETE ON consents_sms_challenges
  FOR EACH ROW EXECUTE FUNCTION consents_sms_challenges_guard();
)sql";

}  // namespace

const std::vector<storage::Migration>& ConsentMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"consents", 1, "create_consents_and_evidence", kCreateSqlite, kCreatePostgres},
      {"consents", 2, "sms_code_consents", kSmsSqlite, kSmsPostgres},
  };
  return migrations;
}

}  // namespace gz::consents
