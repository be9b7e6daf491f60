#include "crypto/secrets.h"

#include <gtest/gtest.h>

namespace gz::crypto {
namespace {

TEST(Secrets, PasswordHashesAreArgon2idSaltedAndVerify) {
  auto a = HashPassword("correct horse", PasswordHashCost::Minimal());
  auto b = HashPassword("correct horse", PasswordHashCost::Minimal());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->starts_with("$argon2id$v=19$"));
  EXPECT_NE(*a, *b);  // a fresh salt each time
  EXPECT_TRUE(VerifyPassword(*a, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*a, "correct horsE"));
  EXPECT_FALSE(VerifyPassword("", "correct horse"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "correct horse"));
  auto interactive = HashPassword("x", PasswordHashCost::Interactive());
  ASSERT_TRUE(interactive.ok());
  EXPECT_NE(interactive->find("m=65536,t=2,p=1"), std::string::npos) << *interactive;
}

TEST(Secrets, Sha256AndHmacSha1KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 2202 test case 2.
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Secrets, HexForms) {
  EXPECT_EQ(HexEncode(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("abc")));
  EXPECT_FALSE(IsSha256Hex(Sha256Hex("abc").substr(1)));
  EXPECT_FALSE(IsSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));  // lowercase only
  const std::string r = RandomHex(16);
  EXPECT_EQ(r.size(), 32u);
  EXPECT_EQ(r.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(r, RandomHex(16));
}

TEST(Secrets, RandomTokensAndComparisons) {
  std::string a = RandomBytes(32), b = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  std::string token = Base64UrlEncode(a);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  for (int i = 0; i < 100; ++i) EXPECT_LT(RandomUniform(10), 10u);
}

}  // namespace
}  // namespace gz::crypto
