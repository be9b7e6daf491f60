#include "modules/identity/totp.h"

#include <gtest/gtest.h>

namespace gz::identity {
namespace {

const std::string kRfcKey = "12345678901234567890";  // RFC 6238 appendix B, SHA-1 seed

// RFC 6238 appendix B, the SHA-1 rows (8 digits).
TEST(Totp, Rfc6238AppendixBVectors) {
  struct Row {
    int64_t unix_seconds;
    const char* code;
  } rows[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
              {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const Row& r : rows) {
    EXPECT_EQ(Hotp(kRfcKey, TotpStep(r.unix_seconds * 1000), 8), r.code) << r.unix_seconds;
    // The 6-digit code an app shows is the last six digits (the modulus is 10^6).
    EXPECT_EQ(Hotp(kRfcKey, TotpStep(r.unix_seconds * 1000)), std::string(r.code).substr(2)) << r.unix_seconds;
  }
}

// RFC 4226 appendix D: HOTP values for counters 0..9.
TEST(Totp, Rfc4226AppendixDVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Hotp(kRfcKey, i), expected[i]) << i;
}

TEST(Totp, Base32RoundTripAndRfc4648Vectors) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), kRfcKey);
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi======"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1").has_value());  // '1' is not in the alphabet
}

TEST(Totp, StepBoundaries) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29999), 0);
  EXPECT_EQ(TotpStep(30000), 1);
}

TEST(Totp, AcceptsOneStepEitherSideAndNeverAStepTwice) {
  const int64_t now_ms = 1111111111000;
  const int64_t step = TotpStep(now_ms);
  for (int64_t d : {-1, 0, 1}) {
    std::optional<int64_t> got = VerifyTotp(kRfcKey, Hotp(kRfcKey, step + d), now_ms, 0);
    ASSERT_TRUE(got.has_value()) << d;
    EXPECT_EQ(*got, step + d);
  }
  EXPECT_FALSE(VerifyTotp(kRfcKey, Hotp(kRfcKey, step - 2), now_ms, 0).has_value());
  EXPECT_FALSE(VerifyTotp(kRfcKey, Hotp(kRfcKey, step + 2), now_ms, 0).has_value());
  // Replay: the step was used already.
  EXPECT_FALSE(VerifyTotp(kRfcKey, Hotp(kRfcKey, step), now_ms, step).has_value());
  // An older step than the last used one is refused even inside the window.
  EXPECT_FALSE(VerifyTotp(kRfcKey, Hotp(kRfcKey, step - 1), now_ms, step).has_value());
  EXPECT_TRUE(VerifyTotp(kRfcKey, Hotp(kRfcKey, step + 1), now_ms, step).has_value());
}

TEST(Totp, RefusesMalformedCodes) {
  const int64_t now_ms = 1111111111000;
  std::string good = Hotp(kRfcKey, TotpStep(now_ms));
  EXPECT_FALSE(VerifyTotp(kRfcKey, good + "0", now_ms, 0).has_value());
  EXPECT_FALSE(VerifyTotp(kRfcKey, good.substr(1), now_ms, 0).has_value());
  EXPECT_FALSE(VerifyTotp(kRfcKey, "12345a", now_ms, 0).has_value());
  EXPECT_FALSE(VerifyTotp("", good, now_ms, 0).has_value());
}

TEST(Totp, OtpauthUriNamesTheParameters) {
  std::string uri = OtpauthUri("154****0004", "ABC");
  EXPECT_EQ(uri, "otpauth://totp/gongzhi:154%2A%2A%2A%2A0004?secret=ABC&issuer=gongzhi&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace gz::identity
