#include "modules/residents/my_data.h"

#include "modules/residents/resident_registry.h"

namespace gz::residents {

Result<MyData> MyDataService::Collect(const access::Principal& principal) {
  const access::Person& subject = principal.subject();
  MyData out;
  out.generated_at_ms = NowMs(clock_);
  out.account_id = subject.account_id;
  out.grants = subject.grants;
  out.home_village = subject.village;
  if (principal.acting_for) {
    out.helper_account = principal.self.account_id;
    out.consent_id = principal.acting_for->consent_id;
  }
  if (subject.resident_id == 0) return out;

  const ReadContext context{principal, std::string(kSelfAccessPurpose), "", kActionReadPersonal};
  Result<ResidentRecord> resident = reader_.ReadPersonalFields(context, ResidentId{subject.resident_id});
  if (!resident.ok()) {
    if (resident.status().code() == Code::kNotFound) return out;
    return resident.status();
  }
  const HouseholdId household = resident->info.household_id;
  out.resident = std::move(resident).value();
  GZ_ASSIGN_OR_RETURN(out.household, reader_.ReadHouseholdPersonalFields(context, household));
  GZ_ASSIGN_OR_RETURN(std::vector<SealedResident> members, store_.MembersOf(household));
  for (const SealedResident& m : members)
    if (m.info.id.value != subject.resident_id) out.household_members.push_back(m.info);
  GZ_ASSIGN_OR_RETURN(out.corrections, corrections_.Mine(principal));
  return out;
}

}  // namespace gz::residents
