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

}  // namespace

const std::vector<storage::Migration>& ResidentMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"residents", 1, "create_households_and_residents", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::residents
