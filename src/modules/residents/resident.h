// Residents (居民) and households (户): the domain types of the residents module.
//
// Layer: residents domain. A household belongs to one village-level unit (村/社区, 12-digit NBS
// code) of one county (its first 6 digits). Its members are residents, each with one relation to
// the head of household (户主). Personal fields travel in their own structs, so that code which
// only needs ages, genders or counts never holds a name, ID number or phone number.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gz::residents {

struct ResidentId {
  int64_t value = 0;
  auto operator<=>(const ResidentId&) const = default;
};
struct HouseholdId {
  int64_t value = 0;
  auto operator<=>(const HouseholdId&) const = default;
};

// Codes of GB/T 2261.1 (1 男, 2 女), as stored.
enum class Gender : int { kMale = 1, kFemale = 2 };

// Relation to the head of household (与户主关系), the subset the demo and registry use.
enum class Relation { kHead, kSpouse, kChild, kParent, kGrandchild };

// Stable storage codes "head", "spouse", "child", "parent", "grandchild".
std::string_view RelationCode(Relation r);
std::optional<Relation> ParseRelation(std::string_view code);
// 户主 配偶 子女 父母 孙子女
std::string_view RelationNameZh(Relation r);

// PERSONAL: sealed at rest; every read audited (issue #3).
struct ResidentPersonalFields {
  std::string name;                  // 姓名, UTF-8
  std::string id_number;             // 公民身份号码, canonical (NormalizeIdNumber)
  std::optional<std::string> phone;  // 11-digit mainland mobile, or none
  // SENSITIVE personal information (PIPL art. 28: disability, 低保 status): flag codes of
  // resident_flags.h, sorted and unique. Sealed as one column; never shown in masked views.
  std::vector<std::string> flags = {};
  bool operator==(const ResidentPersonalFields&) const = default;
};

// PERSONAL: sealed at rest; every read audited (issue #3).
struct HouseholdPersonalFields {
  std::string address;  // within the village, e.g. "3组45号"
  bool operator==(const HouseholdPersonalFields&) const = default;
};

// What the registry needs to create a resident. Gender and birth year are taken from the ID
// number, so they cannot disagree with it.
struct NewResident {
  ResidentPersonalFields personal;
  Relation relation = Relation::kHead;
  // The gender the person or the form states, if any: cross-checked against the ID number
  // (residents/bad-id-number, reason "gender-mismatch"), never stored on its own.
  std::optional<Gender> stated_gender = std::nullopt;
};

struct NewHousehold {
  std::string village_code;  // 12 digits
  HouseholdPersonalFields personal;
  std::vector<NewResident> members;  // exactly one kHead
};

// The non-personal facts about a resident: what lists, counts and permission checks may use
// without reading personal data. Birth year and gender are kept in clear on purpose (age checks
// and statistics without an audited read; decision 0004); the full birth date is sealed inside
// the ID number.
struct ResidentInfo {
  ResidentId id;
  HouseholdId household_id;
  std::string county_code;   // 6 digits
  std::string village_code;  // 12 digits
  Gender gender = Gender::kMale;
  int birth_year = 0;
  Relation relation = Relation::kHead;
  int64_t created_at_ms = 0;
  // Last change of the record (stale-record checks); equals created_at_ms until a change.
  int64_t updated_at_ms = 0;
  // The first 6 digits of the ID number (the issuing region), kept in clear because masked
  // views show them anyway (docs/security-masking.md) and the data-quality report checks them
  // without decrypting. Empty on rows written before migration residents/2.
  std::string id_region = {};
  bool operator==(const ResidentInfo&) const = default;
};

struct HouseholdInfo {
  HouseholdId id;
  std::string county_code;
  std::string village_code;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  bool operator==(const HouseholdInfo&) const = default;
};

// Gender codes as the API spells them: "male" / "female".
std::string_view GenderCode(Gender g);
std::optional<Gender> ParseGender(std::string_view code);

// "420114" from "420114001001". REQUIRES: at least 6 characters.
inline std::string CountyOf(std::string_view village_code) { return std::string(village_code.substr(0, 6)); }
// True for exactly 12 ASCII digits.
bool IsVillageCode(std::string_view code);

}  // namespace gz::residents
