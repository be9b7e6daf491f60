// The data-quality report of a village (数据质量报告): what a cadre should fix in the register.
//
// Layer: residents domain (service). Built from clear facts and blind indexes only -- it never
// decrypts a field, so producing it is not a read of personal data, and it names residents and
// households by id, never by name:
//   completeness  residents without a phone; households without a head (or with several)
//   duplicates    residents of the village with the same name (blind index) and birth year
//   invalid       ID numbers that fail today's rules (region prefix no longer plausible, region
//                 code unknown to RegionCodes) and impossible ages (born in a future year, or more
//                 than 120 years ago by birth year)
//   stale         records not changed for `stale_years` years
//   region notes  residents whose ID number was issued outside the village's county: NOT an
//                 error (people move), listed so that a cadre can confirm them
// The check character and the birth date were verified when the number was registered and do
// not change with time, so they are not re-checked here. Rows written before migration
// residents/2 have no name index or region column: they are counted in `not_checked`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "modules/residents/places.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr int kDefaultStaleYears = 3;
inline constexpr int kMaxStaleYears = 100;
inline constexpr size_t kMaxIdsPerFinding = 1000;

struct DataQualityOptions {
  int stale_years = kDefaultStaleYears;  // 1..100
};

// A finding: how many, and which (at most kMaxIdsPerFinding ids, ascending).
struct Finding {
  int64_t count = 0;
  std::vector<int64_t> ids;
};

struct InvalidIdNumber {
  int64_t resident = 0;
  std::string reason;  // "region" | "unknown-region"
};

struct RegionNote {
  int64_t resident = 0;
  std::string region;  // the 6-digit issuing region (shown in masked views too)
};

struct DataQualityReport {
  std::string village_code;
  int64_t generated_at_ms = 0;
  int stale_years = kDefaultStaleYears;
  int64_t households = 0;
  int64_t residents = 0;
  // completeness
  Finding missing_phone;             // residents
  Finding households_without_head;   // households
  Finding households_with_several_heads;
  // duplicates: groups of resident ids (each group >= 2), and how many residents they hold
  std::vector<std::vector<int64_t>> duplicate_groups;
  int64_t duplicate_residents = 0;
  // invalid values
  std::vector<InvalidIdNumber> invalid_id_numbers;
  Finding impossible_ages;
  // stale records
  Finding stale_residents;
  Finding stale_households;
  // notes
  std::vector<RegionNote> region_notes;
  Finding not_checked;  // residents without the residents/2 columns
};

// kInvalidArgument residents/bad-query (param "stale_years") when options are out of range;
// storage errors pass through. `regions` may be null (the unknown-region check is then skipped).
Result<DataQualityReport> BuildDataQualityReport(ResidentStore& store, std::string_view village_code,
                                                 const Clock& clock, const RegionCodes* regions,
                                                 const DataQualityOptions& options = {});

}  // namespace gz::residents
