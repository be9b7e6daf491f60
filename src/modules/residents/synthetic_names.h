// Synthetic Chinese names for demo data: surnames drawn by real frequency, given names from
// common characters of the person's generation.
//
// Layer: residents domain. The lists are public statistics about names, not personal data (see
// docs/decisions/0005). Any resemblance of a generated name to a real person is chance: names in
// China repeat (张伟 is shared by ~300,000 people), and the generator never sees a real register.
#pragma once

#include <string>
#include <string_view>

#include "modules/residents/resident.h"
#include "modules/residents/synthetic_rng.h"

namespace gz::residents {

// A surname from the top-100 list, weighted by share of the population.
std::string_view PickSurname(SyntheticRng& rng);

// A one- or two-character given name typical for `gender` and people born in `birth_year`
// (before 1960, 1960-1979, 1980-1999, 2000 on).
std::string PickGivenName(SyntheticRng& rng, Gender gender, int birth_year);

// How many surnames PickSurname() draws from, and whether `s` is one of them (for tests).
size_t SurnameCount();
bool IsListedSurname(std::string_view s);

}  // namespace gz::residents
