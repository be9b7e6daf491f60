// The dry-run report of an import: what each row of the file would become and why, and the
// counts. Kept (sealed) with the import until it is applied or expires, shown by the routes in
// the caller's language.
//
// Layer: residents import domain. The report never holds a full name or ID number: rows carry
// the masked forms of residents/masking.h ("张*", "420102********1234"), so that a clerk can
// recognise a row without the report becoming a second copy of the register.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::residents::import {

// create     a new resident (in a new household, or added to a registered one)
// update     a resident registered in this village whose phone, relation or flags change
// unchanged  a resident registered in this village, nothing to change
// reject     not imported; `reasons` say why
enum class Outcome { kCreate, kUpdate, kUnchanged, kReject };
std::string_view OutcomeCode(Outcome o);  // "create" "update" "unchanged" "reject"

struct Reason {
  std::string code;     // problems::reason::k*
  std::string column;   // letters of the column it is about, "" for a household-level reason
  std::string detail;   // sub-reason code (problems::kDetailTexts), or ""
  int32_t other_row = 0;  // duplicate-in-file: another row with the same ID number
  bool operator==(const Reason&) const = default;
};

struct RowReport {
  int32_t row = 0;               // 1-based, as the clerk's spreadsheet numbers it
  Outcome outcome = Outcome::kReject;
  std::string household;         // the 户号 as written (at most 32 bytes), "" without that column
  int32_t household_row = 0;     // first row of its household group in the file
  std::string name;              // masked
  std::string id_number;         // masked; "" when the cell held no plausible number
  std::vector<std::string> changes;  // update: "phone", "relation", "flags"
  std::vector<Reason> reasons;   // reject only
  bool operator==(const RowReport&) const = default;
};

struct ImportTotals {
  int64_t rows = 0;        // data rows read (skipped rows not included)
  int64_t create = 0;
  int64_t update = 0;
  int64_t unchanged = 0;
  int64_t reject = 0;
  int64_t skipped = 0;     // rows under the header with neither a name nor an ID number (footers, notes)
  int64_t households = 0;  // new households the import would create
  bool operator==(const ImportTotals&) const = default;
};

struct ColumnUse {
  std::string column;  // letters
  std::string field;   // FieldCode, "flag:<code>" for a yes/no flag column, "" when ignored
  std::string header;  // the header text as written (at most 64 bytes)
  bool operator==(const ColumnUse&) const = default;
};

struct ImportReport {
  std::string format;  // "csv" | "xlsx"
  int32_t header_row = 0;
  std::vector<ColumnUse> columns;  // every column with a header, in order
  std::vector<RowReport> rows;
  ImportTotals totals;
  bool operator==(const ImportReport&) const = default;
};

// The report as stored (a JSON document; sealed by the service) and back. kFailedPrecondition
// "crypto/integrity-failure" for a document this code did not write.
std::string EncodeReport(const ImportReport& report);
Result<ImportReport> DecodeReport(std::string_view encoded);

std::string EncodeTotals(const ImportTotals& totals);
ImportTotals DecodeTotals(std::string_view encoded);  // zeros for anything unreadable

// Hex SHA-256 of what the clerk confirmed: every row's number, outcome, household, changes and
// reason codes. Applying re-validates the file against the register as it is then; a different
// digest means the register moved under the report, and the clerk must look again.
std::string ReportDigest(const ImportReport& report);

}  // namespace gz::residents::import
