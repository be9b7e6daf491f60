#include "modules/residents/testing/in_memory_resident_store.h"

#include <algorithm>
#include <set>

#include "modules/residents/problems.h"

namespace gz::residents {

Status InMemoryResidentStore::InsertHouseholds(std::span<const SealedHouseholdWithMembers> households) {
  std::lock_guard lock(mu_);
  // Check everything first: all or nothing, like one transaction.
  std::set<std::pair<std::string, std::string>> batch_index;
  std::set<int64_t> batch_ids;
  for (const auto& h : households) {
    if (households_.count(h.household.info.id.value) || !batch_ids.insert(h.household.info.id.value).second)
      return AlreadyExists("storage/conflict", "household id");
    for (const auto& r : h.members) {
      if (r.info.household_id != h.household.info.id) return FailedPrecondition("storage/constraint", "household id");
      if (residents_.count(r.info.id.value) || !batch_ids.insert(r.info.id.value).second)
        return AlreadyExists("storage/conflict", "resident id");
      std::pair key{r.info.county_code, r.id_number_index};
      if (by_id_index_.count(key) || !batch_index.insert(key).second)
        return AlreadyExists(std::string(problems::kDuplicateIdNumber));
    }
  }
  for (const auto& h : households) {
    households_.emplace(h.household.info.id.value, h.household);
    for (const auto& r : h.members) {
      residents_.emplace(r.info.id.value, r);
      by_id_index_.emplace(std::pair{r.info.county_code, r.id_number_index}, r.info.id.value);
    }
  }
  ++insert_batches_;
  return Status::Ok();
}

Status InMemoryResidentStore::InsertResident(const SealedResident& r) {
  std::lock_guard lock(mu_);
  if (!households_.count(r.info.household_id.value)) return NotFound(std::string(problems::kHouseholdNotFound));
  if (residents_.count(r.info.id.value)) return AlreadyExists("storage/conflict", "resident id");
  std::pair key{r.info.county_code, r.id_number_index};
  if (by_id_index_.count(key)) return AlreadyExists(std::string(problems::kDuplicateIdNumber));
  residents_.emplace(r.info.id.value, r);
  by_id_index_.emplace(key, r.info.id.value);
  return Status::Ok();
}

Result<SealedHousehold> InMemoryResidentStore::GetHousehold(HouseholdId id) {
  std::lock_guard lock(mu_);
  auto it = households_.find(id.value);
  if (it == households_.end()) return NotFound(std::string(problems::kHouseholdNotFound));
  return it->second;
}

Result<SealedResident> InMemoryResidentStore::GetResident(ResidentId id) {
  std::lock_guard lock(mu_);
  auto it = residents_.find(id.value);
  if (it == residents_.end()) return NotFound(std::string(problems::kResidentNotFound));
  return it->second;
}

Result<std::vector<ResidentInfo>> InMemoryResidentStore::ListResidents(std::string_view village_code) {
  std::lock_guard lock(mu_);
  std::vector<ResidentInfo> out;
  for (const auto& [id, r] : residents_)
    if (r.info.village_code == village_code) out.push_back(r.info);
  std::sort(out.begin(), out.end(), [](const ResidentInfo& a, const ResidentInfo& b) {
    return std::pair{a.household_id.value, a.id.value} < std::pair{b.household_id.value, b.id.value};
  });
  return out;
}

Result<std::vector<VillageCount>> InMemoryResidentStore::CountByVillage(std::span<const std::string> village_codes) {
  std::lock_guard lock(mu_);
  std::vector<VillageCount> out;
  for (const std::string& code : village_codes) {
    VillageCount c{code, 0, 0};
    for (const auto& [id, h] : households_) c.households += h.info.village_code == code;
    for (const auto& [id, r] : residents_) c.residents += r.info.village_code == code;
    out.push_back(c);
  }
  return out;
}

Result<std::optional<ResidentId>> InMemoryResidentStore::FindByIdNumberIndex(std::string_view county_code,
                                                                             std::string_view index) {
  std::lock_guard lock(mu_);
  auto it = by_id_index_.find({std::string(county_code), std::string(index)});
  if (it == by_id_index_.end()) return std::optional<ResidentId>();
  return std::optional<ResidentId>(ResidentId{it->second});
}

Result<std::vector<ResidentId>> InMemoryResidentStore::FindByPhoneIndex(std::string_view county_code,
                                                                        std::string_view index) {
  std::lock_guard lock(mu_);
  std::vector<ResidentId> out;
  for (const auto& [id, r] : residents_)
    if (r.info.county_code == county_code && r.phone_index && *r.phone_index == index) out.push_back(r.info.id);
  return out;
}

Result<std::vector<std::string>> InMemoryResidentStore::ExistingIdNumberIndexes(std::string_view county_code,
                                                                                std::span<const std::string> indexes) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& index : indexes)
    if (by_id_index_.count({std::string(county_code), index}) && seen.insert(index).second) out.push_back(index);
  return out;
}

SealedResident* InMemoryResidentStore::MutableResidentForTest(ResidentId id) {
  std::lock_guard lock(mu_);
  auto it = residents_.find(id.value);
  return it == residents_.end() ? nullptr : &it->second;
}

SealedHousehold* InMemoryResidentStore::MutableHouseholdForTest(HouseholdId id) {
  std::lock_guard lock(mu_);
  auto it = households_.find(id.value);
  return it == households_.end() ? nullptr : &it->second;
}

int InMemoryResidentStore::insert_batches() const {
  std::lock_guard lock(mu_);
  return insert_batches_;
}

}  // namespace gz::residents
