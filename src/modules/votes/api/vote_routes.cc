// The votes routes. Layer: votes api (see vote_routes.h).
#include "modules/votes/api/vote_routes.h"


#include "http/dispatcher.h"
#include "http/json.h"
#include "http/problem.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

constexpr std::string_view kDraftPerm = "votes.draft";
constexpr std::string_view kOpenPerm = "votes.open";
constexpr std::string_view kCastPerm = "votes.cast";
constexpr std::string_view kCountPerm = "votes.count";
constexpr std::string_view kClosePerm = "votes.close";
constexpr std::string_view kReadDrafts = "votes.read_drafts";
constexpr size_t kDraftBodyLimit = 64 * 1024;
constexpr size_t kSmallBodyLimit = 4 * 1024;

Status VoteNotFound() { return NotFound(std::string(problems::kVoteNotFound)); }

Status BadField(std::string field, std::string_view reason = "invalid") {
  return InvalidArgument(std::string(http::problems::kBadField)).With("field", std::move(field)).With("reason", std::string(reason));
}

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadQuery)).With("param", std::string(param)).With("reason", std::string(reason));
}

bool IsVillageCode(std::string_view code) {
  return code.size() == 12 && code.find_first_not_of("0123456789") == std::string_view::npos;
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

Result<int64_t> PathId(const http::Request& req) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return VoteNotFound();
  return *id;
}

// An array of small non-negative integers.
Result<std::vector<int64_t>> IntArray(const boost::json::object& body, std::string_view key, size_t max, int64_t limit) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr) return InvalidArgument(std::string(http::problems::kMissingField)).With("field", std::string(key));
  if (!v->is_array()) return BadField(std::string(key), "not-an-array");
  if (v->get_array().size() > max) return BadField(std::string(key), "too-many-items");
  std::vector<int64_t> out;
  for (const boost::json::value& x : v->get_array()) {
    if (x.is_int64() && x.get_int64() >= 0 && x.get_int64() <= limit) out.push_back(x.get_int64());
    else if (x.is_uint64() && x.get_uint64() <= static_cast<uint64_t>(limit)) out.push_back(static_cast<int64_t>(x.get_uint64()));
    else return BadField(std::string(key), "not-a-count");
  }
  return out;
}

Result<DraftInput> ParseDraft(const boost::json::object& body, int64_t now_ms) {
  http::JsonFields f(body);
  GZ_RETURN_IF_ERROR(f.Only({"village", "question", "options", "method", "electorate", "secret", "channel", "opens_at_ms",
                             "closes_at_ms", "duration_s", "budget", "costs", "budget_rule"}));
  DraftInput in;
  GZ_ASSIGN_OR_RETURN(in.village, f.String("village", 12));
  GZ_ASSIGN_OR_RETURN(in.question, f.String("question", kMaxQuestionChars * 4));
  GZ_ASSIGN_OR_RETURN(in.options, f.StringArray("options", kMaxOptions, kMaxOptionChars * 4));
  GZ_ASSIGN_OR_RETURN(in.method, f.String("method", 16));
  GZ_ASSIGN_OR_RETURN(in.electorate, f.String("electorate", 16));
  GZ_ASSIGN_OR_RETURN(std::optional<bool> secret, f.OptionalBool("secret"));
  in.secret = secret.value_or(true);
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> channel, f.OptionalString("channel", 16));
  in.channel = channel.value_or("online");
  constexpr int64_t kFarFuture = 32'503'680'000'000;  // year 3000
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> opens, f.OptionalInteger("opens_at_ms", 1, kFarFuture));
  in.opens_at_ms = opens.value_or(now_ms);
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> closes, f.OptionalInteger("closes_at_ms", 1, kFarFuture));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> duration, f.OptionalInteger("duration_s", 1, kMaxWindowMs / 1000));
  if (closes.has_value() == duration.has_value()) return BadField("closes_at_ms", "closes_at_ms-or-duration_s");
  in.closes_at_ms = closes ? *closes : in.opens_at_ms + *duration * 1000;
  // Budget votes (method "budget") without a round: projects and costs given here.
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> budget, f.OptionalInteger("budget", 1, kMaxBudgetYuan));
  in.budget = budget.value_or(0);
  if (body.contains("costs")) {
    GZ_ASSIGN_OR_RETURN(in.costs, IntArray(body, "costs", kMaxOptions, kMaxBudgetYuan));
  }
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> rule, f.OptionalString("budget_rule", 16));
  in.budget_rule = rule.value_or("");
  return in;
}

boost::json::array Ints(const std::vector<int64_t>& v) {
  boost::json::array a;
  for (int64_t x : v) a.push_back(x);
  return a;
}

boost::json::object VoteJson(const Vote& v) {
  boost::json::object o;
  o["id"] = std::to_string(v.id);
  o["village"] = v.village;  // the vote's division (a township code for a township-wide vote)
  o["scope"] = ScopeCode(v.scope());
  o["question"] = v.question;
  boost::json::array options;
  for (const std::string& s : v.options) options.push_back(boost::json::string(s));
  o["options"] = std::move(options);
  o["method"] = MethodCode(v.method);
  o["electorate"] = ElectorateCode(v.electorate);
  o["secret"] = v.secret;
  o["channel"] = ChannelCode(v.channel);
  o["opens_at_ms"] = v.opens_at_ms;
  o["closes_at_ms"] = v.closes_at_ms;
  o["state"] = StateCode(v.state);
  o["drafted_at_ms"] = v.drafted_at_ms;
  if (v.method == Method::kBudget) {
    boost::json::object b;
    b["budget"] = v.budget;
    b["costs"] = Ints(v.costs);
    b["rule"] = BudgetRuleCode(v.budget_rule);
    if (v.round_id != 0) b["round"] = std::to_string(v.round_id);
    else b["round"] = nullptr;
    o["budget"] = std::move(b);
  } else {
    o["budget"] = nullptr;
  }
  if (v.state != State::kDraft) {
    o["opened_at_ms"] = v.opened_at_ms;
    o["electorate_as_of"] = v.electorate_as_of;
    o["electorate_size"] = v.electorate_size;
    o["rules_log_index"] = std::to_string(v.rules_log_index);
    o["rules_entry"] = v.rules_entry;
  } else {
    o["opened_at_ms"] = nullptr;
    o["electorate_as_of"] = nullptr;
    o["electorate_size"] = nullptr;
    o["rules_log_index"] = nullptr;
    o["rules_entry"] = nullptr;
  }
  if (v.state == State::kClosed) {
    o["closed_at_ms"] = v.closed_at_ms;
    o["closed_by_server"] = v.closed_by == 0;
    o["tally_log_index"] = std::to_string(v.tally_log_index);
    o["tally_entry"] = v.tally_entry;
  } else {
    o["closed_at_ms"] = nullptr;
    o["closed_by_server"] = nullptr;
    o["tally_log_index"] = nullptr;
    o["tally_entry"] = nullptr;
  }
  return o;
}

boost::json::object PaperJson(const PaperStatus& s) {
  boost::json::object o;
  boost::json::array counts;
  for (const PaperCount& c : s.counts) {
    boost::json::object x;
    x["clerk"] = std::to_string(c.clerk);
    x["ballots"] = c.ballots;
    x["blank"] = c.blank;
    x["counts"] = Ints(c.counts);
    x["entered_at_ms"] = c.entered_at_ms;
    counts.push_back(std::move(x));
  }
  o["counts"] = std::move(counts);
  o["agreed"] = s.agreed;
  boost::json::array diffs;
  for (const std::string& d : s.differences) diffs.push_back(boost::json::string(d));
  o["differences"] = std::move(diffs);
  return o;
}

// Whether the list may include drafts: a filter, not a refusal, so nothing is recorded.
bool MaySeeDrafts(const http::Request& req, const std::string& village) {
  if (req.Caller().anonymous()) return false;
  access::Target t;
  t.division = village;
  return access::Check(req.Caller(), kReadDrafts, t) == access::Decision::kAllow;
}

// An opened or closed vote for anyone; a draft only for staff of its village (404 otherwise).
Result<Vote> LoadVisible(VoteService& service, const access::Gate& gate, const http::Request& req, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Vote v, service.CloseIfDue(id));
  if (v.state != State::kDraft) return v;
  // A refusal (recorded by the gate), answered as if the draft did not exist.
  if (req.Caller().anonymous() || access::MayAttempt(req.Caller(), kReadDrafts) != access::Decision::kAllow)
    return VoteNotFound();
  GZ_RETURN_IF_ERROR(
      gate.Require(req.Caller(), kReadDrafts, VoteService::TargetFor(v.village, req.Caller(), kReadDrafts), VoteNotFound()));
  return v;
}

// Loads a vote and authorizes `permission` on its village (404 outside the caller's tenant).
Result<Vote> LoadFor(VoteService& service, const access::Gate& gate, const http::Request& req, std::string_view permission) {
  GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req));
  GZ_ASSIGN_OR_RETURN(Vote v, service.Get(id));
  GZ_RETURN_IF_ERROR(
      gate.Require(req.Caller(), permission, VoteService::TargetFor(v.village, req.Caller(), permission), VoteNotFound()));
  return v;
}

}  // namespace

void RegisterVoteRoutes(http::Router& router, VoteService& service, const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes",
      .operation_id = "votes.list",
      .permission = "public",
      .summary = "Votes and polls of a village, newest first (drafts too for staff of the village)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        if (!req.HasQueryParam("village")) return BadQuery("village", "required");
        const std::string village = req.QueryParam("village");
        if (!IsVillageCode(village)) return BadQuery("village", "not-a-village-code");
        std::optional<Method> method;
        if (req.HasQueryParam("method")) {
          method = ParseMethod(req.QueryParam("method"));
          if (!method) return BadQuery("method", "unknown");
        }
        const bool drafts = MaySeeDrafts(req, village);
        GZ_ASSIGN_OR_RETURN(std::vector<Vote> votes, service.List(village, drafts));
        boost::json::array items;
        for (const Vote& v : votes)
          if (!method || v.method == *method) items.push_back(VoteJson(v));
        boost::json::object o;
        o["items"] = std::move(items);
        http::Response r = http::JsonResponse(200, o);
        return drafts ? Private(std::move(r)) : r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/votes",
      .operation_id = "votes.draft",
      .permission = std::string(kDraftPerm),
      .summary = "Draft a vote or poll of a village (another cadre or a supervisor opens it)",
      .json_body = true,
      .max_body_bytes = kDraftBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        const boost::json::value* village = body.if_contains("village");
        access::Target target;
        if (village != nullptr && village->is_string()) target.division = std::string(village->get_string());
        if (!IsVillageCode(target.division)) return BadField("village");
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, target, VoteNotFound()));
        GZ_ASSIGN_OR_RETURN(DraftInput in, ParseDraft(body, service.NowMs()));
        GZ_ASSIGN_OR_RETURN(Vote v, service.Draft(req.Caller(), in));
        http::Response r = Private(http::JsonResponse(201, VoteJson(v)));
        r.SetHeader("Location", "/api/v1/votes/" + std::to_string(v.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}",
      .operation_id = "votes.get",
      .permission = "public",
      .summary = "One vote: its rules and, once closed, its tally, with their transparency-log entries",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req));
        GZ_ASSIGN_OR_RETURN(Vote v, LoadVisible(service, gate, req, id));
        if (v.state == State::kDraft) return Private(http::JsonResponse(200, VoteJson(v)));
        return http::JsonResponse(200, VoteJson(v));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/votes/{id}/open",
      .operation_id = "votes.open",
      .permission = std::string(kOpenPerm),
      .summary = "Open a draft someone else wrote: freeze the electorate and publish the rules in the transparency log",
      .json_body = false,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kOpenPerm));
        GZ_ASSIGN_OR_RETURN(Vote opened, service.Open(req.Caller(), v.id));
        return Private(http::JsonResponse(200, VoteJson(opened)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/votes/{id}/ballots",
      .operation_id = "votes.cast",
      .permission = std::string(kCastPerm),
      .summary = "Cast my ballot (or, as a helper with consent, the villager's): once per person or household",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kCastPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"choice"}));
        GZ_ASSIGN_OR_RETURN(std::vector<int64_t> raw, IntArray(body, "choice", kMaxOptions, kMaxOptions));
        Choice choice(raw.begin(), raw.end());
        GZ_RETURN_IF_ERROR(service.Cast(req.Caller(), v.id, choice));
        boost::json::object o;
        o["vote"] = std::to_string(v.id);
        o["counted"] = true;
        return Private(http::JsonResponse(201, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}/my-ballot",
      .operation_id = "votes.my_ballot",
      .permission = std::string(kCastPerm),
      .summary = "Whether I am on the electorate and have voted (never what I chose)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kCastPerm));
        if (v.state == State::kDraft) return VoteNotFound();
        GZ_ASSIGN_OR_RETURN(BallotStatus s, service.StatusOf(req.Caller(), v.id));
        boost::json::object o;
        o["vote"] = std::to_string(v.id);
        o["eligible"] = s.eligible;
        o["voted"] = s.voted;
        if (s.voted) o["cast_at_ms"] = s.cast_at_ms;
        else o["cast_at_ms"] = nullptr;
        o["cast_by_helper"] = s.cast_by_helper;
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/votes/{id}/paper-counts",
      .operation_id = "votes.paper_count",
      .permission = std::string(kCountPerm),
      .summary = "Enter my count of a paper vote as one of two clerks; differences are flagged",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kCountPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"ballots", "blank", "counts"}));
        PaperCount c;
        GZ_ASSIGN_OR_RETURN(c.ballots, f.Integer("ballots", 0, kMaxBallots));
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> blank, f.OptionalInteger("blank", 0, kMaxBallots));
        c.blank = blank.value_or(0);
        GZ_ASSIGN_OR_RETURN(c.counts, IntArray(body, "counts", kMaxOptions, kMaxBallots));
        GZ_ASSIGN_OR_RETURN(PaperStatus s, service.EnterPaperCount(req.Caller(), v.id, std::move(c)));
        return Private(http::JsonResponse(200, PaperJson(s)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}/paper-counts",
      .operation_id = "votes.paper_counts",
      .permission = std::string(kCountPerm),
      .summary = "The clerks' counts of a paper vote and where they differ",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kCountPerm));
        GZ_ASSIGN_OR_RETURN(PaperStatus s, service.PaperStatusOf(v.id));
        return Private(http::JsonResponse(200, PaperJson(s)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/votes/{id}/close",
      .operation_id = "votes.close",
      .permission = std::string(kClosePerm),
      .summary = "Close a vote after its closing time and publish the tally in the transparency log",
      .json_body = false,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Vote v, LoadFor(service, gate, req, kClosePerm));
        GZ_ASSIGN_OR_RETURN(Vote closed, service.Close(req.Caller(), v.id));
        return Private(http::JsonResponse(200, VoteJson(closed)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/votes/{id}/results",
      .operation_id = "votes.results",
      .permission = "public",
      .summary = "Turnout against the frozen electorate and, once closed, the tally (recounted from the ballots)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req));
        GZ_ASSIGN_OR_RETURN(Vote visible, LoadVisible(service, gate, req, id));
        if (visible.state == State::kDraft) return VoteNotFound();
        GZ_ASSIGN_OR_RETURN(Results r, service.ResultsOf(id));
        boost::json::object o;
        o["vote"] = VoteJson(r.vote);
        boost::json::object turnout;
        turnout["electorate"] = r.vote.electorate_size;
        turnout["ballots"] = r.participants;
        // Per mille, rounded down: integers only, as in the log entry.
        turnout["per_mille"] = r.vote.electorate_size > 0 ? r.participants * 1000 / r.vote.electorate_size : 0;
        o["turnout"] = std::move(turnout);
        if (r.tally) {
          boost::json::object t;
          t["ballots"] = r.tally->ballots;
          t["blank"] = r.tally->blank;
          t["counts"] = Ints(r.tally->counts);
          boost::json::array rounds;
          for (const Round& round : r.tally->rounds) {
            boost::json::object x;
            x["votes"] = Ints(round.votes);
            x["exhausted"] = round.exhausted;
            x["eliminated"] = round.eliminated;
            rounds.push_back(std::move(x));
          }
          t["rounds"] = std::move(rounds);
          boost::json::array winners;
          for (int w : r.tally->winners) winners.push_back(w);
          t["winners"] = std::move(winners);
          boost::json::array names;
          for (int w : r.tally->winners) names.push_back(boost::json::string(r.vote.options[static_cast<size_t>(w)]));
          t["winner_names"] = std::move(names);
          o["tally"] = std::move(t);
          o["recount_matches"] = r.recount_matches;
        } else {
          o["tally"] = nullptr;
          o["recount_matches"] = nullptr;
        }
        return http::JsonResponse(200, o);
      }});
}

}  // namespace gz::votes
