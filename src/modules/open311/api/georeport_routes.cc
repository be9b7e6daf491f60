// The GeoReport v2 routes. Layer: open311 api (see georeport_routes.h).
#include "modules/open311/api/georeport_routes.h"

#include <charconv>
#include <cmath>
#include <map>
#include <span>

#include "core/log.h"
#include "core/problem_text.h"
#include "modules/appeals/categories.h"
#include "modules/open311/api/georeport_format.h"
#include "modules/open311/problems.h"
#include "modules/open311/time_text.h"

namespace gz::open311 {
namespace {

using format::Format;
using format::Node;

constexpr std::string_view kBase = "/open311/v2";
constexpr std::string_view kSpecification = "http://wiki.open311.org/GeoReport_v2";
// When this interface last changed (discovery's changeset).
constexpr std::string_view kChangeset = "2026-11-28T00:00:00+08:00";
constexpr size_t kPostBodyLimit = 64 * 1024;
constexpr size_t kMaxFormPairs = 64;
constexpr size_t kMaxIdBytes = 19;
constexpr size_t kMaxCodeBytes = 64;

// Byte limits of the parameters gongzhi reads (UTF-8 needs at most 4 bytes a character).
struct ParamLimit {
  std::string_view name;
  size_t max_bytes;
};
constexpr ParamLimit kPostParams[] = {
    {"api_key", 64},
    {"jurisdiction_id", 12},
    {"service_code", kMaxCodeBytes},
    {"lat", 32},
    {"long", 32},
    {"address_string", appeals::kMaxLocationChars * 4},
    {"address_id", 256},
    {"email", 254},
    {"device_id", 256},
    {"account_id", kMaxIdBytes},
    {"first_name", 256},
    {"last_name", 256},
    {"phone", 32},
    {"description", appeals::kMaxTextChars * 4},
    {"media_url", 2048},
};
// Anything else (attribute[...], extensions of other servers) is ignored, up to this size.
constexpr size_t kMaxOtherParamBytes = 2048;

constexpr ParamLimit kSearchParams[] = {
    {"jurisdiction_id", 12},
    {"service_request_id", kMaxRequestIds * (kMaxIdBytes + 1)},
    {"service_code", 64 * (kMaxCodeBytes + 1)},
    {"start_date", 40},
    {"end_date", 40},
    {"status", 16},
    {"api_key", 64},
};

Status BadParameter(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadParameter))
      .With("param", std::string(param))
      .With("reason", std::string(reason));
}

std::optional<double> ParseCoordinate(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<std::string_view> SplitCommas(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t comma = text.find(',');
    out.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// ---- errors -----------------------------------------------------------------------------------

// The GeoReport error format, from the module's problem texts in the caller's language.
http::Response ErrorResponse(const Status& status, const http::Request& req, const http::ProblemCatalog& catalog,
                             Format f) {
  const bool internal = status.code() == Code::kInternal || status.ok();
  if (internal) {
    log::Error("request.internal_error",
               {{"request_id", req.request_id}, {"route", req.route}, {"detail", status.ToString()}});
  }
  static const Status kBareInternal = Status(Code::kInternal, std::string(http::problems::kInternal));
  const Status& shown = internal ? kBareInternal : status;
  const bool en = req.language == http::Language::kEn;
  std::string description;
  if (const ProblemText* text = catalog.Find(shown.slug())) {
    Status with_id = shown;
    if (shown.Arg("request_id").empty()) with_id.With("request_id", req.request_id);
    const std::string detail = FillPlaceholders(en ? text->detail_en : text->detail_zh, with_id);
    description = std::string(en ? text->title_en : text->title_zh) + (en ? ": " : "：") + detail;
  } else {
    log::Warn("problems.unknown_slug", {{"slug", shown.slug()}, {"request_id", req.request_id}});
    description = en ? "The request could not be completed" : "请求未能完成";
  }
  const int code = http::HttpStatusFor(shown);
  Node errors = Node::Array("error");
  errors.Push(std::move(Node::Object()
                            .Add("code", Node::Integer(code))
                            .Add("description", Node::Text(description))
                            .Add("type", Node::Text("/problems/" + shown.slug()))));
  http::Response r = format::Render(code, f, "errors", errors);
  r.SetHeader("Content-Language", http::LanguageTag(req.language));
  r.SetHeader("Vary", "Accept-Language");
  if (code == 503 || code == 429) r.SetHeader("Retry-After", "5");
  r.NoStore();
  return r;
}

// ---- documents --------------------------------------------------------------------------------

Node Time(std::optional<int64_t> ms) { return ms ? Node::Text(FormatChinaTime(*ms)) : Node::Null(); }

Node ServiceNode(const Service& s) {
  return std::move(Node::Object()
                       .Add("service_code", Node::Text(s.code))
                       .Add("service_name", Node::Text(s.name))
                       .Add("description", Node::Text(s.description))
                       .Add("metadata", Node::Bool(false))
                       .Add("type", Node::Text("realtime"))
                       .Add("keywords", Node::Text(s.keywords))
                       .Add("group", Node::Text(s.group)));
}

Node RequestNode(const RequestView& v) {
  const appeals::Appeal& a = v.appeal;
  const appeals::Category* category = appeals::FindCategory(a.category);
  Node n = Node::Object();
  n.Add("service_request_id", Node::Text(std::to_string(a.id)))
      .Add("status", Node::Text(std::string(StatusOf(a.state))))
      .Add("status_notes", Node::Text(std::string(appeals::StateNameZh(a.state))))
      .Add("service_name", category ? Node::Text(std::string(category->name_zh)) : Node::Null())
      .Add("service_code", Node::Text(a.category));
  const std::optional<appeals::Location>& where = v.content ? v.content->location : std::nullopt;
  n.Add("description", v.content ? Node::Text(v.content->text) : Node::Null())
      .Add("agency_responsible", Node::Text(a.unit.Key()))
      .Add("service_notice", Node::Null())
      .Add("requested_datetime", Time(a.submitted_at_ms))
      .Add("updated_datetime", Time(a.updated_at_ms))
      .Add("expected_datetime", Time(ExpectedMs(a)))
      .Add("address", where && !where->description.empty() ? Node::Text(where->description) : Node::Null())
      .Add("address_id", Node::Null())
      .Add("zipcode", Node::Null())
      .Add("lat", where ? Node::Number(where->latitude) : Node::Null())
      .Add("long", where ? Node::Number(where->longitude) : Node::Null())
      .Add("media_url", Node::Null())
      .Add("jurisdiction_id", Node::Text(a.village));
  return n;
}

http::Response Requests(int status, Format f, const std::vector<RequestView>& views) {
  Node list = Node::Array("request");
  for (const RequestView& v : views) list.Push(RequestNode(v));
  return format::Render(status, f, "service_requests", list);
}

// "https://host" from the Host header when it is a plain host[:port]; "" otherwise (the
// discovery document then gives a path only, rather than echo an odd header).
std::string Origin(const http::Request& req, bool https) {
  const std::string_view host = req.Header("host");
  if (host.empty() || host.size() > 255) return "";
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return "";
  }
  return std::string(https ? "https://" : "http://") + std::string(host);
}

// ---- handlers ---------------------------------------------------------------------------------

struct Context {
  GeoReportService& service;
  const http::ProblemCatalog& catalog;
  GeoReportRouteOptions options;
};

// Runs `body` and answers its error in the GeoReport format.
template <typename Fn>
http::Response Answer(const Context& ctx, const http::Request& req, Format f, Fn&& body) {
  Result<http::Response> r = body();
  if (r.ok()) return std::move(*r);
  return ErrorResponse(r.status(), req, ctx.catalog, f);
}

Status CheckLimits(const http::Request& req, std::span<const ParamLimit> limits) {
  for (const ParamLimit& l : limits)
    if (req.HasQueryParam(l.name) && req.QueryParam(l.name).size() > l.max_bytes) return BadParameter(l.name, "too-long");
  return Status::Ok();
}

// The client of the api_key in the query, if one is given.
Result<std::optional<Client>> OptionalClient(const Context& ctx, const http::Request& req) {
  if (!req.HasQueryParam("api_key")) return std::optional<Client>();
  GZ_ASSIGN_OR_RETURN(Client c, ctx.service.clients().Authenticate(req.QueryParam("api_key")));
  return std::optional<Client>(std::move(c));
}

Result<http::Response> Discovery(const Context& ctx, const http::Request& req, Format f) {
  Node formats = Node::Array("format");
  formats.Push(Node::Text("text/xml")).Push(Node::Text("application/json"));
  Node endpoint = Node::Object();
  endpoint.Add("specification", Node::Text(std::string(kSpecification)))
      .Add("url", Node::Text(Origin(req, ctx.options.https) + std::string(kBase)))
      .Add("changeset", Node::Text(std::string(kChangeset)))
      .Add("type", Node::Text("production"))
      .Add("formats", std::move(formats));
  Node endpoints = Node::Array("endpoint");
  endpoints.Push(std::move(endpoint));
  Node d = Node::Object();
  d.Add("changeset", Node::Text(std::string(kChangeset)))
      .Add("contact", Node::Text("县级管理员 (the county administrator who issued your api_key)"))
      .Add("key_service",
           Node::Text("api_key 由县级管理员签发：POST /api/v1/open311/clients，或在服务器上运行 gongzhi api-key create"))
      .Add("endpoints", std::move(endpoints));
  return format::Render(200, f, "discovery", d);
}

Result<http::Response> ServiceList(const Context& ctx, const http::Request& req, Format f) {
  GZ_RETURN_IF_ERROR(CheckLimits(req, kSearchParams));
  // The catalogue is the same everywhere; a jurisdiction, if given, must still be real.
  if (req.HasQueryParam("jurisdiction_id")) GZ_RETURN_IF_ERROR(ctx.service.Jurisdiction(req.QueryParam("jurisdiction_id")).status());
  Node list = Node::Array("service");
  for (const Service& s : Services()) list.Push(ServiceNode(s));
  return format::Render(200, f, "services", list);
}

Result<http::Response> ServiceDefinition(const Context& ctx, const http::Request& req, Format f, std::string_view code) {
  GZ_RETURN_IF_ERROR(CheckLimits(req, kSearchParams));
  if (req.HasQueryParam("jurisdiction_id")) GZ_RETURN_IF_ERROR(ctx.service.Jurisdiction(req.QueryParam("jurisdiction_id")).status());
  std::optional<Service> s = FindService(code);
  if (!s) return NotFound(std::string(problems::kUnknownService));
  Node d = Node::Object();
  d.Add("service_code", Node::Text(s->code)).Add("attributes", Node::Array("attribute"));
  return format::Render(200, f, "service_definition", d);
}

Result<http::Response> Search(const Context& ctx, const http::Request& req, Format f) {
  GZ_RETURN_IF_ERROR(CheckLimits(req, kSearchParams));
  GZ_ASSIGN_OR_RETURN(std::optional<Client> client, OptionalClient(ctx, req));
  RequestSearch q;
  q.jurisdiction = req.QueryParam("jurisdiction_id");
  if (req.HasQueryParam("service_request_id")) {
    const std::string ids = req.QueryParam("service_request_id");
    for (std::string_view id : SplitCommas(ids)) {
      std::optional<int64_t> n = http::ParsePositiveDecimal(id);
      if (!n) return BadParameter("service_request_id", "not-an-id");
      if (q.ids.size() >= kMaxRequestIds) return BadParameter("service_request_id", "too-many");
      q.ids.push_back(*n);
    }
  }
  if (req.HasQueryParam("service_code")) {
    const std::string codes = req.QueryParam("service_code");
    for (std::string_view code : SplitCommas(codes)) {
      if (!FindService(code)) return InvalidArgument(std::string(problems::kUnknownService));
      q.service_codes.emplace_back(code);
    }
  }
  for (const auto& [param, target] : {std::pair<std::string_view, std::optional<int64_t>*>{"start_date", &q.start_ms},
                                      std::pair<std::string_view, std::optional<int64_t>*>{"end_date", &q.end_ms}}) {
    if (!req.HasQueryParam(param)) continue;
    std::optional<int64_t> ms = ParseW3cDateTime(req.QueryParam(param));
    if (!ms) return InvalidArgument(std::string(problems::kBadDateRange)).With("reason", std::string(param));
    *target = ms;
  }
  if (req.HasQueryParam("status")) {
    const std::string statuses = req.QueryParam("status");
    bool open = false, closed = false;
    for (std::string_view s : SplitCommas(statuses)) {
      if (s == kStatusOpen) open = true;
      else if (s == kStatusClosed) closed = true;
      else return BadParameter("status", "not-open-or-closed");
    }
    if (open != closed) q.states = *StatesOfStatus(open ? kStatusOpen : kStatusClosed);
  }
  GZ_ASSIGN_OR_RETURN(std::vector<RequestView> views,
                      ctx.service.Search(q, client ? &*client : nullptr, req.request_id));
  http::Response r = Requests(200, f, views);
  if (client) r.NoStore();
  return r;
}

Result<http::Response> OneRequest(const Context& ctx, const http::Request& req, Format f, std::string_view id_text) {
  GZ_RETURN_IF_ERROR(CheckLimits(req, kSearchParams));
  std::optional<int64_t> id = http::ParsePositiveDecimal(id_text);
  if (!id) return NotFound(std::string(problems::kRequestNotFound));
  GZ_ASSIGN_OR_RETURN(std::optional<Client> client, OptionalClient(ctx, req));
  GZ_ASSIGN_OR_RETURN(RequestView v, ctx.service.Get(*id, req.QueryParam("jurisdiction_id"),
                                                     client ? &*client : nullptr, req.request_id));
  http::Response r = Requests(200, f, {v});
  if (client) r.NoStore();
  return r;
}

Result<http::Response> Token(const Context& ctx, const http::Request&, Format f, std::string_view token) {
  GZ_ASSIGN_OR_RETURN(int64_t appeal, ctx.service.AppealOfToken(token));
  Node list = Node::Array("request");
  list.Push(std::move(Node::Object()
                          .Add("service_request_id", Node::Text(std::to_string(appeal)))
                          .Add("token", Node::Text(std::string(token)))));
  return format::Render(200, f, "service_requests", list);
}

Result<std::map<std::string, std::string>> ReadForm(const http::Request& req) {
  if (!format::IsFormContentType(req.Header("content-type")))
    return Status(Code::kUnsupportedMediaType, std::string(problems::kFormEncodingRequired));
  GZ_ASSIGN_OR_RETURN(auto pairs, format::ParseForm(req.body, kMaxFormPairs));
  std::map<std::string, std::string> known;
  for (auto& [name, value] : pairs) {
    const ParamLimit* limit = nullptr;
    for (const ParamLimit& l : kPostParams)
      if (l.name == name) limit = &l;
    if (limit == nullptr) {
      // attribute[...] and other servers' extensions: ignored, as GeoReport asks, within a limit.
      if (value.size() > kMaxOtherParamBytes) return BadParameter("attribute", "too-long");
      continue;
    }
    if (value.size() > limit->max_bytes) return BadParameter(limit->name, "too-long");
    if (!known.emplace(name, std::move(value)).second)
      return InvalidArgument(std::string(problems::kDuplicateParameter)).With("param", std::string(limit->name));
  }
  return known;
}

Result<http::Response> Submit(const Context& ctx, const http::Request& req, Format f) {
  GZ_ASSIGN_OR_RETURN(auto form, ReadForm(req));
  auto get = [&](std::string_view name) -> std::string {
    auto it = form.find(std::string(name));
    return it == form.end() ? std::string() : it->second;
  };
  GZ_ASSIGN_OR_RETURN(Client client, ctx.service.clients().Authenticate(get("api_key")));
  NewRequest r;
  r.jurisdiction = get("jurisdiction_id");
  r.service_code = get("service_code");
  r.description = get("description");
  r.address = get("address_string");
  r.phone = get("phone");
  r.request_id = req.request_id;
  for (const auto& [param, target] : {std::pair<std::string_view, std::optional<double>*>{"lat", &r.lat},
                                      std::pair<std::string_view, std::optional<double>*>{"long", &r.lon}}) {
    const std::string text = get(param);
    if (text.empty()) continue;
    *target = ParseCoordinate(text);
    if (!*target) return BadParameter(param, "not-a-number");
  }
  if (const std::string account = get("account_id"); !account.empty()) {
    std::optional<int64_t> n = http::ParsePositiveDecimal(account);
    if (!n) return BadParameter("account_id", "not-an-id");
    r.account_id = *n;
  }
  if (!get("address_id").empty() && !r.lat && r.address.empty())
    return InvalidArgument(std::string(problems::kAddressIdUnsupported));
  GZ_ASSIGN_OR_RETURN(FiledRequest filed, ctx.service.Submit(client, r));

  const std::optional<int64_t> due = ExpectedMs(filed.appeal);
  const bool en = req.language == http::Language::kEn;
  std::string notice = en ? "Filed with " + filed.appeal.unit.Key() : "已登记，承办单位 " + filed.appeal.unit.Key();
  if (due) notice += en ? "; an answer is due by " + FormatChinaTime(*due) : "，应于 " + FormatChinaTime(*due) + " 前答复";
  Node item = Node::Object();
  item.Add("service_request_id", Node::Text(std::to_string(filed.appeal.id)))
      .Add("token", filed.token.empty() ? Node::Null() : Node::Text(filed.token))
      .Add("service_notice", Node::Text(notice))
      .Add("account_id", Node::Null());
  Node list = Node::Array("request");
  list.Push(std::move(item));
  http::Response resp = format::Render(201, f, "service_requests", list);
  resp.NoStore();
  return resp;
}

// A handler for a route whose last segment is "<name>.json|.xml" from a placeholder.
using FileHandler = Result<http::Response> (*)(const Context&, const http::Request&, Format, std::string_view);

}  // namespace

void RegisterGeoReportRoutes(http::Router& router, GeoReportService& service, const http::ProblemCatalog& catalog,
                             GeoReportRouteOptions options) {
  auto ctx = std::make_shared<const Context>(Context{service, catalog, options});
  using Plain = Result<http::Response> (*)(const Context&, const http::Request&, Format);
  struct Fixed {
    http::Method method;
    std::string_view name;  // "discovery" -> discovery.json and discovery.xml
    std::string_view op;
    Plain handler;
    std::string_view summary;
  };
  const Fixed fixed[] = {
      {http::Method::kGet, "discovery", "open311.discovery", &Discovery,
       "Open311 GeoReport v2 discovery: the endpoint, its formats and where api keys come from"},
      {http::Method::kGet, "services", "open311.services", &ServiceList,
       "Open311 services: the appeal categories (service_name in Chinese, group = deadline class)"},
      {http::Method::kGet, "requests", "open311.requests", &Search,
       "Open311 service requests of a jurisdiction_id (village or township): public fields, newest first"},
      {http::Method::kPost, "requests", "open311.submit", &Submit,
       "Open311: file an appeal for a registered villager (form-encoded, api_key, phone or account_id)"},
  };
  for (const Fixed& r : fixed) {
    for (Format f : {Format::kJson, Format::kXml}) {
      const std::string ext = f == Format::kJson ? "json" : "xml";
      const Plain handler = r.handler;
      router.Add(http::Route{
          .method = r.method,
          .pattern = std::string(kBase) + "/" + std::string(r.name) + "." + ext,
          .operation_id = std::string(r.op) + "_" + ext,
          .permission = "public",
          .summary = std::string(r.summary) + " (" + ext + ")",
          .max_body_bytes = r.method == http::Method::kPost ? kPostBodyLimit : 0,
          .handler = [ctx, handler, f](http::Request& req) -> Result<http::Response> {
            return Answer(*ctx, req, f, [&] { return handler(*ctx, req, f); });
          }});
    }
  }

  struct ByFile {
    std::string_view folder;  // "services" -> /open311/v2/services/{file}
    std::string_view op;
    FileHandler handler;
    std::string_view summary;
  };
  const ByFile by_file[] = {
      {"services", "open311.service_definition", &ServiceDefinition,
       "Open311 service definition ({code}.json or .xml): no attributes (metadata false)"},
      {"requests", "open311.request", &OneRequest,
       "Open311 service request ({id}.json or .xml); with the filing client's api_key also its description and "
       "location (an audited read)"},
      {"tokens", "open311.token", &Token, "Open311: the service_request_id of a token ({token}.json or .xml)"},
  };
  for (const ByFile& r : by_file) {
    const FileHandler handler = r.handler;
    router.Add(http::Route{
        .method = http::Method::kGet,
        .pattern = std::string(kBase) + "/" + std::string(r.folder) + "/{file}",
        .operation_id = std::string(r.op),
        .permission = "public",
        .summary = std::string(r.summary),
        .handler = [ctx, handler](http::Request& req) -> Result<http::Response> {
          std::optional<std::pair<std::string, Format>> file = format::SplitExtension(req.PathParam("file"));
          if (!file) return ErrorResponse(NotFound(std::string(problems::kUnknownFormat)), req, ctx->catalog, Format::kJson);
          return Answer(*ctx, req, file->second, [&] { return handler(*ctx, req, file->second, file->first); });
        }});
  }
}

}  // namespace gz::open311
