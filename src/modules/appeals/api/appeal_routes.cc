// The appeal routes. Layer: appeals api (see appeal_routes.h).
#include "modules/appeals/api/appeal_routes.h"

#include <cmath>

#include <boost/json/parse.hpp>

#include "http/json.h"
#include "http/problem.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {
namespace {

constexpr std::string_view kSubmit = "appeals.submit";
constexpr std::string_view kRead = "appeals.read";
constexpr std::string_view kOwn = "appeals.own";
constexpr std::string_view kRateOwn = "appeals.rate_own";
constexpr std::string_view kHandle = "appeals.handle";
constexpr std::string_view kVisitPerm = "appeals.visit";
constexpr std::string_view kRates = "appeals.rates";
constexpr std::string_view kNote = "appeals.note";
constexpr std::string_view kJoin = "appeals.join";
constexpr std::string_view kDeadlines = "appeals.deadlines";
constexpr std::string_view kUnitRules = "appeals.unit_rules";
// Fixed purposes of the audited reads (security.md: a read of personal data names why).
constexpr std::string_view kPurposeOwn = "查看本人诉求";
constexpr std::string_view kPurposeStaff = "办理诉求";
constexpr size_t kCommandBodyLimit = 64 * 1024;
// Text limits are in characters; UTF-8 needs at most 4 bytes each. The service counts characters.
constexpr size_t kMaxTextBytes = kMaxTextChars * 4;
constexpr size_t kMaxNoteBytes = kMaxNoteChars * 4;
constexpr size_t kMaxLocationBytes = kMaxLocationChars * 4;
constexpr size_t kMaxCodeBytes = 64;
constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr int kMaxStateFilters = kStateCount;
constexpr int64_t kDefaultRatesPeriodMs = 90 * kDayMs;

Status AppealNotFound() { return NotFound(std::string(problems::kAppealNotFound)); }

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadQuery))
      .With("param", std::string(param))
      .With("reason", std::string(reason));
}

Status BadField(std::string_view field, std::string_view reason = "invalid") {
  return InvalidArgument(std::string(http::problems::kBadField))
      .With("field", std::string(field))
      .With("reason", std::string(reason));
}

std::string IdText(int64_t id) { return std::to_string(id); }

// An id in a body: a positive JSON integer or a decimal string (ids are 63-bit; JavaScript
// clients lose precision above 2^53, so they send strings).
Result<int64_t> OptionalIdField(const boost::json::object& body, std::string_view key) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return int64_t{0};
  std::optional<int64_t> id;
  if (v->is_int64() && v->get_int64() > 0) id = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) id = static_cast<int64_t>(v->get_uint64());
  else if (v->is_string()) id = http::ParsePositiveDecimal(std::string_view(v->get_string()));
  if (!id) return BadField(key);
  return *id;
}

Result<double> NumberField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* v = object.if_contains(key);
  if (v == nullptr || v->is_null())
    return InvalidArgument(std::string(http::problems::kMissingField)).With("field", std::string(key));
  if (!v->is_number()) return BadField(key);
  double d = v->to_number<double>();
  if (!std::isfinite(d)) return BadField(key);
  return d;
}

Result<std::optional<Location>> LocationField(const boost::json::object& body) {
  const boost::json::value* v = body.if_contains("location");
  if (v == nullptr || v->is_null()) return std::optional<Location>();
  if (!v->is_object()) return BadField("location");
  const boost::json::object& o = v->get_object();
  http::JsonFields f(o);
  GZ_RETURN_IF_ERROR(f.Only({"latitude", "longitude", "description"}));
  Location location;
  GZ_ASSIGN_OR_RETURN(location.latitude, NumberField(o, "latitude"));
  GZ_ASSIGN_OR_RETURN(location.longitude, NumberField(o, "longitude"));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> description, f.OptionalString("description", kMaxLocationBytes));
  location.description = description.value_or("");
  return std::optional<Location>(std::move(location));
}

Result<std::optional<HandlingUnit>> UnitField(const http::JsonFields& f) {
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> key, f.OptionalString("unit", kMaxCodeBytes));
  if (!key) return std::optional<HandlingUnit>();
  GZ_ASSIGN_OR_RETURN(HandlingUnit unit, ParseUnitKey(*key));
  return std::optional<HandlingUnit>(std::move(unit));
}

// ---- JSON -------------------------------------------------------------------------------------

void PutTime(boost::json::object& o, std::string_view key, const std::optional<int64_t>& ms) {
  if (ms) o[key] = *ms;
  else o[key] = nullptr;
}

void PutId(boost::json::object& o, std::string_view key, int64_t id) {
  if (id != 0) o[key] = IdText(id);
  else o[key] = nullptr;
}

boost::json::object AppealJson(const Appeal& a) {
  boost::json::object o;
  o["id"] = IdText(a.id);
  o["village"] = a.village;
  o["category"] = a.category;
  o["unit"] = a.unit.Key();
  if (a.escalated_to) o["escalated_to"] = a.escalated_to->Key();
  else o["escalated_to"] = nullptr;
  o["state"] = StateCode(a.state);
  o["channel"] = ChannelCode(a.channel);
  PutId(o, "client_id", a.client_id);  // the Open311 client that filed it (channel "open311")
  o["anonymous_to_public"] = a.anonymous_to_public;
  PutId(o, "submitter_account", a.submitter_account);
  PutId(o, "submitter_resident", a.submitter_resident);
  PutId(o, "recorded_by", a.recorded_by);
  o["reopen_count"] = a.reopen_count;
  o["contest_count"] = a.contest_count;
  o["escalation_count"] = a.escalation_count;
  PutTime(o, "accept_due_ms", a.accept_due_ms);
  PutTime(o, "answer_due_ms", a.answer_due_ms);
  PutTime(o, "rating_due_ms", a.rating_due_ms);
  if (a.rating) o["rating"] = RatingCode(*a.rating);
  else o["rating"] = nullptr;
  if (a.solved) o["solved"] = *a.solved;
  else o["solved"] = nullptr;
  if (a.rated_via) o["rated_via"] = RatedViaCode(*a.rated_via);
  else o["rated_via"] = nullptr;
  PutTime(o, "rated_at_ms", a.rated_at_ms);
  o["submitted_at_ms"] = a.submitted_at_ms;
  o["updated_at_ms"] = a.updated_at_ms;
  PutTime(o, "ended_at_ms", a.ended_at_ms);
  o["version"] = a.version;
  return o;
}

boost::json::object ContentJson(const AppealContent& c) {
  boost::json::object o;
  o["text"] = c.text;
  if (c.location) {
    boost::json::object l;
    l["latitude"] = c.location->latitude;
    l["longitude"] = c.location->longitude;
    l["description"] = c.location->description;
    o["location"] = std::move(l);
  } else {
    o["location"] = nullptr;
  }
  return o;
}

boost::json::object TimelineJson(const TimelineView& v) {
  const TimelineEntry& e = v.entry;
  boost::json::object o;
  o["seq"] = e.seq;
  o["at_ms"] = e.at_ms;
  o["action"] = e.action;
  if (e.from) o["from"] = StateCode(*e.from);
  else o["from"] = nullptr;
  o["to"] = StateCode(e.to);
  o["capacity"] = e.capacity;
  PutId(o, "actor_account", e.actor_account);
  PutId(o, "acting_for_account", e.acting_for_account);
  o["visibility"] = VisibilityCode(e.visibility);
  if (v.note) o["note"] = *v.note;
  else o["note"] = nullptr;
  if (!e.details.empty()) {
    boost::system::error_code ec;
    boost::json::value details = boost::json::parse(e.details, ec);
    if (!ec) o["details"] = std::move(details);
  }
  return o;
}

boost::json::object RateJson(const RateValue& r) {
  boost::json::object o;
  o["numerator"] = r.numerator;
  o["denominator"] = r.denominator;
  if (std::optional<double> v = r.value()) o["value"] = *v;
  else o["value"] = nullptr;
  return o;
}

boost::json::object GroupJson(const GroupRates& g) {
  boost::json::object o;
  o["key"] = g.key;
  o["submitted"] = g.submitted;
  o["open"] = g.open;
  o["awaiting_rating"] = g.awaiting_rating;
  o["closed"] = g.closed;
  o["rejected"] = g.rejected;
  o["withdrawn"] = g.withdrawn;
  o["escalated_ever"] = g.escalated_ever;
  o["overdue"] = g.overdue;
  o["due"] = g.due();
  o["response"] = RateJson(g.response);
  o["resolution"] = RateJson(g.resolution);
  o["satisfaction"] = RateJson(g.satisfaction);
  o["reopen"] = RateJson(g.reopen);
  boost::json::object t;
  t["n"] = g.time_to_answer.n;
  PutTime(t, "median_ms", g.time_to_answer.median_ms);
  PutTime(t, "p90_ms", g.time_to_answer.p90_ms);
  o["time_to_answer"] = std::move(t);
  return o;
}

boost::json::object NotificationJson(const Notification& n) {
  boost::json::object o;
  o["id"] = IdText(n.id);
  o["appeal_id"] = IdText(n.appeal_id);
  o["village"] = n.village;
  o["kind"] = n.kind;
  o["created_at_ms"] = n.created_at_ms;
  PutTime(o, "read_at_ms", n.read_at_ms);
  return o;
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

// ---- shared steps -----------------------------------------------------------------------------

// The appeal named by the path, once the gate admits the caller to it for `permission`. Appeals
// outside the caller's reach answer 404, like appeals that do not exist.
Result<Appeal> LoadAuthorized(AppealService& service, const access::Gate& gate, const http::Request& req,
                              std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return AppealNotFound();
  GZ_ASSIGN_OR_RETURN(Appeal appeal, service.Get(*id));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, AppealService::TargetOf(appeal), AppealNotFound()));
  return appeal;
}

bool ReadsOwnAppeal(const http::Request& req, const Appeal& appeal) {
  int64_t subject = req.Caller().subject().account_id;
  return subject != 0 && subject == appeal.submitter_account;
}

std::string_view PurposeFor(const http::Request& req, const Appeal& appeal) {
  return ReadsOwnAppeal(req, appeal) ? kPurposeOwn : kPurposeStaff;
}

// If-Match: "3", W/"3" or 3. nullopt when absent; an error when present but not a version.
Result<std::optional<int64_t>> IfMatchVersion(const http::Request& req) {
  if (!req.HasHeader("if-match")) return std::optional<int64_t>();
  std::string_view v = req.Header("if-match");
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::optional<int64_t> n = http::ParsePositiveDecimal(v);
  if (!n) return BadField("If-Match", "not-a-version");
  return std::optional<int64_t>(*n);
}

Result<Command> ParseCommand(Action action, const http::Request& req, const http::JsonFields& f) {
  Command c;
  c.action = action;
  GZ_ASSIGN_OR_RETURN(c.expected_version, f.OptionalInteger("version", 1, INT64_MAX));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> header_version, IfMatchVersion(req));
  if (header_version) {
    if (c.expected_version && *c.expected_version != *header_version) return BadField("version", "differs-from-if-match");
    c.expected_version = header_version;
  }
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> note, f.OptionalString("note", kMaxNoteBytes));
  c.note = note.value_or("");
  GZ_ASSIGN_OR_RETURN(c.unit, UnitField(f));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> rating, f.OptionalString("rating", kMaxCodeBytes));
  if (rating) {
    std::optional<Rating> parsed = ParseRating(*rating);
    if (!parsed) return BadField("rating");
    c.rating = parsed;
  }
  GZ_ASSIGN_OR_RETURN(c.solved, f.OptionalBool("solved"));
  return c;
}

struct CommandRoute {
  std::string_view path;          // the last segment
  Action action;
  std::string_view permission;
  std::string_view summary;
};

constexpr CommandRoute kCommandRoutes[] = {
    {"accept", Action::kAccept, kHandle, "Accept (签收) an appeal for the handling unit"},
    {"start", Action::kStart, kHandle, "Start work (处置) on an accepted appeal"},
    {"answer", Action::kAnswer, kHandle, "Answer (反馈) an appeal; the submitter then rates it"},
    {"transfer", Action::kTransfer, kHandle, "Transfer (流转) an appeal to another unit"},
    {"reject", Action::kReject, kHandle, "Reject (不予受理) an appeal, with a reason"},
    {"rating", Action::kRate, kRateOwn, "Rate the answer to my appeal (满意/基本满意/不满意)"},
    {"withdraw", Action::kWithdraw, kOwn, "Withdraw my appeal"},
    {"contest", Action::kContest, kOwn, "Contest the rejection of my appeal"},
    {"visit", Action::kVisit, kVisitPerm, "Record a follow-up visit (回访) after the rating window"},
    {"uphold", Action::kUphold, kHandle, "Uphold (维持) a contested rejection: the level above the unit"},
    {"overturn", Action::kOverturn, kHandle,
     "Overturn (撤销) a contested rejection and dispatch the appeal to a unit: the level above the unit"},
};

// The facts query of the rates and ranking routes: the caller's area, a period (default the last
// 90 days up to now).
Status ParseFactsQuery(const http::Request& req, const AppealService& service, FactsQuery* q) {
  const access::Reachable reach = access::ReachFor(req.Caller(), kRates);
  q->scopes = reach.scopes;
  q->to_ms = service.NowMs();
  if (req.HasQueryParam("to_ms")) {
    std::optional<int64_t> n = http::ParseNonNegativeDecimal(req.QueryParam("to_ms"));
    if (!n) return BadQuery("to_ms", "not-a-time");
    q->to_ms = *n;
  }
  q->from_ms = q->to_ms - kDefaultRatesPeriodMs;
  if (req.HasQueryParam("from_ms")) {
    std::optional<int64_t> n = http::ParseNonNegativeDecimal(req.QueryParam("from_ms"));
    if (!n) return BadQuery("from_ms", "not-a-time");
    q->from_ms = *n;
  }
  if (q->from_ms >= q->to_ms) return BadQuery("from_ms", "not-before-to");
  return Status::Ok();
}

Result<GroupBy> ParseGroupByParam(const http::Request& req) {
  if (!req.HasQueryParam("group_by")) return GroupBy::kVillage;
  std::optional<GroupBy> g = ParseGroupBy(req.QueryParam("group_by"));
  if (!g) return BadQuery("group_by", "unknown-grouping");
  return *g;
}

// A 12-digit county, township or village code from the path, or 404 (like a place that is not
// ours).
Result<std::string> RuleScopeParam(const http::Request& req) {
  std::string scope(req.PathParam("scope"));
  if (!IsRuleScope(scope)) return NotFound(std::string(problems::kPlaceNotFound));
  return scope;
}

int64_t Minutes(int64_t ms) { return ms / kMinuteMs; }

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

boost::json::object DurationsJson(const DeadlineDurations& d) {
  boost::json::object o;
  o["accept_minutes"] = Minutes(d.accept_ms);
  o["answer_minutes"] = Minutes(d.answer_ms);
  return o;
}

boost::json::object RuleJson(const DeadlineRule& r) {
  boost::json::object o = DurationsJson(r.durations);
  o["scope"] = r.scope;
  o["category"] = r.category;
  o["set_by"] = IdText(r.set_by);
  o["set_at_ms"] = r.set_at_ms;
  return o;
}

boost::json::object UnitRuleJson(const UnitRule& r) {
  boost::json::object o;
  o["scope"] = r.scope;
  o["category"] = r.category;
  o["level"] = UnitLevelCode(r.level);
  o["department"] = r.department;
  o["set_by"] = IdText(r.set_by);
  o["set_at_ms"] = r.set_at_ms;
  return o;
}

Status ParseListQuery(const http::Request& req, AppealQuery* q) {
  if (req.HasQueryParam("village")) {
    std::string v = req.QueryParam("village");
    if (!IsVillageCode(v)) return BadQuery("village", "not-a-village-code");
    q->village = std::move(v);
  }
  if (req.HasQueryParam("state")) {
    const std::string states_text = req.QueryParam("state");  // QueryParam returns a temporary
    std::string_view states = states_text;
    int count = 0;
    while (!states.empty()) {
      size_t comma = states.find(',');
      std::string_view code = states.substr(0, comma);
      std::optional<AppealState> s = ParseState(code);
      if (!s || ++count > kMaxStateFilters) return BadQuery("state", "unknown-state");
      q->states.push_back(*s);
      if (comma == std::string_view::npos) break;
      states.remove_prefix(comma + 1);
    }
  }
  if (req.HasQueryParam("category")) {
    std::string c = req.QueryParam("category");
    if (FindCategory(c) == nullptr) return BadQuery("category", "unknown-category");
    q->category = std::move(c);
  }
  if (req.HasQueryParam("unit")) {
    Result<HandlingUnit> unit = ParseUnitKey(req.QueryParam("unit"));
    if (!unit.ok()) return BadQuery("unit", "not-a-unit");
    q->unit = *unit;
  }
  if (req.HasQueryParam("before_id")) {
    std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("before_id"));
    if (!n) return BadQuery("before_id", "not-an-id");
    q->before_id = *n;
  }
  q->limit = kDefaultLimit;
  if (req.HasQueryParam("limit")) {
    std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("limit"));
    if (!n || *n > kMaxLimit) return BadQuery("limit", "out-of-range");
    q->limit = static_cast<int>(*n);
  }
  return Status::Ok();
}

}  // namespace

void RegisterAppealRoutes(http::Router& router, AppealService& service, const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals",
      .operation_id = "appeals.submit",
      .permission = std::string(kSubmit),
      .summary = "File an appeal (诉求): a villager for themself, a helper for them, or staff recording one",
      .json_body = true,
      .max_body_bytes = kCommandBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"category", "text", "location", "anonymous_to_public", "for_account",
                                   "for_resident", "unit"}));
        // Where the appeal will live depends only on who it is for: authorize on that first.
        SubmitRequest request;
        GZ_ASSIGN_OR_RETURN(request.for_account, OptionalIdField(body, "for_account"));
        GZ_ASSIGN_OR_RETURN(request.for_resident, OptionalIdField(body, "for_resident"));
        GZ_ASSIGN_OR_RETURN(access::Target target, service.SubmitTarget(req.Caller(), request));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kSubmit, target, AppealNotFound()));
        GZ_ASSIGN_OR_RETURN(request.category, f.String("category", kMaxCodeBytes));
        GZ_ASSIGN_OR_RETURN(request.text, f.String("text", kMaxTextBytes));
        GZ_ASSIGN_OR_RETURN(request.location, LocationField(body));
        GZ_ASSIGN_OR_RETURN(std::optional<bool> anonymous, f.OptionalBool("anonymous_to_public"));
        request.anonymous_to_public = anonymous.value_or(false);
        GZ_ASSIGN_OR_RETURN(request.unit, UnitField(f));
        // A phone on a weak network sends the appeal again when no answer came; with the same
        // key it gets the appeal its first try filed (draft-ietf-httpapi-idempotency-key-header).
        request.idempotency_key = req.Header("idempotency-key");
        if (req.HasHeader("idempotency-key") && request.idempotency_key.empty())
          return InvalidArgument(std::string(problems::kBadIdempotencyKey)).With("reason", "length");
        bool replayed = false;
        GZ_ASSIGN_OR_RETURN(Appeal appeal, service.Submit(req.Caller(), request, &replayed));
        http::Response r = Private(http::JsonResponse(201, AppealJson(appeal)));
        r.SetHeader("Location", "/api/v1/appeals/" + IdText(appeal.id));
        if (replayed) r.SetHeader("Idempotent-Replayed", "true");
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals",
      .operation_id = "appeals.list",
      .permission = std::string(kRead),
      .summary = "List appeals: staff those of their area, a villager their own (no text)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        const access::Reachable reach = access::ReachFor(req.Caller(), kRead);
        AppealQuery q;
        q.scopes = reach.scopes;
        if (reach.self) q.submitter_account = req.Caller().subject().account_id;
        GZ_RETURN_IF_ERROR(ParseListQuery(req, &q));
        GZ_ASSIGN_OR_RETURN(AppealPage page, service.List(q));
        boost::json::array items;
        for (const Appeal& a : page.items) items.push_back(AppealJson(a));
        boost::json::object o;
        o["items"] = std::move(items);
        if (page.next_before_id != 0) o["next_before_id"] = IdText(page.next_before_id);
        else o["next_before_id"] = nullptr;
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/categories",
      .operation_id = "appeals.categories",
      .permission = "public",
      .summary = "The appeal categories with their names, icons and deadline classes",
      .handler = [](http::Request&) -> Result<http::Response> {
        boost::json::array items;
        for (const Category& c : Categories()) {
          if (c.retired) continue;
          boost::json::object o;
          o["code"] = c.code;
          o["name_zh"] = c.name_zh;
          o["name_en"] = c.name_en;
          o["icon"] = c.icon;
          o["deadline_class"] = DeadlineClassCode(c.deadline_class);
          items.push_back(std::move(o));
        }
        boost::json::object o;
        o["items"] = std::move(items);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/rates",
      .operation_id = "appeals.rates",
      .permission = std::string(kRates),
      .summary = "Response, resolution and satisfaction rates of the caller's area",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        FactsQuery q;
        GZ_RETURN_IF_ERROR(ParseFactsQuery(req, service, &q));
        GZ_ASSIGN_OR_RETURN(GroupBy group_by, ParseGroupByParam(req));
        GZ_ASSIGN_OR_RETURN(std::vector<GroupRates> groups, service.Rates(q, group_by));
        boost::json::array items;
        for (const GroupRates& g : groups) items.push_back(GroupJson(g));
        boost::json::object o;
        o["group_by"] = GroupByCode(group_by);
        o["from_ms"] = q.from_ms;
        o["to_ms"] = q.to_ms;
        o["items"] = std::move(items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/{id}",
      .operation_id = "appeals.get",
      .permission = std::string(kRead),
      .summary = "Get one appeal with its text and location (an audited read)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(service, gate, req, kRead));
        GZ_ASSIGN_OR_RETURN(AppealContent content,
                            service.ReadContent(req.Caller(), appeal, PurposeFor(req, appeal)));
        boost::json::object o = AppealJson(appeal);
        o["content"] = ContentJson(content);
        GZ_ASSIGN_OR_RETURN(o["supporters"], service.Supporters(appeal.id));
        http::Response r = Private(http::JsonResponse(200, o));
        r.SetHeader("ETag", "\"" + std::to_string(appeal.version) + "\"");
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/{id}/timeline",
      .operation_id = "appeals.timeline",
      .permission = std::string(kRead),
      .summary = "The timeline of an appeal (internal notes only for staff of its area; an audited read)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(service, gate, req, kRead));
        GZ_ASSIGN_OR_RETURN(std::vector<TimelineView> views,
                            service.ReadTimeline(req.Caller(), appeal, PurposeFor(req, appeal)));
        boost::json::array items;
        for (const TimelineView& v : views) items.push_back(TimelineJson(v));
        boost::json::object o;
        o["appeal_id"] = IdText(appeal.id);
        o["version"] = appeal.version;
        o["items"] = std::move(items);
        return Private(http::JsonResponse(200, o));
      }});

  for (const CommandRoute& cr : kCommandRoutes) {
    router.Add(http::Route{
        .method = http::Method::kPost,
        .pattern = "/api/v1/appeals/{id}/" + std::string(cr.path),
        .operation_id = "appeals." + std::string(cr.path),
        .permission = std::string(cr.permission),
        .summary = std::string(cr.summary),
        .json_body = true,
        .max_body_bytes = kCommandBodyLimit,
        .handler = [&service, &gate, cr](http::Request& req) -> Result<http::Response> {
          GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(service, gate, req, cr.permission));
          GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
          http::JsonFields f(body);
          GZ_RETURN_IF_ERROR(f.Only({"version", "note", "unit", "rating", "solved"}));
          GZ_ASSIGN_OR_RETURN(Command command, ParseCommand(cr.action, req, f));
          GZ_ASSIGN_OR_RETURN(Appeal after, service.Perform(req.Caller(), appeal.id, command));
          http::Response r = Private(http::JsonResponse(200, AppealJson(after)));
          r.SetHeader("ETag", "\"" + std::to_string(after.version) + "\"");
          return r;
        }});
  }

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/appeal-inbox",
      .operation_id = "me.appeal_inbox",
      .permission = "me.read",
      .summary = "My appeal notifications: my own appeals, my units' and the villages I supervise",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        bool unread_only = false;
        if (req.HasQueryParam("unread")) {
          std::string u = req.QueryParam("unread");
          if (u != "true" && u != "false") return BadQuery("unread", "not-true-or-false");
          unread_only = u == "true";
        }
        int64_t before_id = 0;
        if (req.HasQueryParam("before_id")) {
          std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("before_id"));
          if (!n) return BadQuery("before_id", "not-an-id");
          before_id = *n;
        }
        int limit = kDefaultLimit;
        if (req.HasQueryParam("limit")) {
          std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("limit"));
          if (!n || *n > kMaxLimit) return BadQuery("limit", "out-of-range");
          limit = static_cast<int>(*n);
        }
        GZ_ASSIGN_OR_RETURN(std::vector<Notification> items,
                            service.Inbox(req.Caller(), unread_only, before_id, limit));
        boost::json::array a;
        for (const Notification& n : items) a.push_back(NotificationJson(n));
        boost::json::object o;
        o["items"] = std::move(a);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals/{id}/notes",
      .operation_id = "appeals.note",
      .permission = std::string(kNote),
      .summary = "Add a note to an appeal: the submitter public ones, staff of its area public or internal (内部) ones",
      .json_body = true,
      .max_body_bytes = kCommandBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(service, gate, req, kNote));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text", "visibility", "version"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", kMaxNoteBytes));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> visibility_text, f.OptionalString("visibility", kMaxCodeBytes));
        Visibility visibility = Visibility::kPublic;
        if (visibility_text) {
          std::optional<Visibility> v = ParseVisibility(*visibility_text);
          if (!v) return BadField("visibility");
          visibility = *v;
        }
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> version, f.OptionalInteger("version", 1, INT64_MAX));
        GZ_ASSIGN_OR_RETURN(std::optional<int64_t> header_version, IfMatchVersion(req));
        if (header_version) {
          if (version && *version != *header_version) return BadField("version", "differs-from-if-match");
          version = header_version;
        }
        GZ_ASSIGN_OR_RETURN(Appeal after, service.AddNote(req.Caller(), appeal.id, text, visibility, version));
        http::Response r = Private(http::JsonResponse(200, AppealJson(after)));
        r.SetHeader("ETag", "\"" + std::to_string(after.version) + "\"");
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/me/appeal-inbox/{id}/read",
      .operation_id = "me.appeal_inbox_read",
      .permission = "me.read",
      .summary = "Mark one of my appeal notifications read (for a unit's entry: read for the whole unit)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return NotFound(std::string(problems::kNotificationNotFound));
        GZ_RETURN_IF_ERROR(service.MarkRead(req.Caller(), *id));
        return Private(NoContent());
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/ranking",
      .operation_id = "appeals.ranking",
      .permission = std::string(kRates),
      .summary = "Units, villages or townships of my area ranked by one rate; samples below the minimum are never ranked",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        FactsQuery q;
        GZ_RETURN_IF_ERROR(ParseFactsQuery(req, service, &q));
        GZ_ASSIGN_OR_RETURN(GroupBy group_by, ParseGroupByParam(req));
        RankBy by = RankBy::kSatisfaction;
        if (req.HasQueryParam("by")) {
          std::optional<RankBy> b = ParseRankBy(req.QueryParam("by"));
          if (!b) return BadQuery("by", "unknown-rate");
          by = *b;
        }
        int64_t min_due = kDefaultMinDueForRanking;
        if (req.HasQueryParam("min_due")) {
          // Only stricter than the default: a ranking on tiny samples is refused, not offered.
          std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("min_due"));
          if (!n || *n < kDefaultMinDueForRanking || *n > 1'000'000) return BadQuery("min_due", "out-of-range");
          min_due = *n;
        }
        GZ_ASSIGN_OR_RETURN(std::vector<GroupRates> groups, service.Rates(q, group_by));
        Ranking ranking = Rank(groups, by, min_due);
        boost::json::array ranked;
        for (const RankedGroup& g : ranking.ranked) {
          boost::json::object o = GroupJson(g.rates);
          o["position"] = g.position;
          ranked.push_back(std::move(o));
        }
        boost::json::array unranked;
        for (const UnrankedGroup& g : ranking.unranked) {
          boost::json::object o = GroupJson(g.rates);
          o["reason"] = g.reason;
          unranked.push_back(std::move(o));
        }
        boost::json::object o;
        o["by"] = RankByCode(by);
        o["group_by"] = GroupByCode(group_by);
        o["from_ms"] = q.from_ms;
        o["to_ms"] = q.to_ms;
        o["min_due"] = ranking.min_due;
        o["ranked"] = std::move(ranked);
        o["unranked"] = std::move(unranked);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/deadlines",
      .operation_id = "appeals.deadlines_get",
      .permission = std::string(kDeadlines),
      .summary = "The deadlines of every category in a village, with the rule each comes from, and the stored rules",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::string village = req.QueryParam("village");
        if (!IsVillageCode(village)) return BadQuery("village", "not-a-village-code");
        access::Target target{.division = village};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDeadlines, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        boost::json::array categories;
        for (const Category& c : Categories()) {
          if (c.retired) continue;
          GZ_ASSIGN_OR_RETURN(ResolvedDeadlines d, service.DeadlinesFor(c.code, village));
          boost::json::object o = DurationsJson(d.durations);
          o["category"] = c.code;
          o["deadline_class"] = DeadlineClassCode(c.deadline_class);
          o["source"] = d.source;
          categories.push_back(std::move(o));
        }
        GZ_ASSIGN_OR_RETURN(std::vector<DeadlineRule> rules, service.DeadlineRulesFor(village));
        boost::json::array rule_items;
        for (const DeadlineRule& r : rules) rule_items.push_back(RuleJson(r));
        boost::json::object o;
        o["village"] = village;
        o["categories"] = std::move(categories);
        o["rules"] = std::move(rule_items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/appeals/deadline-rules/{scope}/{category}",
      .operation_id = "appeals.deadline_rule_put",
      .permission = std::string(kDeadlines),
      .summary = "Set the deadlines of one category for a county, township or village (cadres may only tighten)",
      .json_body = true,
      .max_body_bytes = 4096,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string scope, RuleScopeParam(req));
        access::Target target{.division = scope};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDeadlines, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"accept_minutes", "answer_minutes"}));
        GZ_ASSIGN_OR_RETURN(int64_t accept, f.Integer("accept_minutes", 1, 180 * 24 * 60));
        GZ_ASSIGN_OR_RETURN(int64_t answer, f.Integer("answer_minutes", 1, 180 * 24 * 60));
        DeadlineRule rule;
        rule.scope = scope;
        rule.category = std::string(req.PathParam("category"));
        rule.durations = DeadlineDurations{accept * kMinuteMs, answer * kMinuteMs};
        GZ_RETURN_IF_ERROR(service.SetDeadlineRule(req.Caller(), rule));
        rule.set_by = req.Caller().self.account_id;
        rule.set_at_ms = service.NowMs();
        return Private(http::JsonResponse(200, RuleJson(rule)));
      }});

  router.Add(http::Route{
      .method = http::Method::kDelete,
      .pattern = "/api/v1/appeals/deadline-rules/{scope}/{category}",
      .operation_id = "appeals.deadline_rule_delete",
      .permission = std::string(kDeadlines),
      .summary = "Remove a deadline rule: the place inherits again (cadres only when that does not loosen it)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string scope, RuleScopeParam(req));
        access::Target target{.division = scope};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDeadlines, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        GZ_RETURN_IF_ERROR(service.ClearDeadlineRule(req.Caller(), scope, std::string(req.PathParam("category"))));
        return Private(NoContent());
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/unit-rules",
      .operation_id = "appeals.unit_rules_get",
      .permission = std::string(kUnitRules),
      .summary = "Which unit handles every category in a village, with the rule each comes from, and the stored rules",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::string village = req.QueryParam("village");
        if (!IsVillageCode(village)) return BadQuery("village", "not-a-village-code");
        access::Target target{.division = village};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kUnitRules, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        GZ_ASSIGN_OR_RETURN(std::vector<UnitRule> rules, service.UnitRulesFor(village));
        boost::json::array categories;
        for (const Category& c : Categories()) {
          if (c.retired) continue;
          ResolvedUnit u = ResolveUnit(rules, c.code, village);
          boost::json::object o;
          o["category"] = c.code;
          o["unit"] = u.unit.Key();
          o["source"] = u.source;
          categories.push_back(std::move(o));
        }
        boost::json::array rule_items;
        for (const UnitRule& r : rules) rule_items.push_back(UnitRuleJson(r));
        boost::json::object o;
        o["village"] = village;
        o["categories"] = std::move(categories);
        o["rules"] = std::move(rule_items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/appeals/unit-rules/{scope}/{category}",
      .operation_id = "appeals.unit_rule_put",
      .permission = std::string(kUnitRules),
      .summary = "Set which unit handles one category in a county, township or village (up to your own level)",
      .json_body = true,
      .max_body_bytes = 4096,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string scope, RuleScopeParam(req));
        access::Target target{.division = scope};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kUnitRules, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"level", "department"}));
        GZ_ASSIGN_OR_RETURN(std::string level_code, f.String("level", kMaxCodeBytes));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> department, f.OptionalString("department", kMaxCodeBytes));
        std::optional<UnitLevel> level = ParseUnitLevel(level_code);
        if (!level) return InvalidArgument(std::string(problems::kBadUnitRule)).With("reason", "level");
        UnitRule rule;
        rule.scope = scope;
        rule.category = std::string(req.PathParam("category"));
        rule.level = *level;
        rule.department = department.value_or("");
        GZ_RETURN_IF_ERROR(service.SetUnitRule(req.Caller(), rule));
        rule.set_by = req.Caller().self.account_id;
        rule.set_at_ms = service.NowMs();
        return Private(http::JsonResponse(200, UnitRuleJson(rule)));
      }});

  router.Add(http::Route{
      .method = http::Method::kDelete,
      .pattern = "/api/v1/appeals/unit-rules/{scope}/{category}",
      .operation_id = "appeals.unit_rule_delete",
      .permission = std::string(kUnitRules),
      .summary = "Remove a unit rule: the place inherits again",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string scope, RuleScopeParam(req));
        access::Target target{.division = scope};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kUnitRules, target,
                                        NotFound(std::string(problems::kPlaceNotFound))));
        GZ_RETURN_IF_ERROR(service.ClearUnitRule(req.Caller(), scope, std::string(req.PathParam("category"))));
        return Private(NoContent());
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals/similar",
      .operation_id = "appeals.similar",
      .permission = std::string(kSubmit),
      .summary = "Before filing: open appeals of the same village and category most like the draft, to join instead",
      .json_body = true,
      .max_body_bytes = kCommandBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"category", "text", "for_account", "for_resident"}));
        SubmitRequest request;
        GZ_ASSIGN_OR_RETURN(request.for_account, OptionalIdField(body, "for_account"));
        GZ_ASSIGN_OR_RETURN(request.for_resident, OptionalIdField(body, "for_resident"));
        GZ_ASSIGN_OR_RETURN(access::Target target, service.SubmitTarget(req.Caller(), request));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kSubmit, target, AppealNotFound()));
        GZ_ASSIGN_OR_RETURN(std::string category, f.String("category", kMaxCodeBytes));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> draft, f.OptionalString("text", kMaxTextBytes));
        GZ_ASSIGN_OR_RETURN(std::vector<SimilarAppeal> similar,
                            service.Similar(req.Caller(), target.division, category, draft.value_or("")));
        boost::json::array items;
        for (const SimilarAppeal& s : similar) {
          boost::json::object o;
          o["id"] = IdText(s.appeal.id);
          o["category"] = s.appeal.category;
          o["state"] = StateCode(s.appeal.state);
          o["submitted_at_ms"] = s.appeal.submitted_at_ms;
          o["answer_due_ms"] = s.appeal.answer_due_ms ? boost::json::value(*s.appeal.answer_due_ms) : nullptr;
          if (s.excerpt.empty()) o["excerpt"] = nullptr;
          else o["excerpt"] = s.excerpt;
          o["supporters"] = s.supporters;
          o["score"] = s.score;
          items.push_back(std::move(o));
        }
        boost::json::object o;
        o["village"] = target.division;
        o["items"] = std::move(items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals/{id}/join",
      .operation_id = "appeals.join",
      .permission = std::string(kJoin),
      .summary = "Join (附议) an open appeal of my own village instead of filing the same thing again",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return AppealNotFound();
        GZ_ASSIGN_OR_RETURN(Appeal appeal, service.Get(*id));
        // Others' appeals of one's own village: the place is the target, not the submitter.
        access::Target target{.division = appeal.village};
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kJoin, target, AppealNotFound()));
        GZ_ASSIGN_OR_RETURN(int64_t supporters, service.Join(req.Caller(), appeal.id));
        boost::json::object o;
        o["appeal_id"] = IdText(appeal.id);
        o["supporters"] = supporters;
        return Private(http::JsonResponse(200, o));
      }});
}

}  // namespace gz::appeals
