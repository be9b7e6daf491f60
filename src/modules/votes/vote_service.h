// VoteService: drafting, opening, casting, paper counts, closing and results of votes and polls.
//
// Layer: votes domain (service). The routes authorize first (function level by the dispatcher,
// object level with access::Gate::Require on the vote's village); the service then applies what
// the policy table cannot express:
//   - a cadre of the village drafts; a DIFFERENT cadre or a supervisor opens (never the drafter);
//     a township-wide budget vote: a township official drafts, a DIFFERENT one opens, and only
//     township officials close it;
//   - opening freezes the electorate and publishes the rules into the transparency log in the
//     same transaction; rules never change after that (the store and the database refuse it);
//   - one ballot per elector (person or household), enforced by the store's unique key;
//   - a helper may cast for a villager under a consent that covers "votes.cast" (the identity
//     guard resolves it into Principal::acting_for; participation records the helper and consent);
//   - closing happens after closes_at_ms only, by staff or by the server on the first read of the
//     vote after that time; it publishes the tally in the closing transaction, exactly once;
//   - paper votes close only when two clerks' counts agree.
// Thread-safe (the store must be).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/votes/electorate.h"
#include "modules/votes/vote.h"
#include "modules/votes/vote_store.h"

namespace gz::votes {

// What a voter may know about their own ballot.
struct BallotStatus {
  bool eligible = false;
  bool voted = false;
  int64_t cast_at_ms = 0;
  bool cast_by_helper = false;
};

// The clerks' counts of a paper vote and whether they agree.
struct PaperStatus {
  std::vector<PaperCount> counts;
  bool agreed = false;
  std::vector<std::string> differences;  // "ballots", "blank", "options[2]"
};

struct Results {
  Vote vote;
  int64_t participants = 0;           // online: participation rows; paper: ballot papers
  std::optional<Tally> tally;         // closed votes only
  bool recount_matches = false;       // recomputed from the stored ballots = the published entry
};

class VoteService {
 public:
  // All must outlive the service.
  VoteService(VoteStore& store, ElectorateSource& electorate, const Clock& clock);

  // kPermissionDenied "votes/not-allowed" {action: draft}; kInvalidArgument "votes/bad-vote".
  Result<Vote> Draft(const access::Principal& by, const DraftInput& input);
  // kPermissionDenied "votes/own-draft", "votes/not-allowed" {action: open}; kFailedPrecondition
  // "votes/not-a-draft", "votes/not-open" {reason: window-over}; "votes/bad-vote" {field:
  // electorate, reason: empty}; the log's errors.
  Result<Vote> Open(const access::Principal& by, int64_t id);
  // kNotFound "votes/vote-not-found".
  Result<Vote> Get(int64_t id);
  Result<std::vector<Vote>> List(const std::string& village, bool with_drafts);
  static access::Target TargetOf(const Vote& vote);
  // The object-level target of a vote or round of `division` for `caller` using `permission`. A
  // township-wide object reaches every village of its township: for a caller who cannot use the
  // permission on the township itself but can on a village of it (a villager voting or proposing,
  // a village cadre), the target is that village -- so villagers of the township are admitted and
  // staff of its villages are refused with 403 (inside their tenant), by the service's own rules
  // where the policy alone would admit them. Everyone else: the division itself (404 outside).
  static access::Target TargetFor(const std::string& division, const access::Principal& caller,
                                  std::string_view permission);

  // The subject (the villager, or the villager a helper acts for) casts one ballot. Errors of the
  // store's Cast, kInvalidArgument "votes/bad-ballot", kFailedPrecondition "votes/not-open"
  // {reason: paper} for a paper vote.
  Status Cast(const access::Principal& by, int64_t id, const Choice& choice);
  Result<BallotStatus> StatusOf(const access::Principal& by, int64_t id);

  // A clerk (cadre or supervisor of the village) enters the paper count, after closes_at_ms.
  Result<PaperStatus> EnterPaperCount(const access::Principal& by, int64_t id, PaperCount count);
  Result<PaperStatus> PaperStatusOf(int64_t id);

  // Staff close after closes_at_ms: kFailedPrecondition "votes/too-early", "votes/counts-differ",
  // "votes/not-open" {reason: closed}.
  Result<Vote> Close(const access::Principal& by, int64_t id);
  // Closes an open vote past its closing time on behalf of nobody (the server), when it can:
  // online votes always, paper votes once the counts agree. Otherwise returns it as it is.
  Result<Vote> CloseIfDue(int64_t id);

  // Turnout, and for a closed vote its tally recomputed from the stored ballots (or agreed paper
  // count) and compared byte for byte with the published entry.
  Result<Results> ResultsOf(int64_t id);
  // A closed budget vote as a pabulib .pb file (anonymous ballots; vote.h BudgetPabulib), for
  // `gongzhi pb-tally` offline. kNotFound for other methods, kFailedPrecondition "votes/not-open"
  // {reason: still-open} before the close.
  Result<std::string> ExportPabulib(int64_t id);

  int64_t NowMs() const;

 private:
  Result<Vote> CloseAs(const access::AuditEvent& event, int64_t id);

  VoteStore& store_;
  ElectorateSource& electorate_;
  const Clock& clock_;
  // Results of closed budget votes: recounting runs MES (up to a second for 30 projects and a
  // large village), results are public, and a closed vote's ballots never change -- so each is
  // recounted once per process. Bounded: cleared when it holds kMaxCachedResults.
  static constexpr size_t kMaxCachedResults = 256;
  std::mutex cache_mutex_;
  std::map<int64_t, Results> closed_budget_results_;
};

// Paper counts agreeing: `agreed` and the differences of the first two clerks.
PaperStatus ComparePaperCounts(std::vector<PaperCount> counts);

}  // namespace gz::votes
