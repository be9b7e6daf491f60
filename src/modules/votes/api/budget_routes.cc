// The participatory-budgeting routes. Layer: votes api (see budget_routes.h).
#include "modules/votes/api/budget_routes.h"


#include "http/dispatcher.h"
#include "http/json.h"
#include "http/problem.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

constexpr std::string_view kManagePerm = "votes.budget_manage";
constexpr std::string_view kProposePerm = "votes.propose_project";
constexpr std::string_view kDraftPerm = "votes.draft";
constexpr size_t kBodyLimit = 16 * 1024;
constexpr int64_t kFarFuture = 32'503'680'000'000;  // year 3000

Status RoundNotFound() { return NotFound(std::string(problems::kRoundNotFound)); }
Status ProjectNotFound() { return NotFound(std::string(problems::kProjectNotFound)); }
Status VoteNotFound() { return NotFound(std::string(problems::kVoteNotFound)); }

Status BadField(std::string field, std::string_view reason = "invalid") {
  return InvalidArgument(std::string(http::problems::kBadField)).With("field", std::move(field)).With("reason", std::string(reason));
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

boost::json::object RoundJson(const BudgetRound& r) {
  boost::json::object o;
  o["id"] = std::to_string(r.id);
  // Township-wide rounds: "village" is null, "township" names it; village rounds name both.
  const bool township = r.scope() == Scope::kTownship;
  o["scope"] = ScopeCode(r.scope());
  if (township) o["village"] = nullptr;
  else o["village"] = r.village;
  o["township"] = township ? r.village : TownshipOfVillage(r.village);
  o["title"] = r.title;
  o["budget"] = r.budget;
  o["rule"] = BudgetRuleCode(r.rule);
  o["created_at_ms"] = r.created_at_ms;
  o["collecting"] = r.vote_id == 0;
  if (r.vote_id != 0) o["vote"] = std::to_string(r.vote_id);
  else o["vote"] = nullptr;
  return o;
}

boost::json::object ProjectJson(const BudgetProject& p) {
  boost::json::object o;
  o["id"] = std::to_string(p.id);
  o["round"] = std::to_string(p.round_id);
  o["title"] = p.title;
  o["description"] = p.description;
  o["cost"] = p.cost;
  o["state"] = ProjectStateCode(p.state);
  o["proposed_at_ms"] = p.proposed_at_ms;
  o["recorded_by_helper"] = p.consent_id != 0;
  o["review_reason"] = p.review_reason;
  if (p.reviewed_at_ms != 0) o["reviewed_at_ms"] = p.reviewed_at_ms;
  else o["reviewed_at_ms"] = nullptr;
  return o;
}

Result<BudgetRound> LoadRound(BudgetService& budget, const http::Request& req) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return RoundNotFound();
  return budget.GetRound(*id);
}

Result<BudgetRound> LoadRoundFor(BudgetService& budget, const access::Gate& gate, const http::Request& req,
                                 std::string_view permission) {
  GZ_ASSIGN_OR_RETURN(BudgetRound r, LoadRound(budget, req));
  GZ_RETURN_IF_ERROR(
      gate.Require(req.Caller(), permission, VoteService::TargetFor(r.village, req.Caller(), permission), RoundNotFound()));
  return r;
}

// A closed budget vote, or an opened one (results: turnout only). Drafts are not public.
Result<Vote> LoadPublicBudgetVote(VoteService& votes, const http::Request& req) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return VoteNotFound();
  GZ_ASSIGN_OR_RETURN(Vote v, votes.CloseIfDue(*id));
  if (v.state == State::kDraft || v.method != Method::kBudget) return VoteNotFound();
  return v;
}

boost::json::array Positions(const std::vector<size_t>& v) {
  boost::json::array a;
  for (size_t x : v) a.push_back(static_cast<int64_t>(x));
  return a;
}

}  // namespace

void RegisterBudgetRoutes(http::Router& router, BudgetService& budget, VoteService& votes, const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/budget-rounds",
      .operation_id = "votes.budget_rounds",
      .permission = "public",
      .summary = "Participatory-budgeting rounds of a village (with its township's township-wide rounds) or of a "
                 "township, newest first",
      .handler = [&budget](http::Request& req) -> Result<http::Response> {
        auto bad = [](std::string_view param, std::string_view reason) {
          return InvalidArgument(std::string(problems::kBadQuery)).With("param", std::string(param)).With("reason", std::string(reason));
        };
        const bool by_village = req.HasQueryParam("village"), by_township = req.HasQueryParam("township");
        if (by_village == by_township) return bad("village", "village-or-township");
        const std::string division = by_village ? req.QueryParam("village") : req.QueryParam("township");
        const std::optional<Scope> scope = ScopeOfDivision(division);
        if (by_village && scope != Scope::kVillage) return bad("village", "not-a-village-code");
        if (by_township && scope != Scope::kTownship) return bad("township", "not-a-township-code");
        GZ_ASSIGN_OR_RETURN(std::vector<BudgetRound> rounds, budget.ListRounds(division));
        boost::json::array items;
        for (const BudgetRound& r : rounds) items.push_back(RoundJson(r));
        boost::json::object o;
        o["items"] = std::move(items);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/budget-rounds",
      .operation_id = "votes.budget_round_create",
      .permission = std::string(kManagePerm),
      .summary = "Open a participatory-budgeting round of a village, or a township-wide one, for project proposals",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&budget, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"village", "township", "title", "budget", "rule"}));
        RoundInput in;
        // Exactly one of "village" (a village's round) and "township" (a township-wide round).
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> village, f.OptionalString("village", 12));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> township, f.OptionalString("township", 12));
        if (village.has_value() == township.has_value()) return BadField("village", "village-or-township");
        in.village = village ? *village : *township;
        if (ScopeOfDivision(in.village) != (village ? Scope::kVillage : Scope::kTownship))
          return BadField(village ? "village" : "township");
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kManagePerm, VoteService::TargetFor(in.village, req.Caller(), kManagePerm),
                                        RoundNotFound()));
        GZ_ASSIGN_OR_RETURN(in.title, f.String("title", kMaxRoundTitleChars * 4));
        GZ_ASSIGN_OR_RETURN(in.budget, f.Integer("budget", 1, kMaxBudgetYuan));
        GZ_ASSIGN_OR_RETURN(in.rule, f.String("rule", 16));
        GZ_ASSIGN_OR_RETURN(BudgetRound r, budget.CreateRound(req.Caller(), in));
        http::Response resp = Private(http::JsonResponse(201, RoundJson(r)));
        resp.SetHeader("Location", "/api/v1/budget-rounds/" + std::to_string(r.id));
        return resp;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/budget-rounds/{id}",
      .operation_id = "votes.budget_round",
      .permission = "public",
      .summary = "A participatory-budgeting round with its projects, their review and the round's vote",
      .handler = [&budget](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(BudgetRound r, LoadRound(budget, req));
        GZ_ASSIGN_OR_RETURN(std::vector<BudgetProject> projects, budget.ListProjects(r.id));
        boost::json::object o = RoundJson(r);
        boost::json::array items;
        for (const BudgetProject& p : projects) items.push_back(ProjectJson(p));
        o["projects"] = std::move(items);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/budget-rounds/{id}/projects",
      .operation_id = "votes.propose_project",
      .permission = std::string(kProposePerm),
      .summary = "Propose a project for a budget round (a villager, or a helper for them under consent)",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&budget, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(BudgetRound r, LoadRoundFor(budget, gate, req, kProposePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"title", "description", "cost"}));
        ProjectInput in;
        GZ_ASSIGN_OR_RETURN(in.title, f.String("title", kMaxProjectTitleChars * 4));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> description,
                            f.OptionalString("description", kMaxProjectDescriptionChars * 4));
        in.description = description.value_or("");
        GZ_ASSIGN_OR_RETURN(in.cost, f.Integer("cost", 1, kMaxBudgetYuan));
        GZ_ASSIGN_OR_RETURN(BudgetProject p, budget.Propose(req.Caller(), r.id, in));
        return Private(http::JsonResponse(201, ProjectJson(p)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/budget-projects/{id}/review",
      .operation_id = "votes.review_project",
      .permission = std::string(kManagePerm),
      .summary = "Accept a proposed project onto the round's ballot, or reject it with a public reason",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&budget, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return ProjectNotFound();
        GZ_ASSIGN_OR_RETURN(BudgetProject p, budget.GetProject(*id));
        GZ_ASSIGN_OR_RETURN(BudgetRound r, budget.GetRound(p.round_id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kManagePerm, VoteService::TargetFor(r.village, req.Caller(), kManagePerm),
                                        ProjectNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"decision", "reason"}));
        GZ_ASSIGN_OR_RETURN(std::string decision, f.String("decision", 16));
        if (decision != "accept" && decision != "reject") return BadField("decision", "accept-or-reject");
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> reason, f.OptionalString("reason", kMaxReviewReasonChars * 4));
        GZ_ASSIGN_OR_RETURN(BudgetProject reviewed, budget.Review(req.Caller(), p.id, decision == "accept", reason.value_or("")));
        return Private(http::JsonResponse(200, ProjectJson(reviewed)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/budget-rounds/{id}/vote",
      .operation_id = "votes.budget_round_vote",
      .permission = std::string(kDraftPerm),
      .summary = "Draft the round's budget vote from its accepted projects (another cadre or a supervisor opens it)",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&budget, &votes, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(BudgetRound r, LoadRoundFor(budget, gate, req, kDraftPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"electorate", "secret", "opens_at_ms", "closes_at_ms", "duration_s"}));
        BudgetVoteInput in;
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> electorate, f.OptionalString("electorate", 16));
        in.electorate = electorate.value_or("residents-18+");
        GZ_ASSIGN_OR_RETURN(std::optional<bool> secret, f.OptionalBool("secret"));
        in.secret = secret.value_or(true);
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> opens, f.OptionalInteger("opens_at_ms", 1, kFarFuture));
        in.opens_at_ms = opens.value_or(votes.NowMs());
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> closes, f.OptionalInteger("closes_at_ms", 1, kFarFuture));
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> duration, f.OptionalInteger("duration_s", 1, kMaxWindowMs / 1000));
        if (closes.has_value() == duration.has_value()) return BadField("closes_at_ms", "closes_at_ms-or-duration_s");
        in.closes_at_ms = closes ? *closes : in.opens_at_ms + *duration * 1000;
        GZ_ASSIGN_OR_RETURN(Vote v, budget.DraftVote(req.Caller(), r.id, in));
        boost::json::object o;
        o["id"] = std::to_string(v.id);
        o["round"] = std::to_string(r.id);
        o["state"] = StateCode(v.state);
        http::Response resp = Private(http::JsonResponse(201, o));
        resp.SetHeader("Location", "/api/v1/votes/" + std::to_string(v.id));
        return resp;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}/budget-results",
      .operation_id = "votes.budget_results",
      .permission = "public",
      .summary = "A budget vote's outcome: funded projects, why each project won or lost, greedy and MES side by side",
      .handler = [&votes](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote visible, LoadPublicBudgetVote(votes, req));
        GZ_ASSIGN_OR_RETURN(Results r, votes.ResultsOf(visible.id));
        const Vote& v = r.vote;
        boost::json::object o;
        o["vote"] = std::to_string(v.id);
        o["question"] = v.question;
        o["state"] = StateCode(v.state);
        o["budget"] = v.budget;
        o["rule"] = BudgetRuleCode(v.budget_rule);
        o["rule_pabulib"] = BudgetRulePabulibName(v.budget_rule);
        o["closes_at_ms"] = v.closes_at_ms;
        if (v.round_id != 0) o["round"] = std::to_string(v.round_id);
        else o["round"] = nullptr;
        boost::json::object turnout;
        turnout["electorate"] = v.electorate_size;
        turnout["ballots"] = r.participants;
        turnout["per_mille"] = v.electorate_size > 0 ? r.participants * 1000 / v.electorate_size : 0;
        o["turnout"] = std::move(turnout);
        if (!r.tally || !r.tally->budget) {
          boost::json::array projects;
          for (size_t i = 0; i < v.options.size(); ++i) {
            boost::json::object p;
            p["position"] = static_cast<int64_t>(i);
            p["title"] = v.options[i];
            p["cost"] = v.costs.at(i);
            projects.push_back(std::move(p));
          }
          o["projects"] = std::move(projects);
          o["outcome"] = nullptr;
          o["comparison"] = nullptr;
          o["recount_matches"] = nullptr;
          return http::JsonResponse(200, o);
        }
        const BudgetTally& b = *r.tally->budget;
        const pb::Outcome& chosen = b.Chosen(v.budget_rule);
        const pb::Outcome& other = b.Other(v.budget_rule);
        const BudgetRule other_rule = v.budget_rule == BudgetRule::kMes ? BudgetRule::kGreedy : BudgetRule::kMes;
        boost::json::array projects;
        for (size_t i = 0; i < v.options.size(); ++i) {
          boost::json::object p;
          p["position"] = static_cast<int64_t>(i);
          p["title"] = v.options[i];
          p["cost"] = v.costs.at(i);
          p["approvals"] = r.tally->counts.at(i);
          p["selected"] = chosen.results.at(i).selected;
          p["reason"] = chosen.results.at(i).reason_code;
          p["explanation_en"] = chosen.results.at(i).explanation_en;
          p["comparison_selected"] = other.results.at(i).selected;
          p["comparison_reason"] = other.results.at(i).reason_code;
          p["comparison_explanation_en"] = other.results.at(i).explanation_en;
          projects.push_back(std::move(p));
        }
        o["projects"] = std::move(projects);
        auto outcome = [](const pb::Outcome& x, BudgetRule rule) {
          boost::json::object y;
          y["rule"] = BudgetRuleCode(rule);
          y["selected"] = Positions(x.selected);
          y["spent"] = x.spent;
          boost::json::array notes;
          for (const std::string& n : x.notes_en) notes.push_back(boost::json::string(n));
          y["notes_en"] = std::move(notes);
          return y;
        };
        o["outcome"] = outcome(chosen, v.budget_rule);
        o["comparison"] = outcome(other, other_rule);
        o["ballots"] = r.tally->ballots;
        o["recount_matches"] = r.recount_matches;
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}/pabulib",
      .operation_id = "votes.pabulib",
      .permission = "public",
      .summary = "A closed budget vote as a pabulib .pb file (anonymous ballots) for `gongzhi pb-tally`",
      .handler = [&votes](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadPublicBudgetVote(votes, req));
        GZ_ASSIGN_OR_RETURN(std::string text, votes.ExportPabulib(v.id));
        http::Response r;
        r.status = 200;
        r.body = std::move(text);
        r.SetHeader("Content-Type", "text/plain; charset=utf-8");
        r.SetHeader("Content-Disposition", "attachment; filename=\"gongzhi-vote-" + std::to_string(v.id) + ".pb\"");
        r.SetHeader("X-Content-Type-Options", "nosniff");
        return r;
      }});
}

}  // namespace gz::votes
