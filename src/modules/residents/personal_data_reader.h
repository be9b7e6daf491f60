// PersonalDataReader: the ONE way to read residents' personal fields in clear.
//
// Layer: residents domain (interface + its sealed-store implementation). Every read of a name,
// ID number, phone number or address goes through this interface, so issue #3 can wrap it in an
// auditing decorator (actor, acting-for, purpose, time, seq; refuse when the audit cannot be
// written) without touching any caller:
//
//   caller ──> AuditedPersonalDataReader (#3) ──> SealedPersonalDataReader ──> store + cipher
//
// No other code in gongzhi may call FieldCipher::Open on residents' columns.
#pragma once

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

class PersonalDataReader {
 public:
  virtual ~PersonalDataReader() = default;

  // The resident's personal fields, opened and checked. Returns kNotFound
  // "residents/resident-not-found"; kFailedPrecondition "crypto/integrity-failure" (argument
  // "column", and "resident") if the row was altered at rest -- tampered data is never returned.
  virtual Result<ResidentPersonalFields> ReadPersonalFields(ResidentId id) = 0;

  // The household's personal fields (its address); errors as above, "household" argument.
  virtual Result<HouseholdPersonalFields> ReadHouseholdPersonalFields(HouseholdId id) = 0;
};

// Reads from the store and opens with the cipher. Logs an error event
// "residents.integrity_failure" (row id and column only) on a failed check. Thread-safe.
class SealedPersonalDataReader final : public PersonalDataReader {
 public:
  // Both must outlive the reader.
  SealedPersonalDataReader(ResidentStore& store, const crypto::FieldCipher& cipher);

  Result<ResidentPersonalFields> ReadPersonalFields(ResidentId id) override;
  Result<HouseholdPersonalFields> ReadHouseholdPersonalFields(HouseholdId id) override;

 private:
  ResidentStore& store_;
  const crypto::FieldCipher& cipher_;
};

}  // namespace gz::residents
