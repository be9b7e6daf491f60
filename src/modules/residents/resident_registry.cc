#include "modules/residents/resident_registry.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "crypto/crypto.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/id_number.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents {
namespace {

bool HasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A member after validation: normalized personal fields and the facts taken from the ID number.
struct CheckedMember {
  ResidentPersonalFields personal;
  Gender gender;
  int birth_year;
  Relation relation;
};

Result<IdNumberInfo> CheckedIdNumber(const std::string& normalized, std::optional<Gender> stated,
                                     const CivilDate& today, const RegionCodes* regions) {
  GZ_ASSIGN_OR_RETURN(IdNumberInfo id, ParseIdNumber(normalized, today));
  GZ_RETURN_IF_ERROR(CrossCheckIdNumber(id, today, stated, regions));
  return id;
}

Result<std::optional<std::string>> CheckedPhone(const std::optional<std::string>& typed) {
  if (!typed) return std::optional<std::string>();
  std::optional<std::string> phone = NormalizeMobile(*typed);
  if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
  return phone;
}

Result<CheckedMember> CheckMember(const NewResident& m, const CivilDate& today, const RegionCodes* regions) {
  CheckedMember out;
  out.relation = m.relation;
  out.personal.name = m.personal.name;
  GZ_RETURN_IF_ERROR(CheckName(out.personal.name));
  out.personal.id_number = NormalizeIdNumber(m.personal.id_number);
  GZ_ASSIGN_OR_RETURN(IdNumberInfo id, CheckedIdNumber(out.personal.id_number, m.stated_gender, today, regions));
  out.gender = id.gender;
  out.birth_year = id.birth_date.year;
  GZ_ASSIGN_OR_RETURN(out.personal.phone, CheckedPhone(m.personal.phone));
  GZ_ASSIGN_OR_RETURN(out.personal.flags, NormalizeFlags(m.personal.flags));
  return out;
}

Status CheckVillage(std::string_view code) {
  if (!IsVillageCode(code)) return InvalidArgument(std::string(problems::kBadVillageCode)).With("code", std::string(code.substr(0, 32)));
  return Status::Ok();
}

std::string IdList(std::span<const int64_t> ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += '"';  // strings: ids use 63 bits, more than a JSON reader's double holds exactly
    out += std::to_string(ids[i]);
    out += '"';
  }
  return out + "]";
}

std::string NameList(std::span<const std::string> names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ",\"" : "\"") + names[i] + "\"";
  return out + "]";
}

access::AuditEvent WriteEvent(const access::Principal& actor, std::string action, std::string_view object_type,
                              int64_t object_id, std::string division, std::string details) {
  access::AuditEvent e = access::EventFor(actor, std::move(action));
  e.object_type = std::string(object_type);
  e.object_id = std::to_string(object_id);
  e.division = std::move(division);
  e.details = std::move(details);
  return e;
}

}  // namespace

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes || HasControlChar(name)) return InvalidArgument(std::string(problems::kBadName));
  return Status::Ok();
}

Status CheckAddress(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddressBytes || HasControlChar(address))
    return InvalidArgument(std::string(problems::kBadAddress));
  return Status::Ok();
}

ResidentRegistry::ResidentRegistry(ResidentStore& store, const crypto::FieldCipher& cipher, const Clock& clock,
                                   const RegionCodes* regions)
    : store_(store), cipher_(cipher), clock_(clock), regions_(regions) {}

Result<std::vector<HouseholdId>> ResidentRegistry::Create(const access::Principal* actor,
                                                          std::span<const NewHousehold> households) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  const CivilDate today = ChinaDateOf(clock_.Now());
  const int64_t now_ms = NowMs(clock_);
  std::vector<SealedHouseholdWithMembers> rows;
  rows.reserve(households.size());
  std::set<std::pair<std::string, std::string>> seen;  // (county, id number) within the batch
  for (size_t h = 0; h < households.size(); ++h) {
    const NewHousehold& in = households[h];
    const std::string hs = std::to_string(h);
    if (Status s = CheckVillage(in.village_code); !s.ok()) return std::move(s).With("household", hs);
    if (Status s = CheckAddress(in.personal.address); !s.ok()) return std::move(s).With("household", hs);
    if (in.members.empty())
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "no-members").With("household", hs);
    if (in.members.size() > kMaxMembers)
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "too-many-members").With("household", hs);
    if (std::count_if(in.members.begin(), in.members.end(), [](const NewResident& m) { return m.relation == Relation::kHead; }) != 1)
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count").With("household", hs);

    SealedHouseholdWithMembers row;
    HouseholdInfo info{HouseholdId{crypto::NewRowId(now_ms)}, CountyOf(in.village_code), in.village_code, now_ms, now_ms};
    row.household = SealHousehold(cipher_, info, in.personal);
    for (size_t m = 0; m < in.members.size(); ++m) {
      Result<CheckedMember> checked = CheckMember(in.members[m], today, regions_);
      if (!checked.ok()) return Status(checked.status()).With("household", hs).With("member", std::to_string(m));
      if (!seen.emplace(info.county_code, checked->personal.id_number).second)
        return AlreadyExists(std::string(problems::kDuplicateIdNumber)).With("household", hs).With("member", std::to_string(m));
      ResidentInfo r{ResidentId{crypto::NewRowId(now_ms)}, info.id, info.county_code, info.village_code,
                     checked->gender, checked->birth_year, checked->relation, now_ms, now_ms};
      row.members.push_back(SealResident(cipher_, r, checked->personal));
    }
    rows.push_back(std::move(row));
  }
  TxAudit audit{{}, now_ms};
  if (actor != nullptr) {
    for (const SealedHouseholdWithMembers& row : rows) {
      std::vector<int64_t> members;
      for (const SealedResident& r : row.members) members.push_back(r.info.id.value);
      audit.events.push_back(WriteEvent(*actor, "residents.create_household", "household", row.household.info.id.value,
                                        row.household.info.village_code, "{\"members\":" + IdList(members) + "}"));
    }
  }
  GZ_RETURN_IF_ERROR(store_.InsertHouseholds(rows, audit));
  std::vector<HouseholdId> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.household.info.id);
  return ids;
}

Result<std::vector<HouseholdId>> ResidentRegistry::CreateHouseholds(const access::Principal& actor,
                                                                    std::span<const NewHousehold> households) {
  return Create(&actor, households);
}

Result<HouseholdId> ResidentRegistry::CreateHousehold(const access::Principal& actor, const NewHousehold& household) {
  GZ_ASSIGN_OR_RETURN(std::vector<HouseholdId> ids, Create(&actor, std::span<const NewHousehold>(&household, 1)));
  return ids.front();
}

Result<std::vector<HouseholdId>> ResidentRegistry::CreateHouseholds(std::span<const NewHousehold> households) {
  return Create(nullptr, households);
}

Result<HouseholdId> ResidentRegistry::CreateHousehold(const NewHousehold& household) {
  GZ_ASSIGN_OR_RETURN(std::vector<HouseholdId> ids, Create(nullptr, std::span<const NewHousehold>(&household, 1)));
  return ids.front();
}

Result<ResidentId> ResidentRegistry::Add(const access::Principal* actor, HouseholdId household,
                                         const NewResident& resident) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  if (resident.relation == Relation::kHead)
    return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count");
  GZ_ASSIGN_OR_RETURN(SealedHousehold h, store_.GetHousehold(household));
  GZ_ASSIGN_OR_RETURN(CheckedMember m, CheckMember(resident, ChinaDateOf(clock_.Now()), regions_));
  const int64_t now_ms = NowMs(clock_);
  ResidentInfo r{ResidentId{crypto::NewRowId(now_ms)}, h.info.id, h.info.county_code, h.info.village_code,
                 m.gender, m.birth_year, m.relation, now_ms, now_ms};
  TxAudit audit{{}, now_ms};
  if (actor != nullptr)
    audit.events.push_back(WriteEvent(*actor, "residents.add_member", "resident", r.id.value, r.village_code,
                                      "{\"household\":\"" + std::to_string(household.value) + "\"}"));
  GZ_RETURN_IF_ERROR(store_.InsertResident(SealResident(cipher_, r, m.personal), audit));
  return r.id;
}

Result<ResidentId> ResidentRegistry::AddResident(const access::Principal& actor, HouseholdId household,
                                                 const NewResident& resident) {
  return Add(&actor, household, resident);
}

Result<ResidentId> ResidentRegistry::AddResident(HouseholdId household, const NewResident& resident) {
  return Add(nullptr, household, resident);
}

Result<std::string> ResidentRegistry::CheckIdNumber(std::string_view typed, std::optional<Gender> stated) const {
  std::string normalized = NormalizeIdNumber(typed);
  GZ_RETURN_IF_ERROR(CheckedIdNumber(normalized, stated, ChinaDateOf(clock_.Now()), regions_).status());
  return normalized;
}

Result<ResidentUpdate> ResidentRegistry::PrepareResidentUpdate(ResidentId id, const ResidentChange& change,
                                                               std::vector<std::string>* changed) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  if (!change.phone && !change.flags && !change.relation && !change.name && !change.id_number)
    return InvalidArgument(std::string(problems::kNothingToChange));
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  GZ_ASSIGN_OR_RETURN(ResidentPersonalFields personal, OpenResident(cipher_, row));
  ResidentInfo info = row.info;
  std::vector<std::string> fields;
  if (change.name) {
    GZ_RETURN_IF_ERROR(CheckName(*change.name));
    if (*change.name != personal.name) fields.push_back("name");
    personal.name = *change.name;
  }
  if (change.id_number) {
    GZ_ASSIGN_OR_RETURN(std::string normalized, CheckIdNumber(*change.id_number));
    GZ_ASSIGN_OR_RETURN(IdNumberInfo parsed, ParseIdNumber(normalized, ChinaDateOf(clock_.Now())));
    if (normalized != personal.id_number) fields.push_back("id_number");
    personal.id_number = std::move(normalized);
    info.gender = parsed.gender;
    info.birth_year = parsed.birth_date.year;
  }
  if (change.phone) {
    GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, CheckedPhone(*change.phone));
    if (phone != personal.phone) fields.push_back("phone");
    personal.phone = std::move(phone);
  }
  if (change.flags) {
    GZ_ASSIGN_OR_RETURN(std::vector<std::string> flags, NormalizeFlags(*change.flags));
    if (flags != personal.flags) fields.push_back("flags");
    personal.flags = std::move(flags);
  }
  if (change.relation) {
    if (*change.relation != info.relation) fields.push_back("relation");
    info.relation = *change.relation;
  }
  // Strictly later than the row's own stamp, so that the stamp is also a version number.
  info.updated_at_ms = std::max(NowMs(clock_), row.info.updated_at_ms + 1);
  if (changed != nullptr) *changed = std::move(fields);
  return ResidentUpdate{SealResident(cipher_, info, personal), row.info.updated_at_ms};
}

Result<HouseholdUpdate> ResidentRegistry::PrepareAddressUpdate(HouseholdId id, std::string_view address) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  GZ_RETURN_IF_ERROR(CheckAddress(address));
  GZ_ASSIGN_OR_RETURN(SealedHousehold row, store_.GetHousehold(id));
  GZ_RETURN_IF_ERROR(OpenHousehold(cipher_, row).status());  // never build on a tampered row
  HouseholdInfo info = row.info;
  info.updated_at_ms = std::max(NowMs(clock_), row.info.updated_at_ms + 1);
  return HouseholdUpdate{SealHousehold(cipher_, info, HouseholdPersonalFields{std::string(address)}),
                         row.info.updated_at_ms};
}

Result<ResidentInfo> ResidentRegistry::UpdateResident(const access::Principal& actor, ResidentId id,
                                                      const ResidentChange& change) {
  std::vector<std::string> fields;
  GZ_ASSIGN_OR_RETURN(ResidentUpdate update, PrepareResidentUpdate(id, change, &fields));
  TxAudit audit{{}, NowMs(clock_)};
  audit.events.push_back(WriteEvent(actor, "residents.update", "resident", id.value, update.row.info.village_code,
                                    "{\"fields\":" + NameList(fields) + "}"));
  GZ_RETURN_IF_ERROR(store_.UpdateResident(update, audit));
  return update.row.info;
}

Result<ResidentInfo> ResidentRegistry::GetResident(ResidentId id) {
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  return row.info;
}

Result<HouseholdInfo> ResidentRegistry::GetHousehold(HouseholdId id) {
  GZ_ASSIGN_OR_RETURN(SealedHousehold row, store_.GetHousehold(id));
  return row.info;
}

Result<std::vector<ResidentInfo>> ResidentRegistry::ListResidents(std::string_view village_code) {
  GZ_RETURN_IF_ERROR(CheckVillage(village_code));
  return store_.ListResidents(village_code);
}

Result<std::vector<VillageCount>> ResidentRegistry::CountByVillage(std::span<const std::string> village_codes) {
  for (const auto& code : village_codes) GZ_RETURN_IF_ERROR(CheckVillage(code));
  return store_.CountByVillage(village_codes);
}

Result<std::optional<ResidentId>> ResidentRegistry::FindByIdNumber(std::string_view county_code,
                                                                   std::string_view id_number) {
  return store_.FindByIdNumberIndex(county_code, IdNumberIndex(cipher_, NormalizeIdNumber(id_number)));
}

Result<std::vector<ResidentId>> ResidentRegistry::FindByPhone(std::string_view county_code, std::string_view phone) {
  std::optional<std::string> normalized = NormalizeMobile(phone);
  if (!normalized) return std::vector<ResidentId>{};
  return store_.FindByPhoneIndex(county_code, PhoneIndex(cipher_, *normalized));
}

Result<std::vector<std::string>> ResidentRegistry::RegisteredIdNumbers(std::string_view county_code,
                                                                       std::span<const std::string> id_numbers) {
  std::vector<std::string> indexes;
  std::unordered_map<std::string, std::string> by_index;
  indexes.reserve(id_numbers.size());
  for (const std::string& id : id_numbers) {
    std::string normalized = NormalizeIdNumber(id);
    std::string index = IdNumberIndex(cipher_, normalized);
    by_index.emplace(index, std::move(normalized));
    indexes.push_back(std::move(index));
  }
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> existing, store_.ExistingIdNumberIndexes(county_code, indexes));
  std::vector<std::string> out;
  out.reserve(existing.size());
  for (const std::string& index : existing) {
    auto it = by_index.find(index);
    if (it != by_index.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace gz::residents
