// The demo's participatory budgeting (`gongzhi serve --demo`), in the demo village 成功村:
//  * a CLOSED round "2026年度村级公益项目" (300,000 yuan, Method of Equal Shares): projects proposed
//    by the demo villagers, one rejected with a public reason, the vote drafted by the cadre and
//    opened by the supervisor 40 days ago, ballots, closed with its tally in the transparency log,
//    so that the results page shows the funded projects, the reasons and greedy vs MES;
//  * an OPEN round "2027年度人居环境小微项目" (120,000 yuan, greedy) whose vote runs 30 days from
//    seeding, so that the demo villagers can cast a knapsack ballot at once.
// Everything goes through BudgetService and VoteService (the closed round's on a clock set 40 days
// back), except the closed round's ballots: the demo has only two villager accounts in the village,
// so the ballots of other registered adults are written through VoteStore::Cast with the demo
// cadre's account as the recorder and an audit event whose details say "demo-seed". Demo data only.
//
// And a township-wide round in the demo township (蔡甸街道, the township of 成功村):
//  * an OPEN round "2027年度街道级民生项目" (800,000 yuan, Method of Equal Shares) whose projects
//    were proposed by villagers of two villages (成功村 and 马家渡村), reviewed by a township
//    official, the vote drafted by that official and opened by another one, running 30 days: its
//    electorate is every adult of every village of the township, frozen at seeding.
//
// Layer: votes domain.
#pragma once

#include <string>
#include <vector>

#include "access/principal.h"
#include "core/status.h"
#include "modules/votes/budget.h"
#include "modules/votes/electorate.h"
#include "modules/votes/vote_store.h"

namespace gz::votes {

// Seeds `village` once: nothing happens when it already has a budget round (returns false).
// `villagers`: demo villager accounts of the village (they propose the projects).
Result<bool> SeedDemoBudget(BudgetStore& budget_store, VoteStore& vote_store, ElectorateSource& electorate,
                            const std::string& village, const access::Principal& cadre,
                            const access::Principal& supervisor, const std::vector<access::Principal>& villagers);

// Seeds the township-wide round of `township` once (false when the township has a round).
// `officials`: two township officials of the township (the first reviews and drafts, the second
// opens); `villagers`: demo villagers of its villages (they propose, in turn).
Result<bool> SeedDemoTownshipBudget(BudgetStore& budget_store, VoteStore& vote_store, ElectorateSource& electorate,
                                    const std::string& township, const access::Principal& drafter,
                                    const access::Principal& opener, const std::vector<access::Principal>& villagers);

}  // namespace gz::votes
