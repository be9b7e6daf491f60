// Synthetic villagers for demo data: households that look like a real village's register, made
// from a seeded generator, never from real people (docs/decisions/0005-synthetic-demo-data.md).
//
// Layer: residents domain (pure; no store, no crypto). SeedDemoResidents (seed_demo.h) turns the
// output into registered, sealed residents.
//
// Shapes, with their shares of households (ours, after the usual rural picture: many elderly,
// working-age adults often away, grandparents raising grandchildren):
//   elderly person living alone (1)                     8%
//   elderly couple (2)                                 14%
//   couple with 1-3 children                           28%
//   couple, children and the head's parent(s)          20%
//   grandparents, an adult child and grandchildren     13%
//   middle-aged couple with one parent                 10%
//   single parent with children                         7%
// At most 6 members. Ages are plausible for each relation (mothers 21-36 at a birth, parents
// 22-34 years older than their child); everyone is under 100. Children under 16 have no phone;
// older people have one with a probability that falls with age, and about 3% of households have
// no phone at all. Phone numbers are in the synthetic range (phone.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "modules/residents/civil_date.h"
#include "modules/residents/resident.h"

namespace gz::residents {

struct SyntheticPerson {
  std::string name;
  Gender gender = Gender::kMale;
  CivilDate birth_date;  // before `reference_date`
  Relation relation = Relation::kHead;
  std::optional<std::string> phone;
};

struct SyntheticHousehold {
  std::string address;  // "3组45号" (村) or "12栋2单元502室" (社区/居委会, village codes 001-199)
  std::vector<SyntheticPerson> members;  // members[0] is the head
};

struct PopulationOptions {
  CivilDate reference_date{2026, 1, 1};  // ages are counted on this date; all births are before it
  int min_households = 20;
  int max_households = 60;
  uint64_t salt = 0;  // another salt, another population
};

// The households of `village_code` (12 digits). Deterministic: the same code and options give
// the same households on every run and platform. REQUIRES: 1 <= min_households <= max_households.
std::vector<SyntheticHousehold> GenerateVillagePopulation(std::string_view village_code,
                                                          const PopulationOptions& options);

// Which sequence codes a SyntheticIdAllocator hands out (id_number.h).
enum class SyntheticRange {
  kStandard,  // 996-999: demo and test data (two per region, birth date and gender)
  kWide,      // 900-999: province-scale bench data (fifty per region, birth date and gender)
};

// Hands out synthetic ID numbers (sequence 996-999, id_number.h) without repeats. GB 11643 gives
// two such numbers per region, birth date and gender; when both are taken, the birth date moves to
// the nearest free day of the same year. Not thread-safe. With SyntheticRange::kWide a full day
// takes the next code of 900-995 of the same parity (gender) before the date moves: the first two
// numbers of a day are those of kStandard (numbers differ from kStandard's only where a day was
// full), and a county holds about 25 times more (a few million instead of about 100,000).
class SyntheticIdAllocator {
 public:
  explicit SyntheticIdAllocator(std::string region_code, SyntheticRange range = SyntheticRange::kStandard)
      : region_(std::move(region_code)), range_(range) {}

  // Returns a number not handed out or marked before, for `gender`, born on *birth or, if that
  // day is full, on the nearest free day of the same year that is not after `latest` (written
  // back to *birth). `tie_break` chooses between the two sequences of a day. Returns
  // kFailedPrecondition "residents/synthetic-ids-exhausted" (argument "year") if the year is full.
  Result<std::string> Allocate(CivilDate* birth, Gender gender, const CivilDate& latest, uint64_t tie_break);

  // Records a number as used (e.g. found already registered in the store).
  void MarkTaken(const std::string& id_number) { taken_.insert(Key(id_number)); }
  size_t size() const { return taken_.size(); }

 private:
  // The birth date and sequence digits (positions 6-16) as a number: a county's millions of
  // numbers kept as 8-byte keys rather than strings. The region is the allocator's.
  static uint64_t Key(std::string_view id_number);

  std::string region_;
  SyntheticRange range_;
  std::unordered_set<uint64_t> taken_;
};

}  // namespace gz::residents
