#include "modules/residents/seed_demo.h"

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "crypto/crypto.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/synthetic_population.h"
#include "modules/residents/synthetic_rng.h"

namespace gz::residents {
namespace {

constexpr int kMaxReallocationRounds = 16;

Status BadOptions(const char* reason) {
  return InvalidArgument(std::string(problems::kBadSeedOptions)).With("reason", reason);
}

// Where a member sits in the batch, and what its ID number was made from (to allocate again).
struct Slot {
  size_t household;
  size_t member;
  Gender gender;
  CivilDate birth;
  uint64_t tie_break;
};

// Phones repeat across villages only by chance; the next free number keeps them distinct.
std::string UniquePhone(std::string phone, std::unordered_set<std::string>& used) {
  while (!used.insert(phone).second) {
    int i = static_cast<int>(phone.size()) - 1;
    for (; i >= 3; --i) {  // +1 on the last 8 digits, the 154 prefix stays
      if (phone[i] != '9') { ++phone[i]; break; }
      phone[i] = '0';
    }
  }
  return phone;
}

// Sensitive flags for the demo, so that screens and reports have some to show: every person of
// 70 or more living alone is 独居老人; about one in sixteen each gets 低保 or 残疾, drawn from the
// person's own seed (so the same people get them on every run).
std::vector<std::string> DemoFlags(uint64_t seed, int age, bool alone) {
  std::vector<std::string> flags;
  const uint64_t h = (seed ^ (seed >> 31)) * 0xff51afd7ed558ccdull;
  if (((h >> 52) & 0xF) == 1) flags.emplace_back("disability");
  if (alone && age >= 70) flags.emplace_back("elderly_alone");
  if (((h >> 56) & 0xF) == 3) flags.emplace_back("low_income");
  return flags;
}

}  // namespace

Result<SeedReport> SeedDemoResidents(ResidentStore& store, const crypto::FieldCipher& cipher,
                                     std::span<const std::string> village_codes, const SeedOptions& options) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  const Clock& clock = options.clock ? *options.clock : SystemClock::Instance();
  if (options.min_households_per_village < 1 || options.max_households_per_village < options.min_households_per_village ||
      options.max_households_per_village > 1000)
    return BadOptions("households-per-village");
  if (options.villages_per_transaction < 1) return BadOptions("villages-per-transaction");
  const CivilDate today = ChinaDateOf(clock.Now());
  const CivilDate reference = options.reference_date.value_or(CivilDate{today.year, 1, 1});
  if (!IsValidDate(reference) || reference > today || reference.year < 1901) return BadOptions("reference-date");
  const CivilDate latest_birth = CivilFromDays(DaysFromCivil(reference) - 1);

  std::vector<std::string> codes;
  std::set<std::string> distinct;
  for (const std::string& code : village_codes) {
    if (!IsVillageCode(code)) return InvalidArgument(std::string(problems::kBadVillageCode)).With("code", code.substr(0, 32));
    if (distinct.insert(code).second) codes.push_back(code);
  }

  SeedReport report;
  report.villages_requested = static_cast<int>(codes.size());
  ResidentRegistry registry(store, cipher, clock);
  GZ_ASSIGN_OR_RETURN(std::vector<VillageCount> counts, registry.CountByVillage(codes));
  std::vector<std::string> todo;
  for (const VillageCount& c : counts) {
    if (c.residents > 0) ++report.villages_skipped;
    else todo.push_back(c.village_code);
  }

  const PopulationOptions population{reference, options.min_households_per_village,
                                     options.max_households_per_village, options.salt};
  std::map<std::string, SyntheticIdAllocator> allocators;  // by county
  std::unordered_set<std::string> phones;
  const size_t chunk = static_cast<size_t>(options.villages_per_transaction);

  for (size_t begin = 0; begin < todo.size(); begin += chunk) {
    std::vector<NewHousehold> batch;
    std::map<std::string, std::vector<Slot>> slots;  // by county
    for (size_t v = begin; v < std::min(todo.size(), begin + chunk); ++v) {
      const std::string& village = todo[v];
      const std::string county = CountyOf(village);
      SyntheticIdAllocator& ids = allocators.try_emplace(county, county, options.id_range).first->second;
      const uint64_t village_seed = VillageSeed(village, options.salt);
      uint64_t person = 0;  // index within the village: the tie-break must not depend on batching
      for (SyntheticHousehold& sh : GenerateVillagePopulation(village, population)) {
        NewHousehold h{village, {std::move(sh.address)}, {}};
        bool any_phone = false;
        for (SyntheticPerson& p : sh.members) {
          Slot slot{batch.size(), h.members.size(), p.gender, p.birth_date, village_seed ^ (++person * 0x9e3779b97f4a7c15ull)};
          GZ_ASSIGN_OR_RETURN(std::string id, ids.Allocate(&slot.birth, p.gender, latest_birth, slot.tie_break));
          NewResident r{{std::move(p.name), std::move(id), std::nullopt}, p.relation};
          if (p.phone) r.personal.phone = UniquePhone(std::move(*p.phone), phones);
          r.personal.flags = DemoFlags(slot.tie_break, AgeOn(slot.birth, reference), sh.members.size() == 1);
          any_phone = any_phone || r.personal.phone.has_value();
          report.residents_with_phone += r.personal.phone ? 1 : 0;
          h.members.push_back(std::move(r));
          slots[county].push_back(slot);
        }
        report.households_without_phone += any_phone ? 0 : 1;
        batch.push_back(std::move(h));
      }
    }

    // Numbers registered by an earlier run (other villages, same county): take another free one.
    for (auto& [county, county_slots] : slots) {
      SyntheticIdAllocator& ids = allocators.at(county);
      for (int round = 0;; ++round) {
        std::vector<std::string> numbers;
        std::unordered_map<std::string, size_t> slot_of;
        for (size_t i = 0; i < county_slots.size(); ++i) {
          const Slot& s = county_slots[i];
          numbers.push_back(batch[s.household].members[s.member].personal.id_number);
          slot_of.emplace(numbers.back(), i);
        }
        GZ_ASSIGN_OR_RETURN(std::vector<std::string> registered, registry.RegisteredIdNumbers(county, numbers));
        if (registered.empty()) break;
        if (round == kMaxReallocationRounds) return Internal("synthetic ID numbers keep colliding with registered ones");
        for (const std::string& number : registered) {
          Slot& s = county_slots[slot_of.at(number)];
          ++s.tie_break;
          GZ_ASSIGN_OR_RETURN(std::string id, ids.Allocate(&s.birth, s.gender, latest_birth, s.tie_break));
          batch[s.household].members[s.member].personal.id_number = std::move(id);
        }
      }
    }

    GZ_RETURN_IF_ERROR(registry.CreateHouseholds(batch).status());
    ++report.transactions;
    report.villages_seeded += static_cast<int>(std::min(todo.size(), begin + chunk) - begin);
    report.households += static_cast<int64_t>(batch.size());
    for (const NewHousehold& h : batch) report.residents += static_cast<int64_t>(h.members.size());
  }
  return report;
}

}  // namespace gz::residents
