// Accounts administration: registering villagers, listing, disabling, granting. Layer: identity
// api. Each handler that names an account looks it up, then asks the gate about THAT account's
// place (object level) before it reads the body; a foreign account answers 404 like a missing one.
#include "http/json.h"
#include "modules/identity/api/identity_dto.h"
#include "modules/identity/api/identity_routes.h"
#include "modules/identity/api/route_helpers.h"
#include "modules/identity/problems.h"

namespace gz::identity {
namespace {

constexpr size_t kSmallBody = 4 * 1024;

Status AccountNotFound() { return NotFound(std::string(problems::kAccountNotFound)); }

// The account named by {id}, once the caller may use `permission` on it.
Result<AccountWithGrants> AuthorizedAccount(const http::Request& req, AccountService& accounts, const access::Gate& gate,
                                            std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) {
    // Nothing to look up: the caller learns no more than "not found", after the usual check.
    GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, access::Target{}, AccountNotFound()));
    return AccountNotFound();
  }
  GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> found, accounts.Find(*id));
  access::Target target;
  if (found) {
    target.division = found->account.home_division;
    target.owner_account = found->account.id;
  }
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, target, AccountNotFound()));
  if (!found) return AccountNotFound();
  return std::move(*found);
}

http::Response PersonalJson(int status, const boost::json::object& body) {
  http::Response r = http::JsonResponse(status, body);
  r.NoStore();
  return r;
}

}  // namespace

void RegisterAccountRoutes(http::Router& router, IdentityService& identity, AccountService& accounts,
                           const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/accounts",
      .operation_id = "identity.register",
      .permission = "accounts.register",
      .summary = "Register a villager in a village of my area; returns a one-time invitation code",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&identity, &accounts, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"village", "name", "phone", "resident_id"}));
        NewVillagerAccount in;
        GZ_ASSIGN_OR_RETURN(in.village, f.String("village", 12));
        // The place comes from the body: it is checked before anything else of the body is.
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), "accounts.register", access::Target{.division = in.village},
                                        AccountNotFound()));
        GZ_ASSIGN_OR_RETURN(in.name, f.String("name", 256));
        GZ_ASSIGN_OR_RETURN(in.phone, f.OptionalString("phone", 32));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> resident, f.OptionalString("resident_id", 20));
        if (resident) {
          std::optional<int64_t> id = http::ParsePositiveDecimal(*resident);
          if (!id) return InvalidArgument(std::string(problems::kBadResident)).With("reason", "malformed");
          in.resident_id = *id;
        }
        GZ_ASSIGN_OR_RETURN(RegisteredAccount created, accounts.RegisterVillager(req.Caller(), in));
        boost::json::object out;
        out["account"] = AccountJson(created.view, identity.NowMs());
        boost::json::object inv;
        inv["code"] = created.invitation.code;
        inv["expires_at"] = TimeText(created.invitation.expires_at_ms);
        out["invitation"] = std::move(inv);
        return PersonalJson(201, out);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/accounts",
      .operation_id = "identity.accounts_list",
      .permission = "accounts.read",
      .summary = "List accounts of my area (masked), by village and role, 50 a page",
      .handler = [&identity, &accounts](http::Request& req) -> Result<http::Response> {
        std::optional<access::Role> role;
        if (req.HasQueryParam("role")) {
          std::string text = req.QueryParam("role");
          role = access::ParseRole(text);
          if (!role) return InvalidArgument(std::string(problems::kBadRole)).With("role", text.substr(0, 32));
        }
        int64_t page = 1;
        if (req.HasQueryParam("page")) {
          std::optional<int64_t> p = http::ParsePositiveDecimal(req.QueryParam("page"));
          if (!p) return InvalidArgument(std::string(problems::kBadPage));
          page = *p;
        }
        std::string village = req.QueryParam("village");
        if (village.size() > 12) return InvalidArgument(std::string(problems::kBadVillage)).With("code", village.substr(0, 32));
        GZ_ASSIGN_OR_RETURN(AccountList list, accounts.List(req.Caller(), village, role, page));
        const int64_t now = identity.NowMs();
        boost::json::array items;
        for (const AccountView& v : list.items) items.push_back(AccountJson(v, now));
        boost::json::object out;
        out["items"] = std::move(items);
        out["total"] = list.total;
        out["page"] = list.page;
        out["page_size"] = list.page_size;
        return PersonalJson(200, out);
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/accounts/{id}",
      .operation_id = "identity.accounts_get",
      .permission = "accounts.read",
      .summary = "One account of my area (masked)",
      .handler = [&identity, &accounts, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(AccountWithGrants account, AuthorizedAccount(req, accounts, gate, "accounts.read"));
        GZ_ASSIGN_OR_RETURN(AccountView view, accounts.View(account));
        return PersonalJson(200, AccountJson(view, identity.NowMs()));
      }});

  struct ActionRoute {
    const char* suffix;
    const char* operation;
    const char* summary;
    AccountAction action;
  };
  for (const ActionRoute& a : {
           ActionRoute{"disable", "identity.accounts_disable", "Disable an account (its sessions end at once)",
                       AccountAction::kDisable},
           ActionRoute{"enable", "identity.accounts_enable", "Enable a disabled account", AccountAction::kEnable},
           ActionRoute{"unlock", "identity.accounts_unlock", "Lift a sign-in lockout", AccountAction::kUnlock},
       }) {
    AccountAction action = a.action;
    router.Add(http::Route{
        .method = http::Method::kPost,
        .pattern = std::string("/api/v1/accounts/{id}/") + a.suffix,
        .operation_id = a.operation,
        .permission = "accounts.manage",
        .summary = a.summary,
        .json_body = true,
        .max_body_bytes = kSmallBody,
        .handler = [&identity, &accounts, &gate, action](http::Request& req) -> Result<http::Response> {
          GZ_ASSIGN_OR_RETURN(AccountWithGrants account, AuthorizedAccount(req, accounts, gate, "accounts.manage"));
          GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
          http::JsonFields f(body);
          GZ_RETURN_IF_ERROR(f.Only({"reason"}));
          GZ_ASSIGN_OR_RETURN(std::string reason, f.String("reason", kMaxReasonBytes));
          GZ_ASSIGN_OR_RETURN(AccountView view, accounts.Apply(req.Caller(), account.account.id, action, reason));
          return PersonalJson(200, AccountJson(view, identity.NowMs()));
        }});
  }

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/accounts/{id}/grants",
      .operation_id = "identity.grants_add",
      .permission = "accounts.grant",
      .summary = "Grant a role over a scope (never to myself; only roles I may grant, inside my area)",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&accounts, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(AccountWithGrants account, AuthorizedAccount(req, accounts, gate, "accounts.grant"));
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"role", "scope"}));
        GZ_ASSIGN_OR_RETURN(std::string role, f.String("role", 32));
        GZ_ASSIGN_OR_RETURN(std::string scope, f.String("scope", 12));
        GZ_ASSIGN_OR_RETURN(GrantRow grant, accounts.Grant(req.Caller(), account.account.id, role, scope));
        boost::json::object out;
        out["grant"] = GrantJson(grant);
        out["account_id"] = std::to_string(account.account.id);
        return PersonalJson(201, out);
      }});

  router.Add(http::Route{
      .method = http::Method::kDelete,
      .pattern = "/api/v1/accounts/{id}/grants/{grant_id}",
      .operation_id = "identity.grants_revoke",
      .permission = "accounts.grant",
      .summary = "Revoke a role grant (the same rules as granting)",
      .max_body_bytes = kSmallBody,
      .handler = [&accounts, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(AccountWithGrants account, AuthorizedAccount(req, accounts, gate, "accounts.grant"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        std::optional<int64_t> grant_id = http::ParsePositiveDecimal(req.PathParam("grant_id"));
        if (!grant_id) return NotFound(std::string(problems::kGrantNotFound));
        GZ_RETURN_IF_ERROR(accounts.Revoke(req.Caller(), account.account.id, *grant_id));
        http::Response r;
        r.status = 204;
        r.NoStore();
        return r;
      }});
}

}  // namespace gz::identity
