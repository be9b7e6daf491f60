// Layer: residents sql (see sql_resident_store.h).
#include "modules/residents/sql/sql_resident_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "modules/residents/problems.h"
#include "storage/problems.h"
#include "storage/sql_columns.h"

namespace gz::residents {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr size_t kMaxInList = 500;  // well under SQLite's and PostgreSQL's parameter limits

constexpr std::string_view kInsertHousehold =
    "INSERT INTO residents_households (id, county_code, village_code, address_sealed, created_at_ms, updated_at_ms) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kInsertResident =
    "INSERT INTO residents_residents (id, household_id, county_code, village_code, gender, birth_year, relation, "
    "created_at_ms, updated_at_ms, id_region, name_sealed, id_number_sealed, id_number_index, phone_sealed, "
    "phone_index, name_index, flags_sealed) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
// Columns 0-9 are the clear facts (InfoFromRow), 10-16 the sealed columns and indexes.
constexpr std::string_view kResidentColumns =
    "id, household_id, county_code, village_code, gender, birth_year, relation, created_at_ms, updated_at_ms, "
    "id_region, name_sealed, id_number_sealed, id_number_index, phone_sealed, phone_index, name_index, flags_sealed";
constexpr std::string_view kInfoColumns =
    "id, household_id, county_code, village_code, gender, birth_year, relation, created_at_ms, updated_at_ms, id_region";
constexpr std::string_view kHouseholdColumns = "id, county_code, village_code, created_at_ms, updated_at_ms, address_sealed";
constexpr std::string_view kCorrectionColumns =
    "id, resident_id, household_id, county_code, village_code, requester_account, field, status, created_at_ms, "
    "resolver_account, resolved_at_ms, proposed_sealed, reason_sealed, note_sealed";

Value OptionalBlob(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return Blob{*v};
}

Value OptionalText(const std::string& v) {
  if (v.empty()) return nullptr;
  return v;
}

Params HouseholdParams(const SealedHousehold& h) {
  return {h.info.id.value, h.info.county_code, h.info.village_code, Blob{h.address_sealed}, h.info.created_at_ms,
          h.info.updated_at_ms};
}

Params ResidentParams(const SealedResident& r) {
  return {r.info.id.value,
          r.info.household_id.value,
          r.info.county_code,
          r.info.village_code,
          static_cast<int64_t>(r.info.gender),
          static_cast<int64_t>(r.info.birth_year),
          std::string(RelationCode(r.info.relation)),
          r.info.created_at_ms,
          r.info.updated_at_ms,
          OptionalText(r.info.id_region),
          Blob{r.name_sealed},
          Blob{r.id_number_sealed},
          Blob{r.id_number_index},
          OptionalBlob(r.phone_sealed),
          OptionalBlob(r.phone_index),
          OptionalBlob(r.name_index),
          OptionalBlob(r.flags_sealed)};
}

// Columns 0-9 as in kInfoColumns.
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
  info.updated_at_ms = row.Int(8);
  info.id_region = row.Text(9);
  return info;
}

Result<SealedResident> ResidentFromRow(const Row& row) {
  SealedResident r;
  GZ_ASSIGN_OR_RETURN(r.info, InfoFromRow(row));
  r.name_sealed = row.Text(10);
  r.id_number_sealed = row.Text(11);
  r.id_number_index = row.Text(12);
  if (!row.IsNull(13)) r.phone_sealed = row.Text(13);
  if (!row.IsNull(14)) r.phone_index = row.Text(14);
  if (!row.IsNull(15)) r.name_index = row.Text(15);
  if (!row.IsNull(16)) r.flags_sealed = row.Text(16);
  return r;
}

SealedHousehold HouseholdFromRow(const Row& row) {
  SealedHousehold h;
  h.info = {HouseholdId{row.Int(0)}, row.Text(1), row.Text(2), row.Int(3), row.Int(4)};
  h.address_sealed = row.Text(5);
  return h;
}

Result<SealedCorrection> CorrectionFromRow(const Row& row) {
  SealedCorrection c;
  c.info.id = CorrectionId{row.Int(0)};
  c.info.resident_id = ResidentId{row.Int(1)};
  c.info.household_id = HouseholdId{row.Int(2)};
  c.info.county_code = row.Text(3);
  c.info.village_code = row.Text(4);
  c.info.requester_account = row.Int(5);
  std::optional<CorrectionField> field = ParseCorrectionField(row.Text(6));
  std::optional<CorrectionStatus> status = ParseCorrectionStatus(row.Text(7));
  if (!field || !status) return Internal("residents_corrections.field or status unknown");
  c.info.field = *field;
  c.info.status = *status;
  c.info.created_at_ms = row.Int(8);
  c.info.resolver_account = row.Int(9);
  c.info.resolved_at_ms = row.Int(10);
  c.proposed_sealed = row.Text(11);
  c.reason_sealed = row.Text(12);
  if (!row.IsNull(13)) c.note_sealed = row.Text(13);
  return c;
}

// "$<first>, $<first+1>, ..." for n placeholders.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += '$';
    out += std::to_string(first + i);
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
                          tx.Query("SELECT 1 FROM (" + SqlResidentStore::ExistingIdNumberIndexesSql(tx.dialect(), n) +
                                       ") AS registered LIMIT 1",
                                   params));
      if (!rs.empty()) return AlreadyExists(std::string(problems::kDuplicateIdNumber));
    }
  }
  return Status::Ok();
}

Status HeadCount() { return InvalidArgument(std::string(problems::kBadHousehold)).With("reason", "head-count"); }

// A head joining or becoming one: is there another head in the household already?
Status CheckNoOtherHead(Tx& tx, int64_t household_id, int64_t resident_id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                      tx.Query("SELECT 1 FROM residents_residents WHERE household_id = $1 AND relation = 'head' "
                               "AND id <> $2 LIMIT 1",
                               {household_id, resident_id}));
  return rs.empty() ? Status::Ok() : HeadCount();
}

Status ApplyResidentUpdate(Tx& tx, const ResidentUpdate& u) {
  const SealedResident& r = u.row;
  GZ_ASSIGN_OR_RETURN(storage::ResultSet current,
                      tx.Query("SELECT household_id, county_code, updated_at_ms FROM residents_residents WHERE id = $1",
                               {r.info.id.value}));
  if (current.empty() || current.rows.front().Int(2) != u.expected_updated_at_ms)
    return Aborted(std::string(problems::kEditConflict));
  const int64_t household_id = current.rows.front().Int(0);
  GZ_ASSIGN_OR_RETURN(storage::ResultSet owner,
                      tx.Query("SELECT 1 FROM residents_residents WHERE county_code = $1 AND id_number_index = $2 "
                               "AND id <> $3 LIMIT 1",
                               {current.rows.front().Text(1), Blob{r.id_number_index}, r.info.id.value}));
  if (!owner.empty()) return AlreadyExists(std::string(problems::kDuplicateIdNumber));
  if (r.info.relation == Relation::kHead) GZ_RETURN_IF_ERROR(CheckNoOtherHead(tx, household_id, r.info.id.value));
  GZ_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE residents_residents SET gender = $2, birth_year = $3, relation = $4, updated_at_ms = $5, "
              "id_region = $6, name_sealed = $7, id_number_sealed = $8, id_number_index = $9, phone_sealed = $10, "
              "phone_index = $11, name_index = $12, flags_sealed = $13 WHERE id = $1 AND updated_at_ms = $14",
              {r.info.id.value, static_cast<int64_t>(r.info.gender), static_cast<int64_t>(r.info.birth_year),
               std::string(RelationCode(r.info.relation)), r.info.updated_at_ms, OptionalText(r.info.id_region),
               Blob{r.name_sealed}, Blob{r.id_number_sealed}, Blob{r.id_number_index}, OptionalBlob(r.phone_sealed),
               OptionalBlob(r.phone_index), OptionalBlob(r.name_index), OptionalBlob(r.flags_sealed),
               u.expected_updated_at_ms}));
  if (changed != 1) return Aborted(std::string(problems::kEditConflict));
  return Status::Ok();
}

Status ApplyHouseholdUpdate(Tx& tx, const HouseholdUpdate& u) {
  GZ_ASSIGN_OR_RETURN(int64_t changed,
                      tx.Exec("UPDATE residents_households SET address_sealed = $2, updated_at_ms = $3 "
                              "WHERE id = $1 AND updated_at_ms = $4",
                              {u.row.info.id.value, Blob{u.row.address_sealed}, u.row.info.updated_at_ms,
                               u.expected_updated_at_ms}));
  if (changed != 1) return Aborted(std::string(problems::kEditConflict));
  return Status::Ok();
}

template <typename T>
Result<T> ReadOne(storage::Db& db, const std::function<Status(Tx&, T&)>& fn) {
  T out{};
  Status s = db.Read([&](Tx& tx) { return fn(tx, out); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

Status SqlResidentStore::WriteAudit(Tx& tx, const TxAudit& audit) const {
  if (audit.events.empty()) return Status::Ok();
  if (!audit_writer_) return Internal("residents store has no audit writer: refusing an unaudited change");
  for (const access::AuditEvent& e : audit.events) GZ_RETURN_IF_ERROR(audit_writer_(tx, e, audit.at_ms));
  return Status::Ok();
}

Status SqlResidentStore::InsertHouseholds(std::span<const SealedHouseholdWithMembers> households,
                                          const TxAudit& audit) {
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
    return WriteAudit(tx, audit);
  });
}

Status SqlResidentStore::InsertResident(const SealedResident& resident, const TxAudit& audit) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT 1 FROM residents_households WHERE id = $1", {resident.info.household_id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kHouseholdNotFound));
    GZ_RETURN_IF_ERROR(CheckIdNumbersFree(tx, {&resident}));
    if (resident.info.relation == Relation::kHead)
      GZ_RETURN_IF_ERROR(CheckNoOtherHead(tx, resident.info.household_id.value, resident.info.id.value));
    GZ_RETURN_IF_ERROR(tx.Exec(kInsertResident, ResidentParams(resident)).status());
    return WriteAudit(tx, audit);
  });
}

Status SqlResidentStore::UpdateResident(const ResidentUpdate& update, const TxAudit& audit) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(ApplyResidentUpdate(tx, update));
    return WriteAudit(tx, audit);
  });
}

Status SqlResidentStore::InsertCorrection(const SealedCorrection& c, const TxAudit& audit) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT 1 FROM residents_residents WHERE id = $1", {c.info.resident_id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kResidentNotFound));
    GZ_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO residents_corrections (id, resident_id, household_id, county_code, village_code, "
                "requester_account, field, status, created_at_ms, resolver_account, resolved_at_ms, proposed_sealed, "
                "reason_sealed, note_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                {c.info.id.value, c.info.resident_id.value, c.info.household_id.value, c.info.county_code,
                 c.info.village_code, c.info.requester_account, std::string(CorrectionFieldCode(c.info.field)),
                 std::string(CorrectionStatusCode(c.info.status)), c.info.created_at_ms, c.info.resolver_account,
                 c.info.resolved_at_ms, Blob{c.proposed_sealed}, Blob{c.reason_sealed}, OptionalBlob(c.note_sealed)})
            .status());
    return WriteAudit(tx, audit);
  });
}

Status SqlResidentStore::ResolveCorrection(const SealedCorrection& c, const std::optional<ResidentUpdate>& resident,
                                           const std::optional<HouseholdUpdate>& household, const TxAudit& audit) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE residents_corrections SET status = $2, resolver_account = $3, resolved_at_ms = $4, "
                "proposed_sealed = $5, reason_sealed = $6, note_sealed = $7 WHERE id = $1 AND status = 'open'",
                {c.info.id.value, std::string(CorrectionStatusCode(c.info.status)), c.info.resolver_account,
                 c.info.resolved_at_ms, Blob{c.proposed_sealed}, Blob{c.reason_sealed}, OptionalBlob(c.note_sealed)}));
    if (changed != 1) {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                          tx.Query("SELECT 1 FROM residents_corrections WHERE id = $1", {c.info.id.value}));
      if (rs.empty()) return NotFound(std::string(problems::kCorrectionNotFound));
      return FailedPrecondition(std::string(problems::kCorrectionClosed));
    }
    if (resident) GZ_RETURN_IF_ERROR(ApplyResidentUpdate(tx, *resident));
    if (household) GZ_RETURN_IF_ERROR(ApplyHouseholdUpdate(tx, *household));
    return WriteAudit(tx, audit);
  });
}

Result<SealedCorrection> SqlResidentStore::GetCorrection(CorrectionId id) {
  return ReadOne<SealedCorrection>(db_, [&](Tx& tx, SealedCorrection& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kCorrectionColumns) + " FROM residents_corrections WHERE id = $1",
                                 {id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kCorrectionNotFound));
    GZ_ASSIGN_OR_RETURN(out, CorrectionFromRow(rs.rows.front()));
    return Status::Ok();
  });
}

Result<std::vector<SealedCorrection>> SqlResidentStore::CorrectionsOfResident(ResidentId id) {
  return ReadOne<std::vector<SealedCorrection>>(db_, [&](Tx& tx, std::vector<SealedCorrection>& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kCorrectionColumns) +
                                     " FROM residents_corrections WHERE resident_id = $1 "
                                     "ORDER BY created_at_ms DESC, id DESC LIMIT 200",
                                 {id.value}));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(SealedCorrection c, CorrectionFromRow(row));
      out.push_back(std::move(c));
    }
    return Status::Ok();
  });
}

Result<CorrectionPage> SqlResidentStore::CorrectionsOfVillage(std::string_view village_code,
                                                              std::optional<CorrectionStatus> status, int64_t limit,
                                                              int64_t offset) {
  return ReadOne<CorrectionPage>(db_, [&](Tx& tx, CorrectionPage& out) -> Status {
    std::string where = " FROM residents_corrections WHERE village_code = $1";
    Params params{std::string(village_code)};
    if (status) {
      where += " AND status = $2";
      params.push_back(std::string(CorrectionStatusCode(*status)));
    }
    GZ_ASSIGN_OR_RETURN(storage::ResultSet count, tx.Query("SELECT COUNT(*)" + where, params));
    out.total = count.rows.front().Int(0);
    const size_t n = params.size();
    params.push_back(limit);
    params.push_back(offset);
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kCorrectionColumns) + where +
                                     " ORDER BY created_at_ms DESC, id DESC LIMIT $" + std::to_string(n + 1) +
                                     " OFFSET $" + std::to_string(n + 2),
                                 params));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(SealedCorrection c, CorrectionFromRow(row));
      out.items.push_back(std::move(c));
    }
    return Status::Ok();
  });
}

Result<SealedHousehold> SqlResidentStore::GetHousehold(HouseholdId id) {
  return ReadOne<SealedHousehold>(db_, [&](Tx& tx, SealedHousehold& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kHouseholdColumns) + " FROM residents_households WHERE id = $1",
                                 {id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kHouseholdNotFound));
    out = HouseholdFromRow(rs.rows.front());
    return Status::Ok();
  });
}

Result<SealedResident> SqlResidentStore::GetResident(ResidentId id) {
  return ReadOne<SealedResident>(db_, [&](Tx& tx, SealedResident& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kResidentColumns) + " FROM residents_residents WHERE id = $1",
                                 {id.value}));
    if (rs.empty()) return NotFound(std::string(problems::kResidentNotFound));
    GZ_ASSIGN_OR_RETURN(out, ResidentFromRow(rs.rows.front()));
    return Status::Ok();
  });
}

Result<std::vector<ResidentInfo>> SqlResidentStore::ListResidents(std::string_view village_code) {
  return ReadOne<std::vector<ResidentInfo>>(db_, [&](Tx& tx, std::vector<ResidentInfo>& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kInfoColumns) +
                                     " FROM residents_residents WHERE village_code = $1 ORDER BY household_id, id",
                                 {std::string(village_code)}));
    out.reserve(rs.rows.size());
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(ResidentInfo info, InfoFromRow(row));
      out.push_back(std::move(info));
    }
    return Status::Ok();
  });
}

// A page and the village's total in one statement (the total as an uncorrelated subquery, counted
// once, from the index): on PostgreSQL each statement is a round trip. A page past the end has no
// row to carry the total, so then it is counted on its own.
Result<ResidentPage> SqlResidentStore::ResidentsOfVillage(std::string_view village_code, int64_t limit,
                                                          int64_t offset) {
  static const std::string sql = "SELECT " + std::string(kResidentColumns) +
                                 ", (SELECT COUNT(*) FROM residents_residents WHERE village_code = $1)"
                                 " FROM residents_residents WHERE village_code = $1 ORDER BY household_id, id "
                                 "LIMIT $2 OFFSET $3";
  // Statements on their own (ReadStatement: no transaction around them); a page past the end
  // counts the total in a second one, which may see a later commit: a total is a hint.
  ResidentPage out;
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, db_.ReadStatement(sql, {std::string(village_code), limit, offset}));
  const size_t total_column = storage::ColumnCount(kResidentColumns);
  for (const Row& row : rs.rows) {
    GZ_ASSIGN_OR_RETURN(SealedResident r, ResidentFromRow(row));
    out.items.push_back(std::move(r));
  }
  if (!rs.empty()) {
    out.total = rs.rows.front().Int(total_column);
    return out;
  }
  GZ_ASSIGN_OR_RETURN(storage::ResultSet count, db_.ReadStatement("SELECT COUNT(*) FROM residents_residents WHERE village_code = $1",
                                                                  {std::string(village_code)}));
  out.total = count.rows.front().Int(0);
  return out;
}

// One statement for the page: each household with the village's total, its member count and its
// head (at most one: residents_residents_one_head), instead of four round trips on PostgreSQL.
Result<HouseholdPage> SqlResidentStore::HouseholdsOfVillage(std::string_view village_code, int64_t limit,
                                                            int64_t offset) {
  static const std::string sql =
      "SELECT " + storage::QualifiedColumns("h", kHouseholdColumns) +
      ", (SELECT COUNT(*) FROM residents_households WHERE village_code = $1)"
      ", (SELECT COUNT(*) FROM residents_residents m WHERE m.household_id = h.id), " +
      storage::QualifiedColumns("r", kResidentColumns) +
      " FROM residents_households h LEFT JOIN residents_residents r ON r.household_id = h.id AND r.relation = 'head'"
      " WHERE h.village_code = $1 ORDER BY h.id LIMIT $2 OFFSET $3";
  HouseholdPage out;
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, db_.ReadStatement(sql, {std::string(village_code), limit, offset}));
  const size_t household_n = storage::ColumnCount(kHouseholdColumns), head_first = household_n + 2;
  for (const Row& row : rs.rows) {
    HouseholdSummary item{HouseholdFromRow(row), row.Int(household_n + 1), std::nullopt};
    if (!row.IsNull(head_first)) {
      GZ_ASSIGN_OR_RETURN(SealedResident head, ResidentFromRow(storage::SliceRow(row, head_first, storage::ColumnCount(kResidentColumns))));
      item.head = std::move(head);
    }
    out.items.push_back(std::move(item));
  }
  if (!rs.empty()) {
    out.total = rs.rows.front().Int(household_n);
    return out;
  }
  GZ_ASSIGN_OR_RETURN(storage::ResultSet count, db_.ReadStatement("SELECT COUNT(*) FROM residents_households WHERE village_code = $1",
                                                                  {std::string(village_code)}));
  out.total = count.rows.front().Int(0);
  return out;
}

Result<std::vector<SealedResident>> SqlResidentStore::MembersOf(HouseholdId id) {
  return ReadOne<std::vector<SealedResident>>(db_, [&](Tx& tx, std::vector<SealedResident>& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet h, tx.Query("SELECT 1 FROM residents_households WHERE id = $1", {id.value}));
    if (h.empty()) return NotFound(std::string(problems::kHouseholdNotFound));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kResidentColumns) +
                                     " FROM residents_residents WHERE household_id = $1 ORDER BY id",
                                 {id.value}));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(SealedResident r, ResidentFromRow(row));
      out.push_back(std::move(r));
    }
    return Status::Ok();
  });
}

Result<VillageFacts> SqlResidentStore::FactsOfVillage(std::string_view village_code) {
  return ReadOne<VillageFacts>(db_, [&](Tx& tx, VillageFacts& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet hs,
                        tx.Query("SELECT id, county_code, village_code, created_at_ms, updated_at_ms "
                                 "FROM residents_households WHERE village_code = $1 ORDER BY id",
                                 {std::string(village_code)}));
    for (const Row& row : hs.rows)
      out.households.push_back({HouseholdId{row.Int(0)}, row.Text(1), row.Text(2), row.Int(3), row.Int(4)});
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kInfoColumns) +
                                     ", CASE WHEN phone_index IS NULL THEN 0 ELSE 1 END, name_index "
                                     "FROM residents_residents WHERE village_code = $1 ORDER BY household_id, id",
                                 {std::string(village_code)}));
    for (const Row& row : rs.rows) {
      ResidentFacts f;
      GZ_ASSIGN_OR_RETURN(f.info, InfoFromRow(row));
      f.has_phone = row.Int(10) != 0;
      if (!row.IsNull(11)) f.name_index = row.Text(11);
      out.residents.push_back(std::move(f));
    }
    return Status::Ok();
  });
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
  return ReadOne<std::optional<ResidentId>>(db_, [&](Tx& tx, std::optional<ResidentId>& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id FROM residents_residents WHERE county_code = $1 AND id_number_index = $2",
                                 {std::string(county_code), Blob{std::string(index)}}));
    if (!rs.empty()) out = ResidentId{rs.rows.front().Int(0)};
    return Status::Ok();
  });
}

Result<std::vector<ResidentId>> SqlResidentStore::FindByPhoneIndex(std::string_view county_code,
                                                                   std::string_view index) {
  return ReadOne<std::vector<ResidentId>>(db_, [&](Tx& tx, std::vector<ResidentId>& out) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id FROM residents_residents WHERE county_code = $1 AND phone_index = $2 "
                                 "ORDER BY id",
                                 {std::string(county_code), Blob{std::string(index)}}));
    for (const Row& row : rs.rows) out.push_back(ResidentId{row.Int(0)});
    return Status::Ok();
  });
}

// On PostgreSQL each asked index drives one probe of (county_code, id_number_index): a VALUES list
// joined LATERAL, so the planner cannot do what it did with `county_code = $1 AND id_number_index
// IN (...)` whenever its statistics underestimated the county (a county being seeded or imported
// since the last ANALYZE): walk the whole county in the index and filter, 300 ms a statement at
// 280,000 residents and growing with the county, instead of 500 probes (about 1 ms). Found seeding
// the province (bench/province.sh); resident_store_plan_test.cc keeps it so. SQLite's planner
// probes the index for an IN list whatever it knows.
std::string SqlResidentStore::ExistingIdNumberIndexesSql(storage::Dialect dialect, size_t count) {
  if (dialect == storage::Dialect::kSqlite) {
    return "SELECT id_number_index FROM residents_residents WHERE county_code = $1 AND id_number_index IN (" +
           Placeholders(2, count) + ")";
  }
  std::string values;
  for (size_t i = 0; i < count; ++i) {
    values += i == 0 ? "($2::bytea)" : ", ($" + std::to_string(i + 2) + ")";
  }
  return "SELECT r.id_number_index FROM (VALUES " + values +
         ") AS asked(i) CROSS JOIN LATERAL (SELECT id_number_index FROM residents_residents "
         "WHERE county_code = $1 AND id_number_index = asked.i LIMIT 1) AS r";
}

Result<std::vector<std::string>> SqlResidentStore::ExistingIdNumberIndexes(std::string_view county_code,
                                                                           std::span<const std::string> indexes) {
  return ReadOne<std::vector<std::string>>(db_, [&](Tx& tx, std::vector<std::string>& out) -> Status {
    for (size_t begin = 0; begin < indexes.size(); begin += kMaxInList) {
      const size_t n = std::min(kMaxInList, indexes.size() - begin);
      Params params{std::string(county_code)};
      for (size_t i = 0; i < n; ++i) params.push_back(Blob{indexes[begin + i]});
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(ExistingIdNumberIndexesSql(tx.dialect(), n), params));
      for (const Row& row : rs.rows) out.push_back(row.Text(0));
    }
    return Status::Ok();
  });
}

}  // namespace gz::residents
