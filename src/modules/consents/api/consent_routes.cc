// The consent routes. Layer: consents api (see consent_routes.h).
#include "modules/consents/api/consent_routes.h"

#include <algorithm>

#include "http/json.h"
#include "http/problem.h"
#include "modules/consents/api/consent_dto.h"
#include "modules/consents/evidence.h"
#include "modules/consents/problems.h"
#include "modules/consents/time_text.h"

namespace gz::consents {
namespace {

constexpr std::string_view kGrant = "consents.grant";
constexpr std::string_view kRead = "consents.read";
constexpr std::string_view kRevoke = "consents.revoke";
constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr int64_t kMaxOffset = 1'000'000;
// Base64 of kMaxEvidenceBytes is 2,796,204 characters; anything longer is refused as too large
// by DecodeEvidenceImage (a clearer answer than "field too long").
constexpr size_t kMaxEvidenceField = kGrantBodyLimit;
constexpr size_t kMaxAttestationBytes = kMaxAttestationChars * 4;
constexpr size_t kMaxReasonBytes = kMaxReasonChars * 4;
constexpr size_t kMaxTimeBytes = 40;

Status BadAccountId(std::string_view field) {
  return InvalidArgument(std::string(problems::kBadAccountId)).With("field", std::string(field));
}

// An account id: a positive JSON integer or a decimal string (ids are 63-bit; see consent_dto.h).
Result<int64_t> AccountIdField(const boost::json::object& body, std::string_view key) {
  const boost::json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null())
    return InvalidArgument(std::string(http::problems::kMissingField)).With("field", std::string(key));
  std::optional<int64_t> id;
  if (v->is_int64() && v->get_int64() > 0) id = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) id = static_cast<int64_t>(v->get_uint64());
  else if (v->is_string()) id = http::ParsePositiveDecimal(std::string_view(v->get_string()));
  if (!id) return BadAccountId(key);
  return *id;
}

Result<std::optional<int64_t>> TimeField(const http::JsonFields& f, std::string_view key) {
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> text, f.OptionalString(key, kMaxTimeBytes));
  if (!text) return std::optional<int64_t>();
  std::optional<int64_t> ms = ParseRfc3339Ms(*text);
  if (!ms) return InvalidArgument(std::string(problems::kBadTime)).With("field", std::string(key));
  return ms;
}

// The who, what and when of a consent by SMS code (the method is implied).
Result<GrantRequest> ParseSmsRequest(const http::JsonFields& f, const boost::json::object& body, int64_t villager) {
  GrantRequest r;
  r.villager_account = villager;
  r.method = Method::kSmsCode;
  GZ_ASSIGN_OR_RETURN(r.helper_account, AccountIdField(body, "helper"));
  GZ_ASSIGN_OR_RETURN(r.actions, f.StringArray("actions", kMaxActions, kMaxActionBytes));
  GZ_ASSIGN_OR_RETURN(r.valid_from_ms, TimeField(f, "valid_from"));
  GZ_ASSIGN_OR_RETURN(r.valid_until_ms, TimeField(f, "valid_until"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> days, f.OptionalInteger("valid_days", 1, kMaxValidityMs / kDayMs));
  if (days) r.valid_days = static_cast<int>(*days);
  return r;
}

boost::json::object ChallengeJson(const SmsChallenge& c, int64_t now_ms) {
  boost::json::object o;
  o["id"] = std::to_string(c.id);
  o["villager"] = std::to_string(c.villager_account);
  o["helper"] = std::to_string(c.helper_account);
  o["village"] = c.village;
  boost::json::array actions;
  for (const std::string& a : c.actions) actions.push_back(boost::json::string(a));
  o["actions"] = std::move(actions);
  o["valid_from"] = FormatRfc3339Ms(c.valid_from_ms);
  o["valid_until"] = FormatRfc3339Ms(c.valid_until_ms);
  o["requested_at"] = FormatRfc3339Ms(c.requested_at_ms);
  o["expires_at"] = FormatRfc3339Ms(c.expires_at_ms);
  o["attempts_left"] = std::max(0, kSmsCodeAttempts - c.attempts);
  std::string_view state = c.consent_id != 0                 ? "used"
                           : c.attempts >= kSmsCodeAttempts  ? "exhausted"
                           : now_ms >= c.expires_at_ms       ? "expired"
                                                             : "waiting";
  o["state"] = state;
  if (c.consent_id != 0) o["consent"] = std::to_string(c.consent_id);
  else o["consent"] = nullptr;
  return o;
}

Result<GrantRequest> ParseGrant(const http::JsonFields& f, const boost::json::object& body, int64_t villager) {
  GrantRequest r;
  r.villager_account = villager;
  GZ_ASSIGN_OR_RETURN(r.helper_account, AccountIdField(body, "helper"));
  GZ_ASSIGN_OR_RETURN(std::string method, f.String("method", 32));
  std::optional<Method> parsed = ParseMethod(method);
  if (!parsed) return InvalidArgument(std::string(problems::kBadMethod)).With("method", method);
  r.method = *parsed;
  GZ_ASSIGN_OR_RETURN(r.actions, f.StringArray("actions", kMaxActions, kMaxActionBytes));
  GZ_ASSIGN_OR_RETURN(r.valid_from_ms, TimeField(f, "valid_from"));
  GZ_ASSIGN_OR_RETURN(r.valid_until_ms, TimeField(f, "valid_until"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> days, f.OptionalInteger("valid_days", 1, kMaxValidityMs / kDayMs));
  if (days) r.valid_days = static_cast<int>(*days);
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> image, f.OptionalString("evidence_image", kMaxEvidenceField));
  if (image) {
    GZ_ASSIGN_OR_RETURN(std::string bytes, DecodeEvidenceImage(*image));
    r.evidence_image = std::move(bytes);
  }
  GZ_ASSIGN_OR_RETURN(r.attestation, f.OptionalString("attestation", kMaxAttestationBytes));
  GZ_ASSIGN_OR_RETURN(r.call_at_ms, TimeField(f, "call_at"));
  return r;
}

Status BadQuery(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadQuery))
      .With("param", std::string(param))
      .With("reason", std::string(reason));
}

// The filters and paging shared by both lists.
Status ParseListQuery(const http::Request& req, ConsentQuery* q) {
  if (req.HasQueryParam("village")) {
    std::string v = req.QueryParam("village");
    if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) return BadQuery("village", "not-a-village-code");
    q->village = std::move(v);
  }
  for (std::string_view param : {"villager", "helper"}) {
    if (!req.HasQueryParam(param)) continue;
    std::optional<int64_t> id = http::ParsePositiveDecimal(req.QueryParam(param));
    if (!id) return BadQuery(param, "not-an-account-id");
    (param == "villager" ? q->villager_account : q->helper_account) = *id;
  }
  if (req.HasQueryParam("active")) {
    std::string a = req.QueryParam("active");
    if (a != "true" && a != "false") return BadQuery("active", "not-true-or-false");
    q->active = a == "true";
  }
  q->limit = kDefaultLimit;
  if (req.HasQueryParam("limit")) {
    std::optional<int64_t> n = http::ParsePositiveDecimal(req.QueryParam("limit"));
    if (!n || *n > kMaxLimit) return BadQuery("limit", "out-of-range");
    q->limit = static_cast<int>(*n);
  }
  if (req.HasQueryParam("offset")) {
    std::string text = req.QueryParam("offset");
    std::optional<int64_t> n = text == "0" ? std::optional<int64_t>(0) : http::ParsePositiveDecimal(text);
    if (!n || *n > kMaxOffset) return BadQuery("offset", "out-of-range");
    q->offset = *n;
  }
  return Status::Ok();
}

Result<http::Response> ListResponse(ConsentService& service, const ConsentQuery& q) {
  GZ_ASSIGN_OR_RETURN(ConsentPage page, service.List(q));
  http::Response r = http::JsonResponse(200, ConsentPageJson(page, q.limit, q.offset, service.NowMs()));
  r.NoStore();
  return r;
}

Status ConsentNotFound() { return NotFound(std::string(problems::kConsentNotFound)); }

// The consent named by the path, once the caller is known to reach it through one of its parties
// (or their area). One denial record at most: the first check is silent.
Result<Consent> LoadReachable(ConsentService& service, const access::Gate& gate, const http::Request& req,
                              std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return ConsentNotFound();
  GZ_ASSIGN_OR_RETURN(Consent c, service.Get(*id));
  const std::array<access::Target, 2> targets = ConsentService::TargetsOf(c);
  if (access::Check(req.Caller(), permission, targets[0]) != access::Decision::kAllow)
    GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, targets[1], ConsentNotFound()));
  return c;
}

http::Response ConsentResponse(int status, const Consent& c, int64_t now_ms) {
  http::Response r = http::JsonResponse(status, ConsentJson(c, now_ms));
  r.NoStore();
  return r;
}

std::string_view FileExtension(std::string_view media_type) {
  if (media_type == "image/png") return "png";
  if (media_type == "image/jpeg") return "jpg";
  return "txt";
}

}  // namespace

void RegisterConsentRoutes(http::Router& router, ConsentService& service, const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/consents",
      .operation_id = "consents.grant",
      .permission = std::string(kGrant),
      .summary = "Record a villager's consent for a digital helper",
      .json_body = true,
      .max_body_bytes = kGrantBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"villager", "helper", "actions", "method", "valid_from", "valid_until", "valid_days",
                                   "evidence_image", "attestation", "call_at"}));
        // Where the consent will live is known from the villager alone: authorize on it before
        // reading anything else.
        GZ_ASSIGN_OR_RETURN(int64_t villager, AccountIdField(body, "villager"));
        GZ_ASSIGN_OR_RETURN(access::Target target, service.GrantTarget(villager));
        GZ_RETURN_IF_ERROR(
            gate.Require(req.Caller(), kGrant, target, NotFound(std::string(problems::kVillagerNotFound))));
        GZ_ASSIGN_OR_RETURN(GrantRequest request, ParseGrant(f, body, villager));
        GZ_ASSIGN_OR_RETURN(Consent c, service.Grant(req.Caller(), request));
        http::Response r = ConsentResponse(201, c, service.NowMs());
        r.SetHeader("Location", "/api/v1/consents/" + std::to_string(c.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/consents/sms-challenges",
      .operation_id = "consents.sms_request",
      .permission = std::string(kGrant),
      .summary = "Send the villager an SMS code for a consent; the helper enters it to record the consent",
      .json_body = true,
      .max_body_bytes = 16 * 1024,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"villager", "helper", "actions", "valid_from", "valid_until", "valid_days"}));
        GZ_ASSIGN_OR_RETURN(int64_t villager, AccountIdField(body, "villager"));
        GZ_ASSIGN_OR_RETURN(access::Target target, service.GrantTarget(villager));
        GZ_RETURN_IF_ERROR(
            gate.Require(req.Caller(), kGrant, target, NotFound(std::string(problems::kVillagerNotFound))));
        GZ_ASSIGN_OR_RETURN(GrantRequest request, ParseSmsRequest(f, body, villager));
        GZ_ASSIGN_OR_RETURN(SmsCodeSent sent, service.RequestSmsCode(req.Caller(), request));
        boost::json::object o = ChallengeJson(sent.challenge, service.NowMs());
        o["sent_to"] = sent.sent_to;
        http::Response r = http::JsonResponse(201, o);
        r.SetHeader("Location", "/api/v1/consents/sms-challenges/" + std::to_string(sent.challenge.id));
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/consents/sms-challenges/{id}",
      .operation_id = "consents.sms_challenge",
      .permission = std::string(kGrant),
      .summary = "An SMS code request I made: waiting, used, expired or exhausted",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return NotFound(std::string(problems::kChallengeNotFound));
        GZ_ASSIGN_OR_RETURN(SmsChallenge c, service.GetSmsChallenge(req.Caller(), *id));
        access::Target target{.division = c.village, .owner_account = c.villager_account};
        GZ_RETURN_IF_ERROR(
            gate.Require(req.Caller(), kGrant, target, NotFound(std::string(problems::kChallengeNotFound))));
        http::Response r = http::JsonResponse(200, ChallengeJson(c, service.NowMs()));
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/consents/sms-challenges/{id}/confirm",
      .operation_id = "consents.sms_confirm",
      .permission = std::string(kGrant),
      .summary = "Enter the code the villager told you: records the consent (method sms_code)",
      .json_body = true,
      .max_body_bytes = 1024,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return NotFound(std::string(problems::kChallengeNotFound));
        GZ_ASSIGN_OR_RETURN(SmsChallenge c, service.GetSmsChallenge(req.Caller(), *id));
        access::Target target{.division = c.village, .owner_account = c.villager_account};
        GZ_RETURN_IF_ERROR(
            gate.Require(req.Caller(), kGrant, target, NotFound(std::string(problems::kChallengeNotFound))));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"code"}));
        GZ_ASSIGN_OR_RETURN(std::string code, f.String("code", 16));
        GZ_ASSIGN_OR_RETURN(Consent consent, service.ConfirmSmsCode(req.Caller(), c.id, code));
        http::Response r = ConsentResponse(201, consent, service.NowMs());
        r.SetHeader("Location", "/api/v1/consents/" + std::to_string(consent.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/consents",
      .operation_id = "consents.list",
      .permission = std::string(kRead),
      .summary = "List consents: staff those of their area, a villager or helper their own",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        const access::Reachable reach = access::ReachFor(req.Caller(), kRead);
        ConsentQuery q;
        q.scopes = reach.scopes;
        if (reach.self) q.party_account = req.Caller().subject().account_id;
        GZ_RETURN_IF_ERROR(ParseListQuery(req, &q));
        return ListResponse(service, q);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/consents/{id}",
      .operation_id = "consents.get",
      .permission = std::string(kRead),
      .summary = "Get one consent",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Consent c, LoadReachable(service, gate, req, kRead));
        return ConsentResponse(200, c, service.NowMs());
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/consents/{id}/evidence",
      .operation_id = "consents.evidence",
      .permission = std::string(kRead),
      .summary = "Download the evidence of a consent (signed-form photo or phone attestation); audited",
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Consent c, LoadReachable(service, gate, req, kRead));
        GZ_ASSIGN_OR_RETURN(Evidence e, service.ReadEvidence(req.Caller(), c, req.QueryParam("purpose")));
        http::Response r = http::Response::Text(200, std::move(e.content), e.media_type);
        r.SetHeader("Content-Disposition", "attachment; filename=\"consent-" + std::to_string(c.id) + "-evidence." +
                                               std::string(FileExtension(e.media_type)) + "\"");
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/consents/{id}/revoke",
      .operation_id = "consents.revoke",
      .permission = std::string(kRevoke),
      .summary = "Revoke a consent, effective immediately",
      .json_body = true,
      .max_body_bytes = 16 * 1024,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Consent c, LoadReachable(service, gate, req, kRevoke));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"reason"}));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> reason, f.OptionalString("reason", kMaxReasonBytes));
        GZ_ASSIGN_OR_RETURN(Consent revoked, service.Revoke(req.Caller(), c.id, reason.value_or("")));
        return ConsentResponse(200, revoked, service.NowMs());
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/consents",
      .operation_id = "me.consents",
      .permission = "me.read",
      .summary = "My consents: those I gave as a villager and those I hold as a helper",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        ConsentQuery q;
        q.party_account = req.Caller().subject().account_id;
        GZ_RETURN_IF_ERROR(ParseListQuery(req, &q));
        return ListResponse(service, q);
      }});
}

}  // namespace gz::consents
