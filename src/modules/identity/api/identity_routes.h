// The HTTP routes of the identity module. Layer: identity api (thin: parse, check, call one
// service method, map to JSON). Every answer about a person is Cache-Control: no-store.
//
//   POST   /api/v1/auth/sign-in                  [public]          identity.sign_in
//   POST   /api/v1/auth/sign-out                 [me.session]      identity.sign_out
//   POST   /api/v1/auth/sign-out-everywhere      [me.session]      identity.sign_out_everywhere
//   GET    /api/v1/me                            [me.read]         identity.me
//   POST   /api/v1/me/password                   [me.session]      identity.change_password
//   POST   /api/v1/me/totp                       [me.session]      identity.totp_start
//   POST   /api/v1/me/totp/confirm               [me.session]      identity.totp_confirm
//   POST   /api/v1/invitations/accept            [public]          identity.accept_invitation
//   POST   /api/v1/accounts                      [accounts.register] identity.register
//   GET    /api/v1/accounts                      [accounts.read]   identity.accounts_list
//   GET    /api/v1/accounts/{id}                 [accounts.read]   identity.accounts_get
//   POST   /api/v1/accounts/{id}/disable         [accounts.manage] identity.accounts_disable
//   POST   /api/v1/accounts/{id}/enable          [accounts.manage] identity.accounts_enable
//   POST   /api/v1/accounts/{id}/unlock          [accounts.manage] identity.accounts_unlock
//   POST   /api/v1/accounts/{id}/grants          [accounts.grant]  identity.grants_add
//   DELETE /api/v1/accounts/{id}/grants/{grant_id} [accounts.grant] identity.grants_revoke
//
// Bodies and answers: src/modules/identity/README.md and src/app/openapi.json. Routes without a
// body refuse a non-empty one (400 http/unknown-field), so that no stray field is ever ignored.
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/identity/account_service.h"
#include "modules/identity/api/identity_guard.h"
#include "modules/identity/identity_service.h"

namespace gz::identity {

// All must outlive `router`. Handlers are thread-safe.
void RegisterIdentityRoutes(http::Router& router, IdentityService& identity, AccountService& accounts,
                            const access::Gate& gate, CookieOptions cookies);

}  // namespace gz::identity
