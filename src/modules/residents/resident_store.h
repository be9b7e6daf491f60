// ResidentStore: the port through which the residents module reaches its tables.
//
// Layer: residents domain (interface). Implementations: sql/resident_store_sql.h (SQLite and
// PostgreSQL through storage::Db) and testing/in_memory_resident_store.h (tests). The store only
// ever sees sealed personal fields and blind indexes (personal_data_sealing.h); it cannot read a
// name, an ID number or a phone number, and never needs to.
//
// Every method is one transaction and is safe to call from any thread. Methods that change state
// take a TxAudit: its events are written IN THE SAME TRANSACTION as the change (the SQL store
// hands them to the audit module's AppendAuditInTx), so a change without its audit record, or an
// audit record of a change that did not happen, cannot exist. Only the seeding of synthetic demo
// data passes an empty TxAudit.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
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
  // Since migration residents/2; empty on older rows (their flags read as none, and they are not
  // found by the duplicate check until re-saved).
  std::optional<std::string> name_index;
  std::optional<std::string> flags_sealed;
  bool operator==(const SealedResident&) const = default;
};

// Correction requests (更正申请) of a villager about their own record (PIPL art. 46).
struct CorrectionId {
  int64_t value = 0;
  auto operator<=>(const CorrectionId&) const = default;
};
enum class CorrectionField { kName, kIdNumber, kPhone, kAddress };
enum class CorrectionStatus { kOpen, kAccepted, kDeclined };
// "name" | "id_number" | "phone" | "address"; "open" | "accepted" | "declined".
std::string_view CorrectionFieldCode(CorrectionField f);
std::optional<CorrectionField> ParseCorrectionField(std::string_view code);
std::string_view CorrectionStatusCode(CorrectionStatus s);
std::optional<CorrectionStatus> ParseCorrectionStatus(std::string_view code);

struct CorrectionInfo {
  CorrectionId id;
  ResidentId resident_id;
  HouseholdId household_id;
  std::string county_code;
  std::string village_code;
  int64_t requester_account = 0;  // the villager (never the helper acting for them)
  CorrectionField field = CorrectionField::kPhone;
  CorrectionStatus status = CorrectionStatus::kOpen;
  int64_t created_at_ms = 0;
  int64_t resolver_account = 0;  // 0 while open
  int64_t resolved_at_ms = 0;    // 0 while open
  bool operator==(const CorrectionInfo&) const = default;
};

// The proposed value, the requester's reason and the resolver's note are personal data: sealed.
struct SealedCorrection {
  CorrectionInfo info;
  std::string proposed_sealed;
  std::string reason_sealed;
  std::optional<std::string> note_sealed;  // set when resolved
  bool operator==(const SealedCorrection&) const = default;
};

// Audit records to write in the same transaction as a change (see above).
struct TxAudit {
  std::vector<access::AuditEvent> events;
  int64_t at_ms = 0;
};

// A change to an existing row, made only if the row is still as it was read (optimistic
// concurrency): otherwise kAborted "residents/edit-conflict".
struct ResidentUpdate {
  SealedResident row;
  int64_t expected_updated_at_ms = 0;
};
struct HouseholdUpdate {
  SealedHousehold row;
  int64_t expected_updated_at_ms = 0;
};

struct ResidentPage {
  std::vector<SealedResident> items;
  int64_t total = 0;
};

// A household with what a list shows about it.
struct HouseholdSummary {
  SealedHousehold household;
  int64_t members = 0;
  std::optional<SealedResident> head;  // none if the household has no head (a data-quality finding)
};
struct HouseholdPage {
  std::vector<HouseholdSummary> items;
  int64_t total = 0;
};

// What the data-quality report reads: clear facts and blind indexes only, nothing to decrypt.
struct ResidentFacts {
  ResidentInfo info;
  bool has_phone = false;
  std::optional<std::string> name_index;
};
struct VillageFacts {
  std::vector<HouseholdInfo> households;
  std::vector<ResidentFacts> residents;  // by household, then id
};

struct CorrectionPage {
  std::vector<SealedCorrection> items;
  int64_t total = 0;
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
  // "storage/conflict" for a row-id collision, or the storage error (also the audit's).
  virtual Status InsertHouseholds(std::span<const SealedHouseholdWithMembers> households, const TxAudit& audit) = 0;

  // Adds one resident to an existing household. kNotFound "residents/household-not-found" if
  // there is no such household; kAlreadyExists as above; kInvalidArgument
  // "residents/bad-household" (reason "head-count") if it is a head and the household has one.
  virtual Status InsertResident(const SealedResident& resident, const TxAudit& audit) = 0;

  // Replaces a resident row (every sealed column and clear fact; id, household, county and
  // village stay). kAborted "residents/edit-conflict" if its updated_at_ms is no longer
  // `expected_updated_at_ms` (or the row is gone); kAlreadyExists "residents/duplicate-id-number"
  // if a changed ID number is registered to someone else in the county; kInvalidArgument
  // "residents/bad-household" (reason "head-count") if it becomes a second head.
  virtual Status UpdateResident(const ResidentUpdate& update, const TxAudit& audit) = 0;

  // Corrections. Insert: kNotFound "residents/resident-not-found" if the resident is gone.
  virtual Status InsertCorrection(const SealedCorrection& correction, const TxAudit& audit) = 0;
  // Records the decision (status, resolver, time, note) and, when accepted, the change to the
  // resident or household row, in one transaction. kFailedPrecondition
  // "residents/correction-closed" if the request is no longer open; the update errors above.
  virtual Status ResolveCorrection(const SealedCorrection& resolved, const std::optional<ResidentUpdate>& resident,
                                   const std::optional<HouseholdUpdate>& household, const TxAudit& audit) = 0;
  // kNotFound "residents/correction-not-found".
  virtual Result<SealedCorrection> GetCorrection(CorrectionId id) = 0;
  // Every request about one resident, newest first (at most 200).
  virtual Result<std::vector<SealedCorrection>> CorrectionsOfResident(ResidentId id) = 0;
  // The requests of a village, newest first, optionally of one status.
  virtual Result<CorrectionPage> CorrectionsOfVillage(std::string_view village_code,
                                                      std::optional<CorrectionStatus> status, int64_t limit,
                                                      int64_t offset) = 0;

  // kNotFound "residents/household-not-found" / "residents/resident-not-found".
  virtual Result<SealedHousehold> GetHousehold(HouseholdId id) = 0;
  virtual Result<SealedResident> GetResident(ResidentId id) = 0;

  // The residents of one village (no personal fields), by household then id.
  virtual Result<std::vector<ResidentInfo>> ListResidents(std::string_view village_code) = 0;

  // Pages of a village's rows (sealed, for masked views), by household then id / by id.
  virtual Result<ResidentPage> ResidentsOfVillage(std::string_view village_code, int64_t limit, int64_t offset) = 0;
  virtual Result<HouseholdPage> HouseholdsOfVillage(std::string_view village_code, int64_t limit, int64_t offset) = 0;
  // The members of one household, by id. kNotFound "residents/household-not-found".
  virtual Result<std::vector<SealedResident>> MembersOf(HouseholdId id) = 0;
  // Everything the data-quality report of a village needs, in one snapshot.
  virtual Result<VillageFacts> FactsOfVillage(std::string_view village_code) = 0;

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
