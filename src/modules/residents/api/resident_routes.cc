// The residents routes. Layer: residents api.
#include "modules/residents/api/resident_routes.h"

#include <algorithm>

#include "http/json.h"
#include "http/problem.h"
#include "modules/residents/api/my_data_page.h"
#include "modules/residents/api/resident_json.h"
#include "modules/residents/api/route_helpers.h"
#include "modules/residents/data_quality.h"
#include "modules/residents/masking.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents {
namespace {

namespace json = boost::json;
using access::Target;

constexpr size_t kMaxIdNumberBytes = 32;  // typed forms may carry spaces and full-width digits
constexpr size_t kMaxPhoneBytes = 32;
constexpr size_t kMinPurposeChars = 4;
constexpr size_t kMaxPurposeChars = 200;
constexpr size_t kMaxPurposeBytes = 500;  // the audit record's limit (audit::kMaxPurposeBytes)
constexpr size_t kSmallBody = 8 * 1024;
constexpr size_t kHouseholdBody = 32 * 1024;
constexpr std::array<std::string_view, 5> kRevealable = {"name", "id_number", "phone", "address", "flags"};

Status VillageNotFound() { return NotFound(std::string(problems::kVillageNotFound)); }
Status ResidentNotFound() { return NotFound(std::string(problems::kResidentNotFound)); }
Status HouseholdNotFound() { return NotFound(std::string(problems::kHouseholdNotFound)); }
Status CorrectionNotFound() { return NotFound(std::string(problems::kCorrectionNotFound)); }

struct PageRequest {
  int64_t limit = kDefaultPageSize;
  int64_t offset = 0;
};

Result<PageRequest> PageOf(const http::Request& req) {
  PageRequest p;
  GZ_ASSIGN_OR_RETURN(p.limit, IntQueryParam(req, "limit", 1, kMaxPageSize, kDefaultPageSize));
  GZ_ASSIGN_OR_RETURN(p.offset, IntQueryParam(req, "offset", 0, 1'000'000'000, 0));
  return p;
}

json::object PageJson(json::array items, int64_t total, const PageRequest& page) {
  return json::object{{"items", std::move(items)}, {"total", total}, {"limit", page.limit}, {"offset", page.offset}};
}

// The village of a /villages/{code}/... route: the gate first (a village outside the caller's
// scopes answers exactly like an unknown one), then whether it is a village at all.
Result<std::string> RequireVillage(const http::Request& req, ResidentsModule& m, const access::Gate& gate,
                                   std::string_view permission) {
  std::string code(req.PathParam("code"));
  if (!IsVillageCode(code)) return VillageNotFound();
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, Target{code, 0, 0, 0}, VillageNotFound()));
  if (!m.villages().IsVillage(code)) return VillageNotFound();
  return code;
}

// The resident of a /residents/{id} route; a villager owns their own record (kSelf rules).
Result<ResidentInfo> RequireResident(const http::Request& req, ResidentsModule& m, const access::Gate& gate,
                                     std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return ResidentNotFound();
  GZ_ASSIGN_OR_RETURN(ResidentInfo info, m.registry().GetResident(ResidentId{*id}));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, Target{info.village_code, 0, info.id.value, 0},
                                  ResidentNotFound()));
  return info;
}

// The household of a /households/{id} route; a villager owns their own household.
Result<HouseholdInfo> RequireHousehold(const http::Request& req, ResidentsModule& m, const access::Gate& gate,
                                       std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return HouseholdNotFound();
  GZ_ASSIGN_OR_RETURN(HouseholdInfo info, m.registry().GetHousehold(HouseholdId{*id}));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, Target{info.village_code, 0, 0, info.id.value},
                                  HouseholdNotFound()));
  return info;
}

Status BadField(std::string_view field, std::string_view reason) {
  return InvalidArgument(std::string(http::problems::kBadField))
      .With("field", std::string(field))
      .With("reason", std::string(reason));
}

// Flags of a body, if given: an array of codes.
Result<std::optional<std::vector<std::string>>> FlagsOf(const http::JsonFields& f) {
  if (!f.Has("flags")) return std::optional<std::vector<std::string>>();
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> flags, f.StringArray("flags", kMaxFlags, kMaxFlagCodeBytes));
  return std::optional<std::vector<std::string>>(std::move(flags));
}

// One member of a household body: {name, id_number, phone?, relation, flags?, gender?}.
Result<NewResident> MemberOf(const json::value& value) {
  if (!value.is_object()) return BadField("members", "not-an-object");
  http::JsonFields f(value.get_object());
  GZ_RETURN_IF_ERROR(f.Only({"name", "id_number", "phone", "relation", "flags", "gender"}));
  NewResident m;
  GZ_ASSIGN_OR_RETURN(m.personal.name, f.String("name", kMaxNameBytes));
  GZ_ASSIGN_OR_RETURN(m.personal.id_number, f.String("id_number", kMaxIdNumberBytes));
  GZ_ASSIGN_OR_RETURN(m.personal.phone, f.OptionalString("phone", kMaxPhoneBytes));
  GZ_ASSIGN_OR_RETURN(std::string relation, f.String("relation", 16));
  std::optional<Relation> parsed = ParseRelation(relation);
  if (!parsed) return InvalidArgument(std::string(problems::kBadRelation));
  m.relation = *parsed;
  GZ_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> flags, FlagsOf(f));
  if (flags) m.personal.flags = std::move(*flags);
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> gender, f.OptionalString("gender", 8));
  if (gender) {
    m.stated_gender = ParseGender(*gender);
    if (!m.stated_gender) return InvalidArgument(std::string(problems::kBadGender));
  }
  return m;
}

Result<NewHousehold> HouseholdOf(const http::Request& req, const std::string& village) {
  GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
  http::JsonFields f(body);
  GZ_RETURN_IF_ERROR(f.Only({"address", "members"}));
  NewHousehold h;
  h.village_code = village;
  GZ_ASSIGN_OR_RETURN(h.personal.address, f.String("address", kMaxAddressBytes));
  const json::value* members = body.if_contains("members");
  if (members == nullptr || members->is_null()) return InvalidArgument(std::string(http::problems::kMissingField)).With("field", "members");
  if (!members->is_array()) return BadField("members", "not-an-array");
  if (members->get_array().size() > kMaxMembers)
    return BadField("members", "too-many-items").With("limit", std::to_string(kMaxMembers));
  for (size_t i = 0; i < members->get_array().size(); ++i) {
    Result<NewResident> m = MemberOf(members->get_array()[i]);
    if (!m.ok()) return Status(m.status()).With("member", std::to_string(i));
    h.members.push_back(std::move(m).value());
  }
  return h;
}

// A purpose people type: 4..200 characters and at most 500 bytes (what an audit record holds),
// no control characters.
Result<std::string> PurposeOf(const http::JsonFields& f) {
  auto bad = [](const char* reason) {
    return InvalidArgument(std::string(problems::kBadPurpose))
        .With("reason", reason)
        .With("min", std::to_string(kMinPurposeChars))
        .With("max", std::to_string(kMaxPurposeChars));
  };
  if (!f.Has("purpose")) return bad("missing");
  Result<std::string> purpose = f.String("purpose", kMaxPurposeBytes);
  if (!purpose.ok()) return purpose.status().Arg("reason") == "too-long" ? bad("too-long") : purpose.status();
  const size_t chars = CountCharacters(*purpose);
  if (chars < kMinPurposeChars) return bad("too-short");
  if (chars > kMaxPurposeChars) return bad("too-long");
  if (std::any_of(purpose->begin(), purpose->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return bad("control-character");
  return purpose;
}

Result<std::vector<std::string>> RevealFieldsOf(const http::JsonFields& f) {
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> fields, f.StringArray("fields", kRevealable.size(), 16));
  if (fields.empty()) return InvalidArgument(std::string(problems::kBadRevealFields)).With("reason", "empty");
  std::vector<std::string> seen;
  for (const std::string& field : fields) {
    if (std::find(kRevealable.begin(), kRevealable.end(), field) == kRevealable.end()) {
      const bool plain = std::all_of(field.begin(), field.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
      return InvalidArgument(std::string(problems::kBadRevealFields)).With("reason", "unknown").With("field", plain ? field : "?");
    }
    if (std::find(seen.begin(), seen.end(), field) != seen.end())
      return InvalidArgument(std::string(problems::kBadRevealFields)).With("reason", "repeated").With("field", field);
    seen.push_back(field);
  }
  return seen;
}

bool Wants(const std::vector<std::string>& fields, std::string_view f) {
  return std::find(fields.begin(), fields.end(), f) != fields.end();
}

std::string FieldListJson(const std::vector<std::string>& fields) {
  std::string out = "{\"fields\":[";
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? ",\"" : "\"") + fields[i] + "\"";
  return out + "]}";
}

}  // namespace

void RegisterResidentRoutes(http::Router& router, ResidentsModule& m, const access::Gate& gate) {
  // GET /api/v1/villages/{code}/households  [residents.list]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/villages/{code}/households",
      .operation_id = "residents.households",
      .permission = "residents.list",
      .summary = "List the households of a village, masked and paged",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, m, gate, "residents.list"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(PageRequest page, PageOf(req));
        GZ_ASSIGN_OR_RETURN(MaskedHouseholdPage list, m.masked().Households(village, page.limit, page.offset));
        json::array items;
        for (const MaskedHousehold& h : list.items) items.push_back(MaskedHouseholdJson(h));
        return PersonalJson(200, PageJson(std::move(items), list.total, page));
      }});

  // GET /api/v1/villages/{code}/residents  [residents.list]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/villages/{code}/residents",
      .operation_id = "residents.list",
      .permission = "residents.list",
      .summary = "List or search (?id_number=, ?phone=) the residents of a village, masked and paged",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, m, gate, "residents.list"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(PageRequest page, PageOf(req));
        const bool by_id = req.HasQueryParam("id_number"), by_phone = req.HasQueryParam("phone");
        if (by_id && by_phone) return BadQuery("phone", "one-search-at-a-time");
        MaskedResidentPage list;
        if (by_id || by_phone) {
          const std::string value = req.QueryParam(by_id ? "id_number" : "phone");
          if (value.empty()) return BadQuery(by_id ? "id_number" : "phone", "empty");
          if (value.size() > kMaxIdNumberBytes) return BadQuery(by_id ? "id_number" : "phone", "too-long");
          GZ_ASSIGN_OR_RETURN(list, by_id ? m.masked().FindByIdNumber(village, value)
                                          : m.masked().FindByPhone(village, value));
        } else {
          GZ_ASSIGN_OR_RETURN(list, m.masked().Residents(village, page.limit, page.offset));
        }
        json::array items;
        for (const MaskedResident& r : list.items) items.push_back(MaskedResidentJson(r));
        return PersonalJson(200, PageJson(std::move(items), list.total, page));
      }});

  // GET /api/v1/households/{id}  [residents.read]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/households/{id}",
      .operation_id = "residents.household",
      .permission = "residents.read",
      .summary = "A household with its members, masked",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(HouseholdInfo info, RequireHousehold(req, m, gate, "residents.read"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(MaskedHouseholdDetail detail, m.masked().Household(info.id));
        return PersonalJson(200, MaskedHouseholdDetailJson(detail));
      }});

  // GET /api/v1/residents/{id}  [residents.read]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/residents/{id}",
      .operation_id = "residents.get",
      .permission = "residents.read",
      .summary = "A resident, masked",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(ResidentInfo info, RequireResident(req, m, gate, "residents.read"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(MaskedResident r, m.masked().Resident(info.id));
        return PersonalJson(200, MaskedResidentJson(r));
      }});

  // POST /api/v1/residents/{id}/reveal  [residents.reveal]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/residents/{id}/reveal",
      .operation_id = "residents.reveal",
      .permission = "residents.reveal",
      .summary = "Show personal fields of a resident in full, with a stated purpose (audited)",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(ResidentInfo info, RequireResident(req, m, gate, "residents.reveal"));
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"fields", "purpose"}));
        GZ_ASSIGN_OR_RETURN(std::vector<std::string> fields, RevealFieldsOf(f));
        GZ_ASSIGN_OR_RETURN(std::string purpose, PurposeOf(f));
        const ReadContext context{req.Caller(), purpose, req.request_id, kActionReveal, FieldListJson(fields)};
        GZ_ASSIGN_OR_RETURN(ResidentRecord record, m.reader().ReadPersonalFields(context, info.id));
        json::object values;
        if (Wants(fields, "name")) values["name"] = record.personal.name;
        if (Wants(fields, "id_number")) values["id_number"] = record.personal.id_number;
        if (Wants(fields, "phone")) {
          if (record.personal.phone) values["phone"] = *record.personal.phone;
          else values["phone"] = nullptr;
        }
        if (Wants(fields, "flags")) values["flags"] = FlagsJson(record.personal.flags, req.language);
        if (Wants(fields, "address")) {
          GZ_ASSIGN_OR_RETURN(HouseholdRecord household,
                              m.reader().ReadHouseholdPersonalFields(context, record.info.household_id));
          values["address"] = household.personal.address;
        }
        return PersonalJson(200, json::object{{"resident_id", std::to_string(info.id.value)},
                                          {"purpose", purpose},
                                          {"values", std::move(values)}});
      }});

  // POST /api/v1/villages/{code}/households  [residents.write]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/villages/{code}/households",
      .operation_id = "residents.create_household",
      .permission = "residents.write",
      .summary = "Register a household with its members (audited)",
      .json_body = true,
      .max_body_bytes = kHouseholdBody,
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, m, gate, "residents.write"));
        GZ_ASSIGN_OR_RETURN(NewHousehold household, HouseholdOf(req, village));
        GZ_ASSIGN_OR_RETURN(HouseholdId id, m.registry().CreateHousehold(req.Caller(), household));
        GZ_ASSIGN_OR_RETURN(MaskedHouseholdDetail detail, m.masked().Household(id));
        http::Response r = PersonalJson(201, MaskedHouseholdDetailJson(detail));
        r.SetHeader("Location", "/api/v1/households/" + std::to_string(id.value));
        return r;
      }});

  // POST /api/v1/households/{id}/members  [residents.write]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/households/{id}/members",
      .operation_id = "residents.add_member",
      .permission = "residents.write",
      .summary = "Add a member to a household (audited)",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(HouseholdInfo household, RequireHousehold(req, m, gate, "residents.write"));
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        GZ_ASSIGN_OR_RETURN(NewResident member, MemberOf(body));
        GZ_ASSIGN_OR_RETURN(ResidentId id, m.registry().AddResident(req.Caller(), household.id, member));
        GZ_ASSIGN_OR_RETURN(MaskedResident r, m.masked().Resident(id));
        http::Response response = PersonalJson(201, MaskedResidentJson(r));
        response.SetHeader("Location", "/api/v1/residents/" + std::to_string(id.value));
        return response;
      }});

  // PATCH /api/v1/residents/{id}  [residents.write]
  router.Add(http::Route{
      .method = http::Method::kPatch,
      .pattern = "/api/v1/residents/{id}",
      .operation_id = "residents.update",
      .permission = "residents.write",
      .summary = "Change a resident's phone, flags or relation (audited in the same transaction)",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(ResidentInfo info, RequireResident(req, m, gate, "residents.write"));
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"phone", "flags", "relation"}));
        ResidentChange change;
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, f.OptionalString("phone", kMaxPhoneBytes));
        // An empty string removes the phone; null or absent leaves it.
        if (phone) change.phone = phone->empty() ? std::optional<std::string>() : std::optional<std::string>(*phone);
        GZ_ASSIGN_OR_RETURN(change.flags, FlagsOf(f));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> relation, f.OptionalString("relation", 16));
        if (relation) {
          change.relation = ParseRelation(*relation);
          if (!change.relation) return InvalidArgument(std::string(problems::kBadRelation));
        }
        GZ_RETURN_IF_ERROR(m.registry().UpdateResident(req.Caller(), info.id, change).status());
        GZ_ASSIGN_OR_RETURN(MaskedResident r, m.masked().Resident(info.id));
        return PersonalJson(200, MaskedResidentJson(r));
      }});

  // GET /api/v1/villages/{code}/data-quality  [residents.quality]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/villages/{code}/data-quality",
      .operation_id = "residents.data_quality",
      .permission = "residents.quality",
      .summary = "The data-quality report of a village (counts and ids, never names)",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, m, gate, "residents.quality"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        DataQualityOptions options;
        GZ_ASSIGN_OR_RETURN(int64_t years, IntQueryParam(req, "stale_years", 1, kMaxStaleYears, kDefaultStaleYears));
        options.stale_years = static_cast<int>(years);
        GZ_ASSIGN_OR_RETURN(DataQualityReport report,
                            BuildDataQualityReport(m.store(), village, m.clock(), m.regions(), options));
        return PersonalJson(200, DataQualityJson(report));
      }});

  // GET /api/v1/villages/{code}/corrections  [corrections.list]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/villages/{code}/corrections",
      .operation_id = "corrections.list",
      .permission = "corrections.list",
      .summary = "Correction requests of a village, newest first (?status=open|accepted|declined)",
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, m, gate, "corrections.list"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(PageRequest page, PageOf(req));
        std::optional<CorrectionStatus> status;
        if (req.HasQueryParam("status")) {
          status = ParseCorrectionStatus(req.QueryParam("status"));
          if (!status) return BadQuery("status", "unknown");
        }
        GZ_ASSIGN_OR_RETURN(StaffCorrectionPage list,
                            m.corrections().OfVillage(req.Caller(), village, status, page.limit, page.offset));
        json::array items;
        for (const StaffCorrectionView& c : list.items) items.push_back(StaffCorrectionJson(c));
        return PersonalJson(200, PageJson(std::move(items), list.total, page));
      }});

  // POST /api/v1/corrections/{id}/resolve  [corrections.resolve]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/corrections/{id}/resolve",
      .operation_id = "corrections.resolve",
      .permission = "corrections.resolve",
      .summary = "Accept (and apply) or decline a correction request",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&m, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return CorrectionNotFound();
        GZ_ASSIGN_OR_RETURN(CorrectionInfo info, m.corrections().Get(CorrectionId{*id}));
        // The request belongs to the villager who filed it (the matrix models it so); only the
        // village's cadres pass the rule, never that villager.
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), "corrections.resolve",
                                        Target{info.village_code, info.requester_account, 0, 0}, CorrectionNotFound()));
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"decision", "note"}));
        GZ_ASSIGN_OR_RETURN(std::string decision, f.String("decision", 16));
        if (decision != "accepted" && decision != "declined")
          return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "decision");
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> note, f.OptionalString("note", kMaxNoteBytes));
        GZ_ASSIGN_OR_RETURN(CorrectionInfo resolved,
                            m.corrections().Resolve(req.Caller(), info.id, decision == "accepted", note.value_or("")));
        return PersonalJson(200, CorrectionInfoJson(resolved));
      }});

  // GET /api/v1/me/data  [me.data]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/data",
      .operation_id = "me.data",
      .permission = "me.data",
      .summary = "Everything held about me, my own values in clear (audited self-access read)",
      .handler = [&m](http::Request& req) -> Result<http::Response> {
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(MyData data, m.my_data().Collect(req.Caller()));
        return PersonalJson(200, MyDataJson(data, req.language));
      }});

  // GET /api/v1/me/data.html  [me.data]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/data.html",
      .operation_id = "me.data_page",
      .permission = "me.data",
      .summary = "Everything held about me as a printable page (zh-CN or en by Accept-Language)",
      .handler = [&m](http::Request& req) -> Result<http::Response> {
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(MyData data, m.my_data().Collect(req.Caller()));
        http::Response r = http::Response::Text(200, RenderMyDataPage(data, req.language), "text/html; charset=utf-8");
        r.SetHeader("Content-Disposition", "inline; filename=\"my-data.html\"");
        r.SetHeader("Content-Language", http::LanguageTag(req.language));
        r.SetHeader("Vary", "Accept-Language");
        r.NoStore();
        return r;
      }});

  // POST /api/v1/me/corrections  [me.corrections]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/me/corrections",
      .operation_id = "me.corrections.create",
      .permission = "me.corrections",
      .summary = "Ask the village committee to correct my record",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&m](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"field", "proposed_value", "reason"}));
        GZ_ASSIGN_OR_RETURN(std::string field, f.String("field", 16));
        std::optional<CorrectionField> parsed = ParseCorrectionField(field);
        if (!parsed) return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "field");
        CorrectionRequest request;
        request.field = *parsed;
        GZ_ASSIGN_OR_RETURN(request.proposed_value, f.String("proposed_value", kMaxAddressBytes));
        GZ_ASSIGN_OR_RETURN(request.reason, f.String("reason", kMaxReasonBytes));
        GZ_ASSIGN_OR_RETURN(CorrectionInfo info, m.corrections().Request(req.Caller(), request));
        return PersonalJson(201, CorrectionInfoJson(info));
      }});

  // GET /api/v1/me/corrections  [me.corrections]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/corrections",
      .operation_id = "me.corrections.list",
      .permission = "me.corrections",
      .summary = "My correction requests and their outcome",
      .handler = [&m](http::Request& req) -> Result<http::Response> {
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(std::vector<CorrectionView> mine, m.corrections().Mine(req.Caller()));
        json::array items;
        for (const CorrectionView& c : mine) items.push_back(CorrectionJson(c));
        return PersonalJson(200, json::object{{"items", std::move(items)}});
      }});
}

}  // namespace gz::residents
