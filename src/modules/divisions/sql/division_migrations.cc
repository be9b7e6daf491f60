// Migration texts of the divisions module. Layer: divisions sql.
#include "modules/divisions/sql/division_migrations.h"

namespace gz::divisions {
namespace {

// WITHOUT ROWID: the table is its primary-key b-tree, so range scans on code read rows in place.
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE divisions_divisions (
  code        TEXT NOT NULL PRIMARY KEY CHECK (length(code) = 12),
  name        TEXT NOT NULL CHECK (name <> ''),
  short_name  TEXT NOT NULL CHECK (short_name <> ''),
  level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code TEXT REFERENCES divisions_divisions (code),
  CHECK ((level = 1) = (parent_code IS NULL))
) WITHOUT ROWID;
CREATE INDEX divisions_divisions_by_parent ON divisions_divisions (parent_code, code);
)sql";

// Same logical schema; COLLATE "C" so that BETWEEN on codes is a byte range on the index.
constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE divisions_divisions (
  code        TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(code) = 12),
  name        TEXT NOT NULL CHECK (name <> ''),
  short_name  TEXT NOT NULL CHECK (short_name <> ''),
  level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code TEXT COLLATE "C" REFERENCES divisions_divisions (code),
  CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX divisions_divisions_by_parent ON divisions_divisions (parent_code, code);
)sql";

// Listing children is the hot read (every village picker, every page that names a village):
// an index that carries the names answers it without a second b-tree lookup per row.
constexpr std::string_view kCoveringChildrenIndex = R"sql(
CREATE INDEX divisions_divisions_children ON divisions_divisions (parent_code, code, name, short_name);
DROP INDEX divisions_divisions_by_parent;
)sql";

}  // namespace

const std::vector<storage::Migration>& DivisionMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"divisions", 1, "create_divisions", kCreateSqlite, kCreatePostgres},
      {"divisions", 2, "covering_children_index", kCoveringChildrenIndex, kCoveringChildrenIndex},
  };
  return migrations;
}

}  // namespace gz::divisions
