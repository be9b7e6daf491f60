// SqlResidentStore: the ResidentStore port on storage::Db (SQLite now, PostgreSQL with issue #8).
//
// Layer: residents sql. The statements use $1..$n and SQL both dialects accept; the schema is in
// resident_migrations.h (apply ResidentMigrations() first). Sealed fields and blind indexes are
// bound as storage::Blob (BLOB / BYTEA), never as text.
//
// Audit in the same transaction: the store is given the audit module's writer
// (audit::AppendAuditInTx, injected by app/ so that this library does not depend on the audit
// module's tables) and calls it inside the Write() of every change, after the change's own
// statements: if it fails, the whole transaction -- change included -- is rolled back. A store
// built without a writer refuses any change that carries audit events (kInternal), so nothing
// can be changed unaudited by mistake; seeding passes no events.
//
// Queries and the indexes they use:
//   InsertHouseholds        one Write(): duplicate check (index IN (<= 500 indexes)), then one
//                           prepared INSERT per row
//   GetHousehold/Resident   id = $1                                   primary key
//   ListResidents, ResidentsOfVillage, FactsOfVillage
//                           village_code = $1 ORDER BY household, id  residents_residents_by_village
//   HouseholdsOfVillage     village_code = $1 ORDER BY id, then members of <= 200 households
//                                                                     *_by_village, *_by_household
//   MembersOf               household_id = $1                         residents_residents_by_household
//   UpdateResident          id = $1 AND updated_at_ms = $n (optimistic), duplicate and head checks
//   CountByVillage          village_code IN (<= 500 codes) GROUP BY   *_by_village
//   FindByIdNumberIndex     (county_code, id_number_index) = ($1, $2) residents_residents_by_id_number
//   FindByPhoneIndex        (county_code, phone_index) = ($1, $2)     residents_residents_by_phone
//   ExistingIdNumberIndexes (county_code, index) per asked index (<= 500) residents_residents_by_id_number
//   Corrections*            resident_id / village_code, newest first  residents_corrections_by_*
// Each method is one Read() or one Write(). Thread-safe, as storage::Db is.
#pragma once

#include <functional>

#include "access/audit_event.h"
#include "modules/residents/resident_store.h"
#include "storage/db.h"

namespace gz::residents {

// Writes one audit record inside the caller's transaction (audit::AppendAuditInTx).
using TxAuditWriter = std::function<Status(storage::Tx&, const access::AuditEvent&, int64_t now_ms)>;

class SqlResidentStore final : public ResidentStore {
 public:
  // `db` must outlive the store.
  explicit SqlResidentStore(storage::Db& db, TxAuditWriter audit_writer = {})
      : db_(db), audit_writer_(std::move(audit_writer)) {}

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
  // The statement ExistingIdNumberIndexes runs for `count` indexes ($1 the county, $2.. the
  // indexes); public for the query-plan test.
  static std::string ExistingIdNumberIndexesSql(storage::Dialect dialect, size_t count);

 private:
  Status WriteAudit(storage::Tx& tx, const TxAudit& audit) const;

  storage::Db& db_;
  TxAuditWriter audit_writer_;
};

}  // namespace gz::residents
