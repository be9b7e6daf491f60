// InMemoryResidentStore: a ResidentStore in memory, for tests of the residents module and of
// modules that use it (Envoy-style: one test double per interface).
//
// Layer: residents, test support (linked into gz_residents_testing only). Same contract as the
// SQL store (resident_store.h), including the per-county uniqueness of id_number_index and
// all-or-nothing InsertHouseholds; sql/resident_store_sql_test.cc runs the same checks against
// SQLite. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>

#include "modules/residents/resident_store.h"

namespace gz::residents {

class InMemoryResidentStore final : public ResidentStore {
 public:
  Status InsertHouseholds(std::span<const SealedHouseholdWithMembers> households) override;
  Status InsertResident(const SealedResident& resident) override;
  Result<SealedHousehold> GetHousehold(HouseholdId id) override;
  Result<SealedResident> GetResident(ResidentId id) override;
  Result<std::vector<ResidentInfo>> ListResidents(std::string_view village_code) override;
  Result<std::vector<VillageCount>> CountByVillage(std::span<const std::string> village_codes) override;
  Result<std::optional<ResidentId>> FindByIdNumberIndex(std::string_view county_code, std::string_view index) override;
  Result<std::vector<ResidentId>> FindByPhoneIndex(std::string_view county_code, std::string_view index) override;
  Result<std::vector<std::string>> ExistingIdNumberIndexes(std::string_view county_code,
                                                           std::span<const std::string> indexes) override;

  // Direct row access, to simulate tampering at rest in tests.
  SealedResident* MutableResidentForTest(ResidentId id);
  SealedHousehold* MutableHouseholdForTest(HouseholdId id);
  // How many InsertHouseholds calls succeeded (each one is a "transaction").
  int insert_batches() const;

 private:
  mutable std::mutex mu_;
  std::map<int64_t, SealedHousehold> households_;
  std::map<int64_t, SealedResident> residents_;
  std::map<std::pair<std::string, std::string>, int64_t> by_id_index_;  // (county, index) -> resident
  int insert_batches_ = 0;
};

}  // namespace gz::residents
