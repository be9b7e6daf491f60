// Sign-in, lockout, TOTP, sessions and CSRF on the real SQL store with a FakeClock.
#include "modules/identity/identity_service.h"

#include <gtest/gtest.h>

#include "access/gate.h"
#include "modules/identity/problems.h"
#include "modules/identity/testing/identity_fixture.h"
#include "modules/identity/totp.h"

namespace gz::identity {
namespace {

using testing::IdentityEnv;
using testing::kGoodPassword;
using testing::kVillage;
using access::Role;

const std::string kSecret = "12345678901234567890";

SignInRequest Req(std::string phone, std::string password, std::optional<std::string> totp = std::nullopt,
                  SessionKind kind = SessionKind::kBearer) {
  return SignInRequest{std::move(phone), std::move(password), std::move(totp), kind};
}
RequestInfo Info() { return RequestInfo{"127.0.0.1", "req-1"}; }

std::string CodeNow(const IdentityEnv& env, int64_t offset = 0) {
  return Hotp(kSecret, TotpStep(env.NowMs()) + offset);
}

TEST(SignIn, VillagerWithPasswordGetsABearerSession) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto r = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->account.account.id, id);
  EXPECT_EQ(r->token.size(), 43u);  // 256 bits, base64url
  EXPECT_TRUE(r->csrf_token.empty());
  EXPECT_FALSE(r->session.limited);
  EXPECT_EQ(r->session.token_hash.size(), 32u);
  EXPECT_NE(r->session.token_hash, r->token);  // stored hashed
  auto auth = env.identity->Authenticate(r->token, SessionKind::kBearer);
  ASSERT_TRUE(auth.ok());
  ASSERT_TRUE(auth->has_value());
  EXPECT_EQ((*auth)->account.account.id, id);
  // A bearer token is not a cookie, and vice versa.
  auto as_cookie = env.identity->Authenticate(r->token, SessionKind::kCookie);
  ASSERT_TRUE(as_cookie.ok());
  EXPECT_FALSE(as_cookie->has_value());
  EXPECT_EQ(env.AuditActions().back(), "auth.sign_in:ok");
}

TEST(SignIn, PhoneIsNormalized) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  EXPECT_TRUE(env.identity->SignIn(Req("+86 154-0000-0001", std::string(kGoodPassword)), Info()).ok());
}

// T-AUTH-3: unknown account, wrong password, disabled account, no password yet: one answer.
TEST(SignIn, FailuresLookAlike) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  int64_t disabled = env.AddAccount("15400000002", Role::kVillager, kVillage);
  ASSERT_TRUE(env.store->UpdateAccount(disabled, [](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate&) {
    a.status = AccountStatus::kDisabled;
    return Status::Ok();
  }).ok());
  std::vector<Status> failures = {
      env.identity->SignIn(Req("15400000099", std::string(kGoodPassword)), Info()).status(),
      env.identity->SignIn(Req("15400000001", "wrong password"), Info()).status(),
      env.identity->SignIn(Req("15400000002", std::string(kGoodPassword)), Info()).status(),
      env.identity->SignIn(Req("not a phone", std::string(kGoodPassword)), Info()).status(),
  };
  for (const Status& s : failures) {
    EXPECT_EQ(s.code(), Code::kUnauthenticated) << s.ToString();
    EXPECT_EQ(s.slug(), problems::kSignInFailed);
    EXPECT_TRUE(s.args().empty());
  }
  for (const std::string& a : env.AuditActions()) EXPECT_EQ(a, "auth.sign_in:failed");
  EXPECT_EQ(env.AuditActions().size(), 4u);
}

TEST(SignIn, FiveFailuresLockThePasswordPathForFifteenMinutes) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(env.identity->SignIn(Req("15400000001", "wrong password"), Info()).status().slug(), problems::kSignInFailed);
  Status fifth = env.identity->SignIn(Req("15400000001", "wrong password"), Info()).status();
  EXPECT_EQ(fifth.code(), Code::kRateLimited);
  EXPECT_EQ(fifth.slug(), problems::kSignInLocked);
  // The right password during the lock: "locked", nothing else.
  env.clock.Advance(std::chrono::minutes(14));
  Status during = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).status();
  EXPECT_EQ(during.slug(), problems::kSignInLocked);
  EXPECT_EQ(during.args().at(0).first, "retry_after");
  EXPECT_EQ(during.args().at(0).second, "60");
  env.clock.Advance(std::chrono::minutes(1));
  EXPECT_TRUE(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).ok());
  auto actions = env.AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.locked:ok"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.sign_in:failed"), 6);
}

TEST(SignIn, SuccessResetsTheFailureCount) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) ASSERT_FALSE(env.identity->SignIn(Req("15400000001", "wrong password"), Info()).ok());
    ASSERT_TRUE(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).ok());
  }
}

TEST(SignIn, UnknownPhonesLockLikeRealOnes) {
  IdentityEnv env;
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(env.identity->SignIn(Req("15400000077", "whatever1"), Info()).status().slug(), problems::kSignInFailed);
  EXPECT_EQ(env.identity->SignIn(Req("15400000077", "whatever1"), Info()).status().slug(), problems::kSignInLocked);
  EXPECT_EQ(env.identity->SignIn(Req("15400000077", "whatever1"), Info()).status().slug(), problems::kSignInLocked);
  env.clock.Advance(std::chrono::minutes(15));
  EXPECT_EQ(env.identity->SignIn(Req("15400000077", "whatever1"), Info()).status().slug(), problems::kSignInFailed);
}

TEST(SignIn, PerAddressLimit) {
  IdentityOptions options;
  options.sign_in_per_minute = 3;
  IdentityEnv env(options);
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).ok());
  Status s = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).status();
  EXPECT_EQ(s.slug(), problems::kTooManyAttempts);
  EXPECT_EQ(s.code(), Code::kRateLimited);
  EXPECT_TRUE(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), RequestInfo{"10.0.0.2", "r"}).ok());
}

TEST(SignIn, StaffMustPassTotpAndNoStepTwice) {
  IdentityEnv env;
  env.AddAccount("15400000005", Role::kVillageCadre, kVillage, kSecret);
  EXPECT_EQ(env.identity->SignIn(Req("15400000005", std::string(kGoodPassword)), Info()).status().slug(),
            problems::kSignInFailed);  // no code
  EXPECT_EQ(env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), "000000"), Info()).status().slug(),
            problems::kSignInFailed);  // wrong code (what are the odds)
  std::string code = CodeNow(env);
  auto ok = env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), code), Info());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->session.limited);
  // The same code again: refused (and counted as a failure).
  EXPECT_EQ(env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), code), Info()).status().slug(),
            problems::kSignInFailed);
  // The previous step is older than the one used: refused too.
  EXPECT_FALSE(env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), CodeNow(env, -1)), Info()).ok());
  // The next step is fine.
  EXPECT_TRUE(env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), CodeNow(env, 1)), Info()).ok());
}

TEST(SignIn, StaffWithoutTotpGetALimitedSessionUntilTheyEnrol) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000004", Role::kGridWorker, kVillage);
  auto r = env.identity->SignIn(Req("15400000004", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->session.limited);
  access::Principal me = env.PrincipalOf(id, r->session.id);
  auto started = env.identity->StartTotp(me);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->secret_base32.size(), 32u);
  EXPECT_NE(started->otpauth_uri.find("otpauth://totp/gongzhi:154%2A%2A%2A%2A0004?secret=" + started->secret_base32),
            std::string::npos);
  std::string secret = *Base32Decode(started->secret_base32);
  EXPECT_EQ(env.identity->ConfirmTotp(me, "000000").slug(), problems::kBadTotp);
  std::string code = Hotp(secret, TotpStep(env.NowMs()));
  ASSERT_TRUE(env.identity->ConfirmTotp(me, code).ok());
  auto auth = env.identity->Authenticate(r->token, SessionKind::kBearer);
  ASSERT_TRUE(auth.ok() && auth->has_value());
  EXPECT_FALSE((*auth)->session.limited);
  EXPECT_EQ(env.identity->StartTotp(me).status().slug(), problems::kTotpAlreadyEnrolled);
  // The enrolment code's step cannot sign in; the next one can.
  EXPECT_FALSE(env.identity->SignIn(Req("15400000004", std::string(kGoodPassword), code), Info()).ok());
  EXPECT_TRUE(env.identity
                  ->SignIn(Req("15400000004", std::string(kGoodPassword), Hotp(secret, TotpStep(env.NowMs()) + 1)), Info())
                  .ok());
  auto actions = env.AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "auth.totp_enrolled:ok"), actions.end());
}

TEST(Sessions, IdleTimeoutVillagersThirtyMinutesStaffFifteen) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  env.AddAccount("15400000005", Role::kVillageCadre, kVillage, kSecret);
  auto villager = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  auto staff = env.identity->SignIn(Req("15400000005", std::string(kGoodPassword), CodeNow(env)), Info());
  ASSERT_TRUE(villager.ok() && staff.ok());
  env.clock.Advance(std::chrono::minutes(14));
  EXPECT_TRUE(env.identity->Authenticate(staff->token, SessionKind::kBearer)->has_value());  // activity at 14 min
  env.clock.Advance(std::chrono::minutes(14));
  EXPECT_TRUE(env.identity->Authenticate(staff->token, SessionKind::kBearer)->has_value());  // 14 min idle
  EXPECT_TRUE(env.identity->Authenticate(villager->token, SessionKind::kBearer)->has_value());  // 28 min idle
  env.clock.Advance(std::chrono::minutes(15));
  AuthFailure why;
  EXPECT_FALSE(env.identity->Authenticate(staff->token, SessionKind::kBearer, &why)->has_value());
  EXPECT_EQ(why, AuthFailure::kExpired);
  env.clock.Advance(std::chrono::minutes(16));
  EXPECT_FALSE(env.identity->Authenticate(villager->token, SessionKind::kBearer)->has_value());  // 31 min idle
}

TEST(Sessions, AbsoluteTimeoutTwelveHours) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto s = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 11 * 3; ++i) {  // active every 20 minutes for 11 hours
    env.clock.Advance(std::chrono::minutes(20));
    ASSERT_TRUE(env.identity->Authenticate(s->token, SessionKind::kBearer)->has_value()) << i;
  }
  env.clock.Advance(std::chrono::minutes(60));
  EXPECT_FALSE(env.identity->Authenticate(s->token, SessionKind::kBearer)->has_value());
}

TEST(Sessions, CookieSessionsCarryACsrfToken) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto s = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kCookie), Info());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->csrf_token.size(), 43u);
  EXPECT_TRUE(env.identity->CsrfMatches(s->session, s->csrf_token));
  EXPECT_FALSE(env.identity->CsrfMatches(s->session, ""));
  EXPECT_FALSE(env.identity->CsrfMatches(s->session, s->token));
  EXPECT_TRUE(env.identity->Authenticate(s->token, SessionKind::kCookie)->has_value());
}

TEST(Sessions, DisablingAndDemotingCountOnTheNextRequest) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto s = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(s.ok());
  // Demotion: the grant goes, the session stays, the principal has no role.
  ASSERT_TRUE(env.store->UpdateAccount(id, [](AccountRow&, const std::vector<GrantRow>& grants, AccountUpdate& u) {
    for (const auto& g : grants) u.remove_grants.push_back(g.id);
    return Status::Ok();
  }).ok());
  auto demoted = env.identity->Authenticate(s->token, SessionKind::kBearer);
  ASSERT_TRUE(demoted.ok() && demoted->has_value());
  EXPECT_TRUE((*demoted)->account.grants.empty());
  // Disabled (without touching the sessions): the next request is anonymous.
  ASSERT_TRUE(env.store->UpdateAccount(id, [](AccountRow& a, const std::vector<GrantRow>&, AccountUpdate&) {
    a.status = AccountStatus::kDisabled;
    return Status::Ok();
  }).ok());
  EXPECT_FALSE(env.identity->Authenticate(s->token, SessionKind::kBearer)->has_value());
}

TEST(Sessions, SignOutAndSignOutEverywhere) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto a = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  auto b = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  auto c = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(env.identity->SignOut(env.PrincipalOf(id, a->session.id)).ok());
  EXPECT_FALSE(env.identity->Authenticate(a->token, SessionKind::kBearer)->has_value());
  EXPECT_TRUE(env.identity->Authenticate(b->token, SessionKind::kBearer)->has_value());
  ASSERT_TRUE(env.identity->SignOutEverywhere(env.PrincipalOf(id, b->session.id)).ok());
  EXPECT_FALSE(env.identity->Authenticate(b->token, SessionKind::kBearer)->has_value());
  EXPECT_FALSE(env.identity->Authenticate(c->token, SessionKind::kBearer)->has_value());
}

TEST(Password, ChangeChecksTheCurrentOneAndEndsOtherSessions) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto a = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  auto b = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  ASSERT_TRUE(a.ok() && b.ok());
  access::Principal me = env.PrincipalOf(id, a->session.id);
  EXPECT_EQ(env.identity->ChangePassword(me, "not it at all", "new passphrase here").slug(), problems::kWrongPassword);
  EXPECT_EQ(env.identity->ChangePassword(me, kGoodPassword, "12345678").slug(), problems::kWeakPassword);
  ASSERT_TRUE(env.identity->ChangePassword(me, kGoodPassword, "new passphrase here").ok());
  EXPECT_TRUE(env.identity->Authenticate(a->token, SessionKind::kBearer)->has_value());
  EXPECT_FALSE(env.identity->Authenticate(b->token, SessionKind::kBearer)->has_value());
  EXPECT_FALSE(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).ok());
  EXPECT_TRUE(env.identity->SignIn(Req("15400000001", "new passphrase here"), Info()).ok());
  auto actions = env.AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "account.password_changed:ok"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "account.password_change:failed"), actions.end());
}

TEST(Password, WrongCurrentPasswordCountsTowardsTheLock) {
  IdentityEnv env;
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  access::Principal me = env.PrincipalOf(id);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(env.identity->ChangePassword(me, "nope nope", "x").slug(), problems::kWrongPassword);
  EXPECT_EQ(env.identity->ChangePassword(me, "nope nope", "x").slug(), problems::kSignInLocked);
  EXPECT_EQ(env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info()).status().slug(),
            problems::kSignInLocked);
}

TEST(AuditEvents, NeverCarryThePhoneOrThePassword) {
  IdentityEnv env;
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  (void)env.identity->SignIn(Req("15400000001", "a wrong secret"), Info());
  (void)env.identity->SignIn(Req("15400000088", "a wrong secret"), Info());
  (void)env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), Info());
  Status s = env.db->Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT object_id, details, purpose, roles FROM audit_records"));
    for (const auto& r : rs.rows)
      for (size_t i = 0; i < r.size(); ++i) {
        EXPECT_EQ(r.Text(i).find("1540000"), std::string::npos) << r.Text(i);
        EXPECT_EQ(r.Text(i).find("wrong secret"), std::string::npos);
        EXPECT_EQ(r.Text(i).find(kGoodPassword), std::string::npos);
      }
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok());
}

}  // namespace
}  // namespace gz::identity
