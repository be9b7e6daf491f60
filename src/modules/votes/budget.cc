// Layer: votes domain (see budget.h).
#include "modules/votes/budget.h"

#include <algorithm>
#include <chrono>

#include "access/role.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "modules/disclosure/item.h"
#include "modules/votes/problems.h"
#include "modules/votes/vote_service.h"

namespace gz::votes {
namespace {

using access::Role;

Status BadRound(std::string_view field, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadRound)).With("field", std::string(field)).With("reason", std::string(reason));
}
Status BadProject(std::string_view field, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadProject)).With("field", std::string(field)).With("reason", std::string(reason));
}
Status NotAllowed(std::string_view action) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action));
}

// Public text: counted in characters, no control characters except (in descriptions) line breaks.
bool TextOk(std::string_view text, size_t min_chars, size_t max_chars, bool multiline) {
  std::optional<size_t> n = CountTextChars(text);
  if (!n || *n < min_chars || *n > max_chars) return false;
  return std::none_of(text.begin(), text.end(), [&](char c) {
    return static_cast<unsigned char>(c) < 0x20 && !(multiline && c == '\n');
  });
}

bool Holds(const access::Person& p, Role role, std::string_view village) {
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const access::Grant& g) { return g.role == role && access::ScopeContains(g.scope, village); });
}

// Who manages a round of `division`: the village's cadres, or the township's officials.
bool IsCadreOf(const access::Principal& by, const std::string& division) {
  const Role role = ScopeOfDivision(division) == Scope::kTownship ? Role::kTownshipOfficial : Role::kVillageCadre;
  return !by.anonymous() && !by.acting_for && Holds(by.self, role, division);
}

access::AuditEvent Event(const access::Principal& by, std::string action, const std::string& village,
                         std::string object_type, int64_t id, std::string details = "") {
  access::AuditEvent e = access::EventFor(by, std::move(action));
  e.division = village;
  e.object_type = std::move(object_type);
  e.object_id = std::to_string(id);
  e.details = std::move(details);
  return e;
}

}  // namespace

std::string_view ProjectStateCode(ProjectState s) {
  switch (s) {
    case ProjectState::kProposed: return "proposed";
    case ProjectState::kAccepted: return "accepted";
    case ProjectState::kRejected: return "rejected";
  }
  return "proposed";
}
std::optional<ProjectState> ParseProjectState(std::string_view c) {
  if (c == "proposed") return ProjectState::kProposed;
  if (c == "accepted") return ProjectState::kAccepted;
  if (c == "rejected") return ProjectState::kRejected;
  return std::nullopt;
}

Status CheckRound(const RoundInput& in, BudgetRule* rule) {
  if (!ScopeOfDivision(in.village)) return BadRound("village", "not-a-village-or-township");
  if (!TextOk(in.title, 2, kMaxRoundTitleChars, false)) return BadRound("title", "length");
  if (in.budget < 1 || in.budget > kMaxBudgetYuan) return BadRound("budget", "range");
  std::optional<BudgetRule> r = ParseBudgetRule(in.rule);
  if (!r) return BadRound("rule", "unknown");
  *rule = *r;
  return Status::Ok();
}

Status CheckProject(const BudgetRound& round, const ProjectInput& in) {
  if (!TextOk(in.title, 2, kMaxProjectTitleChars, false)) return BadProject("title", "length");
  if (!TextOk(in.description, 0, kMaxProjectDescriptionChars, true)) return BadProject("description", "length");
  if (in.cost < 1) return BadProject("cost", "range");
  if (in.cost > round.budget) return BadProject("cost", "over-budget");
  return Status::Ok();
}

BudgetService::BudgetService(BudgetStore& store, VoteService& votes, const Clock& clock)
    : store_(store), votes_(votes), clock_(clock) {}

int64_t BudgetService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

access::Target BudgetService::TargetOf(const BudgetRound& round) {
  access::Target t;
  t.division = round.village;
  return t;
}

Result<BudgetRound> BudgetService::CreateRound(const access::Principal& by, const RoundInput& in) {
  if (!ScopeOfDivision(in.village)) return BadRound("village", "not-a-village-or-township");
  if (!IsCadreOf(by, in.village)) return NotAllowed("create-round");
  BudgetRound r;
  GZ_RETURN_IF_ERROR(CheckRound(in, &r.rule));
  const int64_t now = NowMs();
  r.id = crypto::NewRowId(now);
  r.village = in.village;
  r.title = in.title;
  r.budget = in.budget;
  r.created_by = by.self.account_id;
  r.created_at_ms = now;
  std::string details = "{\"budget\":" + std::to_string(r.budget) + ",\"rule\":\"" + std::string(BudgetRuleCode(r.rule)) + "\"}";
  GZ_RETURN_IF_ERROR(store_.InsertRound(r, Event(by, "votes.budget_round", r.village, "budget_round", r.id, details), now));
  return r;
}

Result<BudgetRound> BudgetService::GetRound(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<BudgetRound> r, store_.GetRound(id));
  if (!r) return NotFound(std::string(problems::kRoundNotFound));
  return *r;
}

Result<std::vector<BudgetRound>> BudgetService::ListRounds(const std::string& division) {
  std::optional<Scope> scope = ScopeOfDivision(division);
  if (!scope)
    return InvalidArgument(std::string(problems::kBadQuery)).With("param", "village").With("reason", "not-a-village-code");
  std::vector<std::string> divisions = {division};
  if (*scope == Scope::kVillage) divisions.push_back(TownshipOfVillage(division));
  return store_.ListRounds(divisions, 100);
}

Result<BudgetProject> BudgetService::Propose(const access::Principal& by, int64_t round_id, const ProjectInput& in) {
  GZ_ASSIGN_OR_RETURN(BudgetRound round, GetRound(round_id));
  const access::Person& subject = by.subject();
  // The proposer lives in the round's village, or in a village of its township; the villager
  // role is held for that home village.
  if (by.anonymous() || !ReachesVillage(round.village, subject.village) || !Holds(subject, Role::kVillager, subject.village))
    return NotAllowed("propose");
  if (round.vote_id != 0) return FailedPrecondition(std::string(problems::kRoundNotCollecting));
  GZ_RETURN_IF_ERROR(CheckProject(round, in));
  const int64_t now = NowMs();
  BudgetProject p;
  p.id = crypto::NewRowId(now);
  p.round_id = round.id;
  p.title = in.title;
  p.description = in.description;
  p.cost = in.cost;
  p.state = ProjectState::kProposed;
  p.proposed_by = subject.account_id;
  p.recorded_by = by.self.account_id;
  p.consent_id = by.acting_for ? by.acting_for->consent_id : 0;
  p.proposed_at_ms = now;
  GZ_RETURN_IF_ERROR(store_.InsertProject(
      p, Event(by, "votes.propose_project", round.village, "budget_project", p.id, "{\"round\":\"" + std::to_string(round.id) + "\"}"),
      now));
  return p;
}

Result<BudgetProject> BudgetService::GetProject(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<BudgetProject> p, store_.GetProject(id));
  if (!p) return NotFound(std::string(problems::kProjectNotFound));
  return *p;
}

Result<std::vector<BudgetProject>> BudgetService::ListProjects(int64_t round_id) { return store_.ListProjects(round_id); }

Result<BudgetProject> BudgetService::Review(const access::Principal& by, int64_t project_id, bool accept,
                                            const std::string& reason) {
  GZ_ASSIGN_OR_RETURN(BudgetProject p, GetProject(project_id));
  GZ_ASSIGN_OR_RETURN(BudgetRound round, GetRound(p.round_id));
  if (!IsCadreOf(by, round.village)) return NotAllowed("review");
  // A rejection is public and must say why; an acceptance may.
  if (!TextOk(reason, accept ? 0 : 2, kMaxReviewReasonChars, false)) return BadProject("reason", accept ? "length" : "required");
  if (p.state != ProjectState::kProposed) return FailedPrecondition(std::string(problems::kAlreadyReviewed));
  if (round.vote_id != 0) return FailedPrecondition(std::string(problems::kRoundNotCollecting));
  const int64_t now = NowMs();
  p.state = accept ? ProjectState::kAccepted : ProjectState::kRejected;
  p.review_reason = reason;
  p.reviewed_by = by.self.account_id;
  p.reviewed_at_ms = now;
  GZ_RETURN_IF_ERROR(store_.Review(p, Event(by, "votes.review_project", round.village, "budget_project", p.id,
                                            std::string("{\"decision\":\"") + (accept ? "accepted" : "rejected") + "\"}"),
                                   now));
  return p;
}

Result<Vote> BudgetService::DraftVote(const access::Principal& by, int64_t round_id, const BudgetVoteInput& in) {
  GZ_ASSIGN_OR_RETURN(BudgetRound round, GetRound(round_id));
  if (!IsCadreOf(by, round.village)) return NotAllowed("draft");
  if (round.vote_id != 0) return FailedPrecondition(std::string(problems::kRoundNotCollecting));
  GZ_ASSIGN_OR_RETURN(std::vector<BudgetProject> projects, store_.ListProjects(round.id));
  DraftInput d;
  d.village = round.village;
  d.question = round.title;
  d.method = "budget";
  d.electorate = in.electorate;
  d.secret = in.secret;
  d.channel = "online";
  d.opens_at_ms = in.opens_at_ms;
  d.closes_at_ms = in.closes_at_ms;
  d.budget = round.budget;
  d.budget_rule = std::string(BudgetRuleCode(round.rule));
  d.round_id = round.id;
  for (const BudgetProject& p : projects) {
    if (p.state != ProjectState::kAccepted) continue;
    d.options.push_back(p.title);
    d.costs.push_back(p.cost);
    d.round_projects.push_back(p.id);
  }
  if (d.options.size() < kMinOptions)
    return FailedPrecondition(std::string(problems::kTooFewProjects)).With("accepted", std::to_string(d.options.size()));
  // The store checks, in the drafting transaction, that these are still exactly the round's
  // accepted projects and that the round has no vote yet.
  return votes_.Draft(by, d);
}

}  // namespace gz::votes
