// The demo's vote (`gongzhi serve --demo`): one secret approval poll of the demo village, drafted by
// the cadre and opened by the supervisor through the real service (electorate frozen from the
// synthetic register, rules in the transparency log), open for 30 days from seeding, so that the
// demo villagers can vote at once.
//
// Layer: votes domain.
#pragma once

#include <string>

#include "access/principal.h"
#include "core/status.h"
#include "modules/votes/vote_service.h"

namespace gz::votes {

// Seeds `village` once: nothing happens when it already has a vote (returns false).
Result<bool> SeedDemoVote(VoteService& service, const std::string& village, const access::Principal& cadre,
                          const access::Principal& supervisor);

}  // namespace gz::votes
