#include "modules/residents/personal_data_reader.h"

#include "core/log.h"
#include "modules/residents/personal_data_sealing.h"

namespace gz::residents {

SealedPersonalDataReader::SealedPersonalDataReader(ResidentStore& store, const crypto::FieldCipher& cipher)
    : store_(store), cipher_(cipher) {}

Result<ResidentPersonalFields> SealedPersonalDataReader::ReadPersonalFields(ResidentId id) {
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  Result<ResidentPersonalFields> fields = OpenResident(cipher_, row);
  if (!fields.ok()) {
    // Tampering at rest must be visible to operators (T-INTEG), without any personal value.
    log::Error("residents.integrity_failure", {{"resident_id", id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    return Status(fields.status()).With("resident", std::to_string(id.value));
  }
  return fields;
}

Result<HouseholdPersonalFields> SealedPersonalDataReader::ReadHouseholdPersonalFields(HouseholdId id) {
  GZ_ASSIGN_OR_RETURN(SealedHousehold row, store_.GetHousehold(id));
  Result<HouseholdPersonalFields> fields = OpenHousehold(cipher_, row);
  if (!fields.ok()) {
    log::Error("residents.integrity_failure", {{"household_id", id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    return Status(fields.status()).With("household", std::to_string(id.value));
  }
  return fields;
}

}  // namespace gz::residents
