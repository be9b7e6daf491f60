// MaskedRegister: the register as lists and staff screens show it -- every personal field masked
// (masking.h), flags left out.
//
// Layer: residents domain (service). A masked view still has to open the sealed columns to mask
// them; it does so here, in one step, and no clear value leaves this class, so showing a list is
// not a read of personal data in clear (no audit event). Seeing a field in full is a separate,
// audited reveal (PersonalDataReader). A row that fails its integrity check is listed with
// `intact == false` and empty values (and logged), so one tampered row neither hides the rest of
// the village nor shows anything altered.
//
// Thread-safe if the store is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr int64_t kMaxPageSize = 200;
inline constexpr int64_t kDefaultPageSize = 50;

struct MaskedResident {
  ResidentInfo info;
  bool intact = true;
  std::string name;
  std::string id_number;
  std::optional<std::string> phone;
};

struct MaskedHousehold {
  HouseholdInfo info;
  bool intact = true;
  std::string address;
  int64_t members = 0;
  std::optional<MaskedResident> head;
};

struct MaskedHouseholdDetail {
  MaskedHousehold household;
  std::vector<MaskedResident> members;
};

struct MaskedResidentPage {
  std::vector<MaskedResident> items;
  int64_t total = 0;
};
struct MaskedHouseholdPage {
  std::vector<MaskedHousehold> items;
  int64_t total = 0;
};

class MaskedRegister {
 public:
  // All must outlive the register.
  MaskedRegister(ResidentStore& store, ResidentRegistry& registry, const crypto::FieldCipher& cipher);

  // A page of a village's residents (by household, then id) / households (by id).
  // REQUIRES: 1 <= limit <= kMaxPageSize, offset >= 0 (the routes check).
  Result<MaskedResidentPage> Residents(std::string_view village_code, int64_t limit, int64_t offset);
  Result<MaskedHouseholdPage> Households(std::string_view village_code, int64_t limit, int64_t offset);

  // Search by blind index, restricted to one village: the matches that live there (none if the
  // value is malformed or registered elsewhere).
  Result<MaskedResidentPage> FindByIdNumber(std::string_view village_code, std::string_view id_number);
  Result<MaskedResidentPage> FindByPhone(std::string_view village_code, std::string_view phone);

  // kNotFound residents/resident-not-found / household-not-found.
  Result<MaskedResident> Resident(ResidentId id);
  Result<MaskedHouseholdDetail> Household(HouseholdId id);

 private:
  MaskedResident Mask(const SealedResident& row) const;
  MaskedHousehold Mask(const SealedHousehold& row) const;
  Result<MaskedResidentPage> Matches(std::string_view village_code, const std::vector<ResidentId>& ids);

  ResidentStore& store_;
  ResidentRegistry& registry_;
  const crypto::FieldCipher& cipher_;
};

}  // namespace gz::residents
