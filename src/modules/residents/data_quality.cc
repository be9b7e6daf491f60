#include "modules/residents/data_quality.h"

#include <algorithm>
#include <map>

#include "modules/residents/civil_date.h"
#include "modules/residents/id_number.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_registry.h"

namespace gz::residents {
namespace {

void Add(Finding& f, int64_t id) {
  ++f.count;
  if (f.ids.size() < kMaxIdsPerFinding) f.ids.push_back(id);
}

void Sort(Finding& f) { std::sort(f.ids.begin(), f.ids.end()); }

}  // namespace

Result<DataQualityReport> BuildDataQualityReport(ResidentStore& store, std::string_view village_code,
                                                 const Clock& clock, const RegionCodes* regions,
                                                 const DataQualityOptions& options) {
  if (options.stale_years < 1 || options.stale_years > kMaxStaleYears)
    return InvalidArgument(std::string(problems::kBadQuery)).With("param", "stale_years").With("reason", "out-of-range");
  GZ_ASSIGN_OR_RETURN(VillageFacts facts, store.FactsOfVillage(village_code));
  const int64_t now_ms = NowMs(clock);
  const CivilDate today = ChinaDateOf(clock.Now());
  // A year of 365.2425 days: N years before now, to the millisecond.
  const int64_t stale_before = now_ms - static_cast<int64_t>(options.stale_years) * 31'556'952'000LL;

  DataQualityReport r;
  r.village_code = std::string(village_code);
  r.generated_at_ms = now_ms;
  r.stale_years = options.stale_years;
  r.households = static_cast<int64_t>(facts.households.size());
  r.residents = static_cast<int64_t>(facts.residents.size());

  std::map<int64_t, int> heads;  // household -> number of heads
  for (const HouseholdInfo& h : facts.households) {
    heads[h.id.value] = 0;
    if (h.updated_at_ms < stale_before) Add(r.stale_households, h.id.value);
  }
  std::map<std::pair<std::string, int>, std::vector<int64_t>> by_name_and_year;
  for (const ResidentFacts& f : facts.residents) {
    const ResidentInfo& info = f.info;
    const int64_t id = info.id.value;
    if (info.relation == Relation::kHead) ++heads[info.household_id.value];
    if (!f.has_phone) Add(r.missing_phone, id);
    if (info.updated_at_ms < stale_before) Add(r.stale_residents, id);
    if (info.birth_year > today.year || today.year - info.birth_year > kMaxAgeYears) Add(r.impossible_ages, id);
    if (!f.name_index || info.id_region.empty()) {
      Add(r.not_checked, id);
    }
    if (f.name_index) by_name_and_year[{*f.name_index, info.birth_year}].push_back(id);
    if (!info.id_region.empty()) {
      if (!PlausibleIdRegion(info.id_region)) {
        r.invalid_id_numbers.push_back({id, "region"});
      } else if (regions != nullptr && info.id_region[0] != '8' && !regions->Exists(info.id_region)) {
        r.invalid_id_numbers.push_back({id, "unknown-region"});
      } else if (info.id_region != info.county_code) {
        r.region_notes.push_back({id, info.id_region});
      }
    }
  }
  for (const auto& [household, n] : heads) {
    if (n == 0) Add(r.households_without_head, household);
    if (n > 1) Add(r.households_with_several_heads, household);
  }
  for (auto& [key, ids] : by_name_and_year) {
    if (ids.size() < 2) continue;
    std::sort(ids.begin(), ids.end());
    r.duplicate_residents += static_cast<int64_t>(ids.size());
    r.duplicate_groups.push_back(std::move(ids));
  }
  std::sort(r.duplicate_groups.begin(), r.duplicate_groups.end());
  for (Finding* f : {&r.missing_phone, &r.households_without_head, &r.households_with_several_heads,
                     &r.impossible_ages, &r.stale_residents, &r.stale_households, &r.not_checked})
    Sort(*f);
  auto by_resident = [](const auto& a, const auto& b) { return a.resident < b.resident; };
  std::sort(r.invalid_id_numbers.begin(), r.invalid_id_numbers.end(), by_resident);
  std::sort(r.region_notes.begin(), r.region_notes.end(), by_resident);
  return r;
}

}  // namespace gz::residents
