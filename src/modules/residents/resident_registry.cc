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

namespace gz::residents {
namespace {

constexpr size_t kMaxNameBytes = 50;
constexpr size_t kMaxAddressBytes = 200;
constexpr size_t kMaxMembers = 20;

bool HasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

// A member after validation: normalized personal fields and the facts taken from the ID number.
struct CheckedMember {
  ResidentPersonalFields personal;
  Gender gender;
  int birth_year;
  Relation relation;
};

Result<CheckedMember> CheckMember(const NewResident& m, const CivilDate& today) {
  CheckedMember out;
  out.relation = m.relation;
  out.personal.name = m.personal.name;
  if (out.personal.name.empty() || out.personal.name.size() > kMaxNameBytes || HasControlChar(out.personal.name))
    return InvalidArgument(std::string(problems::kBadName));
  out.personal.id_number = NormalizeIdNumber(m.personal.id_number);
  GZ_ASSIGN_OR_RETURN(IdNumberInfo id, ParseIdNumber(out.personal.id_number, today));
  out.gender = id.gender;
  out.birth_year = id.birth_date.year;
  if (m.personal.phone) {
    std::optional<std::string> phone = NormalizeMobile(*m.personal.phone);
    if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
    out.personal.phone = std::move(*phone);
  }
  return out;
}

Status CheckVillage(std::string_view code) {
  if (!IsVillageCode(code)) return InvalidArgument(std::string(problems::kBadVillageCode)).With("code", std::string(code.substr(0, 32)));
  return Status::Ok();
}

}  // namespace

ResidentRegistry::ResidentRegistry(ResidentStore& store, const crypto::FieldCipher& cipher, const Clock& clock)
    : store_(store), cipher_(cipher), clock_(clock) {}

Result<std::vector<HouseholdId>> ResidentRegistry::CreateHouseholds(std::span<const NewHousehold> households) {
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
    if (in.personal.address.empty() || in.personal.address.size() > kMaxAddressBytes ||
        HasControlChar(in.personal.address))
      return InvalidArgument(std::string(problems::kBadAddress)).With("household", hs);
    if (in.members.empty())
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "no-members").With("household", hs);
    if (in.members.size() > kMaxMembers)
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "too-many-members").With("household", hs);
    if (std::count_if(in.members.begin(), in.members.end(), [](const NewResident& m) { return m.relation == Relation::kHead; }) != 1)
      return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count").With("household", hs);

    SealedHouseholdWithMembers row;
    HouseholdInfo info{HouseholdId{crypto::NewRowId(now_ms)}, CountyOf(in.village_code), in.village_code, now_ms};
    row.household = SealHousehold(cipher_, info, in.personal);
    for (size_t m = 0; m < in.members.size(); ++m) {
      Result<CheckedMember> checked = CheckMember(in.members[m], today);
      if (!checked.ok()) return Status(checked.status()).With("household", hs).With("member", std::to_string(m));
      if (!seen.emplace(info.county_code, checked->personal.id_number).second)
        return AlreadyExists(std::string(problems::kDuplicateIdNumber)).With("household", hs).With("member", std::to_string(m));
      ResidentInfo r{ResidentId{crypto::NewRowId(now_ms)}, info.id, info.county_code, info.village_code,
                     checked->gender, checked->birth_year, checked->relation, now_ms};
      row.members.push_back(SealResident(cipher_, r, checked->personal));
    }
    rows.push_back(std::move(row));
  }
  GZ_RETURN_IF_ERROR(store_.InsertHouseholds(rows));
  std::vector<HouseholdId> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.household.info.id);
  return ids;
}

Result<HouseholdId> ResidentRegistry::CreateHousehold(const NewHousehold& household) {
  GZ_ASSIGN_OR_RETURN(std::vector<HouseholdId> ids, CreateHouseholds(std::span<const NewHousehold>(&household, 1)));
  return ids.front();
}

Result<ResidentId> ResidentRegistry::AddResident(HouseholdId household, const NewResident& resident) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  if (resident.relation == Relation::kHead)
    return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count");
  GZ_ASSIGN_OR_RETURN(SealedHousehold h, store_.GetHousehold(household));
  GZ_ASSIGN_OR_RETURN(CheckedMember m, CheckMember(resident, ChinaDateOf(clock_.Now())));
  const int64_t now_ms = NowMs(clock_);
  ResidentInfo r{ResidentId{crypto::NewRowId(now_ms)}, h.info.id, h.info.county_code, h.info.village_code,
                 m.gender, m.birth_year, m.relation, now_ms};
  GZ_RETURN_IF_ERROR(store_.InsertResident(SealResident(cipher_, r, m.personal)));
  return r.id;
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
