// Layer: residents sql (see sql_resident_store.h).
#include "modules/residents/sql/sql_resident_store.h"

#include <map>
#include <set>

#include "modules/residents/problems.h"
#include "storage/problems.h"

namespace gz::residents {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr size_t kMaxInList = 500;  // well under SQLite's and PostgreSQL's parameter limits

constexpr std::string_view kInsertHousehold =
    "INSERT INTO residents_households (id, county_code, village_code, address_sealed, created_at_ms) "
    "VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kInsertResident =
    "INSERT INTO residents_residents (id, household_id, county_code, village_code, name_sealed, id_number_sealed, "
    "id_number_index, phone_sealed, phone_index, gender, birth_year, relation, created_at_ms) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kResidentColumns =
    "id, household_id, county_code, village_code, gender, birth_year, relation, created_at_ms, "
    "name_sealed, id_number_sealed, id_number_index, phone_sealed, phone_index";

Value OptionalBlob(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return Blob{*v};
}

Params HouseholdParams(const SealedHousehold& h) {
  return {h.info.id.value, h.info.county_code, h.info.village_code, Blob{h.address_sealed}, h.info.created_at_ms};
}

Params ResidentParams(const SealedResident& r) {
  return {r.info.id.value,
          r.info.household_id.value,
          r.info.county_code,
          r.info.village_code,
          Blob{r.name_sealed},
          Blob{r.id_number_sealed},
          Blob{r.id_number_index},
          OptionalBlob(r.phone_sealed),
          OptionalBlob(r.phone_index),
          static_cast<int64_t>(r.info.gender),
          static_cast<int64_t>(r.info.birth_year),
          std::string(RelationCode(r.info.relation)),
          r.info.created_at_ms};
}

// Columns 0-7 as in kResidentColumns.
Result<ResidentInfo> InfoFromRow(const Row& row) {
  ResidentInfo info;
  info.id = ResidentId{row.Int(0)};
  info.household_id = HouseholdId{row.Int(1)};
  info.county_code = row.Text(2);
  info.village_code = row.Text(3);
  const int64_t gender = row.Int(4);
  if (gender != 1 && gender != 2) return Internal("residents_residents.gender out of range");
  info.gender = static_cast<Gender>(gender);
  info.birth_year = static_cast<int>(row.Int(5));
  std::optional<Relation> relation = ParseRelation(row.Text(6));
  if (!relation) return Internal("residents_residents.relation unknown");
  info.relation = *relation;
  info.created_at_ms = row.Int(7);
  return info;
}

Result<SealedResident> ResidentFromRow(const Row& row) {
  SealedResident r;
  GZ_ASSIGN_OR_RETURN(r.info, InfoFromRow(row));
  r.name_sealed = row.Text(8);
  r.id_number_sealed = row.Text(9);
  r.id_number_index = row.Text(10);
  if (!row.IsNull(11)) r.phone_sealed = row.Text(11);
  if (!row.IsNull(12)) r.phone_index = row.Text(12);
  return r;
}

// "$<first>, $<first+1>, ..." for n placeholders.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

// Refuses ID numbers already registered in their county, or given twice, before anything is
// written: the answer is then "residents/duplicate-id-number" on every backend (PostgreSQL
// cannot run a query after a failed statement in the same transaction).
Status CheckIdNumbersFree(Tx& tx, const std::vector<const SealedResident*>& residents) {
  std::map<std::string, std::vector<const std::string*>> by_county;
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const SealedResident* r : residents) {
    if (!seen.emplace(r->info.county_code, r->id_number_index).second)
      return AlreadyExists(std::string(problems::kDuplicateIdNumber), "twice in the batch");
    by_county[r->info.county_code].push_back(&r->id_number_index);
  }
  for (const auto& [county, indexes] : by_county) {
    for (size_t begin = 0; begin < indexes.size(); begin += kMaxInList) {
      const size_t n = std::min(kMaxInList, indexes.size() - begin);
      Params params{county};
      for (size_t i = 0; i < n; ++i) params.push_back(Blob{*indexes[begin + i]});
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                          tx.Query("SELECT 1 FROM residents_residents WHERE county_code = $1 AND id_number_index IN (" +
                                       Placeholders(2, n) + ") LIMIT 1",
                                   params));
      if (!rs.empty()) return AlreadyExists(std::string(problems::kDuplicateIdNumber));
    }
  }
  return Status::Ok();
}

}  // namespace

Status SqlResidentStore::InsertHouseholds(std::span<const SealedHouseholdWithMembers> households) {
  std::vector<const SealedHousehold*> household_rows;
  std::vector<const SealedResident*> resident_rows;
  for (const SealedHouseholdWithMembers& h : households) {
    household_rows.push_back(&h.household);
    for (const SealedResident& r : h.members) resident_rows.push_back(&r);
  }
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(CheckIdNumbersFree(tx, resident_rows));
    // One prepared statement per table, one row each: measured faster here than multi-row
    // VALUES lists, whose binding cost grows with the number of placeholders.
    for (const SealedHousehold* h : household_rows) GZ_RETURN_IF_ERROR(tx.Exec(kInsertHousehold, HouseholdParams(*h)).status());
    for (const SealedResident* r : resident_rows) GZ_RETURN_IF_ERROR(tx.Exec(kInsertResident, ResidentParams(*r)).status());
    return Status::Ok();
  });
}

Status SqlResidentStore::InsertResident(const SealedResident& resident) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT 1 FROM residents_households WHERE id = $1", {resident.info.household_id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kHouseholdNotFound));
    GZ_RETURN_IF_ERROR(CheckIdNumbersFree(tx, {&resident}));
    return tx.Exec(kInsertResident, ResidentParams(resident)).status();
  });
}

Result<SealedHousehold> SqlResidentStore::GetHousehold(HouseholdId id) {
  SealedHousehold out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id, county_code, village_code, created_at_ms, address_sealed "
                                 "FROM residents_households WHERE id = $1",
                                 {id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kHouseholdNotFound));
    const Row& row = rs.rows.front();
    out.info = {HouseholdId{row.Int(0)}, row.Text(1), row.Text(2), row.Int(3)};
    out.address_sealed = row.Text(4);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<SealedResident> SqlResidentStore::GetResident(ResidentId id) {
  std::optional<SealedResident> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kResidentColumns) + " FROM residents_residents WHERE id = $1",
                                 {id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kResidentNotFound));
    GZ_ASSIGN_OR_RETURN(out, ResidentFromRow(rs.rows.front()));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

Result<std::vector<ResidentInfo>> SqlResidentStore::ListResidents(std::string_view village_code) {
  std::vector<ResidentInfo> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id, household_id, county_code, village_code, gender, birth_year, relation, "
                                 "created_at_ms FROM residents_residents WHERE village_code = $1 "
                                 "ORDER BY household_id, id",
                                 {std::string(village_code)}));
    out.reserve(rs.rows.size());
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(ResidentInfo info, InfoFromRow(row));
      out.push_back(std::move(info));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<VillageCount>> SqlResidentStore::CountByVillage(std::span<const std::string> village_codes) {
  std::map<std::string, VillageCount> counts;
  Status s = db_.Read([&](Tx& tx) -> Status {
    for (size_t begin = 0; begin < village_codes.size(); begin += kMaxInList) {
      const size_t n = std::min(kMaxInList, village_codes.size() - begin);
      Params params(village_codes.begin() + begin, village_codes.begin() + begin + n);
      const std::string in = " WHERE village_code IN (" + Placeholders(1, n) + ") GROUP BY village_code";
      GZ_ASSIGN_OR_RETURN(storage::ResultSet h,
                          tx.Query("SELECT village_code, COUNT(*) FROM residents_households" + in, params));
      for (const Row& row : h.rows) counts[row.Text(0)].households = row.Int(1);
      GZ_ASSIGN_OR_RETURN(storage::ResultSet r,
                          tx.Query("SELECT village_code, COUNT(*) FROM residents_residents" + in, params));
      for (const Row& row : r.rows) counts[row.Text(0)].residents = row.Int(1);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::vector<VillageCount> out;
  out.reserve(village_codes.size());
  for (const std::string& code : village_codes) {
    auto it = counts.find(code);
    out.push_back(it == counts.end() ? VillageCount{code, 0, 0} : VillageCount{code, it->second.households, it->second.residents});
  }
  return out;
}

Result<std::optional<ResidentId>> SqlResidentStore::FindByIdNumberIndex(std::string_view county_code,
                                                                        std::string_view index) {
  std::optional<ResidentId> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id FROM residents_residents WHERE county_code = $1 AND id_number_index = $2",
                                 {std::string(county_code), Blob{std::string(index)}}));
    if (!rs.empty()) out = ResidentId{rs.rows.front().Int(0)};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ResidentId>> SqlResidentStore::FindByPhoneIndex(std::string_view county_code,
                                                                   std::string_view index) {
  std::vector<ResidentId> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id FROM residents_residents WHERE county_code = $1 AND phone_index = $2 "
                                 "ORDER BY id",
                                 {std::string(county_code), Blob{std::string(index)}}));
    for (const Row& row : rs.rows) out.push_back(ResidentId{row.Int(0)});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> SqlResidentStore::ExistingIdNumberIndexes(std::string_view county_code,
                                                                           std::span<const std::string> indexes) {
  std::vector<std::string> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    for (size_t begin = 0; begin < indexes.size(); begin += kMaxInList) {
      const size_t n = std::min(kMaxInList, indexes.size() - begin);
      Params params{std::string(county_code)};
      for (size_t i = 0; i < n; ++i) params.push_back(Blob{indexes[begin + i]});
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                          tx.Query("SELECT DISTINCT id_number_index FROM residents_residents WHERE county_code = $1 "
                                   "AND id_number_index IN (" + Placeholders(2, n) + ")",
                                   params));
      for (const Row& row : rs.rows) out.push_back(row.Text(0));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace gz::residents
