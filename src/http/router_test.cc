#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gz::http {
namespace {

using ::testing::ElementsAre;
using Params = std::vector<std::pair<std::string, std::string>>;

Route MakeRoute(Method method, std::string pattern, std::string id) {
  Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.operation_id = std::move(id);
  r.permission = "public";
  r.handler = [](Request&) -> Result<Response> { return Response::Text(200, "ok"); };
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(MakeRoute(Method::kGet, "/", "root"));
    router_.Add(MakeRoute(Method::kGet, "/api/v1/divisions", "divisions.list"));
    router_.Add(MakeRoute(Method::kGet, "/api/v1/divisions/{code}", "divisions.get"));
    router_.Add(MakeRoute(Method::kPut, "/api/v1/divisions/{code}", "divisions.put"));
    router_.Add(MakeRoute(Method::kGet, "/api/v1/divisions/{code}/children", "divisions.children"));
    router_.Add(MakeRoute(Method::kGet, "/api/v1/divisions/search", "divisions.search"));
    router_.Add(MakeRoute(Method::kPost, "/api/v1/appeals/{id}/feedback/{n}", "appeals.feedback"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndPlaceholders) {
  Params params;
  auto m = router_.Find(Method::kGet, "/api/v1/divisions/420102", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "divisions.get");
  EXPECT_THAT(params, ElementsAre(std::pair<std::string, std::string>("code", "420102")));

  m = router_.Find(Method::kPost, "/api/v1/appeals/7/feedback/3", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_THAT(params, ElementsAre(std::pair<std::string, std::string>("id", "7"),
                                  std::pair<std::string, std::string>("n", "3")));

  m = router_.Find(Method::kGet, "/", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "root");
}

TEST_F(RouterTest, LiteralSegmentBeatsPlaceholderWhateverTheOrder) {
  Params params;
  auto m = router_.Find(Method::kGet, "/api/v1/divisions/search", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "divisions.search");
  EXPECT_TRUE(params.empty());
}

TEST_F(RouterTest, ExactMatchingWithoutTrailingSlashMagic) {
  Params params;
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/divisions/", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/divisions//children", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/divisions/1/children/", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "/API/v1/divisions", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "", &params).route, nullptr);
  EXPECT_EQ(router_.Find(Method::kGet, "api/v1/divisions", &params).route, nullptr);
}

TEST_F(RouterTest, UnknownPathIsNotKnown) {
  auto m = router_.Find(Method::kGet, "/nope", nullptr);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_known);
  EXPECT_TRUE(m.allowed.empty());
}

TEST_F(RouterTest, WrongMethodGivesAllowedMethodsWithHeadForGet) {
  auto m = router_.Find(Method::kDelete, "/api/v1/divisions/42", nullptr);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_THAT(m.allowed, ElementsAre(Method::kGet, Method::kHead, Method::kPut));

  m = router_.Find(Method::kGet, "/api/v1/appeals/1/feedback/2", nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_THAT(m.allowed, ElementsAre(Method::kPost));
}

TEST_F(RouterTest, AllowedIncludesMethodsOfLessSpecificPatterns) {
  // PUT /{code} also matches /search, so it is allowed there.
  auto m = router_.Find(Method::kDelete, "/api/v1/divisions/search", nullptr);
  EXPECT_THAT(m.allowed, ElementsAre(Method::kGet, Method::kHead, Method::kPut));
}

TEST_F(RouterTest, HeadMatchesGet) {
  Params params;
  auto m = router_.Find(Method::kHead, "/api/v1/divisions/9/children", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "divisions.children");
  EXPECT_EQ(m.route->method, Method::kGet);
  // HEAD does not match other methods.
  EXPECT_EQ(router_.Find(Method::kHead, "/api/v1/appeals/1/feedback/2", nullptr).route, nullptr);
}

TEST(RouterHeadTest, ExplicitHeadRouteBeatsGet) {
  Router router;
  router.Add(MakeRoute(Method::kGet, "/x", "x.get"));
  router.Add(MakeRoute(Method::kHead, "/x", "x.head"));
  auto m = router.Find(Method::kHead, "/x", nullptr);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "x.head");
  EXPECT_THAT(m.allowed, ElementsAre(Method::kGet, Method::kHead));
}

TEST(RouterPlaceholderTest, PlaceholderNeedsANonEmptySegmentAndKeepsDecodedText) {
  Router router;
  router.Add(MakeRoute(Method::kGet, "/v/{name}", "v"));
  Params params;
  EXPECT_EQ(router.Find(Method::kGet, "/v/", &params).route, nullptr);
  ASSERT_NE(router.Find(Method::kGet, "/v/张 三", &params).route, nullptr);
  EXPECT_THAT(params, ElementsAre(std::pair<std::string, std::string>("name", "张 三")));
}

TEST(RouterDeathTest, DuplicateRouteFailsFast) {
  Router router;
  router.Add(MakeRoute(Method::kGet, "/x", "x"));
  EXPECT_DEATH(router.Add(MakeRoute(Method::kGet, "/x", "x2")), "duplicate");
  EXPECT_DEATH(router.Add(MakeRoute(Method::kGet, "x", "x3")), "pattern");
}

}  // namespace
}  // namespace gz::http
