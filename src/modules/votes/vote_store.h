// VoteStore: the port through which the votes domain reaches its data.
//
// Layer: votes domain (port). Implemented with SQL in sql/sql_vote_store.h, which appends the
// rules and the tally to the transparency log in the transaction that opens / closes the vote.
//
// Secrecy (README.md, "Threat model"): who took part (participation) and what was chosen
// (ballots) are written in one transaction but to two tables that share no key, no time and no
// order; nothing in this port returns them together for a secret vote.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/votes/vote.h"

namespace gz::votes {

// One row of the frozen electorate: a resident who may cast the ballot of `unit` (the resident
// itself under residents-18+, their household under households).
struct Elector {
  int64_t resident_id = 0;
  int64_t unit_id = 0;
  bool operator==(const Elector&) const = default;
};

// What casting writes. For a secret vote the ballot row gets neither the unit nor a time.
struct CastRecord {
  int64_t vote_id = 0;
  int64_t resident_id = 0;      // the elector (the villager, also when a helper casts for them)
  int64_t cast_by_account = 0;  // who pressed the button: the villager, or the helper
  int64_t consent_id = 0;       // the consent a helper acted under, or 0
  std::string ballot_id;        // 32 random hex digits
  Choice choice;
  int64_t now_ms = 0;
};

// What the participation table says about one unit.
struct Participation {
  int64_t unit_id = 0;
  int64_t cast_by_account = 0;
  int64_t consent_id = 0;
  int64_t cast_at_ms = 0;
};

// Computes the closed vote (tally entry, closing fields) from what the store read in the closing
// transaction: the ballots (online) and the clerks' counts (paper).
using CloseFn = std::function<Result<Vote>(const Vote& open, const std::vector<Choice>& ballots,
                                           const std::vector<PaperCount>& counts)>;

class VoteStore {
 public:
  virtual ~VoteStore() = default;

  virtual Status InsertDraft(const Vote& draft, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Vote>> Get(int64_t id) = 0;
  // Newest first; drafts only when `with_drafts`.
  virtual Result<std::vector<Vote>> List(const std::string& village, bool with_drafts, int limit) = 0;

  // Opens a draft in ONE transaction: still a draft (else kAborted "votes/not-a-draft"); the
  // electorate rows; the rules entry appended to the log; the row becomes open with the entry and
  // its index; the audit event. Returns the log index.
  virtual Result<int64_t> Open(const Vote& opened, const std::vector<Elector>& electorate,
                               const access::AuditEvent& event, int64_t now_ms) = 0;

  // Casts in ONE transaction: the vote is open and now_ms in its window (else kFailedPrecondition
  // "votes/not-open" {reason}); the resident is an elector (else kPermissionDenied
  // "votes/not-eligible"); the unit's participation row is new -- INSERT ... ON CONFLICT DO
  // NOTHING on its primary key, so of concurrent casts exactly one writes (else kAlreadyExists
  // "votes/already-voted"); then the ballot row and the audit event.
  virtual Status Cast(const CastRecord& cast, const access::AuditEvent& event) = 0;

  virtual Result<std::optional<Elector>> FindElector(int64_t vote_id, int64_t resident_id) = 0;
  virtual Result<std::optional<Participation>> GetParticipation(int64_t vote_id, int64_t unit_id) = 0;
  virtual Result<int64_t> ParticipationCount(int64_t vote_id) = 0;
  // The choices of every ballot, in the order of their random ids (never in casting order).
  virtual Result<std::vector<Choice>> Ballots(int64_t vote_id) = 0;

  // A clerk's count (replacing their own earlier one) while the vote is open. kFailedPrecondition
  // "votes/counts-differ" {reason: two-clerks} when two other clerks have already counted.
  virtual Status PutPaperCount(int64_t vote_id, const PaperCount& count, const access::AuditEvent& event) = 0;
  virtual Result<std::vector<PaperCount>> PaperCounts(int64_t vote_id) = 0;

  // Closes an open vote in ONE transaction: reads the ballots and counts, calls `close`, appends
  // its tally entry to the log, freezes the row as closed, appends the audit event. Returns the
  // closed vote. kAborted "votes/not-open" {reason: closed} if it was closed meanwhile.
  virtual Result<Vote> Close(int64_t vote_id, const CloseFn& close, const access::AuditEvent& event, int64_t now_ms) = 0;
  // Returns once every write this process started before the call is committed (an empty write
  // queues behind them). A close that lost the race may have seen the winner's close before it
  // was committed (group commit, or a concurrent transaction); reading after this sees it.
  virtual Status AwaitEarlierWrites() = 0;
};

}  // namespace gz::votes
