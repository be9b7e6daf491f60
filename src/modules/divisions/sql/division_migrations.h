// The schema of the divisions module: one table, divisions_divisions, keyed by the 12-digit code.
//
// Layer: divisions sql. app/ collects these with every module's migrations (storage/migrate.h).
//
//   divisions_divisions
//     code         TEXT PRIMARY KEY  12-digit canonical form ("420114000000"); subtree queries are
//                                    range scans on it ('420114000000'..'420114999999')
//     name         TEXT NOT NULL     official NBS name
//     short_name   TEXT NOT NULL     display name (ShortName in division.h)
//     level        INTEGER NOT NULL  1 province .. 5 village (Level in division_code.h)
//     parent_code  TEXT NULL         REFERENCES code; NULL for provinces
//   index divisions_divisions_children (parent_code, code, name, short_name): children in code
//   order without touching the table (covering), and counts
//
// level and parent_code are derived from code (DivisionCode) and stored only so that they can be
// indexed and read by other tools. The foreign key makes "every division's parent is stored"
// a guarantee of the store, not only of the importer; on PostgreSQL the key columns use the "C"
// collation so that range scans compare bytes, exactly as SQLite does.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::divisions {

// Version 1 creates the table and its index (SQLite and PostgreSQL texts, same logical schema).
const std::vector<storage::Migration>& DivisionMigrations();

}  // namespace gz::divisions
