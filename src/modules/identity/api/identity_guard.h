// The request guard: who is calling, for whom, and may they call this route at all.
//
// Layer: identity api. Built once by the composition root and handed to http::Dispatcher; runs
// before every handler:
//   1. the credential: `Authorization: Bearer <token>` (bearer sessions), else the session cookie
//      (cookie sessions; the name follows cookie_secure, see SessionCookieName); a session of the
//      other kind, an unknown or expired one counts as none (an expired cookie is cleared with
//      Set-Cookie). No credential: anonymous, which public routes accept;
//   2. unsafe methods (not GET/HEAD/OPTIONS/TRACE): an Origin header that names another host
//      than Host is refused (403 access/csrf) whatever the credential (login CSRF included); a
//      cookie session also needs X-CSRF-Token equal to the token issued at sign-in (403
//      access/csrf on a protected route; on a public route the cookie is just not used);
//   3. a limited session (staff without TOTP) may only call GET /api/v1/me, the TOTP enrolment
//      routes and sign-out (403 identity/totp-enrolment-required);
//   4. `X-Acting-For: <villager account id>` (signed-in callers, protected routes): malformed ->
//      400 access/bad-acting-for; the caller must hold the helper role, the account must be an
//      active villager, and ConsentLookup::FindActive must return a consent, else 403
//      access/no-consent (audited);
//   5. request.principal is set, then access::Gate::Admit(principal, route.permission).
#pragma once

#include <string>
#include <string_view>

#include "access/consent_lookup.h"
#include "access/gate.h"
#include "http/dispatcher.h"
#include "modules/identity/identity_service.h"

namespace gz::identity {

struct CookieOptions {
  bool secure = false;  // cookie_secure: TLS in front of the server
};

// "__Host-gz_session" when secure (browsers accept the __Host- prefix only with Secure), else
// "gz_session".
std::string_view SessionCookieName(const CookieOptions& options);
// Set-Cookie values: the session cookie (HttpOnly, SameSite=Lax, Path=/, Secure when secure; no
// Max-Age: it ends with the browser, and the server ends it at the latest after the absolute
// timeout) and the one that clears it.
std::string SessionCookie(std::string_view token, const CookieOptions& options);
std::string ClearSessionCookie(const CookieOptions& options);

// `identity`, `gate` and `consents` (may be null: nobody can act for anyone) must outlive the guard.
http::Guard MakeIdentityGuard(IdentityService& identity, const access::Gate& gate, access::ConsentLookup* consents,
                              CookieOptions options);

// Exposed for tests.
bool IsUnsafeMethod(const http::Request& request);
bool SameOrigin(std::string_view origin, std::string_view host);
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace gz::identity
