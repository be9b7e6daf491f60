// The disclosure routes. Layer: disclosure api (see disclosure_routes.h).
#include "modules/disclosure/api/disclosure_routes.h"


#include <boost/json/parse.hpp>

#include "access/role.h"
#include "http/json.h"
#include "http/dispatcher.h"
#include "http/problem.h"
#include "modules/attachments/image_format.h"
#include "modules/attachments/problems.h"
#include "modules/disclosure/api/notice_pages.h"
#include "modules/disclosure/problems.h"

namespace gz::disclosure {
namespace {

constexpr std::string_view kDraftPerm = "disclosure.draft";
constexpr std::string_view kPublishPerm = "disclosure.publish";
constexpr std::string_view kReadDrafts = "disclosure.read_drafts";
constexpr std::string_view kOriginalsPerm = "disclosure.originals";
constexpr std::string_view kAskPerm = "disclosure.ask";
constexpr std::string_view kAnswerPerm = "disclosure.answer";
constexpr std::string_view kOverseePerm = "disclosure.oversee";
// A list of 500 recipients with names, ID numbers and notes stays well below this.
constexpr size_t kDraftBodyLimit = 512 * 1024;
constexpr size_t kSmallBodyLimit = 64 * 1024;

Status ItemNotFound() { return NotFound(std::string(problems::kItemNotFound)); }
Status QuestionNotFound() { return NotFound(std::string(problems::kQuestionNotFound)); }

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadQuery)).With("param", std::string(param)).With("reason", std::string(reason));
}

Status BadField(std::string field, std::string_view reason = "invalid") {
  return InvalidArgument(std::string(http::problems::kBadField)).With("field", std::move(field)).With("reason", std::string(reason));
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

// An id in a body: a positive JSON integer or a decimal string.
Result<int64_t> OptionalIdField(const boost::json::object& body, std::string_view key) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return int64_t{0};
  std::optional<int64_t> id;
  if (v->is_int64() && v->get_int64() > 0) id = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) id = static_cast<int64_t>(v->get_uint64());
  else if (v->is_string()) id = http::ParsePositiveDecimal(std::string_view(v->get_string()));
  if (!id) return BadField(std::string(key));
  return *id;
}

Result<int64_t> PathId(const http::Request& req, const Status& not_found) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return not_found;
  return *id;
}

Result<const boost::json::array*> OptionalArray(const boost::json::object& body, std::string_view key, size_t max) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return static_cast<const boost::json::array*>(nullptr);
  if (!v->is_array()) return BadField(std::string(key), "not-an-array");
  if (v->get_array().size() > max) return BadField(std::string(key), "too-many-items");
  return &v->get_array();
}

Result<DraftInput> ParseDraft(const boost::json::object& body) {
  http::JsonFields f(body);
  GZ_RETURN_IF_ERROR(f.Only({"village", "kind", "period", "title", "text", "rows", "recipients", "attachments",
                             "corrects", "reason"}));
  DraftInput in;
  GZ_ASSIGN_OR_RETURN(in.village, f.String("village", 12));
  GZ_ASSIGN_OR_RETURN(in.kind, f.String("kind", 32));
  GZ_ASSIGN_OR_RETURN(in.period, f.String("period", 7));
  GZ_ASSIGN_OR_RETURN(in.title, f.String("title", kMaxTitleChars * 4));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> text, f.OptionalString("text", kMaxTextChars * 4));
  in.text = text.value_or("");
  GZ_ASSIGN_OR_RETURN(const boost::json::array* rows, OptionalArray(body, "rows", kMaxRows));
  if (rows != nullptr) {
    for (size_t i = 0; i < rows->size(); ++i) {
      const std::string field = "rows[" + std::to_string(i) + "]";
      if (!(*rows)[i].is_object()) return BadField(field, "not-an-object");
      const boost::json::object& o = (*rows)[i].get_object();
      http::JsonFields rf(o);
      GZ_RETURN_IF_ERROR(rf.Only({"item", "direction", "amount_fen"}));
      FinanceRow r;
      GZ_ASSIGN_OR_RETURN(r.item, rf.String("item", 400));
      GZ_ASSIGN_OR_RETURN(std::string direction, rf.String("direction", 16));
      if (direction != "income" && direction != "expense") return BadField(field + ".direction");
      r.income = direction == "income";
      GZ_ASSIGN_OR_RETURN(r.amount_fen, rf.Integer("amount_fen", 0, kMaxAmountFen));
      in.rows.push_back(std::move(r));
    }
  }
  GZ_ASSIGN_OR_RETURN(const boost::json::array* recipients, OptionalArray(body, "recipients", kMaxRecipients));
  if (recipients != nullptr) {
    for (size_t i = 0; i < recipients->size(); ++i) {
      const std::string field = "recipients[" + std::to_string(i) + "]";
      if (!(*recipients)[i].is_object()) return BadField(field, "not-an-object");
      http::JsonFields rf((*recipients)[i].get_object());
      GZ_RETURN_IF_ERROR(rf.Only({"name", "id_number", "phone", "amount_fen", "note"}));
      Recipient r;
      GZ_ASSIGN_OR_RETURN(r.name, rf.String("name", 200));
      GZ_ASSIGN_OR_RETURN(std::optional<std::string> id_number, rf.OptionalString("id_number", 18));
      GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, rf.OptionalString("phone", 20));
      GZ_ASSIGN_OR_RETURN(std::optional<std::string> note, rf.OptionalString("note", 200));
      GZ_ASSIGN_OR_RETURN(r.amount_fen, rf.Integer("amount_fen", 0, kMaxAmountFen));
      r.id_number = id_number.value_or("");
      r.phone = phone.value_or("");
      r.note = note.value_or("");
      in.recipients.push_back(std::move(r));
    }
  }
  if (f.Has("attachments")) {
    GZ_ASSIGN_OR_RETURN(in.attachments, f.StringArray("attachments", kMaxAttachments, 64));
  }
  GZ_ASSIGN_OR_RETURN(in.corrects, OptionalIdField(body, "corrects"));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> reason, f.OptionalString("reason", kMaxReasonChars * 4));
  in.correction_reason = reason.value_or("");
  return in;
}

boost::json::object ItemJson(const Item& i, const std::vector<int64_t>& corrected_by) {
  boost::json::object o;
  o["id"] = std::to_string(i.id);
  o["village"] = i.village;
  o["kind"] = KindCode(i.kind);
  o["kind_name"] = KindNameZh(i.kind);
  o["period"] = i.period;
  o["title"] = i.title;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(i.body_json, ec);
  if (!ec) o["body"] = std::move(body);
  boost::json::array attachments;
  for (const std::string& h : i.attachments) attachments.push_back(boost::json::string(h));
  o["attachments"] = std::move(attachments);
  if (i.corrects != 0) {
    boost::json::object c;
    c["id"] = std::to_string(i.corrects);
    c["reason"] = i.correction_reason;
    o["corrects"] = std::move(c);
  } else {
    o["corrects"] = nullptr;
  }
  boost::json::array by;
  for (int64_t id : corrected_by) by.push_back(boost::json::string(std::to_string(id)));
  o["corrected_by"] = std::move(by);
  o["state"] = StateCode(i.state);
  o["drafted_at_ms"] = i.drafted_at_ms;
  if (i.state == State::kPublished) {
    o["published_at_ms"] = i.published_at_ms;
    o["publisher_role"] = i.publisher_role;
    o["log_index"] = std::to_string(i.log_index);
    o["verify_path"] = "/v/" + i.village + "/" + std::to_string(i.id);
  } else {
    o["published_at_ms"] = nullptr;
    o["publisher_role"] = nullptr;
    o["log_index"] = nullptr;
    o["verify_path"] = nullptr;
  }
  return o;
}

boost::json::object QuestionJson(const Question& q) {
  boost::json::object o;
  o["id"] = std::to_string(q.id);
  o["item_id"] = std::to_string(q.item_id);
  o["text"] = q.text;  // public by design; the asker is not named
  o["asked_at_ms"] = q.asked_at_ms;
  if (q.answered_at_ms != 0) {
    o["answer"] = q.answer;
    o["answered_at_ms"] = q.answered_at_ms;
  } else {
    o["answer"] = nullptr;
    o["answered_at_ms"] = nullptr;
  }
  if (q.appeal_id != 0) {
    o["appeal_id"] = std::to_string(q.appeal_id);
    o["escalated_at_ms"] = q.escalated_at_ms;
  } else {
    o["appeal_id"] = nullptr;
    o["escalated_at_ms"] = nullptr;
  }
  return o;
}

// A published item for anyone; a draft only for staff who may read drafts of its village (404
// otherwise, so a draft's existence is not revealed).
Result<Item> LoadVisible(DisclosureService& service, const access::Gate& gate, const http::Request& req, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
  if (item.state == State::kPublished) return item;
  if (req.Caller().anonymous() || access::MayAttempt(req.Caller(), kReadDrafts) != access::Decision::kAllow)
    return ItemNotFound();
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kReadDrafts, DisclosureService::TargetOf(item), ItemNotFound()));
  return item;
}

Result<Item> LoadPublished(DisclosureService& service, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
  if (item.state != State::kPublished) return ItemNotFound();
  return item;
}

Result<std::string> VillageParam(const http::Request& req) {
  if (!req.HasQueryParam("village")) return BadQuery("village", "required");
  std::string v = req.QueryParam("village");
  if (!IsVillageCode(v)) return BadQuery("village", "not-a-village-code");
  return v;
}

bool IsPlainHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return false;
  return true;
}

std::string OriginFor(const DisclosureRouteOptions& options, const http::Request& req) {
  if (!options.public_origin.empty()) return options.public_origin;
  std::string_view host = req.Header("host");  // header names are kept in lower case
  return IsPlainHost(host) ? "http://" + std::string(host) : std::string("http://localhost");
}

Result<std::string> PaperParam(const http::Request& req) {
  if (!req.HasQueryParam("paper")) return std::string("A4");
  std::string p = req.QueryParam("paper");
  if (p != "A4" && p != "A3") return BadQuery("paper", "not-A4-or-A3");
  return p;
}

http::Response Html(std::string body) {
  return http::Response::Text(200, std::move(body), "text/html; charset=utf-8");
}

}  // namespace

void RegisterDisclosureRoutes(http::Router& router, DisclosureService& service, const access::Gate& gate,
                              DisclosureRouteOptions options) {
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/kinds",
      .operation_id = "disclosure.kinds",
      .permission = "public",
      .summary = "The kinds of village-affairs disclosure (Art. 30) and the periods each takes",
      .handler = [](http::Request&) -> Result<http::Response> {
        boost::json::array items;
        for (Kind k : AllKinds()) {
          boost::json::object o;
          o["code"] = KindCode(k);
          o["name_zh"] = KindNameZh(k);
          o["finance"] = IsFinanceKind(k);
          boost::json::array periods;
          periods.push_back("month");
          periods.push_back("quarter");
          if (k != Kind::kFinanceStatement && k != Kind::kIncomeExpense) periods.push_back("year");
          o["periods"] = std::move(periods);
          items.push_back(std::move(o));
        }
        boost::json::object o;
        o["items"] = std::move(items);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/items",
      .operation_id = "disclosure.draft",
      .permission = std::string(kDraftPerm),
      .summary = "Draft a disclosure item (or a correction of a published one); another person checks and publishes it",
      .json_body = true,
      .max_body_bytes = kDraftBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        // Where the item lives decides who may draft it: authorize on the village first.
        const boost::json::value* village = body.if_contains("village");
        access::Target target;
        if (village != nullptr && village->is_string()) target.division = std::string(village->get_string());
        if (!IsVillageCode(target.division)) return BadField("village");
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, target, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(DraftInput in, ParseDraft(body));
        GZ_ASSIGN_OR_RETURN(Item item, service.Draft(req.Caller(), in));
        http::Response r = Private(http::JsonResponse(201, ItemJson(item, {})));
        r.SetHeader("Location", "/api/v1/disclosure/items/" + std::to_string(item.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items",
      .operation_id = "disclosure.list",
      .permission = "public",
      .summary = "Published disclosure items of a village, newest first (public by law)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        ItemQuery q;
        GZ_ASSIGN_OR_RETURN(q.village, VillageParam(req));
        q.state = State::kPublished;
        if (req.HasQueryParam("kind")) {
          q.kind = ParseKind(req.QueryParam("kind"));
          if (!q.kind) return BadQuery("kind", "unknown-kind");
        }
        if (req.HasQueryParam("period")) {
          std::string p = req.QueryParam("period");
          if (p.size() > 7 || (p.size() != 4 && !ParsePeriod(p))) return BadQuery("period", "not-a-period");
          q.period_prefix = std::move(p);
        }
        if (req.HasQueryParam("before_id")) {
          std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("before_id"));
          if (!n) return BadQuery("before_id", "not-an-id");
          q.before_id = *n;
        }
        q.limit = 50;
        if (req.HasQueryParam("limit")) {
          std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("limit"));
          if (!n || *n > 200) return BadQuery("limit", "out-of-range");
          q.limit = static_cast<int>(*n);
        }
        GZ_ASSIGN_OR_RETURN(std::vector<Item> items, service.List(q));
        boost::json::array out;
        for (const Item& i : items) {
          GZ_ASSIGN_OR_RETURN(std::vector<int64_t> by, service.CorrectedBy(i.id));
          out.push_back(ItemJson(i, by));
        }
        boost::json::object o;
        o["items"] = std::move(out);
        if (static_cast<int>(items.size()) == q.limit) o["next_before_id"] = std::to_string(items.back().id);
        else o["next_before_id"] = nullptr;
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/drafts",
      .operation_id = "disclosure.drafts",
      .permission = std::string(kReadDrafts),
      .summary = "Drafts of a village awaiting a checker (staff of the village and above)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        ItemQuery q;
        GZ_ASSIGN_OR_RETURN(q.village, VillageParam(req));
        access::Target target;
        target.division = q.village;
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kReadDrafts, target, ItemNotFound()));
        q.state = State::kDraft;
        q.limit = 200;
        GZ_ASSIGN_OR_RETURN(std::vector<Item> items, service.List(q));
        boost::json::array out;
        for (const Item& i : items) {
          boost::json::object o = ItemJson(i, {});
          o["drafted_by"] = std::to_string(i.drafted_by);
          out.push_back(std::move(o));
        }
        boost::json::object o;
        o["items"] = std::move(out);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items/{id}",
      .operation_id = "disclosure.get",
      .permission = "public",
      .summary = "One disclosure item: published ones for anyone, drafts for staff of the village",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadVisible(service, gate, req, id));
        GZ_ASSIGN_OR_RETURN(std::vector<int64_t> by, service.CorrectedBy(item.id));
        boost::json::object o = ItemJson(item, by);
        if (item.state == State::kDraft) {
          o["drafted_by"] = std::to_string(item.drafted_by);
          return Private(http::JsonResponse(200, o));
        }
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items/{id}/entry",
      .operation_id = "disclosure.entry",
      .permission = "public",
      .summary = "The exact bytes of a published item's transparency-log entry",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadPublished(service, id));
        http::Response r = http::Response::Json(200, item.entry);
        r.SetHeader("X-Log-Index", std::to_string(item.log_index));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/disclosure/items/{id}",
      .operation_id = "disclosure.revise",
      .permission = std::string(kDraftPerm),
      .summary = "Revise a draft (its drafter only, same village, kind and corrected item); earlier previews no longer publish",
      .json_body = true,
      .max_body_bytes = kDraftBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        GZ_ASSIGN_OR_RETURN(DraftInput in, ParseDraft(body));
        GZ_ASSIGN_OR_RETURN(Item revised, service.Revise(req.Caller(), id, in));
        boost::json::object o = ItemJson(revised, {});
        o["drafted_by"] = std::to_string(revised.drafted_by);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kDelete,
      .pattern = "/api/v1/disclosure/items/{id}",
      .operation_id = "disclosure.discard",
      .permission = std::string(kDraftPerm),
      .summary = "Discard a draft (its drafter only); published items are kept forever",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_RETURN_IF_ERROR(service.Discard(req.Caller(), id));
        http::Response r;
        r.status = 204;
        return Private(std::move(r));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items/{id}/preview",
      .operation_id = "disclosure.preview",
      .permission = std::string(kPublishPerm),
      .summary = "The exact bytes publishing this draft would make public and log (for the checker)",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kPublishPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Preview p, service.PreviewFor(req.Caller(), id));
        http::Response r = Private(http::Response::Json(200, p.entry));
        r.SetHeader("X-Entry-SHA256", p.entry_sha256);
        r.SetHeader("X-Published-At-Ms", std::to_string(p.published_at_ms));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/items/{id}/publish",
      .operation_id = "disclosure.publish",
      .permission = std::string(kPublishPerm),
      .summary = "Publish a draft as previewed: freeze it and append it to the transparency log (never one's own draft)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kPublishPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"entry_sha256", "published_at_ms"}));
        GZ_ASSIGN_OR_RETURN(std::string sha, f.String("entry_sha256", 64));
        GZ_ASSIGN_OR_RETURN(int64_t at, f.Integer("published_at_ms", 0, INT64_MAX));
        GZ_ASSIGN_OR_RETURN(Item published, service.Publish(req.Caller(), id, sha, at));
        return Private(http::JsonResponse(200, ItemJson(published, {})));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/items/{id}/originals",
      .operation_id = "disclosure.originals",
      .permission = std::string(kOriginalsPerm),
      .summary = "The recipients of a list as entered, unmasked (an audited read with a purpose)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, service.Get(id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kOriginalsPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"purpose"}));
        GZ_ASSIGN_OR_RETURN(std::string purpose, f.String("purpose", kMaxPurposeBytes));
        GZ_ASSIGN_OR_RETURN(std::vector<Recipient> rs, service.Originals(req.Caller(), item, purpose));
        boost::json::array out;
        for (const Recipient& r : rs) {
          boost::json::object o;
          o["name"] = r.name;
          o["id_number"] = r.id_number;
          o["phone"] = r.phone;
          o["amount_fen"] = r.amount_fen;
          o["note"] = r.note;
          out.push_back(std::move(o));
        }
        boost::json::object o;
        o["recipients"] = std::move(out);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items/{id}/questions",
      .operation_id = "disclosure.questions",
      .permission = "public",
      .summary = "Questions (质询) about a published item and their answers (public)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadPublished(service, id));
        GZ_ASSIGN_OR_RETURN(std::vector<Question> qs, service.Questions(item.id));
        boost::json::array out;
        for (const Question& q : qs) out.push_back(QuestionJson(q));
        boost::json::object o;
        o["items"] = std::move(out);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/items/{id}/questions",
      .operation_id = "disclosure.ask",
      .permission = std::string(kAskPerm),
      .summary = "Ask (质询) about a published item of my village; question and answer are public",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadPublished(service, id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kAskPerm, DisclosureService::TargetOf(item), ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", kMaxQuestionChars * 4));
        GZ_ASSIGN_OR_RETURN(Question q, service.Ask(req.Caller(), item, text));
        return Private(http::JsonResponse(201, QuestionJson(q)));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/questions/{id}/answer",
      .operation_id = "disclosure.answer",
      .permission = std::string(kAnswerPerm),
      .summary = "Answer a question (质询) about a disclosure item of my village (public)",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, QuestionNotFound()));
        GZ_ASSIGN_OR_RETURN(Question q, service.GetQuestion(id));
        access::Target target;
        target.division = q.village;
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kAnswerPerm, target, QuestionNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"text"}));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", kMaxAnswerChars * 4));
        GZ_ASSIGN_OR_RETURN(Question answered, service.Answer(req.Caller(), q, text));
        return Private(http::JsonResponse(200, QuestionJson(answered)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/calendar",
      .operation_id = "disclosure.calendar",
      .permission = "public",
      .summary = "A village's disclosure calendar for a year: due, published, late, missing",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, VillageParam(req));
        int year = std::stoi(UtcTimeText(service.NowMs() + 8 * 3'600'000).substr(0, 4));
        if (req.HasQueryParam("year")) {
          std::optional<Period> p = ParsePeriod(req.QueryParam("year"));
          if (!p || p->unit != Period::Unit::kYear) return BadQuery("year", "not-a-year");
          year = p->year;
        }
        GZ_ASSIGN_OR_RETURN(Cadence cadence, service.CadenceOf(village));
        GZ_ASSIGN_OR_RETURN(std::vector<CalendarSlot> slots, service.Calendar(village, year));
        boost::json::array out;
        for (const CalendarSlot& s : slots) {
          boost::json::object o;
          o["kind"] = KindCode(s.kind);
          o["period"] = s.period;
          o["deadline_ms"] = s.deadline_ms;
          o["status"] = SlotStatusCode(s.status);
          if (s.item_id != 0) o["item_id"] = std::to_string(s.item_id);
          else o["item_id"] = nullptr;
          out.push_back(std::move(o));
        }
        boost::json::object o;
        o["village"] = village;
        o["year"] = year;
        o["cadence"] = CadenceCode(cadence);
        o["items"] = std::move(out);
        return http::JsonResponse(200, o);
      }});

  router.Add(http::Route{
      .method = http::Method::kPut,
      .pattern = "/api/v1/disclosure/villages/{code}/cadence",
      .operation_id = "disclosure.cadence",
      .permission = std::string(kDraftPerm),
      .summary = "Set whether a village publishes its finances monthly or quarterly",
      .json_body = true,
      .max_body_bytes = kSmallBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::string village(req.PathParam("code"));
        if (!IsVillageCode(village)) return ItemNotFound();
        access::Target target;
        target.division = village;
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, target, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"cadence"}));
        GZ_ASSIGN_OR_RETURN(std::string code, f.String("cadence", 16));
        std::optional<Cadence> cadence = ParseCadence(code);
        if (!cadence) return BadField("cadence");
        GZ_RETURN_IF_ERROR(service.SetCadence(req.Caller(), village, *cadence));
        boost::json::object o;
        o["village"] = village;
        o["cadence"] = CadenceCode(*cadence);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/missing",
      .operation_id = "disclosure.missing",
      .permission = std::string(kOverseePerm),
      .summary = "Disclosures past their deadline and not published (with include=late: also those published late), "
                 "in the caller's area (township oversight)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        const access::Reachable reach = access::ReachFor(req.Caller(), kOverseePerm);
        const std::string include = req.HasQueryParam("include") ? std::string(req.QueryParam("include")) : "";
        if (!include.empty() && include != "late")
          return BadQuery("include", "late-or-nothing");
        GZ_ASSIGN_OR_RETURN(std::vector<CalendarSlot> slots, service.Missing(reach.scopes, include == "late"));
        boost::json::array out;
        for (const CalendarSlot& s : slots) {
          boost::json::object o;
          o["village"] = s.village;
          o["kind"] = KindCode(s.kind);
          o["period"] = s.period;
          o["deadline_ms"] = s.deadline_ms;
          o["status"] = SlotStatusCode(s.status);
          if (s.item_id != 0) {
            o["item_id"] = std::to_string(s.item_id);
            o["published_at_ms"] = s.published_at_ms;
          }
          out.push_back(std::move(o));
        }
        boost::json::object o;
        o["items"] = std::move(out);
        return Private(http::JsonResponse(200, o));
      }});

  // ---- scans (附件) ----

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/disclosure/villages/{code}/scans",
      .operation_id = "disclosure.scans.upload",
      .permission = std::string(kDraftPerm),
      .summary = "Upload a scan (JPEG, PNG or WebP; re-encoded without metadata) for a village's disclosures; answers its SHA-256",
      .json_body = false,
      .max_body_bytes = options.scans != nullptr ? options.scans->sanitizer().limits().max_input_bytes : kSmallBodyLimit,
      .handler = [scans = options.scans, &gate](http::Request& req) -> Result<http::Response> {
        std::string village(req.PathParam("code"));
        if (!IsVillageCode(village) || scans == nullptr) return ItemNotFound();
        access::Target target;
        target.division = village;
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kDraftPerm, target, ItemNotFound()));
        const std::string_view content_type = req.Header("content-type");
        if (!attachments::FormatOfMediaType(content_type))
          return Status(Code::kUnsupportedMediaType, std::string(attachments::problems::kUnsupportedType))
              .With("accepted", "JPEG, PNG, WebP");
        GZ_ASSIGN_OR_RETURN(attachments::Attachment a, scans->Upload(req.Caller(), village, req.body, content_type));
        boost::json::object o;
        o["id"] = std::to_string(a.id);
        o["village"] = a.division;
        o["sha256"] = a.sha256;
        o["byte_size"] = a.byte_size;
        o["width"] = a.width;
        o["height"] = a.height;
        o["format"] = attachments::FormatMediaType(a.format);
        return Private(http::JsonResponse(201, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/disclosure/items/{id}/scans/{sha256}",
      .operation_id = "disclosure.scans.get",
      .permission = "public",
      .summary = "A scan a disclosure item names, by its SHA-256 (published items: anyone; drafts: staff of the village)",
      .handler = [&service, &gate, scans = options.scans](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadVisible(service, gate, req, id));
        if (scans == nullptr) return NotFound(std::string(attachments::problems::kAttachmentNotFound));
        GZ_ASSIGN_OR_RETURN(ScanFile file, scans->Read(item, req.PathParam("sha256")));
        http::Response r;
        r.status = 200;
        r.body = std::move(file.bytes);
        r.SetHeader("Content-Type", attachments::FormatMediaType(file.info.format));
        r.SetHeader("X-Content-Type-Options", "nosniff");
        r.SetHeader("Content-Security-Policy", http::kFileContentSecurityPolicy);
        r.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
        if (item.state != State::kPublished) r.NoStore();
        return r;
      }});

  // ---- pages ----

  auto page_item = [&service, options](const http::Request& req, Item item) -> Result<PageItem> {
    PageItem p;
    GZ_ASSIGN_OR_RETURN(p.corrected_by, service.CorrectedBy(item.id));
    p.verify_url = OriginFor(options, req) + "/v/" + item.village + "/" + std::to_string(item.id);
    p.item = std::move(item);
    return p;
  };

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/v/{village}/{id}",
      .operation_id = "disclosure.verify_page",
      .permission = "public",
      .summary = "Verification page of a published item (opened from the QR code of a printed notice)",
      .handler = [&service, page_item](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(Item item, LoadPublished(service, id));
        if (item.village != req.PathParam("village")) return ItemNotFound();
        GZ_ASSIGN_OR_RETURN(PageItem p, page_item(req, std::move(item)));
        return Html(RenderVerifyPage(p));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/v/verify.js",
      .operation_id = "disclosure.verify_script",
      .permission = "public",
      .summary = "The script of the verification page (checks an inclusion proof with WebCrypto)",
      .handler = [](http::Request&) -> Result<http::Response> {
        return http::Response::Text(200, std::string(VerifyScript()), "text/javascript; charset=utf-8");
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/print/disclosure/{id}",
      .operation_id = "disclosure.print",
      .permission = "public",
      .summary = "Printable notice (A4 or A3) of a published item, with its log index and a QR code",
      .handler = [&service, page_item, key = options.verifier_key](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(int64_t id, PathId(req, ItemNotFound()));
        GZ_ASSIGN_OR_RETURN(std::string paper, PaperParam(req));
        GZ_ASSIGN_OR_RETURN(Item item, LoadPublished(service, id));
        GZ_ASSIGN_OR_RETURN(PageItem p, page_item(req, std::move(item)));
        return Html(RenderNotice({p}, paper, "", key));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/print/disclosure/{village}/{month}",
      .operation_id = "disclosure.print_month",
      .permission = "public",
      .summary = "Printable notice (A4 or A3) of everything a village published in a month",
      .handler = [&service, page_item, key = options.verifier_key](http::Request& req) -> Result<http::Response> {
        std::string village(req.PathParam("village"));
        std::optional<Period> month = ParsePeriod(req.PathParam("month"));
        if (!IsVillageCode(village) || !month || month->unit != Period::Unit::kMonth) return ItemNotFound();
        GZ_ASSIGN_OR_RETURN(std::string paper, PaperParam(req));
        ItemQuery q;
        q.village = village;
        q.state = State::kPublished;
        q.limit = 500;
        GZ_ASSIGN_OR_RETURN(std::vector<Item> items, service.List(q));
        std::vector<PageItem> pages;
        // Oldest first on the board; the items published in that month (Beijing time).
        for (auto it = items.rbegin(); it != items.rend(); ++it) {
          if (it->published_at_ms < month->StartMs() || it->published_at_ms >= month->EndMs()) continue;
          GZ_ASSIGN_OR_RETURN(PageItem p, page_item(req, *it));
          pages.push_back(std::move(p));
        }
        return Html(RenderNotice(pages, paper, month->Code(), key));
      }});
}

}  // namespace gz::disclosure
