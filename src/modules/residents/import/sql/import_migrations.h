// Schema migrations of resident imports (module "residents_import"; SQLite and PostgreSQL).
//
// Layer: residents import sql. app/ registers them after the residents migrations.
//
//   residents_imports  id | county_code | village_code | created_by | status | format | file_bytes
//                      | total_rows | totals (JSON counts) | report_digest | failure (JSON: slug and
//                      positions, never cell text) | file_sealed? | report_sealed? | created_at_ms
//                      | updated_at_ms | expires_at_ms | applied_at_ms | applied_by
// The two sealed columns are FieldCipher envelopes (BLOB / BYTEA, CHECKed at least envelope
// size): the uploaded file and the dry-run report, both personal data. They are set to NULL when
// the import is applied (file), fails (file) or expires (both).
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::residents::import {

const std::vector<storage::Migration>& ImportMigrations();

}  // namespace gz::residents::import
