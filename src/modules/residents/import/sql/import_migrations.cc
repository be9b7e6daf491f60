// Migration texts of resident imports. Layer: residents import sql.
#include "modules/residents/import/sql/import_migrations.h"

namespace gz::residents::import {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE residents_imports (
  id            INTEGER NOT NULL PRIMARY KEY,
  county_code   TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code  TEXT NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  created_by    INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('queued', 'validated', 'applied', 'failed', 'expired')),
  format        TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
  file_bytes    INTEGER NOT NULL,
  total_rows    INTEGER NOT NULL DEFAULT 0,
  totals        TEXT NOT NULL DEFAULT '{}',
  report_digest TEXT NOT NULL DEFAULT '',
  failure       TEXT NOT NULL DEFAULT '',
  file_sealed   BLOB CHECK (file_sealed IS NULL OR (typeof(file_sealed) = 'blob' AND length(file_sealed) >= 42)),
  report_sealed BLOB CHECK (report_sealed IS NULL OR (typeof(report_sealed) = 'blob' AND length(report_sealed) >= 42)),
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  applied_at_ms INTEGER NOT NULL DEFAULT 0,
  applied_by    INTEGER NOT NULL DEFAULT 0,
  CHECK (status NOT IN ('applied', 'failed', 'expired') OR file_sealed IS NULL)
);
CREATE INDEX residents_imports_by_village ON residents_imports (village_code, created_at_ms);
CREATE INDEX residents_imports_holding ON residents_imports (expires_at_ms)
  WHERE file_sealed IS NOT NULL OR report_sealed IS NOT NULL;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE residents_imports (
  id            BIGINT NOT NULL PRIMARY KEY,
  county_code   TEXT COLLATE "C" NOT NULL CHECK (length(county_code) = 6),
  village_code  TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12 AND substr(village_code, 1, 6) = county_code),
  created_by    BIGINT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('queued', 'validated', 'applied', 'failed', 'expired')),
  format        TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
  file_bytes    BIGINT NOT NULL,
  total_rows    BIGINT NOT NULL DEFAULT 0,
  totals        TEXT NOT NULL DEFAULT '{}',
  report_digest TEXT NOT NULL DEFAULT '',
  failure       TEXT NOT NULL DEFAULT '',
  file_sealed   BYTEA CHECK (octet_length(file_sealed) >= 42),
  report_sealed BYTEA CHECK (octet_length(report_sealed) >= 42),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  applied_at_ms BIGINT NOT NULL DEFAULT 0,
  applied_by    BIGINT NOT NULL DEFAULT 0,
  CHECK (status NOT IN ('applied', 'failed', 'expired') OR file_sealed IS NULL)
);
CREATE INDEX residents_imports_by_village ON residents_imports (village_code, created_at_ms);
CREATE INDEX residents_imports_holding ON residents_imports (expires_at_ms)
  WHERE file_sealed IS NOT NULL OR report_sealed IS NOT NULL;
)sql";

}  // namespace

const std::vector<storage::Migration>& ImportMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"residents_import", 1, "create_residents_imports", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::residents::import
