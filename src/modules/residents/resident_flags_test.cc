#include "modules/residents/resident_flags.h"

#include <gtest/gtest.h>

#include "modules/residents/problems.h"

namespace gz::residents {
namespace {

TEST(ResidentFlags, NormalizeSortsFoldsAndRefusesUnknownCodes) {
  auto ok = NormalizeFlags(std::vector<std::string>{"low_income", "disability", "low_income"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"disability", "low_income"}));
  EXPECT_TRUE(NormalizeFlags(std::vector<std::string>{})->empty());

  auto unknown = NormalizeFlags(std::vector<std::string>{"disability", "vip"});
  EXPECT_EQ(unknown.status().slug(), problems::kBadFlag);
  EXPECT_EQ(unknown.status().Arg("reason"), "unknown");
  EXPECT_EQ(unknown.status().Arg("flag"), "vip");
  // Free text in a flag is never echoed back into a problem detail.
  EXPECT_EQ(NormalizeFlags(std::vector<std::string>{"王建国 42010219900101"}).status().Arg("flag"), "?");
  EXPECT_EQ(NormalizeFlags(std::vector<std::string>(17, "disability")).status().Arg("reason"), "too-many");
  for (const FlagDefinition& f : kResidentFlags) {
    EXPECT_EQ(FindFlag(f.code), &f);
    EXPECT_FALSE(f.name_zh.empty());
    EXPECT_FALSE(f.name_en.empty());
  }
}

TEST(ResidentFlags, EncodeDecodeRoundTripAndStrictParse) {
  const std::vector<std::string> flags = {"disability", "elderly_alone", "low_income"};
  EXPECT_EQ(EncodeFlags(flags), R"(["disability","elderly_alone","low_income"])");
  EXPECT_EQ(EncodeFlags({}), "[]");
  EXPECT_EQ(*DecodeFlags(EncodeFlags(flags)), flags);
  EXPECT_TRUE(DecodeFlags("[]")->empty());
  EXPECT_EQ(*DecodeFlags(R"(["retired_code"])"), std::vector<std::string>{"retired_code"});  // old rows still read
  for (std::string_view bad : {"", "[", "]", "[\"a\",]", "[\"\"]", "[\"A\"]", "[\"a\" ]", "[a]", "{\"a\"}", "[\"a\"\"b\"]"}) {
    auto r = DecodeFlags(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().slug(), "crypto/integrity-failure") << bad;
  }
}

}  // namespace
}  // namespace gz::residents
