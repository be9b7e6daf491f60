#include "core/status.h"

#include <gtest/gtest.h>

namespace gz {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("test/odd").With("value", std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  GZ_ASSIGN_OR_RETURN(int half, Half(x));
  GZ_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int x) {
  GZ_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesSlugArgsAndNote) {
  Status s = NotFound("divisions/unknown-code", "lookup").With("code", "420199");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.slug(), "divisions/unknown-code");
  EXPECT_EQ(s.Arg("code"), "420199");
  EXPECT_EQ(s.Arg("missing"), "");
  EXPECT_EQ(s.ToString(), "NOT_FOUND divisions/unknown-code (code=420199) lookup");
}

TEST(ResultTest, PropagatesThroughMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6/2 = 3 is odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().slug(), "test/odd");
  EXPECT_EQ(r.status().Arg("value"), "3");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(5).ok());
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace gz

#include "core/problem_text.h"

namespace gz {
namespace {

TEST(FillPlaceholdersTest, SubstitutesNamedArguments) {
  Status s = InvalidArgument("x").With("line", "3").With("column", "14");
  EXPECT_EQ(FillPlaceholders("第 {line} 行第 {column} 列", s), "第 3 行第 14 列");
  EXPECT_EQ(FillPlaceholders("missing {nope} arg", s), "missing  arg");
  EXPECT_EQ(FillPlaceholders("unclosed {brace", s), "unclosed {brace");
}

}  // namespace
}  // namespace gz
