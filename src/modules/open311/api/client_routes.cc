// The client administration routes. Layer: open311 api (see client_routes.h).
#include "modules/open311/api/client_routes.h"


#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/json.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

constexpr std::string_view kPermission = "open311.clients";
constexpr size_t kBodyLimit = 16 * 1024;
constexpr size_t kMaxNameBytes = kMaxClientNameChars * 4;
constexpr size_t kMaxReasonBytes = kMaxReasonChars * 4;
constexpr size_t kMaxScopeBytes = 12;

Status ClientNotFound() { return NotFound(std::string(problems::kClientNotFound)); }

boost::json::object ClientJson(const Client& c) {
  boost::json::object o;
  o["id"] = std::to_string(c.id);
  o["name"] = c.name;
  o["scope"] = c.scope;
  o["key_hint"] = c.key_hint;
  o["status"] = c.revoked() ? "revoked" : "active";
  if (c.created_by != 0) o["created_by"] = std::to_string(c.created_by);
  else o["created_by"] = nullptr;  // the gongzhi CLI on the server
  o["created_at_ms"] = c.created_at_ms;
  if (c.revoked_at_ms) {
    o["revoked_at_ms"] = *c.revoked_at_ms;
    if (c.revoked_by != 0) o["revoked_by"] = std::to_string(c.revoked_by);
    else o["revoked_by"] = nullptr;
    o["revoke_reason"] = c.revoke_reason;
  } else {
    o["revoked_at_ms"] = nullptr;
    o["revoked_by"] = nullptr;
    o["revoke_reason"] = nullptr;
  }
  return o;
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

}  // namespace

void RegisterClientRoutes(http::Router& router, ClientService& service, const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/open311/clients",
      .operation_id = "open311.clients_create",
      .permission = std::string(kPermission),
      .summary = "Issue an Open311 api_key for a client application over a division of my area (shown once)",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"name", "scope"}));
        GZ_ASSIGN_OR_RETURN(std::string scope_text, f.String("scope", kMaxScopeBytes));
        GZ_ASSIGN_OR_RETURN(std::string scope, ParseClientScope(scope_text));
        // Where the client will work decides who may issue its key: authorize on that first.
        access::Target target;
        target.division = scope;
        GZ_RETURN_IF_ERROR(
            gate.Require(req.Caller(), kPermission, target, NotFound(std::string(problems::kScopeNotFound))));
        GZ_ASSIGN_OR_RETURN(std::string name, f.String("name", kMaxNameBytes));
        GZ_ASSIGN_OR_RETURN(IssuedClient issued, service.Create(&req.Caller(), name, scope));
        boost::json::object o = ClientJson(issued.client);
        o["key"] = issued.key;
        http::Response r = Private(http::JsonResponse(201, o));
        r.SetHeader("Location", "/api/v1/open311/clients/" + std::to_string(issued.client.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/open311/clients",
      .operation_id = "open311.clients_list",
      .permission = std::string(kPermission),
      .summary = "The Open311 clients of my area, active and revoked (never their keys)",
      .handler = [&service](http::Request& req) -> Result<http::Response> {
        const access::Reachable reach = access::ReachFor(req.Caller(), kPermission);
        GZ_ASSIGN_OR_RETURN(std::vector<Client> clients, service.List(reach.scopes));
        boost::json::array items;
        for (const Client& c : clients) items.push_back(ClientJson(c));
        boost::json::object o;
        o["items"] = std::move(items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/open311/clients/{id}/revoke",
      .operation_id = "open311.clients_revoke",
      .permission = std::string(kPermission),
      .summary = "Revoke an Open311 client's api_key, effective immediately",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&service, &gate](http::Request& req) -> Result<http::Response> {
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return ClientNotFound();
        GZ_ASSIGN_OR_RETURN(Client c, service.Get(*id));
        access::Target target;
        target.division = c.scope;
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kPermission, target, ClientNotFound()));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"reason"}));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> reason, f.OptionalString("reason", kMaxReasonBytes));
        GZ_ASSIGN_OR_RETURN(Client revoked, service.Revoke(&req.Caller(), c.id, reason.value_or("")));
        return Private(http::JsonResponse(200, ClientJson(revoked)));
      }});
}

}  // namespace gz::open311
