// "My data" (PIPL art. 45): everything the residents module holds about the person asking, in
// clear, for the JSON export and the printable page of /api/v1/me/data.
//
// Layer: residents domain (service). The person is principal.subject() (a helper acting for a
// villager exports the villager's data, and the audit names both). The resident record and the
// household are read through the AUDITED reader with purpose "self-access" (action
// "residents.read_personal"), the correction requests through CorrectionService::Mine (audited
// likewise); other members of the household appear only by id, relation, gender and birth year
// (their names are theirs, not the requester's).
#pragma once

#include <optional>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/residents/corrections.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr std::string_view kSelfAccessPurpose = "self-access";

struct MyData {
  int64_t generated_at_ms = 0;
  // Account facts, from the principal: who the data is about, and who asked for it.
  int64_t account_id = 0;
  std::vector<access::Grant> grants;
  std::string home_village;
  int64_t helper_account = 0;  // the helper acting for the person, or 0
  int64_t consent_id = 0;
  // The register (empty optionals when the account has no resident record).
  std::optional<ResidentRecord> resident;
  std::optional<HouseholdRecord> household;
  std::vector<ResidentInfo> household_members;  // others of the household, facts only
  std::vector<CorrectionView> corrections;
};

class MyDataService {
 public:
  // All must outlive the service; `reader` must be the audited one.
  MyDataService(PersonalDataReader& reader, ResidentStore& store, CorrectionService& corrections, const Clock& clock)
      : reader_(reader), store_(store), corrections_(corrections), clock_(clock) {}

  // Errors: the reader's (kUnavailable residents/read-not-audited when the audit cannot be
  // written: nothing is returned then), storage errors. A linked resident record that no longer
  // exists is reported as none.
  Result<MyData> Collect(const access::Principal& principal);

 private:
  PersonalDataReader& reader_;
  ResidentStore& store_;
  CorrectionService& corrections_;
  const Clock& clock_;
};

}  // namespace gz::residents
