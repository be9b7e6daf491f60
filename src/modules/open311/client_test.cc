// Keys, client names, reasons and scopes: the pure rules of client.h.
#include "modules/open311/client.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/crypto.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

TEST(Open311Keys, AreLongRandomAndRecognisable) {
  ASSERT_TRUE(crypto::Initialize().ok());
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string key = NewKey();
    EXPECT_EQ(key.size(), kKeyLength);
    EXPECT_TRUE(key.starts_with("gz311_")) << key;
    EXPECT_TRUE(LooksLikeKey(key)) << key;
    EXPECT_TRUE(seen.insert(key).second) << "a key repeated: " << key;
    EXPECT_EQ(KeyHash(key).size(), 32u);
  }
  const std::string key = *seen.begin();
  EXPECT_EQ(KeyHash(key), KeyHash(key));
  EXPECT_NE(KeyHash(key), KeyHash(*seen.rbegin()));
}

TEST(Open311Keys, OnlyTheShapeOfAKeyLooksLikeOne) {
  const std::string good = "gz311_" + std::string(43, 'A');
  EXPECT_TRUE(LooksLikeKey(good));
  EXPECT_FALSE(LooksLikeKey(""));
  EXPECT_FALSE(LooksLikeKey("gz311_"));
  EXPECT_FALSE(LooksLikeKey("gz312_" + std::string(43, 'A')));
  EXPECT_FALSE(LooksLikeKey(good + "A"));
  EXPECT_FALSE(LooksLikeKey(good.substr(0, good.size() - 1)));
  std::string bad = good;
  bad[20] = '+';
  EXPECT_FALSE(LooksLikeKey(bad));
  bad[20] = '=';
  EXPECT_FALSE(LooksLikeKey(bad));
}

TEST(Open311Clients, NamesAreOneLineOfAtMostAHundredCharacters) {
  EXPECT_TRUE(ValidateClientName("蔡甸随手拍").ok());
  EXPECT_TRUE(ValidateClientName("FixMyStreet \"Caidian\" <test>").ok());
  EXPECT_TRUE(ValidateClientName(std::string(100 * 3 / 3, 'a')).ok());
  std::string hundred_zh;
  for (int i = 0; i < 100; ++i) hundred_zh += "村";
  EXPECT_TRUE(ValidateClientName(hundred_zh).ok());
  for (const std::string& bad : {std::string(""), std::string("   "), std::string(101, 'a'), hundred_zh + "村",
                                std::string("a\nb"), std::string("a\tb"), std::string("a\x7f"), std::string("\xff\xfe"),
                                std::string("a\0b", 3)}) {
    Status s = ValidateClientName(bad);
    EXPECT_EQ(s.slug(), problems::kBadClientName) << bad;
    EXPECT_EQ(s.Arg("max"), "100");
  }
}

TEST(Open311Clients, ReasonsMayBeEmptyButNotLongOrMultiLine) {
  EXPECT_TRUE(ValidateReason("").ok());
  EXPECT_TRUE(ValidateReason("密钥泄露").ok());
  EXPECT_EQ(ValidateReason(std::string(201, 'x')).slug(), problems::kBadReason);
  EXPECT_EQ(ValidateReason("a\r\nb").slug(), problems::kBadReason);
}

TEST(Open311Clients, ScopesAreACountyATownshipOrAVillage) {
  EXPECT_EQ(*ParseClientScope("420114"), "420114000000");
  EXPECT_EQ(*ParseClientScope("420114000000"), "420114000000");
  EXPECT_EQ(*ParseClientScope("420114001"), "420114001000");
  EXPECT_EQ(*ParseClientScope("420114001205"), "420114001205");
  for (const char* wide : {"42", "4201", "420000000000", "420100000000"}) {
    Result<std::string> s = ParseClientScope(wide);
    ASSERT_FALSE(s.ok()) << wide;
    EXPECT_EQ(s.status().slug(), problems::kBadScope);
    EXPECT_EQ(s.status().Arg("reason"), "level") << wide;
  }
  for (const char* junk : {"", "abc", "4201140012", "42011400120x", "000000000000", "4201140012051"}) {
    Result<std::string> s = ParseClientScope(junk);
    ASSERT_FALSE(s.ok()) << junk;
    EXPECT_EQ(s.status().Arg("reason"), "not-a-code") << junk;
  }
}

}  // namespace
}  // namespace gz::open311
