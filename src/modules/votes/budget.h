// Participatory budgeting (参与式预算): budget rounds, the projects villagers propose for them and
// the cadres' review. A round collects projects until a cadre drafts its vote (method "budget",
// vote.h): the accepted projects become the vote's options with their costs; from then on the
// round takes no more proposals or reviews. Ballots, opening, closing and the tally are the votes
// module's (VoteService), so a budget vote keeps the frozen electorate, one ballot per elector,
// secret ballots and the two transparency-log entries.
//
// A round belongs to a village or to a whole township (Scope, vote.h). A township-wide round is
// opened, reviewed and drafted by township officials of that township (a different one opens its
// vote); villagers of every village of the township propose and vote, and its electorate is the
// township's (all its villages), frozen when the vote opens. Staff of a village inside the
// township can see such a round but not manage it.
//
// Layer: votes domain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "access/policy.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/votes/vote.h"

namespace gz::votes {

class VoteService;

enum class ProjectState { kProposed, kAccepted, kRejected };
std::string_view ProjectStateCode(ProjectState s);  // "proposed" "accepted" "rejected"
std::optional<ProjectState> ParseProjectState(std::string_view code);

inline constexpr size_t kMaxRoundTitleChars = 100;
inline constexpr size_t kMaxProjectTitleChars = 60;
inline constexpr size_t kMaxProjectDescriptionChars = 2000;
inline constexpr size_t kMaxReviewReasonChars = 500;
// Proposals a round takes (at most kMaxOptions = 30 of them can be accepted onto the ballot).
inline constexpr size_t kMaxProjectsPerRound = 200;

struct RoundInput {
  std::string village;  // the round's division: a village code, or a township code (township-wide)
  std::string title;
  int64_t budget = 0;  // whole yuan
  std::string rule;    // "greedy" | "mes"
};

struct BudgetRound {
  int64_t id = 0;
  std::string village;  // the round's division: a village, or a township (scope())
  std::string title;
  int64_t budget = 0;
  BudgetRule rule = BudgetRule::kGreedy;
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  int64_t vote_id = 0;  // the round's vote once drafted (then it no longer collects projects)

  Scope scope() const { return ScopeOfDivision(village).value_or(Scope::kVillage); }
};

struct ProjectInput {
  std::string title;
  std::string description;
  int64_t cost = 0;  // whole yuan
};

struct BudgetProject {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string title;
  std::string description;
  int64_t cost = 0;
  ProjectState state = ProjectState::kProposed;
  int64_t proposed_by = 0;   // the villager's account (also when a helper recorded it)
  int64_t recorded_by = 0;   // who pressed the button: the villager, or the helper
  int64_t consent_id = 0;    // the helper's consent, or 0
  int64_t proposed_at_ms = 0;
  std::string review_reason; // public; required for a rejection
  int64_t reviewed_by = 0;
  int64_t reviewed_at_ms = 0;
};

// kInvalidArgument "votes/bad-round" {field, reason}.
Status CheckRound(const RoundInput& in, BudgetRule* rule);
// kInvalidArgument "votes/bad-project" {field, reason}: title 2..60 characters, description up to
// 2000, cost 1..the round's budget (a project the budget cannot pay is no choice).
Status CheckProject(const BudgetRound& round, const ProjectInput& in);

// The port (sql/sql_budget_store.h).
class BudgetStore {
 public:
  virtual ~BudgetStore() = default;
  virtual Status InsertRound(const BudgetRound& round, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<BudgetRound>> GetRound(int64_t id) = 0;
  // The rounds of exactly these divisions (a village, its township), newest first.
  virtual Result<std::vector<BudgetRound>> ListRounds(const std::vector<std::string>& divisions, int limit) = 0;
  // In ONE transaction: the round has no vote yet (else kFailedPrecondition
  // "votes/round-not-collecting"), fewer than kMaxProjectsPerRound projects (else "votes/bad-project"
  // {field: round, reason: full}), the row, the audit event.
  virtual Status InsertProject(const BudgetProject& project, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<BudgetProject>> GetProject(int64_t id) = 0;
  // In proposal order.
  virtual Result<std::vector<BudgetProject>> ListProjects(int64_t round_id) = 0;
  // In ONE transaction: still proposed (else kFailedPrecondition "votes/already-reviewed"), the
  // round has no vote (else "votes/round-not-collecting"), at most kMaxOptions accepted (else
  // "votes/bad-project" {field: state, reason: ballot-full}); the audit event.
  virtual Status Review(const BudgetProject& reviewed, const access::AuditEvent& event, int64_t now_ms) = 0;
};

struct BudgetVoteInput {
  std::string electorate = "residents-18+";
  bool secret = true;
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
};

class BudgetService {
 public:
  BudgetService(BudgetStore& store, VoteService& votes, const Clock& clock);

  // A cadre of the village opens a round for proposals; for a township code, a township official
  // of that township (a township-wide round).
  Result<BudgetRound> CreateRound(const access::Principal& by, const RoundInput& in);
  // kNotFound "votes/round-not-found".
  Result<BudgetRound> GetRound(int64_t id);
  // A village: its own rounds and its township's (township-wide) rounds, newest first. A
  // township: its township-wide rounds only. kInvalidArgument "votes/bad-query" otherwise.
  Result<std::vector<BudgetRound>> ListRounds(const std::string& division);

  // A villager of the round's village -- of any village of the township for a township-wide
  // round -- (or a helper for them, under a consent) proposes a project.
  Result<BudgetProject> Propose(const access::Principal& by, int64_t round_id, const ProjectInput& in);
  // kNotFound "votes/project-not-found".
  Result<BudgetProject> GetProject(int64_t id);
  Result<std::vector<BudgetProject>> ListProjects(int64_t round_id);
  // A cadre of the village (a township official for a township-wide round) accepts a project onto
  // the ballot, or rejects it with a public reason.
  Result<BudgetProject> Review(const access::Principal& by, int64_t project_id, bool accept, const std::string& reason);

  // A cadre drafts the round's vote from its accepted projects (in proposal order); another cadre
  // or a supervisor opens it through VoteService::Open. Township-wide rounds: a township official
  // drafts, another township official opens. kFailedPrecondition
  // "votes/too-few-projects" {accepted} with fewer than two.
  Result<Vote> DraftVote(const access::Principal& by, int64_t round_id, const BudgetVoteInput& in);

  static access::Target TargetOf(const BudgetRound& round);

 private:
  int64_t NowMs() const;

  BudgetStore& store_;
  VoteService& votes_;
  const Clock& clock_;
};

}  // namespace gz::votes
