// The dry run: what every row of a village register would become, and the plan of writes that
// the apply step carries out.
//
// Layer: residents import domain. Reads the register through RegisterLookup and writes nothing.
//
// Rules (the README of this folder has the full list of reasons):
//   - A row needs a name, an ID number that passes GB 11643 and the registry's cross-checks, and a
//     relation to the head that the register can store; a phone, when given, must be a mobile
//     number; a gender or birth date column, when present and filled, must agree with the ID
//     number (a 出生年月 column holding only year and month is compared on those).
//   - An ID number that appears twice in the file rejects every row that has it.
//   - Rows group into households by 户号. An empty 户号 continues the household above (merged
//     cells keep their value in the first row only), except on a head's row, which starts a new
//     household. Without a 户号 column, each head starts a household and the rows under it join it.
//   - A person already registered in this village is an update of phone (when given), relation
//     and flags (when the file has flags), or "unchanged"; the name must be the registered one.
//     Registered in another village of the county: rejected (moving people is not an import).
//   - A household with no registered member becomes a new household: it needs exactly one head,
//     whose row must be valid, an address (the head's, else the first given in the household) and
//     at most 20 members. Rows of a household with registered members join that household; the
//     head rules are checked on the household as it would be after the import.
//   - Rows with neither a name nor an ID number (footers such as "制表人：", notes) are skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/import/column_mapping.h"
#include "modules/residents/import/import_report.h"
#include "modules/residents/import/register_lookup.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_registry.h"
#include "tabular/table.h"

namespace gz::residents::import {

// The writes an import makes, in the order it makes them. Holds personal data in memory only:
// it is rebuilt from the sealed file when the import is applied, never stored.
struct ImportPlan {
  struct Household {
    NewHousehold household;
    std::vector<int32_t> rows;  // file rows of its members, in member order
  };
  struct Member {  // added to a registered household
    HouseholdId household;
    NewResident resident;
    int32_t row = 0;
  };
  struct Update {
    ResidentId resident;
    ResidentChange change;
    int32_t row = 0;
    // Demotions from head first and promotions to head last, so that the store's one-head check
    // holds after every single update of a head change.
    int order = 1;
  };
  std::vector<Household> households;
  std::vector<Member> members;
  std::vector<Update> updates;

  int64_t Writes() const;  // residents created or updated
};

struct ValidatedImport {
  ImportReport report;
  ImportPlan plan;
};

struct ValidationContext {
  std::string village_code;  // 12 digits, a village the caller may import into
  CivilDate today;           // in China
  std::string format;        // "csv" | "xlsx", for the report
};

struct ImportLimits {
  size_t max_file_bytes = 10u << 20;
  int32_t max_rows = 50'000;  // data rows
};

// processed <= total; approximate (rows read count half, registered rows checked the other half).
using ProgressFn = std::function<void(int64_t processed, int64_t total)>;

// Validates a table already read. File-level errors: those of MapColumns, and
// residents-import/no-data-rows, residents-import/too-many-rows {limit}. Lookup errors pass through.
Result<ValidatedImport> ValidateTable(const tabular::Table& table, const ValidationContext& context,
                                      const ImportLimits& limits, RegisterLookup& lookup, const ProgressFn& progress);

// Reads `bytes` (CSV or .xlsx, by magic) with tabular's hostile-file limits, then ValidateTable.
// Adds the reader's errors (tabular/bad-csv {row} {column} ..., tabular/too-large, ...), and
// residents-import/empty-file. Sets context.format from the bytes.
Result<ValidatedImport> ValidateFile(std::string_view bytes, ValidationContext context, const ImportLimits& limits,
                                     RegisterLookup& lookup, const ProgressFn& progress);

// "csv" or "xlsx" for the bytes, as the reader will take them.
std::string_view FormatOf(std::string_view bytes);

}  // namespace gz::residents::import
