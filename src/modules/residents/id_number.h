// GB 11643-1999 citizen identity numbers (公民身份号码): validation, parsing and construction.
//
// Layer: residents domain (standard library only).
//
//   4 2 0 1 1 4 | 2 0 0 0 0 1 0 1 | 9 9 9 | 2
//   region code |   birth date    | seq   | check character (ISO 7064 MOD 11-2)
//   (GB/T 2260)     YYYYMMDD        odd = male, even = female
//
// Check character: S = sum(d[i] * (2^(17-i) mod 11)) for i = 0..16, weights 7 9 10 5 8 4 2 1 6 3
// 7 9 10 5 8 4 2; the check value is (12 - S mod 11) mod 11, written '0'..'9', or 'X' for 10.
//
// 'X' rule (documented in docs/decisions/0005): the standard writes the check character 10 as an
// upper-case 'X'. ParseIdNumber() accepts only 'X' and rejects 'x' (reason "lowercase-x"), so a
// stored number has one spelling and one blind index. Input typed by people goes through
// NormalizeIdNumber() first, which upper-cases 'x' (and folds full-width digits); the API layer
// does that, the validator itself stays strict.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/places.h"
#include "modules/residents/resident.h"

namespace gz::residents {

struct IdNumberInfo {
  std::string region_code;  // 6 digits, e.g. "420114"
  CivilDate birth_date;
  int sequence = 0;  // 0..999, digits 15-17
  Gender gender = Gender::kMale;  // from the parity of the sequence
};

// Validates `text` (exactly as given: no trimming, no case folding) against GB 11643, with
// `today` as the latest possible birth date. On failure returns kInvalidArgument
// "residents/bad-id-number" with argument "reason", one of:
//   length         not exactly 18 characters
//   non-digit      a non-digit among the first 17 characters, or a last character not 0-9/X
//   lowercase-x    last character 'x' (see the 'X' rule above)
//   check-char     the check character does not match the first 17 digits
//   region         first two digits are not a province-level code (11-65 as in GB/T 2260, or
//                  81/82/83 of the 港澳台居民居住证, which then must read 810000/820000/830000),
//                  or a mainland region code that names a whole province ("420000")
//   birth-date     not a calendar date (2001-02-29, month 13, day 00)
//   birth-before-1900  before 1900-01-01
//   birth-in-future    after `today`
// The check character is verified before region and date, so a typo reports "check-char".
Result<IdNumberInfo> ParseIdNumber(std::string_view text, const CivilDate& today);

// The cross-checks of issue #3, made on top of ParseIdNumber() wherever a number is registered or
// corrected (not by ParseIdNumber itself, which stays the pure GB 11643 check). Returns
// kInvalidArgument "residents/bad-id-number" with reason:
//   age-over-120     more than 120 years old on `today` (nobody registered is; a typo in the year)
//   gender-mismatch  `stated` is given and is not the gender of the sequence digits
//   unknown-region   `regions` is given and does not know the first 6 digits (a region code
//                    that never existed); 81/82/83 residence permits are not asked about
// A region other than the village's county is NOT an error (people move); the data-quality
// report lists it as a note.
inline constexpr int kMaxAgeYears = 120;
Status CrossCheckIdNumber(const IdNumberInfo& id, const CivilDate& today, std::optional<Gender> stated,
                          const RegionCodes* regions);

// True if `region` (6 digits) has a province-level prefix of GB/T 2260 and names more than a whole
// province (the "region" rule of ParseIdNumber).
bool PlausibleIdRegion(std::string_view region);

// The check character ('0'..'9' or 'X') of a 17-digit body. REQUIRES: 17 ASCII digits.
char IdNumberCheckChar(std::string_view body17);

// Folds what people type into the canonical spelling: removes ASCII spaces and tabs, maps
// full-width digits (０-９) and 'x', 'ｘ', 'Ｘ' to ASCII '0'-'9' and 'X'. It does not validate.
std::string NormalizeIdNumber(std::string_view typed);

// Builds the number for `region_code` (6 digits), `birth_date` and `sequence` (0..999), with its
// check character. Returns kInvalidArgument "residents/bad-id-number" if the result would not
// pass ParseIdNumber() on `birth_date` itself.
Result<std::string> MakeIdNumber(std::string_view region_code, const CivilDate& birth_date, int sequence);

// Synthetic-number convention of gongzhi (tests/fixtures/residents/id-vectors.csv, decision 0005):
// demo and test numbers use sequence codes 996-999 only.
inline constexpr int kFirstSyntheticSequence = 996;
inline constexpr int kLastSyntheticSequence = 999;
// True if `text` is 18 characters whose sequence digits are 996-999.
bool HasSyntheticSequence(std::string_view text);
// Province-scale synthetic data only (bench/province_seed.cc; decision 0005, "Province scale"):
// sequence codes 900-999, 25 times the capacity of 996-999 per region and birth date. Demo and
// test data never use 900-995.
inline constexpr int kFirstWideSyntheticSequence = 900;
// True if `text` is 18 characters whose sequence digits are 900-999.
bool HasWideSyntheticSequence(std::string_view text);

}  // namespace gz::residents
