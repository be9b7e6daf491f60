#include "modules/identity/identity_service.h"

#include <algorithm>

#include "access/gate.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/problems.h"
#include "modules/identity/totp.h"
#include "modules/residents/phone.h"

namespace gz::identity {
namespace {

constexpr int64_t kAttemptWindowMs = 60 * 1000;
// One attempt in this many also deletes expired limit rows, so the tables stay small without a
// job of their own and without every attempt scanning for old rows.
constexpr uint32_t kPurgeEvery = 256;
constexpr std::string_view kAttemptKeyDomain = "identity.attempts";

Status SignInFailed() { return Unauthenticated(std::string(problems::kSignInFailed)); }

std::string ReasonDetails(std::string_view reason) {
  std::string out = "{\"reason\":\"";
  log::AppendJsonEscaped(out, reason);
  out += "\"}";
  return out;
}

int64_t CeilSeconds(int64_t ms) { return ms <= 0 ? 1 : (ms + 999) / 1000; }

}  // namespace

bool HoldsStaffRole(const std::vector<GrantRow>& grants) {
  return std::any_of(grants.begin(), grants.end(), [](const GrantRow& g) { return access::IsStaff(g.role); });
}

std::vector<access::Grant> ToAccessGrants(const std::vector<GrantRow>& grants) {
  std::vector<access::Grant> out;
  out.reserve(grants.size());
  for (const GrantRow& g : grants) out.push_back(access::Grant{g.id, g.role, g.scope});
  return out;
}

access::Person PersonOf(const AccountWithGrants& a) {
  access::Person p;
  p.account_id = a.account.id;
  p.resident_id = a.account.resident_id;
  p.household_id = a.account.household_id;
  bool villager = std::any_of(a.grants.begin(), a.grants.end(),
                              [](const GrantRow& g) { return g.role == access::Role::kVillager; });
  if (villager) p.village = a.account.home_division;
  p.grants = ToAccessGrants(a.grants);
  return p;
}

IdentityService::IdentityService(IdentityStore& store, const crypto::FieldCipher& cipher, const Clock& clock,
                                 IdentityOptions options, const PasswordPolicy* policy)
    : store_(store),
      cipher_(cipher),
      clock_(clock),
      options_(options),
      policy_(policy ? *policy : PasswordPolicy::Default()) {}

Result<int64_t> IdentityService::CountAttempt(const std::string& remote_addr) {
  const int64_t now = NowMs();
  // A blind index, not the address: the store keeps no client addresses in clear.
  const std::string key = cipher_.BlindIndex(kAttemptKeyDomain, remote_addr);
  GZ_ASSIGN_OR_RETURN(int64_t wait_ms,
                      store_.CountAttempt(key, std::max(1, options_.sign_in_per_minute), kAttemptWindowMs, now));
  if (attempts_since_purge_.fetch_add(1) % kPurgeEvery == kPurgeEvery - 1) {
    const int64_t lock_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_duration).count();
    // Unknown phones are forgotten a day after their last failure (or when their lock ends, if later).
    Status purged = store_.PurgeLimits(now - kAttemptWindowMs, now - std::max<int64_t>(lock_ms, 24 * 3600 * 1000));
    if (!purged.ok()) log::Warn("identity.purge_limits_failed", {{"error", std::string(purged.slug())}});
  }
  return wait_ms == 0 ? 0 : CeilSeconds(wait_ms);
}

int64_t IdentityService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::string> IdentityService::HashPassword(std::string_view password) const {
  return crypto::HashPassword(password, options_.hash_cost);
}

void IdentityService::DummyVerify(std::string_view password) {
  std::call_once(dummy_once_, [this] {
    auto hash = crypto::HashPassword("gongzhi: no such account", options_.hash_cost);
    if (hash.ok()) dummy_hash_ = *hash;
  });
  (void)crypto::VerifyPassword(dummy_hash_, password.substr(0, kMaxPasswordBytes));
}

SessionRow IdentityService::NewSession(int64_t account_id, SessionKind kind, bool limited, std::string* token,
                                       std::string* csrf_token) const {
  const int64_t now = NowMs();
  SessionRow s;
  s.id = crypto::NewRowId(now);
  *token = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  s.token_hash = crypto::Sha256(*token);
  s.account_id = account_id;
  s.kind = kind;
  if (kind == SessionKind::kCookie) {
    *csrf_token = crypto::Base64UrlEncode(crypto::RandomBytes(32));
    s.csrf_hash = crypto::Sha256(*csrf_token);
  }
  s.limited = limited;
  s.created_at_ms = now;
  s.last_seen_ms = now;
  s.expires_at_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.absolute).count();
  return s;
}

access::AuditEvent IdentityService::SignInEvent(std::string_view outcome, const AccountRow* account,
                                                const RequestInfo& info, std::string_view reason) const {
  access::AuditEvent e;
  e.action = "auth.sign_in";
  e.outcome = std::string(outcome);
  e.object_type = "account";
  if (account) {
    // The actor of a failed attempt is unknown: only a success names the account as the actor.
    if (outcome == access::outcome::kOk) e.actor_account = account->id;
    e.object_id = std::to_string(account->id);
    e.division = account->home_division;
  }
  e.request_id = info.request_id;
  if (!reason.empty()) e.details = ReasonDetails(reason);
  return e;
}

Status IdentityService::LockedStatus(int64_t locked_until_ms, int64_t now_ms) const {
  return Status(Code::kRateLimited, std::string(problems::kSignInLocked))
      .With("retry_after", std::to_string(CeilSeconds(locked_until_ms - now_ms)));
}

Status IdentityService::FailUnknown(const std::string& phone_index, const RequestInfo& info, std::string_view reason) {
  const int64_t now = NowMs();
  if (phone_index.empty()) {
    GZ_RETURN_IF_ERROR(store_.AppendAudit({SignInEvent(access::outcome::kFailed, nullptr, info, reason)}));
    return SignInFailed();
  }
  const int64_t lock_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_duration).count();
  GZ_ASSIGN_OR_RETURN(
      UnknownPhoneFailure failure,
      store_.FailUnknownPhone(phone_index, options_.lock_threshold, lock_ms, now, [&](const UnknownPhoneFailure& f) {
        const bool was_locked = f.locked_until_ms > now && !f.locked_now;
        std::vector<access::AuditEvent> audit = {
            SignInEvent(access::outcome::kFailed, nullptr, info, was_locked ? "locked" : reason)};
        if (f.locked_now) {
          access::AuditEvent e = SignInEvent(access::outcome::kOk, nullptr, info, "");
          e.action = "auth.locked";
          audit.push_back(std::move(e));
        }
        return audit;
      }));
  return failure.locked_until_ms > now ? LockedStatus(failure.locked_until_ms, now) : SignInFailed();
}

Result<SignInResult> IdentityService::SignIn(const SignInRequest& request, const RequestInfo& info) {
  GZ_ASSIGN_OR_RETURN(int64_t wait, CountAttempt(info.remote_addr));
  if (wait > 0)
    return Status(Code::kRateLimited, std::string(problems::kTooManyAttempts)).With("retry_after", std::to_string(wait));
  const int64_t now = NowMs();
  const bool too_long = request.password.size() > kMaxPasswordBytes;
  std::optional<std::string> phone = residents::NormalizeMobile(request.phone);
  if (!phone) {
    DummyVerify(request.password);
    return FailUnknown("", info, "malformed-phone");
  }
  const std::string index = PhoneIndex(cipher_, *phone);
  GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> found, store_.FindAccountByPhoneIndex(index));
  if (!found) {
    DummyVerify(request.password);
    return FailUnknown(index, info, "unknown-account");
  }
  const AccountRow& account = found->account;
  if (account.locked_until_ms > now) {
    DummyVerify(request.password);
    GZ_RETURN_IF_ERROR(store_.AppendAudit({SignInEvent(access::outcome::kFailed, &account, info, "locked")}));
    return LockedStatus(account.locked_until_ms, now);
  }
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> hash, OpenPasswordHash(cipher_, account));
  bool password_ok = false;
  if (hash && !too_long) password_ok = crypto::VerifyPassword(*hash, request.password);
  else DummyVerify(request.password);

  if (account.status != AccountStatus::kActive || !hash) {
    // Not counted towards the lockout: nothing can be guessed here, and the answer is the same.
    const char* reason = account.status == AccountStatus::kDisabled ? "disabled" : "no-password";
    GZ_RETURN_IF_ERROR(store_.AppendAudit({SignInEvent(access::outcome::kFailed, &account, info, reason)}));
    return SignInFailed();
  }

  std::string failure;
  std::optional<int64_t> step;
  bool limited = false;
  if (!password_ok) {
    failure = "password";
  } else if (HoldsStaffRole(found->grants)) {
    GZ_ASSIGN_OR_RETURN(std::optional<std::string> secret, OpenTotp(cipher_, account, "totp"));
    if (!secret) {
      limited = true;
    } else {
      if (request.totp) step = VerifyTotp(*secret, *request.totp, now, account.totp_last_step);
      if (!step) failure = request.totp ? "totp" : "totp-missing";
    }
  }

  if (!failure.empty()) {
    int64_t locked_until = 0;
    GZ_RETURN_IF_ERROR(store_.UpdateAccount(account.id, [&](AccountRow& a, const std::vector<GrantRow>&,
                                                            AccountUpdate& u) -> Status {
      locked_until = 0;  // the callback may run again (a serialization retry): no result of an earlier run
      if (a.locked_until_ms > now) {
        locked_until = a.locked_until_ms;
        u.write_account = false;
        u.audit.push_back(SignInEvent(access::outcome::kFailed, &a, info, "locked"));
        return Status::Ok();
      }
      a.failed_attempts += 1;
      u.audit.push_back(SignInEvent(access::outcome::kFailed, &a, info, failure));
      if (a.failed_attempts >= options_.lock_threshold) {
        a.failed_attempts = 0;
        a.locked_until_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_duration).count();
        locked_until = a.locked_until_ms;
        access::AuditEvent e = SignInEvent(access::outcome::kOk, &a, info, "");
        e.actor_account = 0;
        e.action = "auth.locked";
        u.audit.push_back(std::move(e));
      }
      return Status::Ok();
    }));
    return locked_until ? LockedStatus(locked_until, now) : SignInFailed();
  }

  SignInResult result;
  result.session = NewSession(account.id, request.kind, limited, &result.token, &result.csrf_token);
  GZ_RETURN_IF_ERROR(store_.UpdateAccount(account.id, [&](AccountRow& a, const std::vector<GrantRow>& grants,
                                                          AccountUpdate& u) -> Status {
    if (a.locked_until_ms > now) return LockedStatus(a.locked_until_ms, now);
    if (a.status != AccountStatus::kActive) return SignInFailed();
    if (step) {
      if (*step <= a.totp_last_step) return SignInFailed();  // the same code won a race meanwhile
      a.totp_last_step = *step;
    }
    a.failed_attempts = 0;
    a.locked_until_ms = 0;
    u.new_session = result.session;
    access::AuditEvent e = SignInEvent(access::outcome::kOk, &a, info, limited ? "totp-enrolment-only" : "");
    e.object_type = "session";
    e.object_id = std::to_string(result.session.id);
    u.audit.push_back(std::move(e));
    result.account = AccountWithGrants{a, grants};
    return Status::Ok();
  }));
  return result;
}

Result<std::optional<Authenticated>> IdentityService::Authenticate(std::string_view token, SessionKind kind,
                                                                   AuthFailure* failure) {
  if (failure) *failure = AuthFailure::kUnknown;
  if (token.size() != 43) return std::optional<Authenticated>();
  GZ_ASSIGN_OR_RETURN(std::optional<SessionContext> ctx, store_.FindSession(crypto::Sha256(token)));
  if (!ctx || ctx->session.kind != kind) return std::optional<Authenticated>();
  const int64_t now = NowMs();
  const auto idle = HoldsStaffRole(ctx->account.grants) ? options_.idle_staff : options_.idle_villager;
  const int64_t idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(idle).count();
  if (now >= ctx->session.expires_at_ms || now - ctx->session.last_seen_ms >= idle_ms) {
    GZ_RETURN_IF_ERROR(store_.DeleteSession(ctx->session.id));
    if (failure) *failure = AuthFailure::kExpired;
    return std::optional<Authenticated>();
  }
  if (ctx->account.account.status != AccountStatus::kActive) return std::optional<Authenticated>();
  if (now - ctx->session.last_seen_ms >=
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.touch_interval).count()) {
    GZ_RETURN_IF_ERROR(store_.TouchSession(ctx->session.id, now));
    ctx->session.last_seen_ms = now;
  }
  if (failure) *failure = AuthFailure::kNone;
  return std::optional<Authenticated>(Authenticated{std::move(ctx->session), std::move(ctx->account)});
}

bool IdentityService::CsrfMatches(const SessionRow& session, std::string_view csrf_token) const {
  if (!session.csrf_hash || csrf_token.empty() || csrf_token.size() > 128) return false;
  return crypto::ConstantTimeEquals(crypto::Sha256(csrf_token), *session.csrf_hash);
}

namespace {

access::AuditEvent SelfEvent(const access::Principal& principal, std::string action, int64_t account_id) {
  access::AuditEvent e = access::EventFor(principal, std::move(action));
  e.object_type = "account";
  e.object_id = std::to_string(account_id);
  return e;
}

}  // namespace

Status IdentityService::SignOut(const access::Principal& principal) {
  const int64_t id = principal.self.account_id;
  return store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate& u) -> Status {
    u.write_account = false;
    u.delete_session = principal.session_id;
    access::AuditEvent e = SelfEvent(principal, "auth.sign_out", id);
    e.division = a.home_division;
    e.object_type = "session";
    e.object_id = std::to_string(principal.session_id);
    u.audit.push_back(std::move(e));
    return Status::Ok();
  });
}

Status IdentityService::SignOutEverywhere(const access::Principal& principal) {
  const int64_t id = principal.self.account_id;
  return store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate& u) -> Status {
    u.write_account = false;
    u.delete_sessions = true;
    access::AuditEvent e = SelfEvent(principal, "auth.sign_out_everywhere", id);
    e.division = a.home_division;
    u.audit.push_back(std::move(e));
    return Status::Ok();
  });
}

Status IdentityService::ChangePassword(const access::Principal& principal, std::string_view current,
                                       std::string_view replacement) {
  const int64_t id = principal.self.account_id;
  const int64_t now = NowMs();
  GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> found, store_.GetAccount(id));
  if (!found) return Unauthenticated(std::string(access::problems::kUnauthenticated));
  if (found->account.locked_until_ms > now) return LockedStatus(found->account.locked_until_ms, now);
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> hash, OpenPasswordHash(cipher_, found->account));
  bool ok = hash && current.size() <= kMaxPasswordBytes && crypto::VerifyPassword(*hash, current);
  if (!ok) {
    int64_t locked_until = 0;
    GZ_RETURN_IF_ERROR(store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&,
                                                    AccountUpdate& u) -> Status {
      locked_until = 0;  // the callback may run again (a serialization retry)
      access::AuditEvent e = SelfEvent(principal, "account.password_change", id);
      e.outcome = access::outcome::kFailed;
      e.division = a.home_division;
      e.details = ReasonDetails("wrong-current-password");
      u.audit.push_back(std::move(e));
      if (++a.failed_attempts >= options_.lock_threshold) {
        a.failed_attempts = 0;
        a.locked_until_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_duration).count();
        locked_until = a.locked_until_ms;
        access::AuditEvent l = SelfEvent(principal, "auth.locked", id);
        l.division = a.home_division;
        u.audit.push_back(std::move(l));
      }
      return Status::Ok();
    }));
    if (locked_until) return LockedStatus(locked_until, now);
    return PermissionDenied(std::string(problems::kWrongPassword));
  }
  std::vector<std::string> context;
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, OpenPhone(cipher_, found->account));
  if (phone) context.push_back(*phone);
  GZ_RETURN_IF_ERROR(policy_.Check(replacement, HoldsStaffRole(found->grants), context));
  GZ_ASSIGN_OR_RETURN(std::string new_hash, HashPassword(replacement));
  return store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate& u) -> Status {
    SealPasswordHash(cipher_, a, new_hash);
    a.password_changed_at_ms = now;
    a.failed_attempts = 0;
    u.delete_sessions = true;
    u.keep_session = principal.session_id;
    access::AuditEvent e = SelfEvent(principal, "account.password_changed", id);
    e.division = a.home_division;
    u.audit.push_back(std::move(e));
    return Status::Ok();
  });
}

Result<TotpEnrolment> IdentityService::StartTotp(const access::Principal& principal) {
  const int64_t id = principal.self.account_id;
  const std::string secret = crypto::RandomBytes(kTotpSecretBytes);
  std::string label;
  GZ_RETURN_IF_ERROR(store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&,
                                                  AccountUpdate& u) -> Status {
    if (a.totp_sealed) return FailedPrecondition(std::string(problems::kTotpAlreadyEnrolled));
    a.totp_pending_sealed = SealTotp(cipher_, a, "totp_pending", secret);
    GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, OpenPhone(cipher_, a));
    label = phone ? MaskPhone(*phone) : std::to_string(a.id);
    access::AuditEvent e = SelfEvent(principal, "auth.totp_enrolment_started", id);
    e.division = a.home_division;
    u.audit.push_back(std::move(e));
    return Status::Ok();
  }));
  TotpEnrolment out;
  out.secret_base32 = Base32Encode(secret);
  out.otpauth_uri = OtpauthUri(label, out.secret_base32);
  return out;
}

Status IdentityService::ConfirmTotp(const access::Principal& principal, std::string_view code) {
  const int64_t id = principal.self.account_id;
  const int64_t now = NowMs();
  return store_.UpdateAccount(id, [&](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate& u) -> Status {
    if (a.totp_sealed) return FailedPrecondition(std::string(problems::kTotpAlreadyEnrolled));
    GZ_ASSIGN_OR_RETURN(std::optional<std::string> pending, OpenTotp(cipher_, a, "totp_pending"));
    if (!pending) return FailedPrecondition(std::string(problems::kTotpNotStarted));
    std::optional<int64_t> step = VerifyTotp(*pending, code, now, a.totp_last_step);
    if (!step) return InvalidArgument(std::string(problems::kBadTotp));
    a.totp_sealed = SealTotp(cipher_, a, "totp", *pending);
    a.totp_pending_sealed.reset();
    a.totp_last_step = *step;
    u.unlimit_session = principal.session_id;
    access::AuditEvent e = SelfEvent(principal, "auth.totp_enrolled", id);
    e.division = a.home_division;
    u.audit.push_back(std::move(e));
    return Status::Ok();
  });
}

Result<AccountView> IdentityService::MakeView(const AccountWithGrants& account, bool mask_name) const {
  AccountView v;
  v.account = account;
  GZ_ASSIGN_OR_RETURN(std::string name, OpenName(cipher_, account.account));
  v.display_name = mask_name ? MaskName(name) : name;
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, OpenPhone(cipher_, account.account));
  if (phone) v.phone_masked = MaskPhone(*phone);
  v.has_password = account.account.password_sealed.has_value();
  v.totp_enrolled = account.account.totp_sealed.has_value();
  return v;
}

Result<std::optional<AccountView>> IdentityService::View(int64_t account_id, bool mask_name) {
  GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> found, store_.GetAccount(account_id));
  if (!found) return std::optional<AccountView>();
  GZ_ASSIGN_OR_RETURN(AccountView v, MakeView(*found, mask_name));
  return std::optional<AccountView>(std::move(v));
}

Result<AccountView> IdentityService::Me(const access::Principal& principal) {
  GZ_ASSIGN_OR_RETURN(std::optional<AccountView> v, View(principal.self.account_id, false));
  if (!v) return Unauthenticated(std::string(access::problems::kUnauthenticated));
  return std::move(*v);
}

}  // namespace gz::identity
