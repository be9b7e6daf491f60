// The division routes. Layer: divisions api.
#include "modules/divisions/api/division_routes.h"

#include "http/json.h"
#include "modules/divisions/api/division_dto.h"

namespace gz::divisions {
namespace {

constexpr std::string_view kCacheControl = "public, max-age=300";

http::Response Cached(const boost::json::object& body) {
  http::Response r = http::JsonResponse(200, body);
  r.SetHeader("Cache-Control", kCacheControl);
  return r;
}

Result<Page> PageFrom(const http::Request& req) {
  return ParsePage(req.HasQueryParam("limit"), req.QueryParam("limit"), req.HasQueryParam("offset"),
                   req.QueryParam("offset"));
}

}  // namespace

void RegisterDivisionRoutes(http::Router& router, DivisionService& service) {
  // GET /api/v1/divisions  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions",
      .operation_id = "divisions.roots",
      .permission = "public",
      .summary = "List the provinces (the roots of the division tree)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Page page, PageFrom(req));
        GZ_ASSIGN_OR_RETURN(ChildList list, service.Roots(page));
        return Cached(ChildListJson(list));
      }});

  // GET /api/v1/divisions/{code}  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions/{code}",
      .operation_id = "divisions.get",
      .permission = "public",
      .summary = "Get a division with its ancestors, province first",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(req.PathParam("code")));
        GZ_ASSIGN_OR_RETURN(DivisionWithAncestors d, service.Get(code));
        return Cached(DivisionWithAncestorsJson(d));
      }});

  // GET /api/v1/divisions/{code}/children  [public]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/divisions/{code}/children",
      .operation_id = "divisions.children",
      .permission = "public",
      .summary = "List the divisions directly below a division, paged",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(req.PathParam("code")));
        GZ_ASSIGN_OR_RETURN(Page page, PageFrom(req));
        GZ_ASSIGN_OR_RETURN(ChildList list, service.Children(code, page));
        return Cached(ChildListJson(list));
      }});
}

}  // namespace gz::divisions
