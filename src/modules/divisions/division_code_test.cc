// Tests of DivisionCode: accepted forms at every level, rejected inputs with their reasons, and
// the tree arithmetic (parent, ancestors, subtree), including codes with zero groups inside.
#include "modules/divisions/division_code.h"

#include <gtest/gtest.h>

#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

struct ValidCase {
  std::string_view input;
  std::string_view canonical;
  std::string_view native;
  Level level;
};
std::ostream& operator<<(std::ostream& os, const ValidCase& c) { return os << '"' << c.input << '"'; }

class ValidCodeTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidCodeTest, ParsesToCanonicalNativeAndLevel) {
  const ValidCase& c = GetParam();
  Result<DivisionCode> code = DivisionCode::Parse(c.input);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->canonical(), c.canonical);
  EXPECT_EQ(code->native(), c.native);
  EXPECT_EQ(code->level(), c.level);
}

INSTANTIATE_TEST_SUITE_P(
    EveryLevelNativeAndPadded, ValidCodeTest,
    ::testing::Values(
        ValidCase{"42", "420000000000", "42", Level::kProvince},
        ValidCase{"420000000000", "420000000000", "42", Level::kProvince},
        ValidCase{"4201", "420100000000", "4201", Level::kCity},
        ValidCase{"420100000000", "420100000000", "4201", Level::kCity},
        ValidCase{"420114", "420114000000", "420114", Level::kCounty},
        ValidCase{"420114000000", "420114000000", "420114", Level::kCounty},
        ValidCase{"420114001", "420114001000", "420114001", Level::kTownship},
        ValidCase{"420114001000", "420114001000", "420114001", Level::kTownship},
        ValidCase{"420114001001", "420114001001", "420114001001", Level::kVillage},
        // Padded to a shorter level's length (GB/T 2260 style): the padded form decides.
        ValidCase{"4200", "420000000000", "42", Level::kProvince},
        ValidCase{"420100", "420100000000", "4201", Level::kCity},
        ValidCase{"420114000", "420114000000", "420114", Level::kCounty},
        // Zero groups inside a code: 东莞's townships have no county group.
        ValidCase{"441900003", "441900003000", "441900003", Level::kTownship},
        ValidCase{"441900003001", "441900003001", "441900003001", Level::kVillage},
        ValidCase{"441900", "441900000000", "4419", Level::kCity}));

struct InvalidCase {
  std::string_view input;
  std::string_view reason;
};
std::ostream& operator<<(std::ostream& os, const InvalidCase& c) { return os << '"' << c.input << "\" -> " << c.reason; }

class InvalidCodeTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidCodeTest, IsBadCodeWithReason) {
  const InvalidCase& c = GetParam();
  Result<DivisionCode> code = DivisionCode::Parse(c.input);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(code.status().slug(), problems::kBadCode);
  EXPECT_EQ(code.status().Arg("reason"), c.reason);
  EXPECT_EQ(code.status().Arg("code"), c.input);
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, InvalidCodeTest,
    ::testing::Values(InvalidCase{"", bad_code::kEmpty},
                      InvalidCase{"42a", bad_code::kNotDigits},
                      InvalidCase{"abcdef", bad_code::kNotDigits},
                      InvalidCase{"４２", bad_code::kNotDigits},  // full-width digits
                      InvalidCase{"42011４", bad_code::kNotDigits},
                      InvalidCase{" 42", bad_code::kNotDigits},
                      InvalidCase{"42 ", bad_code::kNotDigits},
                      InvalidCase{"-42", bad_code::kNotDigits},
                      InvalidCase{"4201.1", bad_code::kNotDigits},
                      InvalidCase{"4", bad_code::kBadLength},
                      InvalidCase{"420", bad_code::kBadLength},
                      InvalidCase{"42011", bad_code::kBadLength},
                      InvalidCase{"4201140", bad_code::kBadLength},
                      InvalidCase{"42011400", bad_code::kBadLength},
                      InvalidCase{"4201140010", bad_code::kBadLength},
                      InvalidCase{"42011400100", bad_code::kBadLength},
                      InvalidCase{"4201140010011", bad_code::kBadLength},  // 13 digits
                      InvalidCase{"00", bad_code::kZeroProvince},
                      InvalidCase{"000000000000", bad_code::kZeroProvince},
                      InvalidCase{"0012", bad_code::kZeroProvince}));

TEST(DivisionCodeTest, LongInputIsEchoedShortened) {
  std::string input(5000, '9');
  Result<DivisionCode> code = DivisionCode::Parse(input);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().Arg("reason"), bad_code::kBadLength);
  EXPECT_EQ(code.status().Arg("code").size(), 40u);
}

TEST(DivisionCodeTest, EmbeddedNulIsNotDigits) {
  Result<DivisionCode> code = DivisionCode::Parse(std::string_view("42\0" "1", 4));
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().Arg("reason"), bad_code::kNotDigits);
}

DivisionCode Code(std::string_view text) {
  Result<DivisionCode> code = DivisionCode::Parse(text);
  EXPECT_TRUE(code.ok()) << code.status().ToString();
  return *code;
}

std::vector<std::string> Natives(const std::vector<DivisionCode>& codes) {
  std::vector<std::string> out;
  for (const DivisionCode& c : codes) out.emplace_back(c.native());
  return out;
}

TEST(DivisionCodeTest, ParentOfEachLevel) {
  EXPECT_FALSE(Code("42").Parent().has_value());
  EXPECT_EQ(Code("4201").Parent()->native(), "42");
  EXPECT_EQ(Code("420114").Parent()->native(), "4201");
  EXPECT_EQ(Code("420114001").Parent()->native(), "420114");
  EXPECT_EQ(Code("420114001001").Parent()->native(), "420114001");
  EXPECT_EQ(Code("420114001001").Parent()->level(), Level::kTownship);
}

TEST(DivisionCodeTest, AncestorsFromProvinceDown) {
  EXPECT_TRUE(Code("42").Ancestors().empty());
  EXPECT_EQ(Natives(Code("420114001001").Ancestors()),
            (std::vector<std::string>{"42", "4201", "420114", "420114001"}));
  EXPECT_EQ(Natives(Code("420114").Ancestors()), (std::vector<std::string>{"42", "4201"}));
}

TEST(DivisionCodeTest, ZeroGroupLevelIsSkippedInTheChain) {
  // 东莞: towns sit directly under the city.
  EXPECT_EQ(Code("441900003").Parent()->native(), "4419");
  EXPECT_EQ(Code("441900003").Parent()->level(), Level::kCity);
  EXPECT_EQ(Natives(Code("441900003001").Ancestors()), (std::vector<std::string>{"44", "4419", "441900003"}));
}

TEST(DivisionCodeTest, ContainsIsSubtreeMembership) {
  EXPECT_TRUE(Code("42").Contains(Code("420114001001")));
  EXPECT_TRUE(Code("420114").Contains(Code("420114")));
  EXPECT_TRUE(Code("420114").Contains(Code("420114001")));
  EXPECT_FALSE(Code("420114").Contains(Code("4201")));
  EXPECT_FALSE(Code("420114").Contains(Code("420115001")));
  EXPECT_FALSE(Code("42").Contains(Code("43")));
  EXPECT_TRUE(Code("4419").Contains(Code("441900003001")));
}

TEST(DivisionCodeTest, SubtreeRangeCoversExactlyTheSubtree) {
  DivisionCode county = Code("420114");
  EXPECT_EQ(county.SubtreeFirst(), "420114000000");
  EXPECT_EQ(county.SubtreeLast(), "420114999999");
  EXPECT_EQ(Code("42").SubtreeLast(), "429999999999");
  EXPECT_EQ(Code("420114001001").SubtreeLast(), "420114001001");
  // Everything in the range is contained, and the neighbours are not in the range.
  EXPECT_GT(Code("420115").canonical(), county.SubtreeLast());
  EXPECT_LT(Code("420113999").canonical(), county.SubtreeFirst());
}

TEST(DivisionCodeTest, EqualityAndOrderFollowTheCanonicalForm) {
  EXPECT_EQ(Code("4201"), Code("420100000000"));
  EXPECT_EQ(Code("441900"), Code("4419"));
  EXPECT_LT(Code("42"), Code("4201"));
  EXPECT_LT(Code("420114"), Code("420115"));
}

TEST(LevelTest, NamesRoundTrip) {
  for (int i = 0; i < kLevelCount; ++i) {
    Level level = LevelFromIndex(i);
    EXPECT_EQ(ParseLevel(LevelName(level)), level);
  }
  EXPECT_EQ(LevelName(Level::kTownship), "township");
  EXPECT_FALSE(ParseLevel("street").has_value());
  EXPECT_EQ(NativeLength(Level::kTownship), 9);
}

}  // namespace
}  // namespace gz::divisions
