#include "modules/identity/password_policy.h"

#include <gtest/gtest.h>

#include "modules/identity/problems.h"
#include "modules/identity/seed_demo_accounts.h"

namespace gz::identity {
namespace {

std::string ReasonOf(const Status& s) {
  for (const auto& [k, v] : s.args())
    if (k == "reason") return v;
  return s.ok() ? "ok" : "?";
}

const PasswordPolicy& P() { return PasswordPolicy::Default(); }

TEST(PasswordPolicy, EmbedsTheOpenwallListAndTheChinesePatterns) {
  EXPECT_GT(P().size(), 3400u);  // 3546 entries, fewer once case is folded
  EXPECT_TRUE(P().IsBlocked("password1"));   // Openwall
  EXPECT_TRUE(P().IsBlocked("PASSWORD1"));   // case ignored
  EXPECT_TRUE(P().IsBlocked("woaini1314"));  // Chinese patterns
  EXPECT_TRUE(P().IsBlocked("1qaz2wsx"));
  EXPECT_FALSE(P().IsBlocked("correct horse battery"));
}

TEST(PasswordPolicy, LengthRulesDependOnTheRole) {
  EXPECT_EQ(ReasonOf(P().Check("tuolaji7", false, {})), "ok");      // 8 characters: villager ok
  EXPECT_EQ(ReasonOf(P().Check("tuolaji", false, {})), "too-short");
  EXPECT_EQ(ReasonOf(P().Check("tuolaji7", true, {})), "too-short");  // staff need 12
  EXPECT_EQ(ReasonOf(P().Check("tuolaji7gengdi", true, {})), "ok");
  Status s = P().Check("short", true, {});
  EXPECT_EQ(s.slug(), problems::kWeakPassword);
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // Eight Chinese characters are 24 bytes; they count as 8.
  EXPECT_EQ(ReasonOf(P().Check("我家门前有条小河", false, {})), "ok");
  EXPECT_EQ(ReasonOf(P().Check("我家门前有条河", false, {})), "too-short");
}

TEST(PasswordPolicy, MaximumIs128Bytes) {
  EXPECT_EQ(ReasonOf(P().Check(std::string(128, 'a') + "", false, {})), "repeated");
  std::string long_ok;
  for (int i = 0; i < 16; ++i) long_ok += "abcdefgh";
  EXPECT_EQ(ReasonOf(P().Check(long_ok, false, {})), "ok");
  EXPECT_EQ(ReasonOf(P().Check(long_ok + "x", false, {})), "too-long");
}

TEST(PasswordPolicy, NoCompositionRules) {
  EXPECT_TRUE(P().Check("all lower case words", false, {}).ok());
  EXPECT_TRUE(P().Check("38572910", false, {}).ok());
}

TEST(PasswordPolicy, RefusesBlockedContextAndRepeated) {
  EXPECT_EQ(ReasonOf(P().Check("12345678", false, {})), "blocked");
  EXPECT_EQ(ReasonOf(P().Check("iloveyou", false, {})), "blocked");
  EXPECT_EQ(ReasonOf(P().Check("qq123456", false, {})), "blocked");
  EXPECT_EQ(ReasonOf(P().Check("5201314520", false, {})), "blocked");
  EXPECT_EQ(ReasonOf(P().Check("15400000001", false, {"15400000001"})), "context");
  EXPECT_EQ(ReasonOf(P().Check("15400000001ab", false, {"15400000001"})), "context");
  EXPECT_EQ(ReasonOf(P().Check("Gongzhi1234", false, {})), "context");
  EXPECT_EQ(ReasonOf(P().Check("gongzhipassword", false, {})), "context");
  EXPECT_EQ(ReasonOf(P().Check("zzzzzzzzzz", false, {})), "repeated");
  EXPECT_EQ(ReasonOf(P().Check("abc\x01" "defgh", false, {})), "control-character");
  // A context word inside a long enough passphrase is fine.
  EXPECT_TRUE(P().Check(kDemoPassword, true, {"15400000005"}).ok());
}

}  // namespace
}  // namespace gz::identity
