// The HTTP routes of the votes module (votes and polls).
//
// Layer: votes api (thin: parse, authorize with the gate, call VoteService, map to JSON).
//
//   GET  /api/v1/votes?village=                 public        votes of a village (drafts too for staff of the village)
//   POST /api/v1/votes                          votes.draft   a draft (201)
//   GET  /api/v1/votes/{id}                     public        one vote with its rules and tally entries (drafts: staff)
//   POST /api/v1/votes/{id}/open                votes.open    freeze the electorate, publish the rules, open
//   POST /api/v1/votes/{id}/ballots             votes.cast    {"choice":[i,...]}: cast (201), once
//   GET  /api/v1/votes/{id}/my-ballot           votes.cast    eligible? voted? when, and by a helper? (never the choice)
//   POST /api/v1/votes/{id}/paper-counts        votes.count   a clerk's count of the paper ballots
//   GET  /api/v1/votes/{id}/paper-counts        votes.count   both clerks' counts and their differences
//   POST /api/v1/votes/{id}/close               votes.close   close after the window, publish the tally
//   GET  /api/v1/votes/{id}/results             public        turnout, tally, recount check
//
// No route returns who voted together with what they chose; results are aggregates.
// Object level: handlers call gate.Require on the vote's village (404 votes/vote-not-found outside
// the caller's tenant) before the service applies its own rules.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/votes/vote_service.h"

namespace gz::votes {

// Adds the routes above. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterVoteRoutes(http::Router& router, VoteService& service, const access::Gate& gate);

}  // namespace gz::votes
