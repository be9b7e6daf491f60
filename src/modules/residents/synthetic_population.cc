#include "modules/residents/synthetic_population.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "modules/residents/id_number.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"
#include "modules/residents/synthetic_names.h"
#include "modules/residents/synthetic_rng.h"

namespace gz::residents {
namespace {

constexpr int kMaxAge = 97;  // everyone generated is under 100
constexpr size_t kMaxMembers = 6;

class Builder {
 public:
  Builder(SyntheticRng& rng, const CivilDate& ref) : rng_(rng), ref_(ref) {}

  // Someone who is exactly `age` on the reference date.
  SyntheticPerson Person(std::string_view surname, Gender g, int age, Relation rel) {
    CivilDate anniversary{ref_.year - age, ref_.month, std::min(ref_.day, DaysInMonth(ref_.year - age, ref_.month))};
    SyntheticPerson p;
    p.birth_date = CivilFromDays(DaysFromCivil(anniversary) - rng_.Uniform(1, 365));
    p.gender = g;
    p.relation = rel;
    p.name = std::string(surname) + PickGivenName(rng_, g, p.birth_date.year);
    return p;
  }
  int AgeOf(const SyntheticPerson& p) const { return AgeOn(p.birth_date, ref_); }
  Gender ChildGender() { return rng_.Chance(0.52) ? Gender::kMale : Gender::kFemale; }

  // 1-n children of a mother aged `mother_age`, named with `surname`.
  void Children(std::vector<SyntheticPerson>& out, std::string_view surname, int mother_age, int n, Relation rel) {
    for (int i = 0; i < n && out.size() < kMaxMembers; ++i) {
      const int age = mother_age - rng_.Uniform(21, std::max(21, std::min(36, mother_age)));
      if (age < 0) continue;
      out.push_back(Person(surname, ChildGender(), age, rel));
    }
  }

  std::vector<SyntheticPerson> Household() {
    static constexpr std::array<int, 7> kShapeWeights = {8, 14, 28, 20, 13, 10, 7};
    std::vector<SyntheticPerson> m;
    const std::string head_surname(PickSurname(rng_));
    auto spouse_of = [&](int head_age) {
      const int age = std::clamp(head_age + rng_.Uniform(-5, 1), 20, kMaxAge);
      return Person(PickSurname(rng_), Gender::kFemale, age, Relation::kSpouse);
    };
    switch (rng_.Weighted(kShapeWeights)) {
      case 0: {  // elderly person living alone, most often a widow
        const Gender g = rng_.Chance(0.65) ? Gender::kFemale : Gender::kMale;
        m.push_back(Person(head_surname, g, rng_.Uniform(68, 92), Relation::kHead));
        break;
      }
      case 1: {  // elderly couple
        const int age = rng_.Uniform(62, 86);
        m.push_back(Person(head_surname, Gender::kMale, age, Relation::kHead));
        m.push_back(spouse_of(age));
        break;
      }
      case 2: {  // couple with children
        const int age = rng_.Uniform(27, 55);
        m.push_back(Person(head_surname, Gender::kMale, age, Relation::kHead));
        m.push_back(spouse_of(age));
        static constexpr std::array<int, 3> kKids = {45, 45, 10};
        Children(m, head_surname, AgeOf(m[1]), 1 + static_cast<int>(rng_.Weighted(kKids)), Relation::kChild);
        break;
      }
      case 3: {  // three generations: the head's parent(s) live with the family
        const int age = rng_.Uniform(30, 52);
        m.push_back(Person(head_surname, Gender::kMale, age, Relation::kHead));
        m.push_back(spouse_of(age));
        const int father_age = age + rng_.Uniform(22, 34);
        const int mother_age = std::min(kMaxAge, father_age + rng_.Uniform(-5, 1));
        const double r = static_cast<double>(rng_.Uniform(0, 99)) / 100.0;
        if (r < 0.70) m.push_back(Person(PickSurname(rng_), Gender::kFemale, mother_age, Relation::kParent));
        if ((r < 0.55 || r >= 0.70) && father_age <= kMaxAge)
          m.push_back(Person(head_surname, Gender::kMale, father_age, Relation::kParent));
        Children(m, head_surname, AgeOf(m[1]), rng_.Uniform(1, 2), Relation::kChild);
        break;
      }
      case 4: {  // grandparents, an adult child and the grandchildren (留守 families)
        const int age = rng_.Uniform(55, 75);
        m.push_back(Person(head_surname, Gender::kMale, age, Relation::kHead));
        if (rng_.Chance(0.85)) m.push_back(spouse_of(age));
        const Gender cg = ChildGender();
        const int child_age = std::max(24, age - rng_.Uniform(22, 32));
        m.push_back(Person(head_surname, cg, child_age, Relation::kChild));
        const std::string grand_surname = cg == Gender::kMale ? head_surname : std::string(PickSurname(rng_));
        Children(m, grand_surname, child_age, rng_.Uniform(1, 2), Relation::kGrandchild);
        break;
      }
      case 5: {  // middle-aged couple, children grown and gone, one parent at home
        const int age = rng_.Uniform(42, 62);
        m.push_back(Person(head_surname, Gender::kMale, age, Relation::kHead));
        m.push_back(spouse_of(age));
        const int parent_age = std::min(kMaxAge, age + rng_.Uniform(22, 34));
        if (rng_.Chance(0.7)) m.push_back(Person(PickSurname(rng_), Gender::kFemale, parent_age, Relation::kParent));
        else m.push_back(Person(head_surname, Gender::kMale, parent_age, Relation::kParent));
        break;
      }
      default: {  // single parent (widowed or divorced mother) with children
        const int age = rng_.Uniform(32, 58);
        m.push_back(Person(head_surname, Gender::kFemale, age, Relation::kHead));
        Children(m, PickSurname(rng_), age, rng_.Uniform(1, 2), Relation::kChild);
        break;
      }
    }
    return m;
  }

  void Phones(std::vector<SyntheticPerson>& members, std::set<std::string>& used) {
    if (rng_.Chance(0.03)) return;  // a household without any phone
    for (SyntheticPerson& p : members) {
      const int age = AgeOf(p);
      const double share = age < 16 ? 0.0 : age < 60 ? 0.93 : age < 70 ? 0.75 : age < 80 ? 0.5 : 0.25;
      if (!rng_.Chance(share)) continue;
      std::string phone;
      do {
        char digits[9];
        std::snprintf(digits, sizeof digits, "%08d", rng_.Uniform(0, 99999999));
        phone = std::string(kSyntheticMobilePrefix) + digits;
      } while (!used.insert(phone).second);
      p.phone = std::move(phone);
    }
  }

  std::string Address(bool urban, std::set<std::string>& used) {
    std::string a;
    do {
      char buf[64];
      if (urban) {
        std::snprintf(buf, sizeof buf, "%d栋%d单元%d0%d室", rng_.Uniform(1, 30), rng_.Uniform(1, 4), rng_.Uniform(1, 7),
                      rng_.Uniform(1, 4));
      } else {
        std::snprintf(buf, sizeof buf, "%d组%d号", rng_.Uniform(1, 12), rng_.Uniform(1, 90));
      }
      a = buf;
    } while (!used.insert(a).second);
    return a;
  }

 private:
  SyntheticRng& rng_;
  CivilDate ref_;
};

}  // namespace

std::vector<SyntheticHousehold> GenerateVillagePopulation(std::string_view village_code,
                                                          const PopulationOptions& options) {
  SyntheticRng rng(VillageSeed(village_code, options.salt));
  Builder b(rng, options.reference_date);
  // NBS village-level codes 001-199 are 居委会/社区 (urban addresses), 200+ 村委会 (groups).
  const bool urban = village_code.size() == 12 && (village_code[9] == '0' || village_code[9] == '1');
  const int n = rng.Uniform(options.min_households, options.max_households);
  std::vector<SyntheticHousehold> out;
  out.reserve(static_cast<size_t>(n));
  std::set<std::string> addresses, phones;
  for (int i = 0; i < n; ++i) {
    SyntheticHousehold h;
    h.address = b.Address(urban, addresses);
    h.members = b.Household();
    b.Phones(h.members, phones);
    out.push_back(std::move(h));
  }
  return out;
}

uint64_t SyntheticIdAllocator::Key(std::string_view id_number) {
  uint64_t key = 0;
  for (size_t i = 6; i < 17 && i < id_number.size(); ++i) key = key * 10 + static_cast<uint64_t>(id_number[i] - '0');
  return key;
}

Result<std::string> SyntheticIdAllocator::Allocate(CivilDate* birth, Gender gender, const CivilDate& latest,
                                                   uint64_t tie_break) {
  const int seqs[2] = {gender == Gender::kMale ? 997 : 996, gender == Gender::kMale ? 999 : 998};
  const int first = static_cast<int>(tie_break & 1);
  // kWide: after the two standard codes, 995/994 down to 901/900 (the gender's parity).
  const int wide_top = gender == Gender::kMale ? 995 : 994;
  const int per_day = range_ == SyntheticRange::kWide ? 2 + (wide_top - kFirstWideSyntheticSequence) / 2 + 1 : 2;
  const int64_t base = DaysFromCivil(*birth);
  for (int k = 0; k <= 2 * 366; ++k) {
    const int64_t offset = (k % 2 == 1) ? (k + 1) / 2 : -(k / 2);  // 0, +1, -1, +2, -2, ...
    const CivilDate day = CivilFromDays(base + offset);
    if (day.year != birth->year || day > latest) continue;
    for (int j = 0; j < per_day; ++j) {
      const int seq = j < 2 ? seqs[(first + j) % 2] : wide_top - 2 * (j - 2);
      GZ_ASSIGN_OR_RETURN(std::string id, MakeIdNumber(region_, day, seq));
      if (taken_.insert(Key(id)).second) {
        *birth = day;
        return id;
      }
    }
  }
  return FailedPrecondition(std::string(problems::kSyntheticIdsExhausted)).With("year", std::to_string(birth->year));
}

}  // namespace gz::residents
