#include "modules/identity/seed_demo_accounts.h"

#include <gtest/gtest.h>

#include "modules/identity/testing/identity_fixture.h"
#include "modules/identity/totp.h"

namespace gz::identity {
namespace {

TEST(SeedDemoAccounts, CreatesEveryDemoAccountOnceAndTheyCanSignIn) {
  testing::IdentityEnv env;
  auto first = SeedDemoAccounts(*env.identity, &*env.residents, "420114");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 18u);  // 15 of the village and township, three of the township-wide budget round
  for (const DemoAccount& d : *first) {
    EXPECT_TRUE(d.created);
    EXPECT_EQ(d.totp_secret.empty(), d.role == access::Role::kVillager) << d.phone;
  }
  EXPECT_EQ((*first)[0].phone, "15400000001");
  EXPECT_EQ((*first)[12].scope, "420114003202");
  auto second = SeedDemoAccounts(*env.identity, &*env.residents, "420114");
  ASSERT_TRUE(second.ok());
  for (size_t i = 0; i < second->size(); ++i) {
    EXPECT_FALSE((*second)[i].created);
    EXPECT_EQ((*second)[i].account_id, (*first)[i].account_id);
  }
  RequestInfo info{"127.0.0.1", "r"};
  EXPECT_TRUE(env.identity->SignIn({"15400000001", std::string(kDemoPassword), std::nullopt, SessionKind::kBearer}, info).ok());
  std::string secret = *Base32Decode(DemoTotpSecret("15400000005"));
  auto cadre = env.identity->SignIn(
      {"15400000005", std::string(kDemoPassword), Hotp(secret, TotpStep(env.NowMs())), SessionKind::kBearer}, info);
  ASSERT_TRUE(cadre.ok()) << cadre.status().ToString();
  EXPECT_FALSE(cadre->session.limited);
  EXPECT_TRUE(SeedDemoAccounts(*env.identity, nullptr, "320281")->empty());
}

TEST(SeedDemoAccounts, SecretsAreFixed) {
  // Printed in README.md and used by the .apitest files: a change here must change them too.
  EXPECT_EQ(DemoTotpSecret("15400000005"), "BA6F6HYRX5NUM6HR56R2PKPFKAODECZT");
  EXPECT_EQ(DemoTotpSecret("15400000010"), "A4HWLK4F53B6MF5I23P5ISAWUAPHW6DM");
  EXPECT_EQ(DemoTotpSecret("15400000005"), DemoTotpSecret("15400000005"));
  EXPECT_NE(DemoTotpSecret("15400000005"), DemoTotpSecret("15400000006"));
}

}  // namespace
}  // namespace gz::identity
