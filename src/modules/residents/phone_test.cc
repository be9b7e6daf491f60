#include "modules/residents/phone.h"

#include <gtest/gtest.h>

namespace gz::residents {
namespace {

TEST(PhoneTest, NormalizesTypedForms) {
  EXPECT_EQ(NormalizeMobile("15412345678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("154 1234 5678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("154-1234-5678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("+86 154 1234 5678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("0086 15412345678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("8615412345678"), "15412345678");
  EXPECT_EQ(NormalizeMobile("(+86) 13912345678"), "13912345678");
}

TEST(PhoneTest, RejectsWhatIsNotAMainlandMobile) {
  for (const char* bad : {"", "1541234567", "154123456789", "12412345678", "10086", "02784512345", "2541234567a",
                          "+1 154 1234 5678", "154１2345678", "+15412345678", "++8615412345678"}) {
    EXPECT_FALSE(NormalizeMobile(bad).has_value()) << bad;
  }
}

TEST(PhoneTest, SyntheticRangeIs154Only) {
  EXPECT_TRUE(IsSyntheticMobile("15400000000"));
  EXPECT_TRUE(IsSyntheticMobile("15499999999"));
  for (const char* real : {"15312345678", "15512345678", "13912345678", "19412345678", "1541234567"})
    EXPECT_FALSE(IsSyntheticMobile(real)) << real;
}

}  // namespace
}  // namespace gz::residents
