// The division routes. Layer: divisions api.
#include "modules/divisions/api/division_routes.h"

#include <boost/json/monotonic_resource.hpp>

#include "http/json.h"
#include "modules/divisions/api/division_dto.h"
#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

constexpr std::string_view kCacheControl = "public, max-age=300";

http::Response PublicJson(const boost::json::object& body) {
  http::Response r = http::JsonResponse(200, body);
  r.SetHeader("Cache-Control", kCacheControl);
  return r;
}

// A page of up to 1,000 divisions, built in one arena that is freed at once.
http::Response CachedChildList(const ChildList& list) {
  unsigned char buffer[16 * 1024];
  boost::json::monotonic_resource arena(buffer, sizeof buffer);
  return PublicJson(ChildListJson(list, &arena));
}

Result<Page> PageFrom(const http::Request& req) {
  return ParsePage(req.HasQueryParam("limit"), req.QueryParam("limit"), req.HasQueryParam("offset"),
                   req.QueryParam("offset"));
}

constexpr size_t kMaxLookupCodes = 200;

Status BadLookup(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadLookup))
      .With("reason", std::string(reason))
      .With("max", std::to_string(kMaxLookupCodes));
}

// {"codes": ["420114", "420114100201", ...]} → the parsed codes, in the order given.
Result<std::vector<DivisionCode>> LookupCodes(const http::Request& req) {
  GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
  const boost::json::value* codes = body.if_contains("codes");
  if (!codes) return BadLookup("missing-codes");
  if (!codes->is_array()) return BadLookup("not-a-list");
  const boost::json::array& list = codes->get_array();
  if (list.empty()) return BadLookup("empty");
  if (list.size() > kMaxLookupCodes) return BadLookup("too-many");
  std::vector<DivisionCode> out;
  out.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_string()) return BadLookup("not-a-string");
    GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(item.get_string()));
    out.push_back(code);
  }
  return out;
}

// Serves from `cache` when it holds a fresh answer for this route and query, else builds the
// answer and keeps it. The key is the route pattern with its parameters in canonical form, so
// "420114" and "420114000000" share one entry.
template <typename Build>
Result<http::Response> FromCache(http::ResponseCache* cache, std::string key, Build build) {
  if (cache != nullptr) {
    if (std::optional<http::Response> hit = cache->Get(key)) return std::move(*hit);
  }
  GZ_ASSIGN_OR_RETURN(http::Response response, build());
  if (cache != nullptr) cache->Put(std::move(key), response);
  return response;
}

std::string PageKey(const Page& page) {
  return "?limit=" + std::to_string(page.limit) + "&offset=" + std::to_string(page.offset);
}

}  // namespace

void RegisterDivisionRoutes(http::Router& router, DivisionService& service, http::ResponseCache* cache) {
  // GET /api/v1/divisions  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions",
      .operation_id = "divisions.roots",
      .permission = "public",
      .summary = "List the provinces (the roots of the division tree)",
      .handler = [&service, cache](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Page page, PageFrom(req));
        return FromCache(cache, "roots" + PageKey(page), [&]() -> Result<http::Response> {
          GZ_ASSIGN_OR_RETURN(ChildList list, service.Roots(page));
          return CachedChildList(list);
        });
      }});

  // GET /api/v1/divisions/{code}  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions/{code}",
      .operation_id = "divisions.get",
      .permission = "public",
      .summary = "Get a division with its ancestors, province first",
      .handler = [&service, cache](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(req.PathParam("code")));
        return FromCache(cache, "get/" + code.canonical(), [&]() -> Result<http::Response> {
          GZ_ASSIGN_OR_RETURN(DivisionWithAncestors d, service.Get(code));
          return PublicJson(DivisionWithAncestorsJson(d));
        });
      }});

  // GET /api/v1/divisions/{code}/children  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions/{code}/children",
      .operation_id = "divisions.children",
      .permission = "public",
      .summary = "List the divisions directly below a division, paged",
      .handler = [&service, cache](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(req.PathParam("code")));
        GZ_ASSIGN_OR_RETURN(Page page, PageFrom(req));
        return FromCache(cache, "children/" + code.canonical() + PageKey(page), [&]() -> Result<http::Response> {
          GZ_ASSIGN_OR_RETURN(ChildList list, service.Children(code, page));
          return CachedChildList(list);
        });
      }});

  // POST /api/v1/divisions/lookup  [public]
  // Resolves many codes in one round trip (a page listing appeals from several villages needs
  // their names; on a weak network one request beats fifty).
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/divisions/lookup",
      .operation_id = "divisions.lookup",
      .permission = "public",
      .summary = "Resolve up to 200 division codes at once",
      .json_body = true,
      .max_body_bytes = 16 * 1024,
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::vector<DivisionCode> codes, LookupCodes(req));
        boost::json::array items;
        boost::json::array unknown;
        for (const DivisionCode& code : codes) {
          Result<DivisionWithAncestors> found = service.Get(code);
          if (found.ok()) {
            items.push_back(DivisionDetailJson(found->division));
          } else if (found.status().code() == Code::kNotFound) {
            unknown.push_back(boost::json::string(code.canonical()));
          } else {
            return found.status();
          }
        }
        return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"unknown", std::move(unknown)}});
      }});
}

}  // namespace gz::divisions
