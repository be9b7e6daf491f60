// IdentityService: sign-in, sessions, the signed-in person's own account (password, TOTP), and
// the principal of each request.
//
// Layer: identity domain (service). Reaches its tables through IdentityStore, time through Clock,
// secrets through crypto/ (Argon2id, random tokens, SHA-256). Rules (docs/security-identity.md):
//   - sign-in answers the same (401 identity/sign-in-failed, after one Argon2id verification)
//     for an unknown phone, a wrong password, a wrong or missing TOTP code, a disabled account
//     and an account without a password (T-AUTH-3);
//   - `lock_threshold` consecutive failures lock the password path for `lock_duration`: every
//     attempt then gets 429 identity/sign-in-locked, a correct password too. Unknown phones are
//     tracked the same way, so the lockout does not reveal which phones have accounts;
//   - `sign_in_per_minute` attempts per client address and minute (429 identity/too-many-attempts);
//   - every limit and lockout is kept in the store (IdentityStore::CountAttempt and
//     FailUnknownPhone), not in memory: several nodes behind a load balancer share one allowance,
//     and a restart does not reset it;
//   - staff (any role but villager) must pass TOTP; a staff account without an enrolled TOTP gets
//     a limited session that can only enrol one (and sign out);
//   - sessions: 256-bit random tokens stored as SHA-256; idle timeout by the account's current
//     roles (staff / villagers), absolute timeout; every request re-reads the account, its status
//     and grants, so disabling or demoting counts from the next request (T-AC-6).
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "crypto/secrets.h"
#include "modules/identity/account.h"
#include "modules/identity/identity_store.h"
#include "modules/identity/password_policy.h"

namespace gz::identity {

struct IdentityOptions {
  std::chrono::seconds idle_staff{15 * 60};
  std::chrono::seconds idle_villager{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
  int lock_threshold = 5;
  std::chrono::seconds lock_duration{15 * 60};
  int sign_in_per_minute = 20;  // per client address
  std::chrono::seconds invitation_validity{72 * 3600};
  crypto::PasswordHashCost hash_cost = crypto::PasswordHashCost::Interactive();
  // How stale last_seen may get before a request writes it (one write per session per interval).
  std::chrono::seconds touch_interval{10};
};

// Who is asking, for audit records and limits.
struct RequestInfo {
  std::string remote_addr;
  std::string request_id;
};

struct SignInRequest {
  std::string phone;
  std::string password;
  std::optional<std::string> totp;
  SessionKind kind = SessionKind::kBearer;
};

struct SignInResult {
  std::string token;       // the session token: the cookie value or the bearer token
  std::string csrf_token;  // cookie sessions only
  SessionRow session;
  AccountWithGrants account;
};

// An authenticated session: the request's principal is built from it.
struct Authenticated {
  SessionRow session;
  AccountWithGrants account;
};

enum class AuthFailure { kNone, kUnknown, kExpired };

// The signed-in person's own view of their account.
struct AccountView {
  AccountWithGrants account;
  std::string display_name;  // in clear for the person, masked for staff lists
  std::string phone_masked;  // "154****0001" or ""
  bool has_password = false;
  bool totp_enrolled = false;
};

struct TotpEnrolment {
  std::string secret_base32;
  std::string otpauth_uri;
};

bool HoldsStaffRole(const std::vector<GrantRow>& grants);
std::vector<access::Grant> ToAccessGrants(const std::vector<GrantRow>& grants);
// The principal's Person for an account (village = home division when it holds the villager role).
access::Person PersonOf(const AccountWithGrants& account);

class IdentityService {
 public:
  // All must outlive the service. `policy` defaults to PasswordPolicy::Default().
  IdentityService(IdentityStore& store, const crypto::FieldCipher& cipher, const Clock& clock,
                  IdentityOptions options = {}, const PasswordPolicy* policy = nullptr);

  const IdentityOptions& options() const { return options_; }
  const crypto::FieldCipher& cipher() const { return cipher_; }
  IdentityStore& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const PasswordPolicy& policy() const { return policy_; }
  int64_t NowMs() const;

  // Errors: kRateLimited identity/too-many-attempts / identity/sign-in-locked (argument
  // "retry_after" in seconds), kUnauthenticated identity/sign-in-failed; storage errors.
  Result<SignInResult> SignIn(const SignInRequest& request, const RequestInfo& info);

  // The session of `token`, if valid now: not expired (idle or absolute), of the given kind, of an
  // active account. An expired one is deleted. `failure` (optional) says why nothing was found.
  Result<std::optional<Authenticated>> Authenticate(std::string_view token, SessionKind kind,
                                                    AuthFailure* failure = nullptr);
  // True if `csrf_token` is the one issued with the cookie session.
  bool CsrfMatches(const SessionRow& session, std::string_view csrf_token) const;

  Status SignOut(const access::Principal& principal);
  Status SignOutEverywhere(const access::Principal& principal);

  // kPermissionDenied identity/wrong-password (counts as a failure towards the lockout),
  // kRateLimited identity/sign-in-locked while locked, kInvalidArgument identity/weak-password.
  // Ends every other session of the account.
  Status ChangePassword(const access::Principal& principal, std::string_view current, std::string_view replacement);

  // Starts TOTP enrolment: a fresh secret, kept as pending until confirmed.
  // kFailedPrecondition identity/totp-already-enrolled.
  Result<TotpEnrolment> StartTotp(const access::Principal& principal);
  // kFailedPrecondition identity/totp-not-started, kInvalidArgument identity/bad-totp. On success
  // the secret is enrolled and the caller's session is no longer limited.
  Status ConfirmTotp(const access::Principal& principal, std::string_view code);

  // The account of the principal (self), name in clear.
  Result<AccountView> Me(const access::Principal& principal);
  // Any account with the name masked (staff views); nullopt when there is none.
  Result<std::optional<AccountView>> View(int64_t account_id, bool mask_name);
  Result<AccountView> MakeView(const AccountWithGrants& account, bool mask_name) const;

  // An Argon2id hash of `password` with the configured cost.
  Result<std::string> HashPassword(std::string_view password) const;
  // The Argon2id verification an attempt without a real hash performs, so it takes as long.
  void DummyVerify(std::string_view password);

  // Counts an attempt of the client address (invitations use it too) against
  // `sign_in_per_minute`: 0, or the whole seconds to wait (>= 1). Storage errors.
  Result<int64_t> CountAttempt(const std::string& remote_addr);

  // A new session row and its token (and CSRF token for cookies), not stored yet.
  SessionRow NewSession(int64_t account_id, SessionKind kind, bool limited, std::string* token,
                        std::string* csrf_token) const;

 private:
  Status FailUnknown(const std::string& phone_index, const RequestInfo& info, std::string_view reason);
  access::AuditEvent SignInEvent(std::string_view outcome, const AccountRow* account, const RequestInfo& info,
                                 std::string_view reason) const;
  Status LockedStatus(int64_t locked_until_ms, int64_t now_ms) const;

  IdentityStore& store_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
  IdentityOptions options_;
  const PasswordPolicy& policy_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::atomic<uint32_t> attempts_since_purge_{0};
};

}  // namespace gz::identity
