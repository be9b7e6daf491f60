// ResidentRegistry: creates and finds residents and households; seals on the way in.
//
// Layer: residents domain (service). Validates what it is given (GB 11643 ID numbers, mobile
// numbers, village codes, one head per household), seals every personal field with the
// FieldCipher, computes blind indexes and writes through the ResidentStore port. It never
// decrypts: reading personal fields is PersonalDataReader's job (personal_data_reader.h), the
// single accessor that issue #3 wraps with its audit.
//
// Issue #3 adds `const Actor&` to the state-changing methods and writes their audit record in
// the same transaction; the current signatures are the ones seeding needs.
//
// Thread-safe if the store is (the registry itself holds no mutable state).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

class ResidentRegistry {
 public:
  // All three must outlive the registry.
  ResidentRegistry(ResidentStore& store, const crypto::FieldCipher& cipher, const Clock& clock);

  // Validates every household, then writes them all in one transaction (all or nothing) with
  // fresh random row ids. ID numbers are normalized (NormalizeIdNumber) and must pass
  // ParseIdNumber against today's date in China; the resident's gender and birth year come from
  // it. Phone numbers are normalized (NormalizeMobile). Errors, with argument "household" (index
  // in `households`) and, for member fields, "member" (index in its members):
  //   kInvalidArgument residents/bad-village-code, bad-address, bad-household (reason
  //     "no-members", "too-many-members" (> 20), "head-count"), bad-name, bad-id-number (reason),
  //     bad-phone;
  //   kAlreadyExists residents/duplicate-id-number (twice in the batch, or already registered in
  //     that county); storage errors pass through.
  // Returns the new household ids in input order.
  Result<std::vector<HouseholdId>> CreateHouseholds(std::span<const NewHousehold> households);
  Result<HouseholdId> CreateHousehold(const NewHousehold& household);

  // Adds a member to an existing household (same checks; a second head is refused).
  // kNotFound residents/household-not-found.
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

 private:
  ResidentStore& store_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace gz::residents
