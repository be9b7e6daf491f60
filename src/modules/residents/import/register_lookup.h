// RegisterLookup: what the import validator asks the register, and its implementation over the
// residents module's public API (ResidentRegistry, ResidentStore, blind indexes).
//
// Layer: residents import domain. Nothing here decrypts a personal field: registered people are
// found by the blind index of their ID number, a name is compared by its blind index, and the
// fields an update would change come from ResidentRegistry::PrepareResidentUpdate, which opens
// the row inside the registry and hands back only field names.
//
// The apply step runs the same validation inside its write transaction, on a registry and store
// bound to that transaction (sql/), so what it checks is exactly what it writes over.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents::import {

struct Registration {
  ResidentId id;
  HouseholdId household;
  std::string village_code;
  Relation relation = Relation::kHead;
};

class RegisterLookup {
 public:
  virtual ~RegisterLookup() = default;

  // Validates a typed ID number as registering it would (GB 11643, cross-checks, region);
  // the normalized number, or kInvalidArgument residents/bad-id-number {reason}.
  virtual Result<std::string> CheckIdNumber(std::string_view typed) = 0;

  // The registrations in `county_code` of these normalized ID numbers, by number.
  virtual Result<std::map<std::string, Registration>> FindRegistered(std::string_view county_code,
                                                                     std::span<const std::string> id_numbers) = 0;

  // Every registered resident of the village (facts only), for the head-of-household rules.
  virtual Result<std::vector<ResidentInfo>> Roster(std::string_view village_code) = 0;

  // False if the resident's registered name is not `name` (compared by blind index, spaces not
  // counting); true also when the row predates name indexes and cannot be compared.
  virtual Result<bool> SameName(ResidentId id, std::string_view name) = 0;

  // The fields `change` would change ("phone", "relation", "flags"), empty if none; the
  // registry's validation errors otherwise.
  virtual Result<std::vector<std::string>> Changes(ResidentId id, const ResidentChange& change) = 0;
};

// Over the residents module. All must outlive the lookup.
class RegistryLookup final : public RegisterLookup {
 public:
  RegistryLookup(ResidentRegistry& registry, ResidentStore& store, const crypto::FieldCipher& cipher)
      : registry_(registry), store_(store), cipher_(cipher) {}

  Result<std::string> CheckIdNumber(std::string_view typed) override;
  Result<std::map<std::string, Registration>> FindRegistered(std::string_view county_code,
                                                             std::span<const std::string> id_numbers) override;
  Result<std::vector<ResidentInfo>> Roster(std::string_view village_code) override;
  Result<bool> SameName(ResidentId id, std::string_view name) override;
  Result<std::vector<std::string>> Changes(ResidentId id, const ResidentChange& change) override;

 private:
  ResidentRegistry& registry_;
  ResidentStore& store_;
  const crypto::FieldCipher& cipher_;
};

}  // namespace gz::residents::import
