// InMemoryResidentStore: a ResidentStore in memory, for tests of the residents module and of
// modules that use it (Envoy-style: one test double per interface).
//
// Layer: residents, test support (linked into gz_residents_testing only). Same contract as the
// SQL store (resident_store.h), including the per-county uniqueness of id_number_index, one head
// per household, optimistic updates and all-or-nothing writes with their audit events;
// sql/sql_resident_store_test.cc runs the same checks against SQLite. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>

#include "modules/residents/resident_store.h"

namespace gz::residents {

class InMemoryResidentStore final : public ResidentStore {
 public:
  Status InsertHouseholds(std::span<const SealedHouseholdWithMembers> households, const TxAudit& audit) override;
  Status InsertResident(const SealedResident& resident, const TxAudit& audit) override;
  Status UpdateResident(const ResidentUpdate& update, const TxAudit& audit) override;
  Status InsertCorrection(const SealedCorrection& correction, const TxAudit& audit) override;
  Status ResolveCorrection(const SealedCorrection& resolved, const std::optional<ResidentUpdate>& resident,
                           const std::optional<HouseholdUpdate>& household, const TxAudit& audit) override;
  Result<SealedCorrection> GetCorrection(CorrectionId id) override;
  Result<std::vector<SealedCorrection>> CorrectionsOfResident(ResidentId id) override;
  Result<CorrectionPage> CorrectionsOfVillage(std::string_view village_code, std::optional<CorrectionStatus> status,
                                              int64_t limit, int64_t offset) override;
  Result<SealedHousehold> GetHousehold(HouseholdId id) override;
  Result<SealedResident> GetResident(ResidentId id) override;
  Result<std::vector<ResidentInfo>> ListResidents(std::string_view village_code) override;
  Result<ResidentPage> ResidentsOfVillage(std::string_view village_code, int64_t limit, int64_t offset) override;
  Result<HouseholdPage> HouseholdsOfVillage(std::string_view village_code, int64_t limit, int64_t offset) override;
  Result<std::vector<SealedResident>> MembersOf(HouseholdId id) override;
  Result<VillageFacts> FactsOfVillage(std::string_view village_code) override;
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
  // The audit events written with committed changes, in order.
  std::vector<access::AuditEvent> audit_events() const;
  // While set, every write fails as if the audit could not be written (and changes nothing).
  void FailAuditForTest(bool fail);

 private:
  // REQUIRES: mu_ held. Every write checks first and changes nothing unless all checks pass.
  Status CheckResidentUpdate(const ResidentUpdate& u) const;
  void ApplyResidentUpdate(const ResidentUpdate& u);
  Status Commit(const TxAudit& audit);

  mutable std::mutex mu_;
  std::map<int64_t, SealedHousehold> households_;
  std::map<int64_t, SealedResident> residents_;
  std::map<std::pair<std::string, std::string>, int64_t> by_id_index_;  // (county, index) -> resident
  std::map<int64_t, SealedCorrection> corrections_;
  std::vector<access::AuditEvent> audit_;
  bool fail_audit_ = false;
  int insert_batches_ = 0;
};

}  // namespace gz::residents
