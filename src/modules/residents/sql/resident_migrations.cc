// Migration texts of the residents module. Layer: residents sql.
#include "modules/residents/sql/resident_migrations.h"

namespace gz::residents {
namespace {

// Sealed columns: typeof() = 'blob' and at least the 42-byte envelope overhead, so a plaintext
// value written by mistake (a TEXT bind) is refused by the database itself. Indexes are 34 bytes.
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE residents_households (
  id             INTEGER NOT NULL PRIMARY KEY,
  county_code    TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code   TEXT NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  address_sealed BLOB NOT NULL CHECK (typeof(address_sealed) = 'blob' AND length(address_sealed) >= 42),
  created_at_ms  INTEGER NOT NULL
);
CREATE INDEX residents_households_by_village ON residents_households (village_code);

CREATE TABLE residents_residents (
  id               INTEGER NOT NULL PRIMARY KEY,
  household_id     INTEGER NOT NULL REFERENCES residents_households (id),
  county_code      TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code     TEXT NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  name_sealed      BLOB NOT NULL CHECK (typeof(name_sealed) = 'blob' AND length(name_sealed) >= 42),
  id_number_sealed BLOB NOT NULL CHECK (typeof(id_number_sealed) = 'blob' AND length(id_number_sealed) >= 42),
  id_number_index  BLOB NOT NULL CHECK (typeof(id_number_index) = 'blob' AND length(id_number_index) = 34),
  phone_sealed     BLOB CHECK (phone_sealed IS NULL OR (typeof(phone_sealed) = 'blob' AND length(phone_sealed) >= 42)),
  phone_index      BLOB CHECK (phone_index IS NULL OR (typeof(phone_index) = 'blob' AND length(phone_index) = 34)),
  gender           INTEGER NOT NULL CHECK (gender IN (1, 2)),
  birth_year       INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 9999),
  relation         TEXT NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'grandchild')),
  created_at_ms    INTEGER NOT NULL,
  CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
);
CREATE UNIQUE INDEX residents_residents_by_id_number ON residents_residents (county_code, id_number_index);
CREATE INDEX residents_residents_by_phone ON residents_residents (county_code, phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX residents_residents_by_village ON residents_residents (village_code, household_id, id);
CREATE INDEX residents_residents_by_household ON residents_residents (household_id);
)sql";

// Same logical schema for issue #8; BYTEA enforces the binary type, octet_length the envelope.
constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE residents_households (
  id             BIGINT NOT NULL PRIMARY KEY,
  county_code    TEXT COLLATE "C" NOT NULL CHECK (length(county_code) = 6),
  village_code   TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  address_sealed BYTEA NOT NULL CHECK (octet_length(address_sealed) >= 42),
  created_at_ms  BIGINT NOT NULL
);
CREATE INDEX residents_households_by_village ON residents_households (village_code);

CREATE TABLE residents_residents (
  id               BIGINT NOT NULL PRIMARY KEY,
  household_id     BIGINT NOT NULL REFERENCES residents_households (id),
  county_code      TEXT COLLATE "C" NOT NULL CHECK (length(county_code) = 6),
  village_code     TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  name_sealed      BYTEA NOT NULL CHECK (octet_length(name_sealed) >= 42),
  id_number_sealed BYTEA NOT NULL CHECK (octet_length(id_number_sealed) >= 42),
  id_number_index  BYTEA NOT NULL CHECK (octet_length(id_number_index) = 34),
  phone_sealed     BYTEA CHECK (octet_length(phone_sealed) >= 42),
  phone_index      BYTEA CHECK (octet_length(phone_index) = 34),
  gender           SMALLINT NOT NULL CHECK (gender IN (1, 2)),
  birth_year       INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 9999),
  relation         TEXT NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'grandchild')),
  created_at_ms    BIGINT NOT NULL,
  CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
);
CREATE UNIQUE INDEX residents_residents_by_id_number ON residents_residents (county_code, id_number_index);
CREATE INDEX residents_residents_by_phone ON residents_residents (county_code, phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX residents_residents_by_village ON residents_residents (village_code, household_id, id);
CREATE INDEX residents_residents_by_household ON residents_residents (household_id);
)sql";

// residents/2 (issue #3): sensitive flags sealed in one column, the name's blind index (duplicate
// checks without decrypting), the issuing region in clear (it is the visible part of a masked ID
// number), change stamps for stale-record checks, one head per household enforced by the
// database, and correction requests with their personal texts sealed. Rows written before keep
// NULL in the new sealed columns: no flags, no name index (the data-quality report counts them).
constexpr std::string_view kFlagsAndCorrectionsSqlite = R"sql(
ALTER TABLE residents_residents ADD COLUMN name_index BLOB
  CHECK (name_index IS NULL OR (typeof(name_index) = 'blob' AND length(name_index) = 34));
ALTER TABLE residents_residents ADD COLUMN flags_sealed BLOB
  CHECK (flags_sealed IS NULL OR (typeof(flags_sealed) = 'blob' AND length(flags_sealed) >= 42));
ALTER TABLE residents_residents ADD COLUMN id_region TEXT
  CHECK (id_region IS NULL OR (length(id_region) = 6 AND id_region NOT GLOB '*[^0-9]*'));
ALTER TABLE residents_residents ADD COLUMN updated_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE residents_residents SET updated_at_ms = created_at_ms;
ALTER TABLE residents_households ADD COLUMN updated_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE residents_households SET updated_at_ms = created_at_ms;
CREATE UNIQUE INDEX residents_residents_one_head ON residents_residents (household_id) WHERE relation = 'head';

CREATE TABLE residents_corrections (
  id                INTEGER NOT NULL PRIMARY KEY,
  resident_id       INTEGER NOT NULL REFERENCES residents_residents (id),
  household_id      INTEGER NOT NULL REFERENCES residents_households (id),
  county_code       TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code      TEXT NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  requester_account INTEGER NOT NULL,
  field             TEXT NOT NULL CHECK (field IN ('name', 'id_number', 'phone', 'address')),
  status            TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
  proposed_sealed   BLOB NOT NULL CHECK (typeof(proposed_sealed) = 'blob' AND length(proposed_sealed) >= 42),
  reason_sealed     BLOB NOT NULL CHECK (typeof(reason_sealed) = 'blob' AND length(reason_sealed) >= 42),
  note_sealed       BLOB CHECK (note_sealed IS NULL OR (typeof(note_sealed) = 'blob' AND length(note_sealed) >= 42)),
  created_at_ms     INTEGER NOT NULL,
  resolver_account  INTEGER NOT NULL DEFAULT 0,
  resolved_at_ms    INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'open') = (note_sealed IS NULL))
);
CREATE INDEX residents_corrections_by_resident ON residents_corrections (resident_id, created_at_ms);
CREATE INDEX residents_corrections_by_village ON residents_corrections (village_code, created_at_ms);
)sql";

constexpr std::string_view kFlagsAndCorrectionsPostgres = R"sql(
ALTER TABLE residents_residents ADD COLUMN name_index BYTEA CHECK (octet_length(name_index) = 34);
ALTER TABLE residents_residents ADD COLUMN flags_sealed BYTEA CHECK (octet_length(flags_sealed) >= 42);
ALTER TABLE residents_residents ADD COLUMN id_region TEXT COLLATE "C" CHECK (id_region ~ '^[0-9]{6}$');
ALTER TABLE residents_residents ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
UPDATE residents_residents SET updated_at_ms = created_at_ms;
ALTER TABLE residents_households ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
UPDATE residents_households SET updated_at_ms = created_at_ms;
CREATE UNIQUE INDEX residents_residents_one_head ON residents_residents (household_id) WHERE relation = 'head';

CREATE TABLE residents_corrections (
  id                BIGINT NOT NULL PRIMARY KEY,
  resident_id       BIGINT NOT NULL REFERENCES residents_residents (id),
  household_id      BIGINT NOT NULL REFERENCES residents_households (id),
  county_code       TEXT COLLATE "C" NOT NULL CHECK (length(county_code) = 6),
  village_code      TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  requester_account BIGINT NOT NULL,
  field             TEXT NOT NULL CHECK (field IN ('name', 'id_number', 'phone', 'address')),
  status            TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
  proposed_sealed   BYTEA NOT NULL CHECK (octet_length(proposed_sealed) >= 42),
  reason_sealed     BYTEA NOT NULL CHECK (octet_length(reason_sealed) >= 42),
  note_sealed       BYTEA CHECK (octet_length(note_sealed) >= 42),
  created_at_ms     BIGINT NOT NULL,
  resolver_account  BIGINT NOT NULL DEFAULT 0,
  resolved_at_ms    BIGINT NOT NULL DEFAULT 0,
  CHECK ((status = 'open') = (note_sealed IS NULL))
);
CREATE INDEX residents_corrections_by_resident ON residents_corrections (resident_id, created_at_ms);
CREATE INDEX residents_corrections_by_village ON residents_corrections (village_code, created_at_ms);
)sql";

// A village's households a page at a time in id order (residents.households): with the index on
// the village alone PostgreSQL's generic plan walked the primary key in id order and filtered
// every household of the database by village to avoid a sort (4.5 ms for a 37-household village
// of a 16,000-household county, and linear in the province). With (village_code, id) the page is
// a range of one index. The same text on both dialects (on SQLite the rowid already ordered the
// old index; the new one is the same logical index there).
constexpr std::string_view kHouseholdsByVillageInIdOrder = R"sql(
DROP INDEX residents_households_by_village;
CREATE INDEX residents_households_by_village ON residents_households (village_code, id);
)sql";

}  // namespace

const std::vector<storage::Migration>& ResidentMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"residents", 1, "create_households_and_residents", kCreateSqlite, kCreatePostgres},
      {"residents", 2, "flags_stamps_and_corrections", kFlagsAndCorrectionsSqlite, kFlagsAndCorrectionsPostgres},
      {"residents", 3, "households_by_village_in_id_order", kHouseholdsByVillageInIdOrder,
       kHouseholdsByVillageInIdOrder},
  };
  return migrations;
}

}  // namespace gz::residents
