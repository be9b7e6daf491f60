#include "modules/residents/synthetic_population.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "modules/residents/id_number.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/synthetic_names.h"

namespace gz::residents {
namespace {

const PopulationOptions kOptions{{2026, 1, 1}, 20, 60, 0};
const char* const kVillages[] = {"420114001001", "420114100201", "420114103215", "420114106202", "420114108201",
                                 "420114112205", "420114110203", "420114104210"};

std::string Surname(const std::string& name) { return name.substr(0, 3); }  // every listed surname is one CJK char

TEST(SyntheticPopulationTest, SameVillageSameHouseholdsOtherVillageOthers) {
  auto a = GenerateVillagePopulation("420114103215", kOptions);
  auto b = GenerateVillagePopulation("420114103215", kOptions);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].address, b[i].address);
    ASSERT_EQ(a[i].members.size(), b[i].members.size());
    for (size_t m = 0; m < a[i].members.size(); ++m) {
      EXPECT_EQ(a[i].members[m].name, b[i].members[m].name);
      EXPECT_EQ(a[i].members[m].birth_date, b[i].members[m].birth_date);
      EXPECT_EQ(a[i].members[m].phone, b[i].members[m].phone);
    }
  }
  auto c = GenerateVillagePopulation("420114103216", kOptions);
  auto salted = GenerateVillagePopulation("420114103215", {{2026, 1, 1}, 20, 60, 7});
  EXPECT_NE(a.front().members.front().name + a.front().address, c.front().members.front().name + c.front().address);
  EXPECT_NE(a.front().members.front().name + a.front().address,
            salted.front().members.front().name + salted.front().address);
}

TEST(SyntheticPopulationTest, HouseholdsArePlausible) {
  const std::regex rural("^[0-9]+组[0-9]+号$"), urban("^[0-9]+栋[0-9]单元[0-9]0[0-9]室$");
  std::map<size_t, int> sizes;
  int alone_elderly = 0, without_phone = 0, grandchildren = 0, households = 0, people = 0, with_phone = 0;
  for (const char* village : kVillages) {
    auto pop = GenerateVillagePopulation(village, kOptions);
    EXPECT_GE(pop.size(), 20u);
    EXPECT_LE(pop.size(), 60u);
    const bool is_urban = std::string(village).substr(9, 1) == "0" || std::string(village).substr(9, 1) == "1";
    std::set<std::string> addresses;
    for (const SyntheticHousehold& h : pop) {
      ++households;
      EXPECT_TRUE(std::regex_match(h.address, is_urban ? urban : rural)) << h.address;
      EXPECT_TRUE(addresses.insert(h.address).second) << h.address;
      ASSERT_GE(h.members.size(), 1u);
      ASSERT_LE(h.members.size(), 6u);
      ++sizes[h.members.size()];
      const SyntheticPerson& head = h.members[0];
      EXPECT_EQ(head.relation, Relation::kHead);
      const int head_age = AgeOn(head.birth_date, kOptions.reference_date);
      EXPECT_GE(head_age, 24);
      if (h.members.size() == 1 && head_age >= 65) ++alone_elderly;
      bool any_phone = false;
      for (size_t i = 0; i < h.members.size(); ++i) {
        const SyntheticPerson& p = h.members[i];
        ++people;
        const int age = AgeOn(p.birth_date, kOptions.reference_date);
        EXPECT_TRUE(IsValidDate(p.birth_date));
        EXPECT_LT(p.birth_date, kOptions.reference_date);
        EXPECT_GE(age, 0);
        EXPECT_LT(age, 100) << p.name;
        EXPECT_TRUE(IsListedSurname(Surname(p.name))) << p.name;
        EXPECT_GE(p.name.size(), 6u);  // surname + 1-2 characters
        EXPECT_LE(p.name.size(), 9u);
        if (i > 0) {
          EXPECT_NE(p.relation, Relation::kHead);
        }
        switch (p.relation) {
          case Relation::kSpouse:
            EXPECT_LE(std::abs(age - head_age), 8) << p.name;
            EXPECT_NE(p.gender, head.gender);
            break;
          case Relation::kChild:
            EXPECT_GE(head_age - age, 15) << p.name;
            break;
          case Relation::kParent:
            EXPECT_GE(age - head_age, 17) << p.name;
            break;
          case Relation::kGrandchild:
            ++grandchildren;
            EXPECT_GE(head_age - age, 35) << p.name;
            break;
          case Relation::kHead:
            break;
        }
        if (p.phone) {
          any_phone = true;
          ++with_phone;
          EXPECT_TRUE(IsSyntheticMobile(*p.phone)) << *p.phone;
          EXPECT_GE(age, 16) << "children under 16 have no phone";
        }
      }
      if (!any_phone) ++without_phone;
    }
  }
  // Villages are like that: people alone, households without a phone, grandparents raising grandchildren.
  EXPECT_GT(alone_elderly, 0);
  EXPECT_GT(without_phone, 0);
  EXPECT_GT(grandchildren, 0);
  for (size_t s = 1; s <= 5; ++s) EXPECT_GT(sizes[s], 0) << "no household of size " << s;
  EXPECT_GT(with_phone, people / 2);
  EXPECT_LT(with_phone, people);
}

TEST(SyntheticNamesTest, SurnamesFollowTheirFrequencies) {
  SyntheticRng rng(42);
  std::map<std::string_view, int> count;
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) ++count[PickSurname(rng)];
  EXPECT_EQ(SurnameCount(), 100u);
  EXPECT_EQ(count.size(), 100u);  // every listed surname appears
  // Shares within the top 100 (weights sum to 85.55% of the population): 李 7.94 / 85.55 = 9.28%.
  const double total = kDraws;
  EXPECT_NEAR(count["李"] / total, 0.0928, 0.004);
  EXPECT_NEAR(count["王"] / total, 0.0866, 0.004);
  EXPECT_NEAR(count["吴"] / total, 0.0240, 0.002);
  EXPECT_GT(count["张"], count["刘"]);
  EXPECT_GT(count["刘"], count["杨"]);
  EXPECT_GT(count["杨"], count["文"] * 10);
}

TEST(SyntheticNamesTest, GivenNamesDependOnGenerationAndGender) {
  SyntheticRng rng(7);
  std::set<std::string> old_women, young_girls;
  for (int i = 0; i < 500; ++i) {
    old_women.insert(PickGivenName(rng, Gender::kFemale, 1945));
    young_girls.insert(PickGivenName(rng, Gender::kFemale, 2015));
  }
  EXPECT_GT(old_women.size(), 100u);
  EXPECT_TRUE(old_women.count("秀英") || old_women.count("桂英") || old_women.count("秀兰"));
  EXPECT_FALSE(young_girls.count("秀英"));
}

TEST(SyntheticIdAllocatorTest, HandsOutDistinctSyntheticNumbersAndMovesWithinTheYear) {
  SyntheticIdAllocator ids("420114");
  const CivilDate latest{2025, 12, 31};
  std::set<std::string> seen;
  CivilDate birth{1970, 6, 15};
  for (int i = 0; i < 6; ++i) {
    CivilDate b = birth;
    auto id = ids.Allocate(&b, Gender::kFemale, latest, static_cast<uint64_t>(i));
    ASSERT_TRUE(id.ok());
    EXPECT_TRUE(seen.insert(*id).second);
    EXPECT_TRUE(HasSyntheticSequence(*id));
    auto parsed = ParseIdNumber(*id, {2026, 1, 1});
    ASSERT_TRUE(parsed.ok()) << *id;
    EXPECT_EQ(parsed->gender, Gender::kFemale);
    EXPECT_EQ(parsed->birth_date, b);
    EXPECT_EQ(b.year, 1970);
    EXPECT_LE(std::abs(DaysFromCivil(b) - DaysFromCivil(birth)), 2);
  }
}

TEST(SyntheticIdAllocatorTest, AFullYearIsReportedNotLooped) {
  SyntheticIdAllocator ids("420114");
  const CivilDate latest{2025, 12, 31};
  for (int i = 0; i < 2 * 365; ++i) {
    CivilDate b{1999, 7, 1};
    ASSERT_TRUE(ids.Allocate(&b, Gender::kMale, latest, 0).ok()) << i;
  }
  CivilDate b{1999, 7, 1};
  auto full = ids.Allocate(&b, Gender::kMale, latest, 0);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().slug(), problems::kSyntheticIdsExhausted);
  EXPECT_EQ(full.status().Arg("year"), "1999");
  // The other gender's sequences are separate.
  EXPECT_TRUE(ids.Allocate(&b, Gender::kFemale, latest, 0).ok());
}

TEST(SyntheticIdAllocatorTest, NeverMovesABirthAfterTheLatestDay) {
  SyntheticIdAllocator ids("420114");
  const CivilDate latest{2025, 12, 31};
  for (int i = 0; i < 40; ++i) {
    CivilDate b{2025, 12, 31};
    auto id = ids.Allocate(&b, Gender::kMale, latest, static_cast<uint64_t>(i));
    ASSERT_TRUE(id.ok());
    EXPECT_LE(b, latest);
    EXPECT_EQ(b.year, 2025);
  }
}

// The province-scale range: fifty numbers per day and gender before the date moves, each a valid
// GB 11643 number of the right parity; while no day is full it hands out kStandard's numbers.
TEST(SyntheticIdAllocatorTest, TheWideRangeHoldsFiftyADayAndStartsWithTheStandardNumbers) {
  const CivilDate latest{2025, 12, 31};
  SyntheticIdAllocator standard("420114"), wide("420114", SyntheticRange::kWide);
  for (int i = 0; i < 200; ++i) {
    CivilDate a{1960 + i % 40, 1 + i % 12, 1 + i % 28}, b = a;
    auto s = standard.Allocate(&a, i % 2 ? Gender::kMale : Gender::kFemale, latest, static_cast<uint64_t>(i));
    auto w = wide.Allocate(&b, i % 2 ? Gender::kMale : Gender::kFemale, latest, static_cast<uint64_t>(i));
    ASSERT_TRUE(s.ok() && w.ok());
    EXPECT_EQ(*s, *w);
  }

  SyntheticIdAllocator ids("420114", SyntheticRange::kWide);
  std::set<std::string> seen;
  for (Gender g : {Gender::kMale, Gender::kFemale}) {
    for (int i = 0; i < 50; ++i) {
      CivilDate b{1988, 3, 8};
      auto id = ids.Allocate(&b, g, latest, static_cast<uint64_t>(i));
      ASSERT_TRUE(id.ok()) << i;
      EXPECT_EQ(b, (CivilDate{1988, 3, 8})) << "the date moved before the day's fifty were used";
      EXPECT_TRUE(seen.insert(*id).second);
      EXPECT_TRUE(HasWideSyntheticSequence(*id));
      EXPECT_EQ(HasSyntheticSequence(*id), i < 2);
      auto parsed = ParseIdNumber(*id, {2026, 1, 1});
      ASSERT_TRUE(parsed.ok()) << *id;
      EXPECT_EQ(parsed->gender, g);
      EXPECT_EQ(parsed->birth_date, b);
    }
    CivilDate b{1988, 3, 8};
    ASSERT_TRUE(ids.Allocate(&b, g, latest, 0).ok());
    EXPECT_NE(b, (CivilDate{1988, 3, 8})) << "the fifty-first moves to another day";
  }
}

TEST(SyntheticIdAllocatorTest, AFullYearOfTheWideRangeIsReportedNotLooped) {
  SyntheticIdAllocator ids("420114", SyntheticRange::kWide);
  const CivilDate latest{2025, 12, 31};
  for (int i = 0; i < 50 * 365; ++i) {
    CivilDate b{1999, 1 + (i % 12), 1 + (i % 28)};
    ASSERT_TRUE(ids.Allocate(&b, Gender::kFemale, latest, static_cast<uint64_t>(i)).ok()) << i;
  }
  CivilDate b{1999, 7, 1};
  auto full = ids.Allocate(&b, Gender::kFemale, latest, 0);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().slug(), problems::kSyntheticIdsExhausted);
  EXPECT_EQ(ids.size(), 50u * 365u);
}

}  // namespace
}  // namespace gz::residents
