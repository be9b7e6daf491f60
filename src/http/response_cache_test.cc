#include "http/response_cache.h"

#include <gtest/gtest.h>

namespace gz::http {
namespace {

Response Body(std::string text, int status = 200) {
  Response r = Response::Text(status, std::move(text));
  return r;
}

TEST(ResponseCacheTest, HitsUntilTheTtlEnds) {
  FakeClock clock;
  ResponseCache cache(clock, std::chrono::seconds(60), 1 << 20);
  EXPECT_FALSE(cache.Get("a"));
  cache.Put("a", Body("hello"));
  ASSERT_TRUE(cache.Get("a"));
  EXPECT_EQ(cache.Get("a")->body, "hello");
  clock.Advance(std::chrono::seconds(59));
  EXPECT_TRUE(cache.Get("a"));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(cache.Get("a"));
}

TEST(ResponseCacheTest, KeepsOnlySuccessAndRespectsTheBudget) {
  FakeClock clock;
  ResponseCache cache(clock, std::chrono::seconds(60), 100);
  cache.Put("nf", Body("gone", 404));
  EXPECT_FALSE(cache.Get("nf"));
  cache.Put("big", Body(std::string(200, 'x')));
  EXPECT_FALSE(cache.Get("big"));
  cache.Put("a", Body(std::string(40, 'a')));
  cache.Put("b", Body(std::string(40, 'b')));
  EXPECT_EQ(cache.entries(), 2u);
  cache.Put("c", Body(std::string(40, 'c')));  // over budget: the cache starts again
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_TRUE(cache.Get("c"));
  EXPECT_LE(cache.bytes(), 100u);
  cache.Put("c", Body(std::string(10, 'C')));  // replacing keeps the byte count right
  EXPECT_EQ(cache.bytes(), 11u);
  cache.Clear();
  EXPECT_FALSE(cache.Get("c"));
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace gz::http
