// RegisterLookup over the residents module. Layer: residents import domain.
#include "modules/residents/import/register_lookup.h"

#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/problems.h"

namespace gz::residents::import {

Result<std::string> RegistryLookup::CheckIdNumber(std::string_view typed) { return registry_.CheckIdNumber(typed); }

Result<std::map<std::string, Registration>> RegistryLookup::FindRegistered(std::string_view county_code,
                                                                           std::span<const std::string> id_numbers) {
  std::map<std::string, Registration> out;
  // One batched index query first: most rows of a first import are not registered at all.
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> registered, registry_.RegisteredIdNumbers(county_code, id_numbers));
  for (const std::string& id_number : registered) {
    GZ_ASSIGN_OR_RETURN(std::optional<ResidentId> id, registry_.FindByIdNumber(county_code, id_number));
    if (!id) continue;  // removed in between: then it is simply not registered
    Result<ResidentInfo> info = registry_.GetResident(*id);
    if (!info.ok()) {
      if (info.status().slug() == problems::kResidentNotFound) continue;
      return info.status();
    }
    out.emplace(id_number, Registration{info->id, info->household_id, info->village_code, info->relation});
  }
  return out;
}

Result<std::vector<ResidentInfo>> RegistryLookup::Roster(std::string_view village_code) {
  return registry_.ListResidents(village_code);
}

Result<bool> RegistryLookup::SameName(ResidentId id, std::string_view name) {
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  if (!row.name_index) return true;
  return *row.name_index == NameIndex(cipher_, name);
}

Result<std::vector<std::string>> RegistryLookup::Changes(ResidentId id, const ResidentChange& change) {
  std::vector<std::string> changed;
  Result<ResidentUpdate> update = registry_.PrepareResidentUpdate(id, change, &changed);
  if (!update.ok()) {
    if (update.status().slug() == problems::kNothingToChange) return std::vector<std::string>{};
    return update.status();
  }
  return changed;
}

}  // namespace gz::residents::import
