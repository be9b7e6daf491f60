// Layer: votes domain (see electorate.h).
#include "modules/votes/electorate.h"

#include <algorithm>

#include "modules/residents/id_number.h"
#include "modules/votes/problems.h"

namespace gz::votes {

Result<std::vector<Elector>> RegistryElectorate::Electorate(const access::Principal& opener, const std::string& division,
                                                            ElectorateRule rule, const residents::CivilDate& as_of) {
  if (ScopeOfDivision(division) != Scope::kTownship) return OfVillage(opener, division, rule, as_of);
  if (!villages_of_)
    return FailedPrecondition(std::string(problems::kBadVote)).With("field", "village").With("reason", "no-division-tree");
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> villages, villages_of_(division));
  std::sort(villages.begin(), villages.end());
  villages.erase(std::unique(villages.begin(), villages.end()), villages.end());
  std::vector<Elector> out;
  for (const std::string& village : villages) {
    // The tree is the township's; a code outside it would widen the electorate.
    if (!ReachesVillage(division, village)) continue;
    GZ_ASSIGN_OR_RETURN(std::vector<Elector> part, OfVillage(opener, village, rule, as_of));
    out.insert(out.end(), part.begin(), part.end());
  }
  // Villages are read one snapshot each: a resident who moved between two of them during the
  // reading could appear twice; one row per resident (the store's key) whatever happens.
  std::sort(out.begin(), out.end(), [](const Elector& a, const Elector& b) { return a.resident_id < b.resident_id; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Elector& a, const Elector& b) { return a.resident_id == b.resident_id; }),
            out.end());
  return out;
}

Result<std::vector<Elector>> RegistryElectorate::OfVillage(const access::Principal& opener, const std::string& village,
                                                           ElectorateRule rule, const residents::CivilDate& as_of) {
  GZ_ASSIGN_OR_RETURN(std::vector<residents::ResidentInfo> people, store_.ListResidents(village));
  std::vector<Elector> out;
  for (const residents::ResidentInfo& r : people) {
    const int years = as_of.year - r.birth_year;
    bool adult = years > kVotingAge;
    if (years == kVotingAge) {
      residents::ReadContext context{opener, "vote electorate: age on the opening date"};
      context.details = "{\"fields\":[\"birth_date\"]}";
      GZ_ASSIGN_OR_RETURN(residents::ResidentRecord record, reader_.ReadPersonalFields(context, r.id));
      Result<residents::IdNumberInfo> id = residents::ParseIdNumber(record.personal.id_number, as_of);
      // A number that does not parse on the opening date (born after it) is not an adult's.
      adult = id.ok() && residents::AgeOn(id->birth_date, as_of) >= kVotingAge;
    }
    if (!adult) continue;
    out.push_back(Elector{r.id.value, rule == ElectorateRule::kHouseholds ? r.household_id.value : r.id.value});
  }
  std::sort(out.begin(), out.end(), [](const Elector& a, const Elector& b) { return a.resident_id < b.resident_id; });
  return out;
}

}  // namespace gz::votes
