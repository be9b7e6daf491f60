// Several gongzhi nodes on one store (issue #8): two IdentityService instances, each with its own
// store object and its own Db (its own connections), as two processes behind a load balancer
// would have. Limits, lockouts and sessions must be the same whichever node answers. Runs on
// both backends (gz_test BOTH_BACKENDS).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "modules/identity/identity_service.h"
#include "modules/identity/problems.h"
#include "modules/identity/testing/identity_fixture.h"

namespace gz::identity {
namespace {

using access::Role;
using testing::IdentityEnv;
using testing::kGoodPassword;
using testing::kVillage;

SignInRequest Req(std::string phone, std::string password) {
  return SignInRequest{std::move(phone), std::move(password), std::nullopt, SessionKind::kBearer};
}
RequestInfo From(std::string addr) { return RequestInfo{std::move(addr), "req"}; }

// The second node: same keys (nodes share keys/), same clock, its own Db and store.
struct SecondNode {
  explicit SecondNode(IdentityEnv& env, IdentityOptions options) : db(env.OpenAgain()), store(*db, env.clock) {
    options.hash_cost = crypto::PasswordHashCost::Minimal();
    identity.emplace(store, *env.cipher, env.clock, options);
  }
  std::unique_ptr<storage::Db> db;
  SqlIdentityStore store;
  std::optional<IdentityService> identity;
};

TEST(SeveralNodes, ShareThePerAddressLimit) {
  IdentityOptions options;
  options.sign_in_per_minute = 4;
  IdentityEnv env(options);
  SecondNode b(env, options);
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  IdentityService* nodes[] = {&*env.identity, &*b.identity};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(nodes[i % 2]->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.9")).ok()) << i;
  }
  // Four attempts in the minute, two on each node: the fifth is refused on either.
  for (IdentityService* node : nodes) {
    Status s = node->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.9")).status();
    EXPECT_EQ(s.slug(), problems::kTooManyAttempts);
    EXPECT_EQ(s.code(), Code::kRateLimited);
  }
  EXPECT_TRUE(b.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.10")).ok());
  env.clock.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(b.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.9")).ok());
}

TEST(SeveralNodes, RetryAfterCountsFromTheOldestAttemptOfAnyNode) {
  IdentityOptions options;
  options.sign_in_per_minute = 2;
  IdentityEnv env(options);
  SecondNode b(env, options);
  ASSERT_TRUE(env.identity->CountAttempt("10.0.0.9").ok());
  env.clock.Advance(std::chrono::seconds(20));
  ASSERT_EQ(*b.identity->CountAttempt("10.0.0.9"), 0);
  Result<int64_t> wait = b.identity->CountAttempt("10.0.0.9");
  ASSERT_TRUE(wait.ok()) << wait.status().ToString();
  EXPECT_EQ(*wait, 40);  // the first attempt, on the other node, leaves the window in 40 s
}

TEST(SeveralNodes, ShareTheAccountAndUnknownPhoneLockouts) {
  IdentityEnv env;
  SecondNode b(env, {});
  env.AddAccount("15400000001", Role::kVillager, kVillage);
  IdentityService* nodes[] = {&*env.identity, &*b.identity};
  for (const char* phone : {"15400000001", "15400000077"}) {
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(nodes[i % 2]->SignIn(Req(phone, "wrong password"), From("10.0.0.1")).status().slug(),
                problems::kSignInFailed)
          << phone << " " << i;
    }
    // The fifth failure, on whichever node, locks the phone on both; an unknown phone answers as
    // a real one, so the lockout tells nothing about which phones have accounts.
    EXPECT_EQ(env.identity->SignIn(Req(phone, "wrong password"), From("10.0.0.1")).status().slug(),
              problems::kSignInLocked)
        << phone;
    Status locked = b.identity->SignIn(Req(phone, std::string(kGoodPassword)), From("10.0.0.1")).status();
    EXPECT_EQ(locked.slug(), problems::kSignInLocked) << phone;
    EXPECT_EQ(locked.Arg("retry_after"), "900") << phone;
  }
  env.clock.Advance(std::chrono::minutes(15));
  EXPECT_TRUE(b.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.1")).ok());
  EXPECT_EQ(env.identity->SignIn(Req("15400000077", "wrong password"), From("10.0.0.1")).status().slug(),
            problems::kSignInFailed);
}

// Attempts racing on both nodes at once: exactly `limit` are counted, however they interleave
// (SERIALIZABLE on PostgreSQL, one writer at a time on SQLite).
TEST(SeveralNodes, RacingAttemptsNeverExceedTheLimit) {
  IdentityOptions options;
  options.sign_in_per_minute = 7;
  IdentityEnv env(options);
  SecondNode b(env, options);
  IdentityService* nodes[] = {&*env.identity, &*b.identity};
  std::atomic<int> allowed{0}, refused{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        Result<int64_t> wait = nodes[t % 2]->CountAttempt("10.9.9.9");
        if (!wait.ok()) ++failed;
        else if (*wait == 0) ++allowed;
        else ++refused;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(allowed.load(), 7);
  EXPECT_EQ(refused.load(), 23);
}

TEST(SeveralNodes, ExpiredLimitRowsArePurged) {
  IdentityEnv env;
  ASSERT_TRUE(env.identity->CountAttempt("10.0.0.1").ok());
  ASSERT_EQ(env.identity->SignIn(Req("15400000077", "wrong password"), From("10.0.0.2")).status().slug(),
            problems::kSignInFailed);
  auto count = [&](const char* table) {
    int64_t n = -1;
    EXPECT_TRUE(env.db->Read([&](storage::Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(std::string("SELECT COUNT(*) FROM ") + table));
      n = rs.rows.at(0).Int(0);
      return Status::Ok();
    }).ok());
    return n;
  };
  EXPECT_EQ(count("identity_attempts"), 2);
  EXPECT_EQ(count("identity_unknown_phones"), 1);
  const int64_t now = env.NowMs();
  ASSERT_TRUE(env.store->PurgeLimits(now - 60000, now - 86400000).ok());
  EXPECT_EQ(count("identity_attempts"), 2);  // still in their window
  EXPECT_EQ(count("identity_unknown_phones"), 1);
  ASSERT_TRUE(env.store->PurgeLimits(now + 1, now + 1).ok());
  EXPECT_EQ(count("identity_attempts"), 0);
  EXPECT_EQ(count("identity_unknown_phones"), 0);
}

// Sessions live in the store: one made through node A is valid on node B, and a sign-out on B
// ends it on A at once (no cache of sessions in either node).
TEST(SeveralNodes, SessionsAreSharedAndSignOutCountsEverywhere) {
  IdentityEnv env;
  SecondNode b(env, {});
  int64_t id = env.AddAccount("15400000001", Role::kVillager, kVillage);
  auto signed_in = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.1"));
  ASSERT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  auto on_b = b.identity->Authenticate(signed_in->token, SessionKind::kBearer);
  ASSERT_TRUE(on_b.ok() && on_b->has_value());
  EXPECT_EQ((*on_b)->account.account.id, id);
  ASSERT_TRUE(env.identity->Authenticate(signed_in->token, SessionKind::kBearer)->has_value());

  ASSERT_TRUE(b.identity->SignOut(env.PrincipalOf(id, signed_in->session.id)).ok());
  EXPECT_FALSE(env.identity->Authenticate(signed_in->token, SessionKind::kBearer)->has_value());
  EXPECT_FALSE(b.identity->Authenticate(signed_in->token, SessionKind::kBearer)->has_value());

  // Sign-out everywhere on A ends B's sessions too.
  auto first = b.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.1"));
  auto second = env.identity->SignIn(Req("15400000001", std::string(kGoodPassword)), From("10.0.0.1"));
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(env.identity->SignOutEverywhere(env.PrincipalOf(id, second->session.id)).ok());
  EXPECT_FALSE(b.identity->Authenticate(first->token, SessionKind::kBearer)->has_value());
  EXPECT_FALSE(b.identity->Authenticate(second->token, SessionKind::kBearer)->has_value());
}

}  // namespace
}  // namespace gz::identity
