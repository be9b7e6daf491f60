// The ports through which open311 learns who a reporter is and whether a division exists. The
// composition root implements them over identity's accounts, the residents register and the
// division tree (open311 depends on none of those modules).
//
// Layer: open311 domain (ports).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::open311 {

// A villager an Open311 client files for: a villager account, a resident record, or both.
struct Reporter {
  int64_t account = 0;   // an enabled account holding the villager role, or 0
  int64_t resident = 0;  // the resident record (the account's, when it is linked to one), or 0
  std::string village;   // canonical 12-digit home village
  bool operator==(const Reporter&) const = default;
};

class ReporterLookup {
 public:
  virtual ~ReporterLookup() = default;
  // The villagers this mobile number (as typed; normalized by the implementation) belongs to
  // among those living inside `within` (a canonical scope): the villager account registered
  // with it, if its home village lies inside; otherwise every resident registered with it in a
  // village inside (a household may share one phone). Empty for none or a malformed number.
  virtual Result<std::vector<Reporter>> FindByPhone(std::string_view phone, std::string_view within) = 0;
  // An enabled villager account with a home village; nullopt otherwise.
  virtual Result<std::optional<Reporter>> FindByAccount(int64_t account) = 0;
};

class PlaceLookup {
 public:
  virtual ~PlaceLookup() = default;
  // True if `code` (canonical 12 digits) names a stored division.
  virtual Result<bool> Exists(std::string_view code) = 0;
};

}  // namespace gz::open311
