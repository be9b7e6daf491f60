// The dry run of an import. Layer: residents import domain.
#include "modules/residents/import/import_validator.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "modules/residents/id_number.h"
#include "modules/residents/import/cell_values.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/masking.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_flags.h"
#include "tabular/format.h"
#include "tabular/formula.h"

namespace gz::residents::import {
namespace {

namespace reason = problems::reason;

constexpr size_t kMaxHouseholdNumberBytes = 32;

bool HasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Everything the validator learns about one data row.
struct RowState {
  const tabular::Row* source = nullptr;
  int32_t row = 0;
  std::string household;  // the 户号 as written ("" when not given)
  std::string group;      // grouping key
  std::string name;
  std::string id_number;  // normalized, set only when valid
  std::string masked_id;
  std::optional<IdNumberInfo> id_info;
  std::optional<Relation> relation;
  std::optional<std::string> phone;                // normalized
  std::string address;
  std::optional<std::vector<std::string>> flags;   // set when the file says something about flags
  std::optional<Gender> stated_gender;
  std::vector<Reason> reasons;
  std::optional<Registration> registration;        // registered in this county
  std::vector<std::string> changes;
  Outcome outcome = Outcome::kCreate;

  bool ok() const { return reasons.empty(); }
  bool registered_here(std::string_view village) const {
    return registration && registration->village_code == village;
  }
  void Reject(std::string_view code, std::string column = {}, std::string detail = {}, int32_t other_row = 0) {
    reasons.push_back(Reason{std::string(code), std::move(column), std::move(detail), other_row});
  }
};

std::string ColumnLetters(int index) { return index < 0 ? std::string() : tabular::ColumnName(index + 1); }

// The cell of `field`, or null without such a column (or past the row's end).
const tabular::Cell* CellOf(const tabular::Row& row, int index) {
  if (index < 0 || static_cast<size_t>(index) >= row.cells.size()) return nullptr;
  return &row.cells[static_cast<size_t>(index)];
}

// The trimmed text of a cell, or empty. A cell whose text cannot be trusted (an ID number Excel
// already cut to 15 digits) is reported and read as empty, so no second reason piles on.
std::string_view Text(RowState& s, int index, bool* unreadable = nullptr) {
  const tabular::Cell* cell = CellOf(*s.source, index);
  if (cell == nullptr) return {};
  if (!cell->problem.empty()) {
    s.Reject(reason::kUnreadableCell, ColumnLetters(index), std::string(cell->problem));
    if (unreadable != nullptr) *unreadable = true;
    return {};
  }
  return TrimCell(cell->text);
}

bool IsBirthDateReason(std::string_view r) {
  return r == "birth-date" || r == "birth-before-1900" || r == "birth-in-future" || r == "age-over-120";
}

void ReadIdNumber(RowState& s, const ColumnMap& map, RegisterLookup& lookup, const CivilDate& today) {
  const int col = map[Field::kIdNumber];
  bool unreadable = false;
  // Our own exports neutralise nothing an ID number can start with, but a clerk's "'4201..." can.
  std::string_view typed = tabular::StripNeutralisation(Text(s, col, &unreadable));
  if (typed.starts_with('\'')) typed.remove_prefix(1);
  if (unreadable) return;
  if (typed.empty()) {
    s.Reject(reason::kMissingIdNumber, ColumnLetters(col));
    return;
  }
  const std::string normalized = NormalizeIdNumber(typed);
  if (normalized.size() == 18) s.masked_id = MaskIdNumber(normalized);
  Result<std::string> checked = lookup.CheckIdNumber(normalized);
  if (!checked.ok()) {
    if (checked.status().slug() != residents::problems::kBadIdNumber) {
      s.Reject(reason::kBadIdNumber, ColumnLetters(col), "unknown");
      return;
    }
    const std::string why(checked.status().Arg("reason"));
    if (IsBirthDateReason(why)) s.Reject(reason::kImpossibleBirthDate, ColumnLetters(col), why);
    else s.Reject(reason::kBadIdNumber, ColumnLetters(col), why);
    return;
  }
  Result<IdNumberInfo> info = ParseIdNumber(*checked, today);
  if (!info.ok()) {  // CheckIdNumber passed, so this cannot happen; refuse rather than guess
    s.Reject(reason::kBadIdNumber, ColumnLetters(col), std::string(info.status().Arg("reason")));
    return;
  }
  s.id_number = *checked;
  s.masked_id = MaskIdNumber(s.id_number);
  s.id_info = *info;
}

void ReadGender(RowState& s, const ColumnMap& map) {
  const int col = map[Field::kGender];
  std::string_view text = Text(s, col);
  if (text.empty()) return;
  std::optional<Gender> g = ParseGenderCell(text);
  if (!g) {
    s.Reject(reason::kBadGender, ColumnLetters(col));
    return;
  }
  s.stated_gender = g;
  if (s.id_info && s.id_info->gender != *g) s.Reject(reason::kGenderMismatch, ColumnLetters(col));
}

void ReadBirthDate(RowState& s, const ColumnMap& map, const CivilDate& today) {
  const int col = map[Field::kBirthDate];
  std::string_view text = tabular::StripNeutralisation(Text(s, col));
  if (text.empty()) return;
  DateCell d = ParseDateCell(text);
  if (d.status == DateParse::kNotADate) return s.Reject(reason::kImpossibleBirthDate, ColumnLetters(col), "not-a-date");
  if (d.status == DateParse::kNotACalendarDay)
    return s.Reject(reason::kImpossibleBirthDate, ColumnLetters(col), "not-a-calendar-day");
  if (d.date > today) return s.Reject(reason::kImpossibleBirthDate, ColumnLetters(col), "birth-in-future");
  if (d.date.year < 1900) return s.Reject(reason::kImpossibleBirthDate, ColumnLetters(col), "birth-before-1900");
  if (!s.id_info) return;
  const CivilDate& born = s.id_info->birth_date;
  bool same = born.year == d.date.year;
  if (d.precision != DatePrecision::kYear) same = same && born.month == d.date.month;
  if (d.precision == DatePrecision::kDay) same = same && born.day == d.date.day;
  if (!same) s.Reject(reason::kBirthDateMismatch, ColumnLetters(col));
}

void ReadRelation(RowState& s, const ColumnMap& map) {
  const int col = map[Field::kRelation];
  bool unreadable = false;
  std::string_view text = Text(s, col, &unreadable);
  if (unreadable) return;
  if (text.empty()) return s.Reject(reason::kMissingRelation, ColumnLetters(col));
  RelationCell r = ParseRelationCell(text);
  if (r.status == RelationParse::kUnknown) return s.Reject(reason::kBadRelation, ColumnLetters(col));
  if (r.status == RelationParse::kUnsupported) return s.Reject(reason::kUnsupportedRelation, ColumnLetters(col));
  s.relation = r.relation;
}

void ReadPhone(RowState& s, const ColumnMap& map) {
  const int col = map[Field::kPhone];
  std::string_view text = tabular::StripNeutralisation(Text(s, col));
  if (text.empty()) return;
  std::optional<std::string> phone = NormalizeMobile(text);
  if (!phone) return s.Reject(reason::kBadPhone, ColumnLetters(col));
  s.phone = std::move(phone);
}

void ReadFlags(RowState& s, const ColumnMap& map) {
  std::vector<std::string> codes;
  bool said = false;
  const int col = map[Field::kFlags];
  if (std::string_view text = Text(s, col); !text.empty()) {
    said = true;
    FlagsCell cell = ParseFlagsCell(text);
    if (!cell.ok) return s.Reject(reason::kBadFlag, ColumnLetters(col), "unknown");
    codes = std::move(cell.codes);
  }
  for (const FlagColumn& fc : map.flag_columns) {
    std::string_view text = Text(s, fc.index);
    if (text.empty()) continue;
    said = true;
    std::optional<bool> yes = ParseYesNoCell(text);
    if (!yes) return s.Reject(reason::kBadFlag, ColumnLetters(fc.index), "not-yes-no");
    if (*yes) codes.push_back(fc.flag_code);
  }
  if (!said) return;
  Result<std::vector<std::string>> normalized = NormalizeFlags(codes);
  if (!normalized.ok()) return s.Reject(reason::kBadFlag, ColumnLetters(col), "unknown");
  s.flags = std::move(normalized).value();
}

void ReadNameAndAddress(RowState& s, const ColumnMap& map) {
  const int name_col = map[Field::kName];
  bool unreadable = false;
  std::string_view name = Text(s, name_col, &unreadable);
  if (!unreadable) {
    if (name.empty()) s.Reject(reason::kMissingName, ColumnLetters(name_col));
    else if (!CheckName(name).ok()) s.Reject(reason::kBadName, ColumnLetters(name_col));
    else s.name = std::string(name);
  }
  const int address_col = map[Field::kAddress];
  std::string_view address = Text(s, address_col);
  if (!address.empty()) {
    if (!CheckAddress(address).ok()) s.Reject(reason::kBadAddress, ColumnLetters(address_col));
    else s.address = std::string(address);
  }
}

// True for rows under the header that hold no person: a total line, "制表人：", a note.
bool HoldsNoPerson(const tabular::Row& row, const ColumnMap& map) {
  for (Field f : {Field::kName, Field::kIdNumber}) {
    const tabular::Cell* cell = CellOf(row, map[f]);
    if (cell != nullptr && (!TrimCell(cell->text).empty() || !cell->problem.empty())) return false;
  }
  return true;
}

// The key of a household of one row (a head without 户号, or an unreadable 户号).
std::string OwnGroup(int32_t row) {
  std::string key = std::to_string(row);
  key.insert(key.begin(), '@');
  return key;
}

// Assigns grouping keys (see the header): by 户号 with fill-down, or by heads.
void AssignGroups(std::vector<RowState>& rows, const ColumnMap& map) {
  const int col = map[Field::kHouseholdNumber];
  std::string current;
  for (RowState& s : rows) {
    const bool head = s.relation == Relation::kHead;
    if (col >= 0) {
      std::string_view text = Text(s, col);
      if (!text.empty()) {
        if (text.size() > kMaxHouseholdNumberBytes || HasControlChar(text)) {
          s.Reject(reason::kBadHouseholdNumber, ColumnLetters(col));
          current = OwnGroup(s.row);  // a household of its own, so it drags no one along
        } else {
          s.household = std::string(text);
          current = std::string("#").append(s.household);
        }
      } else if (head || current.empty()) {
        current = OwnGroup(s.row);
      }
    } else if (head || current.empty()) {
      current = OwnGroup(s.row);
    }
    s.group = current;
    // A row that inherits its 户号 reports it too, so a clerk sees the household it joined.
    if (s.household.empty() && current.starts_with('#')) s.household = current.substr(1);
  }
}

void MarkDuplicates(std::vector<RowState>& rows) {
  std::unordered_map<std::string, std::vector<size_t>> by_id;
  for (size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].id_number.empty()) by_id[rows[i].id_number].push_back(i);
  for (auto& [id, indexes] : by_id) {
    if (indexes.size() < 2) continue;
    for (size_t k = 0; k < indexes.size(); ++k) {
      RowState& s = rows[indexes[k]];
      const int32_t other = rows[indexes[k == 0 ? 1 : 0]].row;
      s.Reject(reason::kDuplicateInFile, {}, {}, other);
    }
  }
}

struct Group {
  std::vector<size_t> members;  // indexes into rows, in file order
};

// The household rules on one group; fills the plan.
class GroupPlanner {
 public:
  GroupPlanner(std::vector<RowState>& rows, const ColumnMap& map, const std::string& village, RegisterLookup& lookup,
               const std::vector<ResidentInfo>& roster, ImportPlan& plan)
      : rows_(rows), map_(map), village_(village), lookup_(lookup), roster_(roster), plan_(plan) {}

  Status Plan(const Group& g) {
    std::set<int64_t> households;
    for (size_t i : g.members)
      if (rows_[i].registered_here(village_)) households.insert(rows_[i].registration->household.value);
    if (households.size() > 1) {
      for (size_t i : g.members)
        if (rows_[i].ok()) rows_[i].Reject(reason::kHouseholdSplit);
      return Status::Ok();
    }
    if (households.size() == 1) return PlanRegistered(g, HouseholdId{*households.begin()});
    PlanNew(g);
    return Status::Ok();
  }

 private:
  void RejectAllOk(const Group& g, std::string_view code, std::string column = {}) {
    for (size_t i : g.members)
      if (rows_[i].ok()) rows_[i].Reject(code, column);
  }

  void PlanNew(const Group& g) {
    std::vector<size_t> heads;
    for (size_t i : g.members)
      if (rows_[i].relation == Relation::kHead) heads.push_back(i);
    if (heads.empty()) return RejectAllOk(g, reason::kHeadMissing, ColumnLetters(map_[Field::kRelation]));
    if (heads.size() > 1) return RejectAllOk(g, reason::kSeveralHeads, ColumnLetters(map_[Field::kRelation]));
    const RowState& head = rows_[heads.front()];
    if (!head.ok()) return RejectAllOk(g, reason::kHeadRejected);
    std::string address = head.address;
    for (size_t i : g.members)
      if (address.empty() && rows_[i].ok()) address = rows_[i].address;
    if (address.empty()) return RejectAllOk(g, reason::kMissingAddress, ColumnLetters(map_[Field::kAddress]));
    std::vector<size_t> accepted;
    for (size_t i : g.members)
      if (rows_[i].ok()) accepted.push_back(i);
    if (accepted.size() > kMaxMembers) return RejectAllOk(g, reason::kTooManyMembers);

    ImportPlan::Household h;
    h.household.village_code = village_;
    h.household.personal.address = address;
    // The head first: the register lists households head first.
    std::stable_partition(accepted.begin(), accepted.end(), [&](size_t i) { return rows_[i].relation == Relation::kHead; });
    for (size_t i : accepted) {
      h.household.members.push_back(NewMember(rows_[i]));
      h.rows.push_back(rows_[i].row);
      rows_[i].outcome = Outcome::kCreate;
    }
    plan_.households.push_back(std::move(h));
  }

  static NewResident NewMember(const RowState& s) {
    NewResident r;
    r.personal.name = s.name;
    r.personal.id_number = s.id_number;
    r.personal.phone = s.phone;
    r.personal.flags = s.flags.value_or(std::vector<std::string>{});
    r.relation = *s.relation;
    r.stated_gender = s.stated_gender;
    return r;
  }

  Status PlanRegistered(const Group& g, HouseholdId household) {
    // The household as registered, then as the file would leave it.
    std::map<int64_t, Relation> relation_after;  // resident id -> relation
    for (const ResidentInfo& r : roster_)
      if (r.household_id == household) relation_after[r.id.value] = r.relation;
    const size_t registered_members = relation_after.size();
    std::vector<size_t> updates, additions;
    for (size_t i : g.members) {
      RowState& s = rows_[i];
      if (!s.ok()) continue;
      if (s.registered_here(village_)) {
        relation_after[s.registration->id.value] = *s.relation;
        updates.push_back(i);
      } else {
        additions.push_back(i);
      }
    }
    int heads = 0;
    for (const auto& [id, rel] : relation_after) heads += rel == Relation::kHead ? 1 : 0;
    for (size_t i : additions) heads += rows_[i].relation == Relation::kHead ? 1 : 0;
    const std::string relation_col = ColumnLetters(map_[Field::kRelation]);
    if (heads > 1) {
      // Refuse what adds a head: new heads and promotions. The registered head stays.
      for (size_t i : additions)
        if (rows_[i].relation == Relation::kHead) rows_[i].Reject(reason::kSeveralHeads, relation_col);
      for (size_t i : updates)
        if (rows_[i].relation == Relation::kHead && rows_[i].registration->relation != Relation::kHead)
          rows_[i].Reject(reason::kSeveralHeads, relation_col);
    } else if (heads == 0) {
      for (size_t i : updates)
        if (rows_[i].registration->relation == Relation::kHead) rows_[i].Reject(reason::kHeadMissing, relation_col);
    }
    size_t added = 0;
    for (size_t i : additions) added += rows_[i].ok() ? 1 : 0;
    if (registered_members + added > kMaxMembers) {
      for (size_t i : additions)
        if (rows_[i].ok()) rows_[i].Reject(reason::kTooManyMembers);
    }
    for (size_t i : additions) {
      RowState& s = rows_[i];
      if (!s.ok()) continue;
      s.outcome = Outcome::kCreate;
      plan_.members.push_back(ImportPlan::Member{household, NewMember(s), s.row});
    }
    for (size_t i : updates) {
      RowState& s = rows_[i];
      if (!s.ok()) continue;
      ResidentChange change;
      change.relation = *s.relation;
      if (s.phone) change.phone = std::optional<std::string>(*s.phone);
      if (s.flags) change.flags = *s.flags;
      Result<std::vector<std::string>> changes = lookup_.Changes(s.registration->id, change);
      if (!changes.ok()) {
        if (changes.status().code() != Code::kInvalidArgument && changes.status().code() != Code::kAlreadyExists)
          return changes.status();
        s.Reject(reason::kUpdateRefused, {}, changes.status().slug());
        continue;
      }
      s.changes = std::move(changes).value();
      if (s.changes.empty()) {
        s.outcome = Outcome::kUnchanged;
        continue;
      }
      s.outcome = Outcome::kUpdate;
      int order = 1;
      if (s.registration->relation == Relation::kHead && *s.relation != Relation::kHead) order = 0;
      if (s.registration->relation != Relation::kHead && *s.relation == Relation::kHead) order = 2;
      plan_.updates.push_back(ImportPlan::Update{s.registration->id, std::move(change), s.row, order});
    }
    return Status::Ok();
  }

  std::vector<RowState>& rows_;
  const ColumnMap& map_;
  const std::string& village_;
  RegisterLookup& lookup_;
  const std::vector<ResidentInfo>& roster_;
  ImportPlan& plan_;
};

std::vector<ColumnUse> ColumnsOf(const ColumnMap& map) {
  std::vector<ColumnUse> out;
  for (size_t i = 0; i < map.headers.size(); ++i) {
    if (map.headers[i].empty()) continue;
    ColumnUse use{tabular::ColumnName(static_cast<int32_t>(i) + 1), "", map.headers[i]};
    for (int f = 0; f < kFieldCount; ++f)
      if (map.index[f] == static_cast<int>(i)) use.field = std::string(FieldCode(static_cast<Field>(f)));
    for (const FlagColumn& fc : map.flag_columns)
      if (fc.index == static_cast<int>(i)) use.field = "flag:" + fc.flag_code;
    out.push_back(std::move(use));
  }
  return out;
}

}  // namespace

int64_t ImportPlan::Writes() const {
  int64_t n = static_cast<int64_t>(members.size() + updates.size());
  for (const Household& h : households) n += static_cast<int64_t>(h.household.members.size());
  return n;
}

std::string_view FormatOf(std::string_view bytes) {
  return tabular::DetectFormat(bytes) == tabular::Format::kXlsx ? "xlsx" : "csv";
}

Result<ValidatedImport> ValidateTable(const tabular::Table& table, const ValidationContext& context,
                                      const ImportLimits& limits, RegisterLookup& lookup, const ProgressFn& progress) {
  GZ_ASSIGN_OR_RETURN(ColumnMap map, MapColumns(table));
  std::vector<const tabular::Row*> data = DataRows(table, map);
  ValidatedImport out;
  out.report.format = context.format;
  out.report.header_row = map.header_row;
  out.report.columns = ColumnsOf(map);

  std::vector<RowState> rows;
  rows.reserve(data.size());
  for (const tabular::Row* row : data) {
    if (HoldsNoPerson(*row, map)) {
      ++out.report.totals.skipped;
      continue;
    }
    RowState s;
    s.source = row;
    s.row = row->number;
    rows.push_back(std::move(s));
  }
  if (rows.empty()) return InvalidArgument(std::string(problems::kNoDataRows)).With("header_row", std::to_string(map.header_row));
  if (rows.size() > static_cast<size_t>(limits.max_rows))
    return InvalidArgument(std::string(problems::kTooManyRows)).With("limit", std::to_string(limits.max_rows));

  const int64_t total = static_cast<int64_t>(rows.size());
  const int64_t half = total / 2;
  for (size_t i = 0; i < rows.size(); ++i) {
    RowState& s = rows[i];
    ReadNameAndAddress(s, map);
    ReadIdNumber(s, map, lookup, context.today);
    ReadGender(s, map);
    ReadBirthDate(s, map, context.today);
    ReadRelation(s, map);
    ReadPhone(s, map);
    ReadFlags(s, map);
    if (progress && (i % 256 == 255)) progress(static_cast<int64_t>(i + 1) * half / total, total);
  }
  AssignGroups(rows, map);
  MarkDuplicates(rows);

  // Who is registered already: one batched lookup over the valid, unique numbers.
  std::vector<std::string> ids;
  for (const RowState& s : rows)
    if (!s.id_number.empty()) ids.push_back(s.id_number);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  GZ_ASSIGN_OR_RETURN(auto registered, lookup.FindRegistered(CountyOf(context.village_code), ids));
  int64_t registered_here = 0;
  for (RowState& s : rows) {
    auto it = registered.find(s.id_number);
    if (s.id_number.empty() || it == registered.end()) continue;
    s.registration = it->second;
    if (it->second.village_code != context.village_code) {
      s.Reject(reason::kRegisteredInAnotherVillage, ColumnLetters(map[Field::kIdNumber]));
      continue;
    }
    ++registered_here;
    if (!s.name.empty()) {
      GZ_ASSIGN_OR_RETURN(bool same, lookup.SameName(s.registration->id, s.name));
      if (!same) s.Reject(reason::kNameMismatch, ColumnLetters(map[Field::kName]));
    }
  }
  if (progress) progress(half, total);

  std::vector<ResidentInfo> roster;
  if (registered_here > 0) {
    GZ_ASSIGN_OR_RETURN(roster, lookup.Roster(context.village_code));
  }

  // Groups in the order their first row appears.
  std::vector<std::string> order;
  std::unordered_map<std::string, Group> groups;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] = groups.try_emplace(rows[i].group);
    if (inserted) order.push_back(rows[i].group);
    it->second.members.push_back(i);
  }
  GroupPlanner planner(rows, map, context.village_code, lookup, roster, out.plan);
  int64_t done = 0;
  for (const std::string& key : order) {
    const Group& g = groups.at(key);
    GZ_RETURN_IF_ERROR(planner.Plan(g));
    done += static_cast<int64_t>(g.members.size());
    if (progress && registered_here > 0) progress(half + done * (total - half) / total, total);
  }

  std::sort(out.plan.updates.begin(), out.plan.updates.end(),
            [](const ImportPlan::Update& a, const ImportPlan::Update& b) { return a.order < b.order; });
  ImportReport& report = out.report;
  report.rows.reserve(rows.size());
  for (RowState& s : rows) {
    RowReport r;
    r.row = s.row;
    r.household = s.household;
    r.household_row = groups.at(s.group).members.empty() ? s.row : rows[groups.at(s.group).members.front()].row;
    if (!s.name.empty()) r.name = MaskName(s.name);
    r.id_number = s.masked_id;
    if (!s.ok()) s.outcome = Outcome::kReject;
    r.outcome = s.outcome;
    r.changes = std::move(s.changes);
    r.reasons = std::move(s.reasons);
    ++report.totals.rows;
    switch (r.outcome) {
      case Outcome::kCreate: ++report.totals.create; break;
      case Outcome::kUpdate: ++report.totals.update; break;
      case Outcome::kUnchanged: ++report.totals.unchanged; break;
      case Outcome::kReject: ++report.totals.reject; break;
    }
    report.rows.push_back(std::move(r));
  }
  report.totals.households = static_cast<int64_t>(out.plan.households.size());
  if (progress) progress(total, total);
  return out;
}

Result<ValidatedImport> ValidateFile(std::string_view bytes, ValidationContext context, const ImportLimits& limits,
                                     RegisterLookup& lookup, const ProgressFn& progress) {
  if (bytes.empty()) return InvalidArgument(std::string(problems::kEmptyFile));
  tabular::ReadLimits read;
  read.max_file_bytes = limits.max_file_bytes;
  // Title lines and skipped footers count against the reader's limit, not against ours.
  read.max_rows = limits.max_rows + 2 * kHeaderSearchRows;
  read.max_columns = 256;
  context.format = std::string(FormatOf(bytes));
  GZ_ASSIGN_OR_RETURN(tabular::Table table, tabular::ReadTable(bytes, read));
  return ValidateTable(table, context, limits, lookup, progress);
}

}  // namespace gz::residents::import
