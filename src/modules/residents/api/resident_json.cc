#include "modules/residents/api/resident_json.h"


#include "access/role.h"
#include "core/clock.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents {
namespace json = boost::json;

std::string TimeText(int64_t unix_ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(unix_ms))); }

namespace {

std::string Id(int64_t v) { return std::to_string(v); }

json::array Ids(const std::vector<int64_t>& ids) {
  json::array a;
  for (int64_t id : ids) a.emplace_back(Id(id));
  return a;
}

json::object FindingJson(const Finding& f) { return json::object{{"count", f.count}, {"ids", Ids(f.ids)}}; }

void PutFacts(json::object& o, const ResidentInfo& r) {
  o["id"] = Id(r.id.value);
  o["household_id"] = Id(r.household_id.value);
  o["village_code"] = r.village_code;
  o["relation"] = RelationCode(r.relation);
  o["gender"] = GenderCode(r.gender);
  o["birth_year"] = r.birth_year;
  o["updated_at"] = TimeText(r.updated_at_ms);
}

json::array GrantsJson(const std::vector<access::Grant>& grants) {
  json::array a;
  for (const access::Grant& g : grants) a.push_back(json::object{{"role", access::RoleCode(g.role)}, {"scope", g.scope}});
  return a;
}

}  // namespace

json::object MaskedResidentJson(const MaskedResident& r) {
  json::object o;
  PutFacts(o, r.info);
  o["intact"] = r.intact;
  o["name"] = r.name;
  o["id_number"] = r.id_number;
  if (r.phone) o["phone"] = *r.phone;
  else o["phone"] = nullptr;
  return o;
}

json::object MaskedHouseholdJson(const MaskedHousehold& h) {
  json::object o;
  o["id"] = Id(h.info.id.value);
  o["village_code"] = h.info.village_code;
  o["intact"] = h.intact;
  o["address"] = h.address;
  o["members"] = h.members;
  if (h.head) o["head"] = MaskedResidentJson(*h.head);
  else o["head"] = nullptr;
  o["updated_at"] = TimeText(h.info.updated_at_ms);
  return o;
}

json::object MaskedHouseholdDetailJson(const MaskedHouseholdDetail& d) {
  json::object o = MaskedHouseholdJson(d.household);
  json::array members;
  for (const MaskedResident& m : d.members) members.push_back(MaskedResidentJson(m));
  o["member_list"] = std::move(members);
  return o;
}

json::array FlagsJson(const std::vector<std::string>& flags, http::Language language) {
  json::array a;
  for (const std::string& code : flags) {
    const FlagDefinition* def = FindFlag(code);
    std::string_view name = def == nullptr ? std::string_view(code)
                                           : (language == http::Language::kEn ? def->name_en : def->name_zh);
    a.push_back(json::object{{"code", code}, {"name", name}});
  }
  return a;
}

json::object DataQualityJson(const DataQualityReport& r) {
  json::object o;
  o["village_code"] = r.village_code;
  o["generated_at"] = TimeText(r.generated_at_ms);
  o["stale_years"] = r.stale_years;
  o["households"] = r.households;
  o["residents"] = r.residents;
  o["completeness"] = json::object{{"missing_phone", FindingJson(r.missing_phone)},
                                   {"households_without_head", FindingJson(r.households_without_head)},
                                   {"households_with_several_heads", FindingJson(r.households_with_several_heads)}};
  json::array groups;
  for (const auto& g : r.duplicate_groups) groups.push_back(Ids(g));
  o["duplicates"] = json::object{{"groups", static_cast<int64_t>(r.duplicate_groups.size())},
                                 {"residents", r.duplicate_residents},
                                 {"resident_groups", std::move(groups)}};
  json::array invalid_ids;
  for (const InvalidIdNumber& i : r.invalid_id_numbers)
    invalid_ids.push_back(json::object{{"resident_id", Id(i.resident)}, {"reason", i.reason}});
  o["invalid"] = json::object{{"id_numbers", json::object{{"count", static_cast<int64_t>(r.invalid_id_numbers.size())},
                                                          {"items", std::move(invalid_ids)}}},
                              {"impossible_ages", FindingJson(r.impossible_ages)}};
  o["stale"] = json::object{{"residents", FindingJson(r.stale_residents)},
                            {"households", FindingJson(r.stale_households)}};
  json::array notes;
  for (const RegionNote& n : r.region_notes) notes.push_back(json::object{{"resident_id", Id(n.resident)}, {"region", n.region}});
  o["region_notes"] = json::object{{"count", static_cast<int64_t>(r.region_notes.size())}, {"items", std::move(notes)}};
  o["not_checked"] = FindingJson(r.not_checked);
  return o;
}

json::object CorrectionInfoJson(const CorrectionInfo& c) {
  json::object o;
  o["id"] = Id(c.id.value);
  o["resident_id"] = Id(c.resident_id.value);
  o["household_id"] = Id(c.household_id.value);
  o["village_code"] = c.village_code;
  o["field"] = CorrectionFieldCode(c.field);
  o["status"] = CorrectionStatusCode(c.status);
  o["created_at"] = TimeText(c.created_at_ms);
  if (c.status == CorrectionStatus::kOpen) {
    o["resolved_at"] = nullptr;
    o["resolver_account"] = nullptr;
  } else {
    o["resolved_at"] = TimeText(c.resolved_at_ms);
    o["resolver_account"] = Id(c.resolver_account);
  }
  return o;
}

json::object CorrectionJson(const CorrectionView& c) {
  json::object o = CorrectionInfoJson(c.info);
  o["proposed_value"] = c.texts.proposed;
  o["reason"] = c.texts.reason;
  if (c.info.status == CorrectionStatus::kOpen) o["note"] = nullptr;
  else o["note"] = c.texts.note;
  return o;
}

json::object StaffCorrectionJson(const StaffCorrectionView& c) {
  json::object o = CorrectionInfoJson(c.info);
  o["requester_account"] = Id(c.info.requester_account);
  o["proposed_value"] = c.proposed_masked;
  o["reason"] = c.reason;
  if (c.info.status == CorrectionStatus::kOpen) o["note"] = nullptr;
  else o["note"] = c.note;
  return o;
}

json::object MyDataJson(const MyData& d, http::Language language) {
  json::object o;
  o["generated_at"] = TimeText(d.generated_at_ms);
  json::object account;
  account["id"] = Id(d.account_id);
  account["home_village"] = d.home_village.empty() ? json::value(nullptr) : json::value(d.home_village);
  account["roles"] = GrantsJson(d.grants);
  if (d.helper_account != 0)
    account["acting_helper"] = json::object{{"account_id", Id(d.helper_account)}, {"consent_id", Id(d.consent_id)}};
  else
    account["acting_helper"] = nullptr;
  o["account"] = std::move(account);
  if (d.resident) {
    const ResidentRecord& r = *d.resident;
    json::object resident;
    PutFacts(resident, r.info);
    resident["created_at"] = TimeText(r.info.created_at_ms);
    resident["name"] = r.personal.name;
    resident["id_number"] = r.personal.id_number;
    if (r.personal.phone) resident["phone"] = *r.personal.phone;
    else resident["phone"] = nullptr;
    resident["flags"] = FlagsJson(r.personal.flags, language);
    o["resident"] = std::move(resident);
  } else {
    o["resident"] = nullptr;
  }
  if (d.household) {
    json::object household;
    household["id"] = Id(d.household->info.id.value);
    household["village_code"] = d.household->info.village_code;
    household["address"] = d.household->personal.address;
    household["created_at"] = TimeText(d.household->info.created_at_ms);
    json::array others;
    for (const ResidentInfo& m : d.household_members) {
      json::object member;
      member["id"] = Id(m.id.value);
      member["relation"] = RelationCode(m.relation);
      member["gender"] = GenderCode(m.gender);
      member["birth_year"] = m.birth_year;
      others.push_back(std::move(member));
    }
    household["other_members"] = std::move(others);
    o["household"] = std::move(household);
  } else {
    o["household"] = nullptr;
  }
  json::array corrections;
  for (const CorrectionView& c : d.corrections) corrections.push_back(CorrectionJson(c));
  o["corrections"] = std::move(corrections);
  return o;
}

}  // namespace gz::residents
