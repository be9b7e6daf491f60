// The deliberation routes. Layer: deliberation api (see deliberation_routes.h).
#include "modules/deliberation/api/deliberation_routes.h"


#include "http/dispatcher.h"
#include "http/json.h"
#include "http/problem.h"
#include "modules/deliberation/problems.h"

namespace gz::deliberation {
namespace {

constexpr std::string_view kReadPerm = "deliberation.read";
constexpr std::string_view kManagePerm = "deliberation.manage";
constexpr std::string_view kRecordPerm = "deliberation.record";
constexpr std::string_view kReadScansPerm = "deliberation.read_scans";
constexpr std::string_view kChainPerm = "deliberation.chain";
constexpr std::string_view kOverseePerm = "deliberation.oversee";
constexpr std::string_view kProposePerm = "deliberation.propose";
constexpr std::string_view kSupportPerm = "deliberation.support";
constexpr std::string_view kCommentPerm = "deliberation.comment";
constexpr std::string_view kAnswerPerm = "deliberation.answer";
constexpr std::string_view kModeratePerm = "deliberation.moderate";
constexpr size_t kBodyLimit = 256 * 1024;
constexpr size_t kSmallBodyLimit = 64 * 1024;

Status MatterNotFound() { return NotFound(std::string(problems::kMatterNotFound)); }
Status ProposalNotFound() { return NotFound(std::string(problems::kProposalNotFound)); }
Status CommentNotFound() { return NotFound(std::string(problems::kCommentNotFound)); }

Status BadField(std::string field, std::string_view reason = "invalid") {
  return InvalidArgument(std::string(http::problems::kBadField)).With("field", std::move(field)).With("reason", std::string(reason));
}

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadField)).With("field", std::string(param)).With("reason", std::string(reason));
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

Result<int64_t> PathId(const http::Request& req, const Status& not_found) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return not_found;
  return *id;
}

Result<std::string> VillageParam(const http::Request& req) {
  if (!req.HasQueryParam("village")) return BadQuery("village", "required");
  std::string v = req.QueryParam("village");
  if (!IsVillageCode(v)) return BadQuery("village", "not-a-village-code");
  return v;
}

Result<int64_t> BeforeIdParam(const http::Request& req) {
  if (!req.HasQueryParam("before_id")) return int64_t{0};
  std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("before_id"));
  if (!n) return BadQuery("before_id", "not-an-id");
  return *n;
}

Result<int64_t> OptionalId(const boost::json::object& body, std::string_view key) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return int64_t{0};
  std::optional<int64_t> id;
  if (v->is_int64() && v->get_int64() > 0) id = v->get_int64();
  else if (v->is_string()) id = http::ParsePositiveDecimal(std::string_view(v->get_string()));
  if (!id) return BadField(std::string(key));
  return *id;
}

// ---- chains as JSON ----

boost::json::object ThresholdJson(const Threshold& t) {
  boost::json::object o;
  o["num"] = t.num;
  o["den"] = t.den;
  o["compare"] = t.compare == Compare::kAtLeast ? "at_least" : "more_than";
  return o;
}

Result<Threshold> ParseThreshold(const boost::json::value& v, const std::string& field) {
  if (!v.is_object()) return BadField(field, "not-an-object");
  http::JsonFields f(v.get_object());
  GZ_RETURN_IF_ERROR(f.Only({"num", "den", "compare", "basis"}));
  Threshold t;
  GZ_ASSIGN_OR_RETURN(t.num, f.Integer("num", 0, 1000));
  GZ_ASSIGN_OR_RETURN(t.den, f.Integer("den", 1, 1000));
  GZ_ASSIGN_OR_RETURN(std::string compare, f.String("compare", 16));
  if (compare != "at_least" && compare != "more_than") return BadField(field + ".compare");
  t.compare = compare == "at_least" ? Compare::kAtLeast : Compare::kMoreThan;
  return t;
}

boost::json::object ChainJson(const Chain& chain) {
  boost::json::array steps;
  for (const StepDef& s : chain.steps) {
    boost::json::object so;
    so["code"] = s.code;
    so["name"] = s.name_zh;
    so["kind"] = StepKindCode(s.kind);
    boost::json::array covers;
    for (const std::string& c : s.covers) covers.push_back(boost::json::string(c));
    so["covers"] = std::move(covers);
    boost::json::array bodies;
    for (const BodyRule& b : s.bodies) {
      boost::json::object bo;
      bo["code"] = b.code;
      bo["name"] = b.name_zh;
      bo["votes"] = b.votes == VoteMode::kNamed ? "named" : "counted";
      boost::json::array quorum;
      for (const QuorumOption& q : b.quorum) {
        boost::json::object qo = ThresholdJson(q.threshold);
        qo["basis"] = q.basis == QuorumBasis::kHouseholds ? "households" : "members";
        quorum.push_back(std::move(qo));
      }
      bo["quorum"] = std::move(quorum);
      boost::json::object majority = ThresholdJson(b.majority);
      majority["basis"] = b.majority_basis == MajorityBasis::kMembers ? "members" : "attendees";
      bo["majority"] = std::move(majority);
      bo["notice_days"] = b.notice_days;
      bodies.push_back(std::move(bo));
    }
    so["bodies"] = std::move(bodies);
    steps.push_back(std::move(so));
  }
  boost::json::object o;
  o["steps"] = std::move(steps);
  return o;
}

Result<Chain> ParseChain(const boost::json::value& v) {
  if (!v.is_array() || v.get_array().empty() || v.get_array().size() > kMaxSteps) return BadField("steps", "not-an-array-of-steps");
  Chain chain;
  const boost::json::array& steps = v.get_array();
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string field = "steps[" + std::to_string(i) + "]";
    if (!steps[i].is_object()) return BadField(field, "not-an-object");
    const boost::json::object& so = steps[i].get_object();
    http::JsonFields f(so);
    GZ_RETURN_IF_ERROR(f.Only({"code", "name", "kind", "covers", "bodies"}));
    StepDef s;
    GZ_ASSIGN_OR_RETURN(s.code, f.String("code", 40));
    GZ_ASSIGN_OR_RETURN(s.name_zh, f.String("name", 160));
    GZ_ASSIGN_OR_RETURN(std::string kind, f.String("kind", 32));
    std::optional<StepKind> k = ParseStepKind(kind);
    if (!k) return BadField(field + ".kind");
    s.kind = *k;
    if (f.Has("covers")) {
      GZ_ASSIGN_OR_RETURN(s.covers, f.StringArray("covers", 6, 40));
    }
    if (const boost::json::value* bodies = so.if_contains("bodies"); bodies != nullptr && !bodies->is_null()) {
      if (!bodies->is_array() || bodies->get_array().size() > kMaxBodies) return BadField(field + ".bodies");
      for (size_t j = 0; j < bodies->get_array().size(); ++j) {
        const std::string bfield = field + ".bodies[" + std::to_string(j) + "]";
        const boost::json::value& bv = bodies->get_array()[j];
        if (!bv.is_object()) return BadField(bfield, "not-an-object");
        http::JsonFields bf(bv.get_object());
        GZ_RETURN_IF_ERROR(bf.Only({"code", "name", "votes", "quorum", "majority", "notice_days"}));
        BodyRule b;
        GZ_ASSIGN_OR_RETURN(b.code, bf.String("code", 40));
        GZ_ASSIGN_OR_RETURN(b.name_zh, bf.String("name", 160));
        GZ_ASSIGN_OR_RETURN(std::string votes, bf.String("votes", 16));
        if (votes != "named" && votes != "counted") return BadField(bfield + ".votes");
        b.votes = votes == "named" ? VoteMode::kNamed : VoteMode::kCounted;
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> notice, bf.OptionalInteger("notice_days", 0, 60));
        b.notice_days = static_cast<int>(notice.value_or(0));
        const boost::json::value* majority = bv.get_object().if_contains("majority");
        if (majority == nullptr) return BadField(bfield + ".majority", "required");
        GZ_ASSIGN_OR_RETURN(b.majority, ParseThreshold(*majority, bfield + ".majority"));
        const boost::json::value* basis = majority->get_object().if_contains("basis");
        if (basis == nullptr || !basis->is_string() || (basis->get_string() != "members" && basis->get_string() != "attendees"))
          return BadField(bfield + ".majority.basis");
        b.majority_basis = basis->get_string() == "members" ? MajorityBasis::kMembers : MajorityBasis::kAttendees;
        if (const boost::json::value* quorum = bv.get_object().if_contains("quorum"); quorum != nullptr && !quorum->is_null()) {
          if (!quorum->is_array() || quorum->get_array().size() > 2) return BadField(bfield + ".quorum");
          for (const boost::json::value& q : quorum->get_array()) {
            GZ_ASSIGN_OR_RETURN(Threshold t, ParseThreshold(q, bfield + ".quorum"));
            const boost::json::value* qb = q.get_object().if_contains("basis");
            if (qb == nullptr || !qb->is_string() || (qb->get_string() != "members" && qb->get_string() != "households"))
              return BadField(bfield + ".quorum.basis");
            b.quorum.push_back(QuorumOption{qb->get_string() == "households" ? QuorumBasis::kHouseholds : QuorumBasis::kMembers, t});
          }
        }
        s.bodies.push_back(std::move(b));
      }
    }
    chain.steps.push_back(std::move(s));
  }
  return chain;
}

// ---- records as JSON ----

boost::json::object MatterJson(const Matter& m, const Chain* chain) {
  boost::json::object o;
  o["id"] = std::to_string(m.id);
  o["village"] = m.village;
  o["title"] = m.title;
  o["description"] = m.description;
  o["proposal_id"] = m.proposal_id != 0 ? boost::json::value(std::to_string(m.proposal_id)) : boost::json::value(nullptr);
  o["chain_source"] = m.chain_source;
  o["state"] = MatterStateCode(m.state);
  o["current_step"] = m.current_step;
  if (chain != nullptr && static_cast<size_t>(m.current_step) < chain->steps.size()) {
    o["current_step_code"] = chain->steps[m.current_step].code;
    o["current_step_name"] = chain->steps[m.current_step].name_zh;
    o["current_step_kind"] = StepKindCode(chain->steps[m.current_step].kind);
  } else {
    o["current_step_code"] = nullptr;
    o["current_step_name"] = nullptr;
    o["current_step_kind"] = nullptr;
  }
  o["version"] = m.version;
  o["opened_at_ms"] = m.opened_at_ms;
  o["resolution_published_at_ms"] =
      m.resolution_published_at_ms != 0 ? boost::json::value(m.resolution_published_at_ms) : boost::json::value(nullptr);
  o["closing_note"] = m.closing_note.empty() ? boost::json::value(nullptr) : boost::json::value(m.closing_note);
  return o;
}

boost::json::object MeetingJson(const Meeting& m) {
  boost::json::object o;
  o["id"] = std::to_string(m.id);
  o["step"] = m.step;
  o["step_code"] = m.step_code;
  o["body"] = m.body_code;
  o["held_at_ms"] = m.held_at_ms;
  o["notice_at_ms"] = m.notice_at_ms != 0 ? boost::json::value(m.notice_at_ms) : boost::json::value(nullptr);
  o["offline"] = m.offline;
  o["members"] = m.attendance.members;
  o["present"] = m.attendance.present;
  o["households"] = m.attendance.households;
  o["households_present"] = m.attendance.households_present;
  o["in_favour"] = m.tally.in_favour;
  o["against"] = m.tally.against;
  o["abstain"] = m.tally.abstain;
  boost::json::array named;
  for (const NamedVote& v : m.named) {
    boost::json::object n;
    n["voter"] = v.voter;
    n["choice"] = v.choice;
    named.push_back(std::move(n));
  }
  o["named"] = std::move(named);
  o["minutes"] = m.minutes;
  boost::json::array attachments;
  for (const std::string& h : m.attachments) attachments.push_back(boost::json::string(h));
  o["attachments"] = std::move(attachments);
  o["quorum_met"] = m.outcome.quorum_met;
  o["notice_ok"] = m.outcome.notice_ok;
  o["passed"] = m.outcome.passed;
  o["failure"] = m.outcome.failure.empty() ? boost::json::value(nullptr) : boost::json::value(m.outcome.failure);
  o["explanation_zh"] = m.outcome.explanation_zh;
  o["explanation_en"] = m.outcome.explanation_en;
  o["recorded_at_ms"] = m.recorded_at_ms;
  return o;
}

boost::json::object SpendingJson(const Spending& s) {
  boost::json::object o;
  o["id"] = std::to_string(s.id);
  o["matter_id"] = std::to_string(s.matter_id);
  o["village"] = s.village;
  o["amount_fen"] = s.amount_fen;
  o["purpose"] = s.purpose;
  o["spent_at_ms"] = s.spent_at_ms;
  o["finance_item"] = s.finance_item != 0 ? boost::json::value(std::to_string(s.finance_item)) : boost::json::value(nullptr);
  o["flagged"] = s.flagged;
  o["recorded_at_ms"] = s.recorded_at_ms;
  return o;
}

boost::json::object PublicationJson(const Publication& p, int64_t published_at) {
  boost::json::object o;
  o["step"] = p.step;
  o["kind"] = p.kind;
  o["item_id"] = std::to_string(p.item_id);
  o["published"] = published_at != 0;
  o["published_at_ms"] = published_at != 0 ? boost::json::value(published_at) : boost::json::value(nullptr);
  o["drafted_at_ms"] = p.drafted_at_ms;
  return o;
}

boost::json::object ViewJson(const MatterView& v) {
  boost::json::object o = MatterJson(v.matter, &v.chain);
  boost::json::object chain = ChainJson(v.chain);
  boost::json::array steps;
  for (size_t i = 0; i < v.chain.steps.size(); ++i) {
    boost::json::object s = chain["steps"].as_array()[i].as_object();
    s["index"] = static_cast<int64_t>(i);
    const int current = v.matter.current_step;
    s["status"] = static_cast<int>(i) < current ? "done" : static_cast<int>(i) == current && v.matter.state == MatterState::kOpen ? "current" : "pending";
    boost::json::array meetings;
    for (const Meeting& m : v.meetings)
      if (static_cast<size_t>(m.step) == i) meetings.push_back(MeetingJson(m));
    s["meetings"] = std::move(meetings);
    s["publication"] = nullptr;
    for (size_t k = 0; k < v.publications.size(); ++k)
      if (static_cast<size_t>(v.publications[k].step) == i) s["publication"] = PublicationJson(v.publications[k], v.published_at[k]);
    steps.push_back(std::move(s));
  }
  o["steps"] = std::move(steps);
  boost::json::array spending;
  for (const Spending& s : v.spending) spending.push_back(SpendingJson(s));
  o["spending"] = std::move(spending);
  o["resolution_published"] = v.resolution_published;
  o["flagged_spending"] = v.flagged_spending;
  return o;
}

boost::json::object ProposalJson(const Proposal& p) {
  boost::json::object o;
  o["id"] = std::to_string(p.id);
  o["village"] = p.village;
  o["title"] = p.title;
  o["text"] = p.text;  // public by design; the proposer is not named
  o["raised_at_ms"] = p.raised_at_ms;
  o["supports"] = p.supports;
  o["threshold"] = p.threshold;
  o["state"] = ProposalStateCode(p.State());
  o["reached_at_ms"] = p.reached_at_ms != 0 ? boost::json::value(p.reached_at_ms) : boost::json::value(nullptr);
  o["answer_due_ms"] = p.answer_due_ms != 0 ? boost::json::value(p.answer_due_ms) : boost::json::value(nullptr);
  o["answer"] = p.answered_at_ms != 0 ? boost::json::value(p.answer) : boost::json::value(nullptr);
  o["answered_at_ms"] = p.answered_at_ms != 0 ? boost::json::value(p.answered_at_ms) : boost::json::value(nullptr);
  o["appeal_id"] = p.appeal_id != 0 ? boost::json::value(std::to_string(p.appeal_id)) : boost::json::value(nullptr);
  o["matter_id"] = p.matter_id != 0 ? boost::json::value(std::to_string(p.matter_id)) : boost::json::value(nullptr);
  return o;
}

boost::json::object CommentJson(const Comment& c) {
  boost::json::object o;
  o["id"] = std::to_string(c.id);
  o["written_at_ms"] = c.written_at_ms;
  if (c.hidden_reason.empty()) {
    o["text"] = c.text;
    o["hidden"] = false;
    o["hidden_reason"] = nullptr;
  } else {
    // The text is withheld; why it was hidden stays public (moderation is accountable too).
    o["text"] = nullptr;
    o["hidden"] = true;
    o["hidden_reason"] = c.hidden_reason;
  }
  return o;
}

// Loads a matter and checks `perm` on its village (404 outside the caller's tenant).
Result<Matter> LoadMatter(DeliberationService& service, const access::Gate& gate, const http::Request& req,
                          std::string_view perm) {
  GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, MatterNotFound()));
  GZ_ASSIGN_OR_RETURN(Matter m, service.GetMatter(id));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), perm, DeliberationService::VillageTarget(m.village), MatterNotFound()));
  return m;
}

Result<Proposal> LoadProposal(DeliberationService& service, const access::Gate& gate, const http::Request& req,
                              std::string_view perm) {
  GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ProposalNotFound()));
  GZ_ASSIGN_OR_RETURN(Proposal p, service.GetProposal(id));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), perm, DeliberationService::VillageTarget(p.village), ProposalNotFound()));
  return p;
}

Result<std::string> VillageInBody(const boost::json::object& body) {
  const boost::json::value* v = body.if_contains("village");
  if (v == nullptr || !v->is_string() || !IsVillageCode(std::string_view(v->get_string()))) return BadField("village");
  return std::string(v->get_string());
}

Result<MeetingInput> ParseMeeting(const boost::json::object& body) {
  http::JsonFields f(body);
  GZ_RETURN_IF_ERROR(f.Only({"body", "held_at_ms", "notice_at_ms", "offline", "members", "present", "households",
                             "households_present", "in_favour", "against", "abstain", "named", "minutes", "attachments"}));
  MeetingInput in;
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> b, f.OptionalString("body", 40));
  in.body = b.value_or("");
  GZ_ASSIGN_OR_RETURN(in.held_at_ms, f.Integer("held_at_ms", 1, INT64_MAX));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> notice, f.OptionalInteger("notice_at_ms", 1, INT64_MAX));
  in.notice_at_ms = notice.value_or(0);
  GZ_ASSIGN_OR_RETURN(std::optional<bool> offline, f.OptionalBool("offline"));
  in.offline = offline.value_or(true);
  GZ_ASSIGN_OR_RETURN(in.attendance.members, f.Integer("members", 0, kMaxMembers));
  GZ_ASSIGN_OR_RETURN(in.attendance.present, f.Integer("present", 0, kMaxMembers));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> households, f.OptionalInteger("households", 0, kMaxMembers));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> households_present, f.OptionalInteger("households_present", 0, kMaxMembers));
  in.attendance.households = households.value_or(0);
  in.attendance.households_present = households_present.value_or(0);
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> in_favour, f.OptionalInteger("in_favour", 0, kMaxMembers));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> against, f.OptionalInteger("against", 0, kMaxMembers));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> abstain, f.OptionalInteger("abstain", 0, kMaxMembers));
  in.tally = Tally{in_favour.value_or(0), against.value_or(0), abstain.value_or(0)};
  if (const boost::json::value* named = body.if_contains("named"); named != nullptr && !named->is_null()) {
    if (!named->is_array() || named->get_array().size() > kMaxNamedVotes) return BadField("named", "not-an-array");
    for (const boost::json::value& v : named->get_array()) {
      if (!v.is_object()) return BadField("named", "not-an-object");
      http::JsonFields nf(v.get_object());
      GZ_RETURN_IF_ERROR(nf.Only({"voter", "choice"}));
      NamedVote n;
      GZ_ASSIGN_OR_RETURN(n.voter, nf.String("voter", 160));
      GZ_ASSIGN_OR_RETURN(n.choice, nf.String("choice", 16));
      in.named.push_back(std::move(n));
    }
  }
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> minutes, f.OptionalString("minutes", kMaxMinutesChars * 4));
  in.minutes = minutes.value_or("");
  if (f.Has("attachments")) {
    GZ_ASSIGN_OR_RETURN(in.attachments, f.StringArray("attachments", 20, 64));
  }
  return in;
}

}  // namespace

void RegisterDeliberationRoutes(http::Router& router, DeliberationService& service, const access::Gate& gate) {
  // ---- the chain and the settings ----
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/chain",
      .operation_id = "deliberation.chain",
      .permission = "public",
      .summary = "The 四议两公开 procedure in force for a village (law, county or the village's own decision)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, VillageParam(req));
        GZ_ASSIGN_OR_RETURN(EffectiveChain c, service.ChainFor(village));
        boost::json::object o = ChainJson(c.chain);
        o["village"] = village;
        o["source"] = c.source;
        if (c.setting) {
          o["decision"] = c.setting->decision;
          o["decision_item"] = c.setting->decision_item != 0 ? boost::json::value(std::to_string(c.setting->decision_item))
                                                               : boost::json::value(nullptr);
          o["set_at_ms"] = c.setting->set_at_ms;
        } else {
          o["decision"] = nullptr;
          o["decision_item"] = nullptr;
          o["set_at_ms"] = nullptr;
        }
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/deliberation/chains/{code}",
      .operation_id = "deliberation.set_chain",
      .permission = std::string(kChainPerm),
      .summary = "Set the county's procedure, or a village's own by its recorded decision (never looser than the law)",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        const std::string code(req.PathParam("code"));
        if (!IsVillageCode(code) && !IsCountyCode(code)) return MatterNotFound();
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kChainPerm, DeliberationService::VillageTarget(code), MatterNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"steps", "decision", "decision_item"}));
        const boost::json::value* steps = body.if_contains("steps");
        if (steps == nullptr) return BadField("steps", "required");
        GZ_ASSIGN_OR_RETURN(Chain chain, ParseChain(*steps));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> decision, f.OptionalString("decision", 800));
        GZ_ASSIGN_OR_RETURN(int64_t decision_item, OptionalId(body, "decision_item"));
        GZ_RETURN_IF_ERROR(service.SetChain(req.Caller(), code, chain, decision.value_or(""), decision_item));
        boost::json::object o = ChainJson(chain);
        o["scope"] = code;
        o["decision"] = decision.value_or("");
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/settings",
      .operation_id = "deliberation.settings",
      .permission = "public",
      .summary = "A village's proposal settings: supports needed for an answer, and days to answer",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, VillageParam(req));
        GZ_ASSIGN_OR_RETURN(VillageSettings s, service.Settings(village));
        boost::json::object o;
        o["village"] = village;
        o["support_threshold"] = s.support_threshold;
        o["answer_days"] = s.answer_days;
        o["default"] = !s.stored;
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/deliberation/villages/{code}/settings",
      .operation_id = "deliberation.set_settings",
      .permission = std::string(kManagePerm),
      .summary = "Set the supports a proposal needs to oblige an answer, and the days to answer",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        const std::string code(req.PathParam("code"));
        if (!IsVillageCode(code)) return MatterNotFound();
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kManagePerm, DeliberationService::VillageTarget(code), MatterNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"support_threshold", "answer_days"}));
        VillageSettings s;
        s.village = code;
        GZ_ASSIGN_OR_RETURN(s.support_threshold, f.Integer("support_threshold", 1, 100000));
        GZ_ASSIGN_OR_RETURN(int64_t days, f.Integer("answer_days", 1, 90));
        s.answer_days = static_cast<int>(days);
        GZ_RETURN_IF_ERROR(service.SetSettings(req.Caller(), s));
        boost::json::object o;
        o["village"] = code;
        o["support_threshold"] = s.support_threshold;
        o["answer_days"] = s.answer_days;
        return Private(http::JsonResponse(200, o));
      }});

  // ---- matters ----
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters",
      .operation_id = "deliberation.open_matter",
      .permission = std::string(kManagePerm),
      .summary = "Open a major matter (重大事项) under the procedure in force for the village",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        GZ_ASSIGN_OR_RETURN(std::string village, VillageInBody(body));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kManagePerm, DeliberationService::VillageTarget(village), MatterNotFound()));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"village", "title", "description"}));
        GZ_ASSIGN_OR_RETURN(std::string title, f.String("title", 400));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> description, f.OptionalString("description", 20000));
        GZ_ASSIGN_OR_RETURN(Matter m, service.OpenMatter(req.Caller(), village, title, description.value_or(""), 0));
        GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(m.chain_text));
        http::Response r = Private(http::JsonResponse(201, MatterJson(m, &chain)));
        r.SetHeader("Location", "/api/v1/deliberation/matters/" + std::to_string(m.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/matters",
      .operation_id = "deliberation.matters",
      .permission = std::string(kReadPerm),
      .summary = "Major matters of a village, newest first (villagers of the village and staff of its area)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, VillageParam(req));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kReadPerm, DeliberationService::VillageTarget(village), MatterNotFound()));
        GZ_ASSIGN_OR_RETURN(int64_t before, BeforeIdParam(req));
        GZ_ASSIGN_OR_RETURN(std::vector<Matter> matters, service.ListMatters(village, before, 50));
        boost::json::array out;
        for (const Matter& m : matters) {
          Result<Chain> chain = DecodeChain(m.chain_text);
          out.push_back(MatterJson(m, chain.ok() ? &*chain : nullptr));
        }
        boost::json::object o;
        o["items"] = std::move(out);
        o["next_before_id"] = matters.size() == 50 ? boost::json::value(std::to_string(matters.back().id)) : boost::json::value(nullptr);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/matters/{id}",
      .operation_id = "deliberation.matter",
      .permission = std::string(kReadPerm),
      .summary = "A matter: its steps, the meetings recorded at each, publications, spending and flags",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kReadPerm));
        GZ_ASSIGN_OR_RETURN(MatterView v, service.View(m.id));
        return Private(http::JsonResponse(200, ViewJson(v)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/matters/{id}/meetings/{meeting_id}/scans/{sha256}",
      .operation_id = "deliberation.meeting_scan",
      .permission = std::string(kReadScansPerm),
      .summary = "A scan a recorded meeting names (attendance sheet photo, minutes), for staff of the area; audited with ?purpose=",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kReadScansPerm));
        std::optional<int64_t> meeting = http::ParsePositiveDecimal(req.PathParam("meeting_id"));
        if (!meeting) return NotFound(std::string(problems::kMeetingNotFound));
        const std::string sha256(req.PathParam("sha256"));
        const std::string purpose = req.HasQueryParam("purpose") ? std::string(req.QueryParam("purpose")) : std::string();
        if (purpose.empty())
          return InvalidArgument(std::string(problems::kBadField)).With("field", "purpose").With("reason", "required");
        GZ_ASSIGN_OR_RETURN(Disclosures::Scan scan, service.ReadMeetingScan(req.Caller(), m.id, *meeting, sha256, purpose));
        http::Response r;
        r.status = 200;
        r.body = std::move(scan.bytes);
        r.SetHeader("Content-Type", scan.media_type);
        r.SetHeader("Content-Disposition", "inline; filename=\"meeting-" + std::to_string(*meeting) + "-" + sha256.substr(0, 12) +
                                               "." + scan.extension + "\"");
        r.SetHeader("X-Content-Type-Options", "nosniff");
        r.SetHeader("Content-Security-Policy", http::kFileContentSecurityPolicy);
        r.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
        return Private(std::move(r));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters/{id}/meetings",
      .operation_id = "deliberation.record_meeting",
      .permission = std::string(kRecordPerm),
      .summary = "Record the current step's meeting: attendance, votes (named or counted), minutes, scans; audited",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kRecordPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        GZ_ASSIGN_OR_RETURN(MeetingInput in, ParseMeeting(body));
        GZ_ASSIGN_OR_RETURN(Meeting mt, service.RecordMeeting(req.Caller(), m.id, in));
        return Private(http::JsonResponse(201, MeetingJson(mt)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters/{id}/advance",
      .operation_id = "deliberation.advance",
      .permission = std::string(kManagePerm),
      .summary = "Move a matter to its next step; refused while the current step failed its quorum or majority or is unpublished",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kManagePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"version"}));
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> version, f.OptionalInteger("version", 1, INT64_MAX));
        GZ_ASSIGN_OR_RETURN(Matter after, service.Advance(req.Caller(), m.id, version.value_or(0)));
        GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(after.chain_text));
        return Private(http::JsonResponse(200, MatterJson(after, &chain)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters/{id}/withdraw",
      .operation_id = "deliberation.withdraw",
      .permission = std::string(kManagePerm),
      .summary = "Close an open matter without completing it, with a reason its readers see (audited)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kManagePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"reason"}));
        GZ_ASSIGN_OR_RETURN(std::string reason, f.String("reason", 2000));
        GZ_ASSIGN_OR_RETURN(Matter after, service.Withdraw(req.Caller(), m.id, reason));
        GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(after.chain_text));
        return Private(http::JsonResponse(200, MatterJson(after, &chain)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters/{id}/publication",
      .operation_id = "deliberation.draft_publication",
      .permission = std::string(kManagePerm),
      .summary = "Draft the current publication step's disclosure (kind resolution); another person publishes it",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kManagePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", 6000 * 4));
        GZ_ASSIGN_OR_RETURN(Publication p, service.DraftPublication(req.Caller(), m.id, text));
        http::Response r = Private(http::JsonResponse(201, PublicationJson(p, 0)));
        r.SetHeader("Location", "/api/v1/disclosure/items/" + std::to_string(p.item_id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/matters/{id}/spending",
      .operation_id = "deliberation.record_spending",
      .permission = std::string(kManagePerm),
      .summary = "Record money spent on a matter; flagged when its resolution was not published before the spending",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Matter m, LoadMatter(service, gate, req, kManagePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"amount_fen", "purpose", "spent_at_ms", "finance_item"}));
        GZ_ASSIGN_OR_RETURN(int64_t amount, f.Integer("amount_fen", 1, kMaxAmountFen));
        GZ_ASSIGN_OR_RETURN(std::string purpose, f.String("purpose", 800));
        GZ_ASSIGN_OR_RETURN(int64_t spent_at, f.Integer("spent_at_ms", 1, INT64_MAX));
        GZ_ASSIGN_OR_RETURN(int64_t finance_item, OptionalId(body, "finance_item"));
        GZ_ASSIGN_OR_RETURN(Spending s, service.RecordSpending(req.Caller(), m.id, amount, purpose, spent_at, finance_item));
        return Private(http::JsonResponse(201, SpendingJson(s)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/flags",
      .operation_id = "deliberation.flags",
      .permission = std::string(kOverseePerm),
      .summary = "Spending on matters whose resolution was not published first, in the caller's area (township oversight)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        const access::Reachable reach = access::ReachFor(req.Caller(), kOverseePerm);
        GZ_ASSIGN_OR_RETURN(std::vector<Spending> flagged, service.Flagged(reach.scopes, 200));
        boost::json::array out;
        for (const Spending& s : flagged) {
          boost::json::object o = SpendingJson(s);
          Result<Matter> m = service.GetMatter(s.matter_id);
          o["matter_title"] = m.ok() ? boost::json::value(m->title) : boost::json::value(nullptr);
          out.push_back(std::move(o));
        }
        boost::json::object o;
        o["items"] = std::move(out);
        return Private(http::JsonResponse(200, o));
      }});

  // ---- proposals ----
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/proposals",
      .operation_id = "deliberation.propose",
      .permission = std::string(kProposePerm),
      .summary = "Raise a proposal (村民议事) in my village (a helper may do so for a villager with consent); public",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        GZ_ASSIGN_OR_RETURN(std::string village, VillageInBody(body));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kProposePerm, DeliberationService::VillageTarget(village), ProposalNotFound()));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"village", "title", "text"}));
        GZ_ASSIGN_OR_RETURN(std::string title, f.String("title", 400));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", 20000));
        GZ_ASSIGN_OR_RETURN(Proposal p, service.Propose(req.Caller(), village, title, text));
        http::Response r = Private(http::JsonResponse(201, ProposalJson(p)));
        r.SetHeader("Location", "/api/v1/deliberation/proposals/" + std::to_string(p.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/proposals",
      .operation_id = "deliberation.proposals",
      .permission = "public",
      .summary = "Proposals of a village with their support counts and answers, newest first (public; proposers are not named)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, VillageParam(req));
        GZ_ASSIGN_OR_RETURN(int64_t before, BeforeIdParam(req));
        GZ_ASSIGN_OR_RETURN(std::vector<Proposal> ps, service.ListProposals(village, before, 50));
        boost::json::array out;
        for (const Proposal& p : ps) out.push_back(ProposalJson(p));
        boost::json::object o;
        o["items"] = std::move(out);
        o["next_before_id"] = ps.size() == 50 ? boost::json::value(std::to_string(ps.back().id)) : boost::json::value(nullptr);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/deliberation/proposals/{id}",
      .operation_id = "deliberation.proposal",
      .permission = "public",
      .summary = "A proposal and its comments (a hidden comment shows the public reason it was hidden)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ProposalNotFound()));
        GZ_ASSIGN_OR_RETURN(ProposalView v, service.ViewProposal(id));
        boost::json::object o = ProposalJson(v.proposal);
        boost::json::array comments;
        for (const Comment& c : v.comments) comments.push_back(CommentJson(c));
        o["comments"] = std::move(comments);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/proposals/{id}/support",
      .operation_id = "deliberation.support",
      .permission = std::string(kSupportPerm),
      .summary = "Support (附议) a proposal of my village, once per person",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Proposal p, LoadProposal(service, gate, req, kSupportPerm));
        GZ_ASSIGN_OR_RETURN(Proposal after, service.Support(req.Caller(), p));
        return Private(http::JsonResponse(200, ProposalJson(after)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/proposals/{id}/comments",
      .operation_id = "deliberation.comment",
      .permission = std::string(kCommentPerm),
      .summary = "Comment on a proposal of my village (public; the author is not named)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Proposal p, LoadProposal(service, gate, req, kCommentPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", 8000));
        GZ_ASSIGN_OR_RETURN(Comment c, service.AddComment(req.Caller(), p, text));
        return Private(http::JsonResponse(201, CommentJson(c)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/proposals/{id}/answer",
      .operation_id = "deliberation.answer",
      .permission = std::string(kAnswerPerm),
      .summary = "The committee answers a proposal (public)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Proposal p, LoadProposal(service, gate, req, kAnswerPerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", 16000));
        GZ_RETURN_IF_ERROR(service.Answer(req.Caller(), p, text));
        GZ_ASSIGN_OR_RETURN(Proposal after, service.GetProposal(p.id));
        return Private(http::JsonResponse(200, ProposalJson(after)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/proposals/{id}/matter",
      .operation_id = "deliberation.proposal_matter",
      .permission = std::string(kManagePerm),
      .summary = "Put a proposal into the 四议两公开 procedure as a major matter (answers it if unanswered)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Proposal p, LoadProposal(service, gate, req, kManagePerm));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"title", "description"}));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> title, f.OptionalString("title", 400));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> description, f.OptionalString("description", 20000));
        GZ_ASSIGN_OR_RETURN(Matter m, service.OpenMatter(req.Caller(), p.village, title.value_or(p.title),
                                                         description.value_or(p.text), p.id));
        GZ_ASSIGN_OR_RETURN(Chain chain, DecodeChain(m.chain_text));
        http::Response r = Private(http::JsonResponse(201, MatterJson(m, &chain)));
        r.SetHeader("Location", "/api/v1/deliberation/matters/" + std::to_string(m.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/deliberation/comments/{id}/hide",
      .operation_id = "deliberation.hide_comment",
      .permission = std::string(kModeratePerm),
      .summary = "Hide a comment with a public reason (the reason stays visible; the row is kept)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, CommentNotFound()));
        GZ_ASSIGN_OR_RETURN(Comment c, service.GetComment(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kModeratePerm, DeliberationService::VillageTarget(c.village), CommentNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"reason"}));
        GZ_ASSIGN_OR_RETURN(std::string reason, f.String("reason", 800));
        GZ_RETURN_IF_ERROR(service.HideComment(req.Caller(), c, reason));
        GZ_ASSIGN_OR_RETURN(Comment after, service.GetComment(id));
        return Private(http::JsonResponse(200, CommentJson(after)));
      }});
}

}  // namespace gz::deliberation
