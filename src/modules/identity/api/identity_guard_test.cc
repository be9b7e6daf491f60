// The guard on hand-made requests: credentials, CSRF, Origin, limited sessions, acting-for.
#include "modules/identity/api/identity_guard.h"

#include <gtest/gtest.h>

#include "access/gate.h"
#include "modules/identity/problems.h"
#include "modules/identity/testing/identity_fixture.h"

namespace gz::identity {
namespace {

using access::Role;
using testing::IdentityEnv;
using testing::kGoodPassword;
using testing::kVillage;

class FakeConsents final : public access::ConsentLookup {
 public:
  Result<std::optional<access::ActiveConsent>> FindActive(int64_t helper, int64_t villager, int64_t) override {
    if (helper == helper_ && villager == villager_) return std::optional<access::ActiveConsent>(access::ActiveConsent{77, {"me.read"}});
    return std::optional<access::ActiveConsent>();
  }
  int64_t helper_ = 0, villager_ = 0;
};

http::Route RouteFor(std::string pattern, std::string permission, http::Method method = http::Method::kGet) {
  http::Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.permission = std::move(permission);
  return r;
}

struct GuardRun {
  Status status;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<const access::Principal> principal;
};

GuardRun RunGuard(const http::Guard& guard, const http::Route& route, std::vector<std::pair<std::string, std::string>> headers,
             http::Method method = http::Method::kGet) {
  http::Request req;
  req.method = method;
  req.headers = std::move(headers);
  req.request_id = "guard-test";
  req.remote_addr = "127.0.0.1";
  GuardRun out;
  out.status = guard(route, req, &out.headers);
  out.principal = req.principal;
  return out;
}

TEST(GuardHelpers, SameOriginCookieValueUnsafeMethods) {
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(SameOrigin("https://Gongzhi.example", "gongzhi.example"));
  EXPECT_FALSE(SameOrigin("http://evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(SameOrigin("null", "127.0.0.1:8080"));
  EXPECT_FALSE(SameOrigin("http://127.0.0.1:8080/x", "127.0.0.1:8080"));
  EXPECT_EQ(CookieValue("a=1; gz_session=abc; b=2", "gz_session"), "abc");
  EXPECT_FALSE(CookieValue("xgz_session=abc", "gz_session").has_value());
  EXPECT_EQ(SessionCookieName({false}), "gz_session");
  EXPECT_EQ(SessionCookieName({true}), "__Host-gz_session");
  EXPECT_EQ(SessionCookie("T", {true}), "__Host-gz_session=T; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(SessionCookie("T", {false}), "gz_session=T; Path=/; HttpOnly; SameSite=Lax");
}

TEST(Guard, AnonymousOnPublicSignedInOnProtected) {
  IdentityEnv env;
  access::Gate gate(nullptr);
  http::Guard guard = MakeIdentityGuard(*env.identity, gate, nullptr, {});
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto s = env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, {"127.0.0.1", "r"});
  ASSERT_TRUE(s.ok());
  GuardRun anon = RunGuard(guard, RouteFor("/healthz", "public"), {});
  EXPECT_TRUE(anon.status.ok());
  EXPECT_TRUE(anon.principal->anonymous());
  EXPECT_EQ(RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {}).status.code(), Code::kUnauthenticated);
  GuardRun bad = RunGuard(guard, RouteFor("/healthz", "public"), {{"authorization", "Bearer nonsense"}});
  EXPECT_TRUE(bad.status.ok());  // an unknown token on a public route: anonymous
  EXPECT_EQ(RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {{"authorization", "Bearer nonsense"}}).status.code(),
            Code::kUnauthenticated);
  GuardRun me = RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {{"authorization", "Bearer " + s->token}});
  ASSERT_TRUE(me.status.ok()) << me.status.ToString();
  EXPECT_EQ(me.principal->self.account_id, id);
  EXPECT_TRUE(me.principal->bearer);
  EXPECT_EQ(me.principal->self.village, kVillage);
  // A villager has no accounts.read.
  EXPECT_EQ(RunGuard(guard, RouteFor("/api/v1/accounts", "accounts.read"), {{"authorization", "Bearer " + s->token}}).status.code(),
            Code::kPermissionDenied);
}

TEST(Guard, CookieSessionsNeedTheCsrfTokenOnUnsafeMethods) {
  IdentityEnv env;
  access::Gate gate(nullptr);
  http::Guard guard = MakeIdentityGuard(*env.identity, gate, nullptr, {});
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto s = env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kCookie}, {"127.0.0.1", "r"});
  ASSERT_TRUE(s.ok());
  const std::pair<std::string, std::string> cookie{"cookie", "gz_session=" + s->token};
  http::Route post = RouteFor("/api/v1/auth/sign-out", "me.session", http::Method::kPost);
  EXPECT_TRUE(RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {cookie}).status.ok());  // GET: no token needed
  EXPECT_EQ(RunGuard(guard, post, {cookie}, http::Method::kPost).status.slug(), access::problems::kCsrf);
  EXPECT_EQ(RunGuard(guard, post, {cookie, {"x-csrf-token", "wrong"}}, http::Method::kPost).status.slug(), access::problems::kCsrf);
  EXPECT_TRUE(RunGuard(guard, post, {cookie, {"x-csrf-token", s->csrf_token}}, http::Method::kPost).status.ok());
  // A cross-site Origin is refused even with the token.
  EXPECT_EQ(RunGuard(guard, post, {cookie, {"x-csrf-token", s->csrf_token}, {"origin", "http://evil.example"}, {"host", "127.0.0.1"}},
                http::Method::kPost)
                .status.slug(),
            access::problems::kCsrf);
  // A bearer token in a cookie is no cookie session.
  auto b = env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, {"127.0.0.1", "r"});
  GuardRun as_cookie = RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {{"cookie", "gz_session=" + b->token}});
  EXPECT_EQ(as_cookie.status.code(), Code::kUnauthenticated);
  ASSERT_EQ(as_cookie.headers.size(), 1u);
  EXPECT_EQ(as_cookie.headers[0].second, "gz_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}

TEST(Guard, LimitedSessionsOnlyEnrolTotp) {
  IdentityEnv env;
  access::Gate gate(nullptr);
  http::Guard guard = MakeIdentityGuard(*env.identity, gate, nullptr, {});
  env.AddAccount("15400000004", Role::kGridWorker, kVillage);
  auto s = env.identity->SignIn({"15400000004", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, {"127.0.0.1", "r"});
  ASSERT_TRUE(s.ok() && s->session.limited);
  std::pair<std::string, std::string> bearer{"authorization", "Bearer " + s->token};
  EXPECT_TRUE(RunGuard(guard, RouteFor("/api/v1/me", "me.read"), {bearer}).status.ok());
  EXPECT_TRUE(RunGuard(guard, RouteFor("/api/v1/me/totp", "me.session", http::Method::kPost), {bearer}, http::Method::kPost).status.ok());
  EXPECT_EQ(RunGuard(guard, RouteFor("/api/v1/accounts", "accounts.read"), {bearer}).status.slug(), problems::kTotpEnrolmentRequired);
  EXPECT_EQ(RunGuard(guard, RouteFor("/api/v1/me/password", "me.session", http::Method::kPost), {bearer}, http::Method::kPost).status.slug(),
            problems::kTotpEnrolmentRequired);
}

TEST(Guard, ActingForNeedsTheHelperRoleAndAConsent) {
  IdentityEnv env;
  access::Gate gate(nullptr);
  FakeConsents consents;
  http::Guard guard = MakeIdentityGuard(*env.identity, gate, &consents, {});
  int64_t helper = env.AddAccount("15400000003", Role::kHelper, kVillage);
  int64_t other_helper = env.AddAccount("15400000011", Role::kHelper, kVillage);
  int64_t villager = env.AddAccount("15400000001", Role::kVillager, kVillage);
  consents.helper_ = helper;
  consents.villager_ = villager;
  // Full sessions made directly (helpers are staff: signing in would need TOTP).
  auto sign_in = [&](int64_t id) {
    std::string token, csrf;
    SessionRow row = env.identity->NewSession(id, SessionKind::kBearer, false, &token, &csrf);
    EXPECT_TRUE(env.store->UpdateAccount(id, [&](AccountRow&, const std::vector<GrantRow>&, AccountUpdate& u) {
      u.new_session = row;
      return Status::Ok();
    }).ok());
    return token;
  };
  std::string helper_token = sign_in(helper);
  std::string other_token = sign_in(other_helper);
  std::string villager_token = sign_in(villager);
  http::Route me = RouteFor("/api/v1/me", "me.read");
  auto with = [&](const std::string& token, std::string acting) {
    return RunGuard(guard, me, {{"authorization", "Bearer " + token}, {"x-acting-for", std::move(acting)}});
  };
  GuardRun ok = with(helper_token, std::to_string(villager));
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  ASSERT_TRUE(ok.principal->acting_for.has_value());
  EXPECT_EQ(ok.principal->acting_for->consent_id, 77);
  EXPECT_EQ(ok.principal->acting_for->person.account_id, villager);
  EXPECT_EQ(with(other_token, std::to_string(villager)).status.slug(), access::problems::kNoConsent);
  EXPECT_EQ(with(villager_token, std::to_string(villager)).status.slug(), access::problems::kNoConsent);
  EXPECT_EQ(with(helper_token, std::to_string(other_helper)).status.slug(), access::problems::kNoConsent);
  EXPECT_EQ(with(helper_token, "12abc").status.slug(), access::problems::kBadActingFor);
  EXPECT_EQ(with(helper_token, "").status.slug(), access::problems::kBadActingFor);
  EXPECT_EQ(with(helper_token, "-5").status.slug(), access::problems::kBadActingFor);
  auto actions = env.AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "access.denied:denied"), 3);
}

}  // namespace
}  // namespace gz::identity
