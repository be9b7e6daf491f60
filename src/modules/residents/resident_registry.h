// ResidentRegistry: creates, changes and finds residents and households; seals on the way in.
//
// Layer: residents domain (service). Validates what it is given (GB 11643 ID numbers and the
// cross-checks of CrossCheckIdNumber, mobile numbers, village codes, flags, one head per
// household), seals every personal field with the FieldCipher, computes blind indexes and writes
// through the ResidentStore port. It never hands out a clear value: reading personal fields is
// PersonalDataReader's job (personal_data_reader.h). To change a row it opens the row itself
// (sealing binds every column to the row's clear facts, so a new relation means re-sealing the
// name), which also refuses to build on a row that was tampered with.
//
// Every state change made on behalf of a person takes the acting `access::Principal` and writes
// its audit event in the same transaction (store TxAudit). The overloads without a principal
// write no audit and exist for the synthetic demo seeder and tests only.
//
// Audit actions: "residents.create_household" (object household, details {"members":[ids]}),
// "residents.add_member" (object resident), "residents.update" (object resident, details
// {"fields":[names]}; never values).
//
// Thread-safe if the store is (the registry itself holds no mutable state).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/places.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr size_t kMaxNameBytes = 50;
inline constexpr size_t kMaxAddressBytes = 200;
inline constexpr size_t kMaxMembers = 20;

// Field rules shared with correction requests and imports. kInvalidArgument
// residents/bad-name, bad-address (empty, too long, control characters).
Status CheckName(std::string_view name);
Status CheckAddress(std::string_view address);

// A change to one resident. Unset members stay as they are.
struct ResidentChange {
  // Set: a new number; set to nullopt: the phone is removed.
  std::optional<std::optional<std::string>> phone;
  std::optional<std::vector<std::string>> flags;
  std::optional<Relation> relation;
  // Only through an accepted correction request (the routes do not offer them to staff).
  std::optional<std::string> name;
  std::optional<std::string> id_number;
};

class ResidentRegistry {
 public:
  // All must outlive the registry. `regions` may be null: the region cross-check is then skipped.
  ResidentRegistry(ResidentStore& store, const crypto::FieldCipher& cipher, const Clock& clock,
                   const RegionCodes* regions = nullptr);

  // Validates every household, then writes them all in one transaction (all or nothing) with
  // fresh random row ids. ID numbers are normalized (NormalizeIdNumber) and must pass
  // ParseIdNumber and CrossCheckIdNumber against today's date in China; the resident's gender and
  // birth year come from it. Phone numbers are normalized (NormalizeMobile), flags with
  // NormalizeFlags. Errors, with argument "household" (index in `households`) and, for member
  // fields, "member" (index in its members):
  //   kInvalidArgument residents/bad-village-code, bad-address, bad-household (reason
  //     "no-members", "too-many-members" (> 20), "head-count"), bad-name, bad-id-number (reason),
  //     bad-phone, bad-flag;
  //   kAlreadyExists residents/duplicate-id-number (twice in the batch, or already registered in
  //     that county); storage errors pass through.
  // Returns the new household ids in input order. One audit event per household.
  Result<std::vector<HouseholdId>> CreateHouseholds(const access::Principal& actor,
                                                    std::span<const NewHousehold> households);
  Result<HouseholdId> CreateHousehold(const access::Principal& actor, const NewHousehold& household);

  // Adds a member to an existing household (same checks; a second head is refused).
  // kNotFound residents/household-not-found.
  Result<ResidentId> AddResident(const access::Principal& actor, HouseholdId household, const NewResident& resident);

  // Changes one resident (ResidentChange), re-sealing the row, in one transaction with its audit
  // event. kNotFound resident-not-found; kInvalidArgument residents/nothing-to-change, bad-phone,
  // bad-flag, bad-name, bad-id-number, bad-household ("head-count": a second head);
  // kAborted residents/edit-conflict; kAlreadyExists residents/duplicate-id-number;
  // kFailedPrecondition crypto/integrity-failure for a tampered row. Returns the new facts.
  Result<ResidentInfo> UpdateResident(const access::Principal& actor, ResidentId id, const ResidentChange& change);

  // What UpdateResident writes, without writing it (correction requests apply it together with
  // their own row). `changed` receives the names of the fields that change.
  Result<ResidentUpdate> PrepareResidentUpdate(ResidentId id, const ResidentChange& change,
                                               std::vector<std::string>* changed);
  Result<HouseholdUpdate> PrepareAddressUpdate(HouseholdId id, std::string_view address);

  // Unaudited writes: synthetic demo data and tests only (no person acts).
  Result<std::vector<HouseholdId>> CreateHouseholds(std::span<const NewHousehold> households);
  Result<HouseholdId> CreateHousehold(const NewHousehold& household);
  Result<ResidentId> AddResident(HouseholdId household, const NewResident& resident);

  // Non-personal facts only. kNotFound residents/resident-not-found / household-not-found.
  Result<ResidentInfo> GetResident(ResidentId id);
  Result<HouseholdInfo> GetHousehold(HouseholdId id);
  Result<std::vector<ResidentInfo>> ListResidents(std::string_view village_code);
  Result<std::vector<VillageCount>> CountByVillage(std::span<const std::string> village_codes);

  // Looks up by blind index; never decrypts. `id_number` / `phone` are normalized first; a value
  // that is not well-formed simply finds nothing.
  Result<std::optional<ResidentId>> FindByIdNumber(std::string_view county_code, std::string_view id_number);
  Result<std::vector<ResidentId>> FindByPhone(std::string_view county_code, std::string_view phone);

  // The subset of `id_numbers` (normalized) already registered in `county_code`, for bulk
  // imports and the demo seeder to avoid duplicates before writing.
  Result<std::vector<std::string>> RegisteredIdNumbers(std::string_view county_code,
                                                       std::span<const std::string> id_numbers);

  // Validates a proposed ID number as CreateHouseholds would (normalized form on success).
  Result<std::string> CheckIdNumber(std::string_view typed, std::optional<Gender> stated = std::nullopt) const;

  const Clock& clock() const { return clock_; }

 private:
  Result<std::vector<HouseholdId>> Create(const access::Principal* actor, std::span<const NewHousehold> households);
  Result<ResidentId> Add(const access::Principal* actor, HouseholdId household, const NewResident& resident);

  ResidentStore& store_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
  const RegionCodes* regions_;
};

// Milliseconds since the Unix epoch of clock.Now().
int64_t NowMs(const Clock& clock);

}  // namespace gz::residents
