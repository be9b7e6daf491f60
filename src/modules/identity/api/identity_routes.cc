// Sign-in, sessions and the signed-in person's own account. Layer: identity api.
#include "modules/identity/api/identity_routes.h"

#include "http/json.h"
#include "modules/identity/api/identity_dto.h"
#include "modules/identity/api/route_helpers.h"
#include "modules/identity/problems.h"

namespace gz::identity {
namespace {

constexpr size_t kSmallBody = 4 * 1024;

Result<SessionKind> ParseClient(const std::optional<std::string>& client) {
  if (!client || *client == "cookie") return SessionKind::kCookie;
  if (*client == "bearer") return SessionKind::kBearer;
  return InvalidArgument(std::string(http::problems::kBadField)).With("field", "client").With("reason", "not-cookie-or-bearer");
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void RegisterAccountRoutes(http::Router& router, IdentityService& identity, AccountService& accounts,
                           const access::Gate& gate);

void RegisterIdentityRoutes(http::Router& router, IdentityService& identity, AccountService& accounts,
                            const access::Gate& gate, CookieOptions cookies) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/auth/sign-in",
      .operation_id = "identity.sign_in",
      .permission = "public",
      .summary = "Sign in with phone, password and (staff) TOTP code; a cookie or a bearer session",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&identity, cookies](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"phone", "password", "totp", "client"}));
        SignInRequest in;
        GZ_ASSIGN_OR_RETURN(in.phone, f.String("phone", 32));
        GZ_ASSIGN_OR_RETURN(in.password, f.String("password", 1024));
        GZ_ASSIGN_OR_RETURN(in.totp, f.OptionalString("totp", 16));
        GZ_ASSIGN_OR_RETURN(std::optional<std::string> client, f.OptionalString("client", 16));
        GZ_ASSIGN_OR_RETURN(in.kind, ParseClient(client));
        GZ_ASSIGN_OR_RETURN(SignInResult result, identity.SignIn(in, RequestInfo{req.remote_addr, req.request_id}));
        GZ_ASSIGN_OR_RETURN(AccountView view, identity.MakeView(result.account, false));
        const int64_t now = identity.NowMs();
        const bool staff = HoldsStaffRole(result.account.grants);
        boost::json::object out;
        out["account"] = AccountJson(view, now);
        boost::json::object session;
        session["id"] = std::to_string(result.session.id);
        session["kind"] = SessionKindCode(result.session.kind);
        session["limited"] = result.session.limited;
        session["expires_at"] = TimeText(result.session.expires_at_ms);
        session["idle_timeout_seconds"] =
            static_cast<int64_t>((staff ? identity.options().idle_staff : identity.options().idle_villager).count());
        out["session"] = std::move(session);
        out["totp_enrolment_required"] = result.session.limited;
        http::Response response;
        if (result.session.kind == SessionKind::kBearer) {
          out["token"] = result.token;
          response = http::JsonResponse(200, out);
        } else {
          out["csrf_token"] = result.csrf_token;
          response = http::JsonResponse(200, out);
          response.AddHeader("Set-Cookie", SessionCookie(result.token, cookies));
        }
        response.NoStore();
        return response;
      }});

  auto sign_out = [&identity, cookies](bool everywhere) {
    return [&identity, cookies, everywhere](http::Request& req) -> Result<http::Response> {
      GZ_RETURN_IF_ERROR(RequireNoBody(req));
      const access::Principal& caller = req.Caller();
      GZ_RETURN_IF_ERROR(everywhere ? identity.SignOutEverywhere(caller) : identity.SignOut(caller));
      http::Response r = NoContent();
      r.SetHeader("Clear-Site-Data", "\"cookies\"");
      if (!caller.bearer) r.AddHeader("Set-Cookie", ClearSessionCookie(cookies));
      r.NoStore();
      return r;
    };
  };
  router.Add(http::Route{.method = http::Method::kPost,
                         .pattern = "/api/v1/auth/sign-out",
                         .operation_id = "identity.sign_out",
                         .permission = "me.session",
                         .summary = "End this session",
                         .max_body_bytes = kSmallBody,
                         .handler = sign_out(false)});
  router.Add(http::Route{.method = http::Method::kPost,
                         .pattern = "/api/v1/auth/sign-out-everywhere",
                         .operation_id = "identity.sign_out_everywhere",
                         .permission = "me.session",
                         .summary = "End every session of my account, this one included",
                         .max_body_bytes = kSmallBody,
                         .handler = sign_out(true)});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me",
      .operation_id = "identity.me",
      .permission = "me.read",
      .summary = "Who am I: my account, roles with scopes, the villager I act for",
      .handler = [&identity](http::Request& req) -> Result<http::Response> {
        const access::Principal& caller = req.Caller();
        GZ_ASSIGN_OR_RETURN(AccountView view, identity.Me(caller));
        boost::json::object out;
        out["account"] = AccountJson(view, identity.NowMs());
        out["roles"] = out["account"].as_object()["roles"];
        if (caller.acting_for) {
          boost::json::object a;
          a["account_id"] = std::to_string(caller.acting_for->person.account_id);
          a["consent_id"] = std::to_string(caller.acting_for->consent_id);
          boost::json::array actions;
          for (const auto& action : caller.acting_for->actions) actions.push_back(boost::json::string(action));
          a["actions"] = std::move(actions);
          out["acting_for"] = std::move(a);
        } else {
          out["acting_for"] = nullptr;
        }
        boost::json::object session;
        session["id"] = std::to_string(caller.session_id);
        session["kind"] = caller.bearer ? "bearer" : "cookie";
        session["limited"] = view.account.grants.size() > 0 && caller.self.grants.empty();
        out["session"] = std::move(session);
        http::Response r = http::JsonResponse(200, out);
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/me/password",
      .operation_id = "identity.change_password",
      .permission = "me.session",
      .summary = "Change my password (every other session of mine ends)",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&identity](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"current", "new"}));
        GZ_ASSIGN_OR_RETURN(std::string current, f.String("current", 1024));
        GZ_ASSIGN_OR_RETURN(std::string replacement, f.String("new", 1024));
        GZ_RETURN_IF_ERROR(identity.ChangePassword(req.Caller(), current, replacement));
        http::Response r = NoContent();
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/me/totp",
      .operation_id = "identity.totp_start",
      .permission = "me.session",
      .summary = "Start setting up an authenticator app: a new TOTP secret and otpauth:// URI",
      .max_body_bytes = kSmallBody,
      .handler = [&identity](http::Request& req) -> Result<http::Response> {
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(TotpEnrolment e, identity.StartTotp(req.Caller()));
        boost::json::object out;
        out["secret"] = e.secret_base32;
        out["otpauth_uri"] = e.otpauth_uri;
        out["algorithm"] = "SHA1";
        out["digits"] = kTotpDigitsForJson;
        out["period"] = kTotpPeriodForJson;
        http::Response r = http::JsonResponse(200, out);
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/me/totp/confirm",
      .operation_id = "identity.totp_confirm",
      .permission = "me.session",
      .summary = "Finish setting up the authenticator app with one code from it",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&identity](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"code"}));
        GZ_ASSIGN_OR_RETURN(std::string code, f.String("code", 16));
        GZ_RETURN_IF_ERROR(identity.ConfirmTotp(req.Caller(), code));
        boost::json::object out;
        out["totp_enrolled"] = true;
        http::Response r = http::JsonResponse(200, out);
        r.NoStore();
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/invitations/accept",
      .operation_id = "identity.accept_invitation",
      .permission = "public",
      .summary = "Set my password with the one-time invitation code a cadre gave me",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [&accounts](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"code", "phone", "password"}));
        GZ_ASSIGN_OR_RETURN(std::string code, f.String("code", 32));
        GZ_ASSIGN_OR_RETURN(std::string phone, f.String("phone", 32));
        GZ_ASSIGN_OR_RETURN(std::string password, f.String("password", 1024));
        GZ_ASSIGN_OR_RETURN(int64_t id, accounts.AcceptInvitation(code, phone, password,
                                                                   RequestInfo{req.remote_addr, req.request_id}));
        boost::json::object out;
        out["account_id"] = std::to_string(id);
        out["status"] = "active";
        http::Response r = http::JsonResponse(200, out);
        r.NoStore();
        return r;
      }});

  RegisterAccountRoutes(router, identity, accounts, gate);
}

}  // namespace gz::identity
