// SubmitterLookup: the port through which appeals learns where a villager lives, when staff
// record an appeal for them. Implemented by the composition root over identity's accounts and the
// residents register (appeals depends on neither module).
//
// Layer: appeals domain (port).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"

namespace gz::appeals {

class SubmitterLookup {
 public:
  virtual ~SubmitterLookup() = default;
  // The canonical home village of an enabled villager account; nullopt if the account is
  // unknown, disabled, not a villager, or has no home village.
  virtual Result<std::optional<std::string>> VillageOfAccount(int64_t account) = 0;
  // The canonical village of a registered resident; nullopt if unknown.
  virtual Result<std::optional<std::string>> VillageOfResident(int64_t resident) = 0;
};

}  // namespace gz::appeals
