#include "modules/identity/api/identity_guard.h"

#include <memory>

#include "access/policy.h"
#include "modules/identity/api/identity_dto.h"
#include "modules/identity/problems.h"

namespace gz::identity {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Routes a limited session (staff who have not enrolled TOTP yet) may call.
bool AllowedWhileLimited(const http::Route& route) {
  return route.pattern == "/api/v1/me" || route.pattern == "/api/v1/me/totp" ||
         route.pattern == "/api/v1/me/totp/confirm" || route.pattern == "/api/v1/auth/sign-out";
}

Status NoConsent() { return PermissionDenied(std::string(access::problems::kNoConsent)); }

}  // namespace

std::string_view SessionCookieName(const CookieOptions& options) {
  return options.secure ? "__Host-gz_session" : "gz_session";
}

std::string SessionCookie(std::string_view token, const CookieOptions& options) {
  std::string c(SessionCookieName(options));
  c += '=';
  c += token;
  c += "; Path=/; HttpOnly; SameSite=Lax";
  if (options.secure) c += "; Secure";
  return c;
}

std::string ClearSessionCookie(const CookieOptions& options) {
  std::string c(SessionCookieName(options));
  c += "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (options.secure) c += "; Secure";
  return c;
}

bool IsUnsafeMethod(const http::Request& request) {
  switch (request.method) {
    case http::Method::kGet:
    case http::Method::kHead:
    case http::Method::kOptions:
      return false;
    case http::Method::kOther:
      return request.method_text != "TRACE";
    default:
      return true;
  }
}

bool SameOrigin(std::string_view origin, std::string_view host) {
  size_t scheme = origin.find("://");
  if (scheme == std::string_view::npos || host.empty()) return false;
  std::string_view authority = origin.substr(scheme + 3);
  if (authority.empty() || authority.find_first_of("/?#@") != std::string_view::npos) return false;
  std::string_view s = origin.substr(0, scheme);
  if (!EqualsIgnoreCase(s, "http") && !EqualsIgnoreCase(s, "https")) return false;
  return EqualsIgnoreCase(authority, Trim(host));
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) == name) return std::string(Trim(pair.substr(eq + 1)));
  }
  return std::nullopt;
}

http::Guard MakeIdentityGuard(IdentityService& identity, const access::Gate& gate, access::ConsentLookup* consents,
                              CookieOptions options) {
  return [&identity, &gate, consents, options](const http::Route& route, http::Request& request,
                                               std::vector<std::pair<std::string, std::string>>* out) -> Status {
    auto principal = std::make_shared<access::Principal>();
    principal->request_id = request.request_id;
    request.principal = principal;
    const access::Permission* permission = access::FindPermission(route.permission);
    const bool is_public = permission != nullptr && permission->audience == access::Audience::kPublic;
    const bool unsafe = IsUnsafeMethod(request);

    if (unsafe && request.HasHeader("origin") && !SameOrigin(request.Header("origin"), request.Header("host")))
      return PermissionDenied(std::string(access::problems::kCsrf), "cross-site Origin");

    std::optional<std::string> token;
    SessionKind kind = SessionKind::kBearer;
    if (std::string_view authz = request.Header("authorization"); !authz.empty()) {
      if (authz.size() > 7 && EqualsIgnoreCase(authz.substr(0, 7), "Bearer ")) token = std::string(Trim(authz.substr(7)));
    } else if (std::optional<std::string> cookie = CookieValue(request.Header("cookie"), SessionCookieName(options))) {
      token = std::move(cookie);
      kind = SessionKind::kCookie;
    }

    std::optional<Authenticated> auth;
    if (token) {
      GZ_ASSIGN_OR_RETURN(auth, identity.Authenticate(*token, kind));
      if (!auth && kind == SessionKind::kCookie) out->emplace_back("Set-Cookie", ClearSessionCookie(options));
    }
    if (auth && kind == SessionKind::kCookie && unsafe && !identity.CsrfMatches(auth->session, request.Header("x-csrf-token"))) {
      if (!is_public) return PermissionDenied(std::string(access::problems::kCsrf), "X-CSRF-Token missing or wrong");
      auth.reset();
    }

    if (auth) {
      if (auth->session.limited && !is_public && !AllowedWhileLimited(route))
        return PermissionDenied(std::string(problems::kTotpEnrolmentRequired));
      principal->self = PersonOf(auth->account);
      if (auth->session.limited) principal->self.grants.clear();
      principal->session_id = auth->session.id;
      principal->bearer = kind == SessionKind::kBearer;

      if (!is_public && request.HasHeader("x-acting-for")) {
        std::optional<int64_t> villager_id = http::ParsePositiveDecimal(Trim(request.Header("x-acting-for")));
        if (!villager_id) return InvalidArgument(std::string(access::problems::kBadActingFor));
        auto refuse = [&](std::string_view reason) -> Status {
          access::AuditEvent e = access::EventFor(*principal, "access.denied");
          e.outcome = access::outcome::kDenied;
          e.object_type = "account";
          e.object_id = std::to_string(*villager_id);
          e.details = "{\"permission\":\"" + route.permission + "\",\"decision\":\"no-consent\",\"reason\":\"" +
                      std::string(reason) + "\"}";
          GZ_RETURN_IF_ERROR(identity.store().AppendAudit({e}));
          return NoConsent();
        };
        if (!principal->HasRole(access::Role::kHelper)) return refuse("not-a-helper");
        GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> villager, identity.store().GetAccount(*villager_id));
        // Invited (not yet active) villagers count: one without a phone, who never signs in
        // themself, is exactly the person a helper acts for.
        bool is_villager = villager && villager->account.status != AccountStatus::kDisabled &&
                           std::any_of(villager->grants.begin(), villager->grants.end(),
                                       [](const GrantRow& g) { return g.role == access::Role::kVillager; });
        if (!is_villager || *villager_id == principal->self.account_id) return refuse("not-a-villager");
        // The helper must serve the villager's place now: a helper moved elsewhere cannot go on
        // using consents given while they served here.
        const std::string& home = villager->account.home_division;
        bool serves_there = std::any_of(principal->self.grants.begin(), principal->self.grants.end(),
                                        [&](const access::Grant& g) {
                                          return g.role == access::Role::kHelper && access::ScopeContains(g.scope, home);
                                        });
        if (!serves_there) return refuse("outside-helper-scope");
        if (consents == nullptr) return refuse("no-consent-registry");
        GZ_ASSIGN_OR_RETURN(std::optional<access::ActiveConsent> consent,
                            consents->FindActive(principal->self.account_id, *villager_id, identity.NowMs()));
        if (!consent) return refuse("no-consent");
        principal->acting_for = access::ActingFor{consent->id, PersonOf(*villager), consent->actions};
      }
    }
    return gate.Admit(*principal, route.permission, route.pattern);
  };
}

}  // namespace gz::identity
