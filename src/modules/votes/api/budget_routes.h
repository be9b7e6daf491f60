// The HTTP routes of participatory budgeting (budget rounds, projects, the round's vote, the
// results' budget part and the pabulib export).
//
// Layer: votes api (thin: parse, authorize with the gate, call BudgetService / VoteService).
//
//   GET  /api/v1/budget-rounds?village=            public                 rounds of a village and its township's
//                                                                         township-wide rounds, newest first
//   GET  /api/v1/budget-rounds?township=           public                 a township's township-wide rounds
//   POST /api/v1/budget-rounds                     votes.budget_manage    a round {village|township,title,budget,rule} (201)
//   GET  /api/v1/budget-rounds/{id}                public                 the round and its projects (state, public reason)
//   POST /api/v1/budget-rounds/{id}/projects       votes.propose_project  {title,description,cost} (201; a helper under consent)
//   POST /api/v1/budget-projects/{id}/review       votes.budget_manage    {decision: accept|reject, reason}
//   POST /api/v1/budget-rounds/{id}/vote           votes.draft            the round's vote draft from its accepted projects
//   GET  /api/v1/votes/{id}/budget-results         public                 funded projects, why each won or lost, greedy vs MES
//   GET  /api/v1/votes/{id}/pabulib                public                 a closed budget vote as a .pb file (anonymous ballots)
//
// Who proposed a project is never served (only that a helper recorded it). Object level: the
// round's village (404 votes/round-not-found outside the caller's tenant); a township-wide round
// reaches the villages of its township (VoteService::TargetFor): their villagers propose and
// vote, their cadres are refused with 403 by the service, staff of other townships get 404.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/votes/budget.h"
#include "modules/votes/vote_service.h"

namespace gz::votes {

void RegisterBudgetRoutes(http::Router& router, BudgetService& budget, VoteService& votes, const access::Gate& gate);

}  // namespace gz::votes
