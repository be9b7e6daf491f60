// ConsentLookup: the port through which identity asks whether a helper may act for a villager.
//
// Layer: access. Implemented by the consents module (src/modules/consents), called by identity's
// authenticator when a request carries `X-Acting-For: <villager account id>`: the principal
// gets `acting_for` only if a consent is valid now (recorded, started, not expired, not
// revoked). Putting the port here lets identity and consents stay independent of each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gz::access {

struct ActiveConsent {
  int64_t id = 0;
  std::vector<std::string> actions;  // permission names (delegable ones only)
};

class ConsentLookup {
 public:
  virtual ~ConsentLookup() = default;
  // The consent that lets `helper_account` act for `villager_account` at `now_ms` (UTC ms), if
  // any. When several are valid, their actions are merged under the most recent id.
  virtual Result<std::optional<ActiveConsent>> FindActive(int64_t helper_account, int64_t villager_account,
                                                          int64_t now_ms) = 0;
};

}  // namespace gz::access
