#include "modules/residents/testing/in_memory_resident_store.h"

#include <algorithm>
#include <set>

#include "modules/residents/problems.h"

namespace gz::residents {
namespace {

bool ResidentOrder(const SealedResident& a, const SealedResident& b) {
  return std::pair{a.info.household_id.value, a.info.id.value} < std::pair{b.info.household_id.value, b.info.id.value};
}

template <typename T>
std::vector<T> Slice(const std::vector<T>& all, int64_t limit, int64_t offset) {
  std::vector<T> out;
  for (int64_t i = offset; i < static_cast<int64_t>(all.size()) && i < offset + limit; ++i) out.push_back(all[static_cast<size_t>(i)]);
  return out;
}

}  // namespace

Status InMemoryResidentStore::Commit(const TxAudit& audit) {
  if (fail_audit_) return Unavailable("audit/unavailable", "failing on purpose (test)");
  for (const auto& e : audit.events) audit_.push_back(e);
  return Status::Ok();
}

Status InMemoryResidentStore::InsertHouseholds(std::span<const SealedHouseholdWithMembers> households,
                                               const TxAudit& audit) {
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
  GZ_RETURN_IF_ERROR(Commit(audit));
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

Status InMemoryResidentStore::InsertResident(const SealedResident& r, const TxAudit& audit) {
  std::lock_guard lock(mu_);
  if (!households_.count(r.info.household_id.value)) return NotFound(std::string(problems::kHouseholdNotFound));
  if (residents_.count(r.info.id.value)) return AlreadyExists("storage/conflict", "resident id");
  std::pair key{r.info.county_code, r.id_number_index};
  if (by_id_index_.count(key)) return AlreadyExists(std::string(problems::kDuplicateIdNumber));
  if (r.info.relation == Relation::kHead)
    for (const auto& [id, other] : residents_)
      if (other.info.household_id == r.info.household_id && other.info.relation == Relation::kHead)
        return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count");
  GZ_RETURN_IF_ERROR(Commit(audit));
  residents_.emplace(r.info.id.value, r);
  by_id_index_.emplace(key, r.info.id.value);
  return Status::Ok();
}

Status InMemoryResidentStore::CheckResidentUpdate(const ResidentUpdate& u) const {
  auto it = residents_.find(u.row.info.id.value);
  if (it == residents_.end() || it->second.info.updated_at_ms != u.expected_updated_at_ms)
    return Aborted(std::string(problems::kEditConflict));
  auto owner = by_id_index_.find({u.row.info.county_code, u.row.id_number_index});
  if (owner != by_id_index_.end() && owner->second != u.row.info.id.value)
    return AlreadyExists(std::string(problems::kDuplicateIdNumber));
  if (u.row.info.relation == Relation::kHead)
    for (const auto& [id, other] : residents_)
      if (id != u.row.info.id.value && other.info.household_id == it->second.info.household_id &&
          other.info.relation == Relation::kHead)
        return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count");
  return Status::Ok();
}

void InMemoryResidentStore::ApplyResidentUpdate(const ResidentUpdate& u) {
  SealedResident& row = residents_.at(u.row.info.id.value);
  by_id_index_.erase({row.info.county_code, row.id_number_index});
  SealedResident next = u.row;
  next.info.household_id = row.info.household_id;
  next.info.county_code = row.info.county_code;
  next.info.village_code = row.info.village_code;
  next.info.created_at_ms = row.info.created_at_ms;
  row = std::move(next);
  by_id_index_.emplace(std::pair{row.info.county_code, row.id_number_index}, row.info.id.value);
}

Status InMemoryResidentStore::UpdateResident(const ResidentUpdate& update, const TxAudit& audit) {
  std::lock_guard lock(mu_);
  GZ_RETURN_IF_ERROR(CheckResidentUpdate(update));
  GZ_RETURN_IF_ERROR(Commit(audit));
  ApplyResidentUpdate(update);
  return Status::Ok();
}

Status InMemoryResidentStore::InsertCorrection(const SealedCorrection& c, const TxAudit& audit) {
  std::lock_guard lock(mu_);
  if (!residents_.count(c.info.resident_id.value)) return NotFound(std::string(problems::kResidentNotFound));
  if (corrections_.count(c.info.id.value)) return AlreadyExists("storage/conflict", "correction id");
  GZ_RETURN_IF_ERROR(Commit(audit));
  corrections_.emplace(c.info.id.value, c);
  return Status::Ok();
}

Status InMemoryResidentStore::ResolveCorrection(const SealedCorrection& resolved,
                                                const std::optional<ResidentUpdate>& resident,
                                                const std::optional<HouseholdUpdate>& household,
                                                const TxAudit& audit) {
  std::lock_guard lock(mu_);
  auto it = corrections_.find(resolved.info.id.value);
  if (it == corrections_.end()) return NotFound(std::string(problems::kCorrectionNotFound));
  if (it->second.info.status != CorrectionStatus::kOpen) return FailedPrecondition(std::string(problems::kCorrectionClosed));
  if (resident) GZ_RETURN_IF_ERROR(CheckResidentUpdate(*resident));
  if (household) {
    auto h = households_.find(household->row.info.id.value);
    if (h == households_.end() || h->second.info.updated_at_ms != household->expected_updated_at_ms)
      return Aborted(std::string(problems::kEditConflict));
  }
  GZ_RETURN_IF_ERROR(Commit(audit));
  it->second = resolved;
  if (resident) ApplyResidentUpdate(*resident);
  if (household) {
    SealedHousehold& h = households_.at(household->row.info.id.value);
    h.address_sealed = household->row.address_sealed;
    h.info.updated_at_ms = household->row.info.updated_at_ms;
  }
  return Status::Ok();
}

Result<SealedCorrection> InMemoryResidentStore::GetCorrection(CorrectionId id) {
  std::lock_guard lock(mu_);
  auto it = corrections_.find(id.value);
  if (it == corrections_.end()) return NotFound(std::string(problems::kCorrectionNotFound));
  return it->second;
}

Result<std::vector<SealedCorrection>> InMemoryResidentStore::CorrectionsOfResident(ResidentId id) {
  std::lock_guard lock(mu_);
  std::vector<SealedCorrection> out;
  for (auto it = corrections_.rbegin(); it != corrections_.rend() && out.size() < 200; ++it)
    if (it->second.info.resident_id == id) out.push_back(it->second);
  std::stable_sort(out.begin(), out.end(), [](const SealedCorrection& a, const SealedCorrection& b) {
    return a.info.created_at_ms > b.info.created_at_ms;
  });
  return out;
}

Result<CorrectionPage> InMemoryResidentStore::CorrectionsOfVillage(std::string_view village_code,
                                                                   std::optional<CorrectionStatus> status,
                                                                   int64_t limit, int64_t offset) {
  std::lock_guard lock(mu_);
  std::vector<SealedCorrection> all;
  for (auto it = corrections_.rbegin(); it != corrections_.rend(); ++it)
    if (it->second.info.village_code == village_code && (!status || it->second.info.status == *status))
      all.push_back(it->second);
  std::stable_sort(all.begin(), all.end(), [](const SealedCorrection& a, const SealedCorrection& b) {
    return a.info.created_at_ms > b.info.created_at_ms;
  });
  return CorrectionPage{Slice(all, limit, offset), static_cast<int64_t>(all.size())};
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
  GZ_ASSIGN_OR_RETURN(ResidentPage page, ResidentsOfVillage(village_code, INT64_MAX / 2, 0));
  std::vector<ResidentInfo> out;
  for (const SealedResident& r : page.items) out.push_back(r.info);
  return out;
}

Result<ResidentPage> InMemoryResidentStore::ResidentsOfVillage(std::string_view village_code, int64_t limit,
                                                               int64_t offset) {
  std::lock_guard lock(mu_);
  std::vector<SealedResident> all;
  for (const auto& [id, r] : residents_)
    if (r.info.village_code == village_code) all.push_back(r);
  std::sort(all.begin(), all.end(), ResidentOrder);
  return ResidentPage{Slice(all, limit, offset), static_cast<int64_t>(all.size())};
}

Result<HouseholdPage> InMemoryResidentStore::HouseholdsOfVillage(std::string_view village_code, int64_t limit,
                                                                 int64_t offset) {
  std::lock_guard lock(mu_);
  std::vector<HouseholdSummary> all;
  for (const auto& [id, h] : households_) {
    if (h.info.village_code != village_code) continue;
    HouseholdSummary s{h, 0, std::nullopt};
    for (const auto& [rid, r] : residents_) {
      if (r.info.household_id != h.info.id) continue;
      ++s.members;
      if (r.info.relation == Relation::kHead && !s.head) s.head = r;
    }
    all.push_back(std::move(s));
  }
  return HouseholdPage{Slice(all, limit, offset), static_cast<int64_t>(all.size())};
}

Result<std::vector<SealedResident>> InMemoryResidentStore::MembersOf(HouseholdId id) {
  std::lock_guard lock(mu_);
  if (!households_.count(id.value)) return NotFound(std::string(problems::kHouseholdNotFound));
  std::vector<SealedResident> out;
  for (const auto& [rid, r] : residents_)
    if (r.info.household_id == id) out.push_back(r);
  return out;
}

Result<VillageFacts> InMemoryResidentStore::FactsOfVillage(std::string_view village_code) {
  std::lock_guard lock(mu_);
  VillageFacts out;
  for (const auto& [id, h] : households_)
    if (h.info.village_code == village_code) out.households.push_back(h.info);
  std::vector<SealedResident> rows;
  for (const auto& [id, r] : residents_)
    if (r.info.village_code == village_code) rows.push_back(r);
  std::sort(rows.begin(), rows.end(), ResidentOrder);
  for (const SealedResident& r : rows) out.residents.push_back({r.info, r.phone_index.has_value(), r.name_index});
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

std::vector<access::AuditEvent> InMemoryResidentStore::audit_events() const {
  std::lock_guard lock(mu_);
  return audit_;
}

void InMemoryResidentStore::FailAuditForTest(bool fail) {
  std::lock_guard lock(mu_);
  fail_audit_ = fail;
}

}  // namespace gz::residents
