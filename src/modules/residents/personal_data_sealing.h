// How the residents module seals its personal fields: associated data, blind-index domains and
// the checks made when a row is opened. The one place that knows the binding of each ciphertext.
//
// Layer: residents domain. Used by ResidentRegistry (writes) and SealedPersonalDataReader (reads).
//
// Associated data (every sealed field is bound to its row, its column and the row's clear facts):
//   residents_households.address:<id>|<county>|<village>
//   residents_residents.<column>:<id>|<household>|<county>|<village>|<gender>|<birth year>|<relation>
//     (<column>: name, id_number, phone, flags)
//   residents_corrections.<column>:<id>|<resident>|<household>|<village>|<field>|<requester>
//     (<column>: proposed, reason, note)
// so copying a ciphertext to another row or column, or editing a clear fact of the row in the
// database file (moving a resident to another village, changing a birth year) makes the row fail
// to open: tampering is detected on the next read (T-INTEG). Reading also recomputes the blind
// indexes from the opened values, which catches an edited or swapped index column.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr std::string_view kIdNumberIndexDomain = "residents.id_number";
inline constexpr std::string_view kPhoneIndexDomain = "residents.phone";
inline constexpr std::string_view kNameIndexDomain = "residents.name";

// REQUIRES: `normalized` is canonical (NormalizeIdNumber / NormalizeMobile).
std::string IdNumberIndex(const crypto::FieldCipher& cipher, std::string_view normalized);
std::string PhoneIndex(const crypto::FieldCipher& cipher, std::string_view normalized);
// The duplicate check's index of a name: spaces (ASCII and U+3000) do not count, so "王 建国" and
// "王建国" are the same person's name. Equality only: it finds the same name, not similar ones.
std::string NameIndex(const crypto::FieldCipher& cipher, std::string_view name);

// REQUIRES: fields already validated and normalized (ResidentRegistry does that). SealResident
// also sets info.id_region from the ID number, so the clear column always matches the sealed one.
SealedHousehold SealHousehold(const crypto::FieldCipher& cipher, const HouseholdInfo& info,
                              const HouseholdPersonalFields& fields);
SealedResident SealResident(const crypto::FieldCipher& cipher, const ResidentInfo& info,
                            const ResidentPersonalFields& fields);

// A correction request's personal texts, in clear.
struct CorrectionTexts {
  std::string proposed;
  std::string reason;
  std::string note;  // empty while open
  bool operator==(const CorrectionTexts&) const = default;
};
SealedCorrection SealCorrection(const crypto::FieldCipher& cipher, const CorrectionInfo& info,
                                const CorrectionTexts& texts);
// Opens the three texts (note only if present). Errors as OpenResident.
Result<CorrectionTexts> OpenCorrection(const crypto::FieldCipher& cipher, const SealedCorrection& row);

// Opens every sealed field of the row. kFailedPrecondition "crypto/integrity-failure" (argument
// "column") if any field fails to open, a blind index does not match its opened value, or the
// clear id_region is not the start of the ID number; the crypto layer's "crypto/unknown-key"
// passes through. A row without flags_sealed (written before residents/2) has no flags.
Result<HouseholdPersonalFields> OpenHousehold(const crypto::FieldCipher& cipher, const SealedHousehold& row);
Result<ResidentPersonalFields> OpenResident(const crypto::FieldCipher& cipher, const SealedResident& row);

}  // namespace gz::residents
