// SqlResidentStore: the ResidentStore port on storage::Db (SQLite now, PostgreSQL with issue #8).
//
// Layer: residents sql. The statements use $1..$n and SQL both dialects accept; the schema is in
// resident_migrations.h (apply ResidentMigrations() first). Sealed fields and blind indexes are
// bound as storage::Blob (BLOB / BYTEA), never as text.
//
// Queries and the indexes they use:
//   InsertHouseholds        one Write(): duplicate check (index IN (<= 500 indexes)), then one
//                           prepared INSERT per row
//   GetHousehold/Resident   id = $1                                   primary key
//   ListResidents           village_code = $1 ORDER BY household, id  residents_residents_by_village
//   CountByVillage          village_code IN (<= 500 codes) GROUP BY   *_by_village
//   FindByIdNumberIndex     (county_code, id_number_index) = ($1, $2) residents_residents_by_id_number
//   FindByPhoneIndex        (county_code, phone_index) = ($1, $2)     residents_residents_by_phone
//   ExistingIdNumberIndexes county_code = $1 AND index IN (<= 500)    residents_residents_by_id_number
// Each method is one Read() or one Write(). Thread-safe, as storage::Db is.
#pragma once

#include "modules/residents/resident_store.h"
#include "storage/db.h"

namespace gz::residents {

class SqlResidentStore final : public ResidentStore {
 public:
  // `db` must outlive the store.
  explicit SqlResidentStore(storage::Db& db) : db_(db) {}

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

 private:
  storage::Db& db_;
};

}  // namespace gz::residents
