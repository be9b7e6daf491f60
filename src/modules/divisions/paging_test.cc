// Tests of the paging parameters.
#include "modules/divisions/paging.h"

#include <gtest/gtest.h>

#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

TEST(PagingTest, AbsentParametersUseDefaults) {
  Result<Page> page = ParsePage(false, "", false, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(*page, (Page{500, 0}));
}

TEST(PagingTest, ValidValues) {
  EXPECT_EQ(*ParsePage(true, "1", true, "0"), (Page{1, 0}));
  EXPECT_EQ(*ParsePage(true, "1000", true, "25"), (Page{1000, 25}));
  EXPECT_EQ(*ParsePage(true, "007", false, ""), (Page{7, 0}));
  EXPECT_EQ(*ParsePage(false, "", true, "1000000000"), (Page{500, 1000000000}));
}

struct BadCase {
  bool has_limit;
  std::string_view limit;
  bool has_offset;
  std::string_view offset;
  std::string_view param;
  std::string_view reason;
};
std::ostream& operator<<(std::ostream& os, const BadCase& c) {
  return os << "limit=" << c.limit << " offset=" << c.offset << " -> " << c.param << " " << c.reason;
}

class BadPagingTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPagingTest, IsBadPagingNamingParamAndReason) {
  const BadCase& c = GetParam();
  Result<Page> page = ParsePage(c.has_limit, c.limit, c.has_offset, c.offset);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(page.status().slug(), problems::kBadPaging);
  EXPECT_EQ(page.status().Arg("param"), c.param);
  EXPECT_EQ(page.status().Arg("reason"), c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, BadPagingTest,
    ::testing::Values(BadCase{true, "", false, "", "limit", "empty"},
                      BadCase{true, "0", false, "", "limit", "out-of-range"},
                      BadCase{true, "1001", false, "", "limit", "out-of-range"},
                      BadCase{true, "99999999999999999999999", false, "", "limit", "out-of-range"},
                      BadCase{true, "-1", false, "", "limit", "not-a-number"},
                      BadCase{true, "+5", false, "", "limit", "not-a-number"},
                      BadCase{true, "1e3", false, "", "limit", "not-a-number"},
                      BadCase{true, " 5", false, "", "limit", "not-a-number"},
                      BadCase{true, "５", false, "", "limit", "not-a-number"},
                      BadCase{false, "", true, "", "offset", "empty"},
                      BadCase{false, "", true, "-1", "offset", "not-a-number"},
                      BadCase{false, "", true, "1000000001", "offset", "out-of-range"},
                      BadCase{true, "10", true, "x", "offset", "not-a-number"}));

TEST(PagingTest, ValidatePageChecksRanges) {
  EXPECT_TRUE(ValidatePage(Page{}).ok());
  EXPECT_EQ(ValidatePage(Page{0, 0}).Arg("param"), "limit");
  EXPECT_EQ(ValidatePage(Page{1001, 0}).Arg("param"), "limit");
  EXPECT_EQ(ValidatePage(Page{10, -1}).Arg("param"), "offset");
}

}  // namespace
}  // namespace gz::divisions
