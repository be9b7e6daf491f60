// SeedDemoResidents: fills demo villages with synthetic households and residents.
//
// Layer: residents domain (service). What `gongzhi seed-demo` calls, after migrations, with the
// village-level codes of the demo county from the divisions store:
//
//   GZ_RETURN_IF_ERROR(storage::ApplyMigrations(db, all_migrations, clock));  // incl. ResidentMigrations()
//   GZ_ASSIGN_OR_RETURN(crypto::KeyRing ring, crypto::LoadOrCreateKeyFile(
//       crypto::DefaultKeyFilePath(data_dir)));
//   GZ_ASSIGN_OR_RETURN(crypto::FieldCipher cipher, crypto::FieldCipher::Create(ring));
//   residents::SqlResidentStore store(db);                     // sql/sql_resident_store.h
//   GZ_ASSIGN_OR_RETURN(residents::SeedReport report,
//       residents::SeedDemoResidents(store, cipher, village_codes, {}));
//
// Every resident is synthetic (synthetic_population.h; docs/decisions/0005): names drawn from
// surname and given-name statistics, GB 11643-valid ID numbers with the village's county code and
// sequence 996-999, phone numbers in the unallocated 154 prefix. Everything goes through
// ResidentRegistry, so it is validated and sealed exactly as real data would be.
//
// Idempotent: a village that already has residents is skipped (and reported as such), so a second
// run adds nothing and a run after new villages appear fills only those. Same codes and options on
// an empty store -> the same people. Each village's households are fixed by its code; only the
// day or sequence of an ID number can differ if other villages were seeded first (numbers never
// repeat within a county).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/resident_store.h"
#include "modules/residents/synthetic_population.h"

namespace gz::residents {

struct SeedOptions {
  // Ages are counted on this date and everyone is born before it. Default: 1 January of the
  // current year in China, so a re-seed within the year gives the same birth dates.
  // Must not be after today.
  std::optional<CivilDate> reference_date;
  int min_households_per_village = 20;
  int max_households_per_village = 60;
  // Villages written per write transaction (one COMMIT each). 25 villages ~ 4,000 rows.
  int villages_per_transaction = 25;
  uint64_t salt = 0;            // another salt, another population
  const Clock* clock = nullptr;  // default: SystemClock::Instance()
  // kWide only for province-scale bench data: more than about 100,000 residents in a county.
  SyntheticRange id_range = SyntheticRange::kStandard;
};

struct SeedReport {
  int villages_requested = 0;   // distinct codes given
  int villages_seeded = 0;
  int villages_skipped = 0;     // already had residents
  int64_t households = 0;
  int64_t residents = 0;
  int64_t residents_with_phone = 0;
  int64_t households_without_phone = 0;
  int transactions = 0;
};

// Seeds every village of `village_codes` (12-digit NBS codes; duplicates ignored) that has no
// residents yet. Returns kInvalidArgument "residents/bad-village-code" (argument "code") before
// writing anything if a code is malformed, kInvalidArgument "residents/bad-seed-options"
// (argument "reason") for options out of range, or the first registry / store error; villages of
// earlier transactions then stay seeded and a re-run completes the rest.
Result<SeedReport> SeedDemoResidents(ResidentStore& store, const crypto::FieldCipher& cipher,
                                     std::span<const std::string> village_codes, const SeedOptions& options);

}  // namespace gz::residents
