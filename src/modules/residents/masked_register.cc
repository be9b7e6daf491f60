#include "modules/residents/masked_register.h"

#include "core/log.h"
#include "modules/residents/masking.h"
#include "modules/residents/personal_data_sealing.h"

namespace gz::residents {

MaskedRegister::MaskedRegister(ResidentStore& store, ResidentRegistry& registry, const crypto::FieldCipher& cipher)
    : store_(store), registry_(registry), cipher_(cipher) {}

MaskedResident MaskedRegister::Mask(const SealedResident& row) const {
  MaskedResident out;
  out.info = row.info;
  Result<ResidentPersonalFields> fields = OpenResident(cipher_, row);
  if (!fields.ok()) {
    log::Error("residents.integrity_failure", {{"resident_id", row.info.id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    out.intact = false;
    return out;
  }
  out.name = MaskName(fields->name);
  out.id_number = MaskIdNumber(fields->id_number);
  if (fields->phone) out.phone = MaskPhone(*fields->phone);
  return out;
}

MaskedHousehold MaskedRegister::Mask(const SealedHousehold& row) const {
  MaskedHousehold out;
  out.info = row.info;
  Result<HouseholdPersonalFields> fields = OpenHousehold(cipher_, row);
  if (!fields.ok()) {
    log::Error("residents.integrity_failure", {{"household_id", row.info.id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    out.intact = false;
    return out;
  }
  out.address = MaskAddress(fields->address);
  return out;
}

Result<MaskedResidentPage> MaskedRegister::Residents(std::string_view village_code, int64_t limit, int64_t offset) {
  GZ_ASSIGN_OR_RETURN(ResidentPage page, store_.ResidentsOfVillage(village_code, limit, offset));
  MaskedResidentPage out;
  out.total = page.total;
  out.items.reserve(page.items.size());
  for (const SealedResident& r : page.items) out.items.push_back(Mask(r));
  return out;
}

Result<MaskedHouseholdPage> MaskedRegister::Households(std::string_view village_code, int64_t limit, int64_t offset) {
  GZ_ASSIGN_OR_RETURN(HouseholdPage page, store_.HouseholdsOfVillage(village_code, limit, offset));
  MaskedHouseholdPage out;
  out.total = page.total;
  out.items.reserve(page.items.size());
  for (const HouseholdSummary& h : page.items) {
    MaskedHousehold m = Mask(h.household);
    m.members = h.members;
    if (h.head) m.head = Mask(*h.head);
    out.items.push_back(std::move(m));
  }
  return out;
}

Result<MaskedResidentPage> MaskedRegister::Matches(std::string_view village_code, const std::vector<ResidentId>& ids) {
  MaskedResidentPage out;
  for (ResidentId id : ids) {
    Result<SealedResident> row = store_.GetResident(id);
    if (!row.ok()) {
      if (row.status().code() == Code::kNotFound) continue;  // removed meanwhile
      return row.status();
    }
    if (row->info.village_code != village_code) continue;
    out.items.push_back(Mask(*row));
  }
  out.total = static_cast<int64_t>(out.items.size());
  return out;
}

Result<MaskedResidentPage> MaskedRegister::FindByIdNumber(std::string_view village_code, std::string_view id_number) {
  GZ_ASSIGN_OR_RETURN(std::optional<ResidentId> id, registry_.FindByIdNumber(CountyOf(village_code), id_number));
  std::vector<ResidentId> ids;
  if (id) ids.push_back(*id);
  return Matches(village_code, ids);
}

Result<MaskedResidentPage> MaskedRegister::FindByPhone(std::string_view village_code, std::string_view phone) {
  GZ_ASSIGN_OR_RETURN(std::vector<ResidentId> ids, registry_.FindByPhone(CountyOf(village_code), phone));
  return Matches(village_code, ids);
}

Result<MaskedResident> MaskedRegister::Resident(ResidentId id) {
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  return Mask(row);
}

Result<MaskedHouseholdDetail> MaskedRegister::Household(HouseholdId id) {
  GZ_ASSIGN_OR_RETURN(SealedHousehold row, store_.GetHousehold(id));
  GZ_ASSIGN_OR_RETURN(std::vector<SealedResident> members, store_.MembersOf(id));
  MaskedHouseholdDetail out;
  out.household = Mask(row);
  out.household.members = static_cast<int64_t>(members.size());
  for (const SealedResident& m : members) {
    out.members.push_back(Mask(m));
    if (m.info.relation == Relation::kHead && !out.household.head) out.household.head = out.members.back();
  }
  return out;
}

}  // namespace gz::residents
