// The electorate of a vote, read from the residents registry when the vote opens.
//
// Layer: votes domain. Ages are decided from the birth year kept in clear (residents/resident.h)
// for everyone whose age on the opening date does not depend on the day of birth: born before
// (year - 18) they are 18 or more, born after it they are not. Only those born in exactly
// (year - 18) need the full birth date, which is sealed inside the ID number: it is read through
// residents' AuditedPersonalDataReader (one audit event per person, purpose "vote electorate",
// failing closed), and only the date is kept. The frozen electorate holds resident ids only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/status.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/resident_store.h"
#include "modules/votes/vote.h"
#include "modules/votes/vote_store.h"

namespace gz::votes {

class ElectorateSource {
 public:
  virtual ~ElectorateSource() = default;
  // The electors of `village` under `rule`, ages counted on `as_of`, by resident id. `opener`
  // is the person opening the vote (named in the audit records of birth-date reads). `village`
  // may be a township code (a township-wide vote): the electors of all its villages.
  virtual Result<std::vector<Elector>> Electorate(const access::Principal& opener, const std::string& village,
                                                  ElectorateRule rule, const residents::CivilDate& as_of) = 0;
};

inline constexpr int kVotingAge = 18;

// The village codes of a township (from the division tree; the composition root wires it).
using VillagesOfTownship = std::function<Result<std::vector<std::string>>(const std::string& township)>;

class RegistryElectorate final : public ElectorateSource {
 public:
  // Both must outlive this. `reader` must be the audited reader. Without `villages_of`, township
  // electorates fail (kFailedPrecondition "votes/bad-vote" {field: village, reason: no-division-tree}).
  RegistryElectorate(residents::ResidentStore& store, residents::PersonalDataReader& reader,
                     VillagesOfTownship villages_of = {})
      : store_(store), reader_(reader), villages_of_(std::move(villages_of)) {}
  Result<std::vector<Elector>> Electorate(const access::Principal& opener, const std::string& village,
                                          ElectorateRule rule, const residents::CivilDate& as_of) override;

 private:
  Result<std::vector<Elector>> OfVillage(const access::Principal& opener, const std::string& village,
                                         ElectorateRule rule, const residents::CivilDate& as_of);

  residents::ResidentStore& store_;
  residents::PersonalDataReader& reader_;
  VillagesOfTownship villages_of_;
};

}  // namespace gz::votes
