// ResidentStore: the port through which the residents module reaches its tables.
//
// Layer: residents domain (interface). Implementations: sql/resident_store_sql.h (SQLite and
// PostgreSQL through storage::Db) and testing/in_memory_resident_store.h (tests). The store only
// ever sees sealed personal fields and blind indexes (personal_data_sealing.h); it cannot read a
// name, an ID number or a phone number, and never needs to.
//
// Every method is one transaction and is safe to call from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/residents/resident.h"

namespace gz::residents {

// A household row: facts in clear, the address sealed (FieldCipher envelope).
struct SealedHousehold {
  HouseholdInfo info;
  std::string address_sealed;
  bool operator==(const SealedHousehold&) const = default;
};

// A resident row. `*_index` are blind indexes of the normalized values (34 bytes each).
struct SealedResident {
  ResidentInfo info;
  std::string name_sealed;
  std::string id_number_sealed;
  std::string id_number_index;
  std::optional<std::string> phone_sealed;  // both set or both empty
  std::optional<std::string> phone_index;
  bool operator==(const SealedResident&) const = default;
};

struct SealedHouseholdWithMembers {
  SealedHousehold household;
  std::vector<SealedResident> members;  // each with info.household_id == household.info.id
};

struct VillageCount {
  std::string village_code;
  int64_t households = 0;
  int64_t residents = 0;
  bool operator==(const VillageCount&) const = default;
};

class ResidentStore {
 public:
  virtual ~ResidentStore() = default;

  // Inserts the households and their members in ONE write transaction: all or nothing.
  // Returns kAlreadyExists "residents/duplicate-id-number" if an id_number_index is already
  // registered in the member's county (or appears twice in the batch), kAlreadyExists
  // "storage/conflict" for a row-id collision, or the storage error.
  virtual Status InsertHouseholds(std::span<const SealedHouseholdWithMembers> households) = 0;

  // Adds one resident to an existing household. kNotFound "residents/household-not-found" if
  // there is no such household; kAlreadyExists as above.
  virtual Status InsertResident(const SealedResident& resident) = 0;

  // kNotFound "residents/household-not-found" / "residents/resident-not-found".
  virtual Result<SealedHousehold> GetHousehold(HouseholdId id) = 0;
  virtual Result<SealedResident> GetResident(ResidentId id) = 0;

  // The residents of one village (no personal fields), by household then id.
  virtual Result<std::vector<ResidentInfo>> ListResidents(std::string_view village_code) = 0;

  // One entry per requested village, in the order given, zeros included.
  virtual Result<std::vector<VillageCount>> CountByVillage(std::span<const std::string> village_codes) = 0;

  // The resident of `county_code` whose id_number_index equals `index`, if any.
  virtual Result<std::optional<ResidentId>> FindByIdNumberIndex(std::string_view county_code,
                                                                std::string_view index) = 0;
  // Residents of `county_code` with this phone_index (a phone may be shared), by id.
  virtual Result<std::vector<ResidentId>> FindByPhoneIndex(std::string_view county_code, std::string_view index) = 0;

  // Which of `indexes` are already registered in `county_code` (for bulk imports and seeding).
  virtual Result<std::vector<std::string>> ExistingIdNumberIndexes(std::string_view county_code,
                                                                   std::span<const std::string> indexes) = 0;
};

}  // namespace gz::residents
