// Reading personal fields in tests without ceremony: a fixed test principal and purpose.
// Layer: residents, test support (header only).
#pragma once

#include "access/principal.h"
#include "modules/residents/personal_data_reader.h"

namespace gz::residents {

// A staff principal for reads made by tests (account 1, village cadre of 420114).
inline const access::Principal& TestReader() {
  static const access::Principal p = [] {
    access::Principal q;
    q.self.account_id = 1;
    q.self.grants = {{0, access::Role::kVillageCadre, "420114000000"}};
    q.request_id = "test";
    return q;
  }();
  return p;
}

inline Result<ResidentPersonalFields> OpenForTest(PersonalDataReader& reader, ResidentId id) {
  GZ_ASSIGN_OR_RETURN(ResidentRecord r, reader.ReadPersonalFields(ReadContext{TestReader(), "test"}, id));
  return std::move(r.personal);
}

inline Result<HouseholdPersonalFields> OpenForTest(PersonalDataReader& reader, HouseholdId id) {
  GZ_ASSIGN_OR_RETURN(HouseholdRecord r, reader.ReadHouseholdPersonalFields(ReadContext{TestReader(), "test"}, id));
  return std::move(r.personal);
}

}  // namespace gz::residents
