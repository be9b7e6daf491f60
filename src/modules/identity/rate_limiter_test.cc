#include "modules/identity/rate_limiter.h"

#include <gtest/gtest.h>

namespace gz::identity {
namespace {

TEST(RateLimiter, AllowsTheLimitPerWindowThenSaysHowLongToWait) {
  FakeClock clock;
  RateLimiter limiter(clock, 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(limiter.Attempt("127.0.0.1"), 0) << i;
  int64_t wait = limiter.Attempt("127.0.0.1");
  EXPECT_GE(wait, 59);
  EXPECT_LE(wait, 60);
  EXPECT_EQ(limiter.Attempt("127.0.0.2"), 0);  // per key
  clock.Advance(std::chrono::seconds(30));
  EXPECT_GE(limiter.Attempt("127.0.0.1"), 29);  // refused attempts are not counted
  clock.Advance(std::chrono::seconds(30));
  EXPECT_EQ(limiter.Attempt("127.0.0.1"), 0);
}

TEST(RateLimiter, SlidingWindow) {
  FakeClock clock;
  RateLimiter limiter(clock, 2);
  EXPECT_EQ(limiter.Attempt("a"), 0);
  clock.Advance(std::chrono::seconds(40));
  EXPECT_EQ(limiter.Attempt("a"), 0);
  EXPECT_GT(limiter.Attempt("a"), 0);
  clock.Advance(std::chrono::seconds(21));  // the first attempt left the window
  EXPECT_EQ(limiter.Attempt("a"), 0);
  EXPECT_GT(limiter.Attempt("a"), 0);
}

TEST(RateLimiter, MemoryStaysBounded) {
  FakeClock clock;
  RateLimiter limiter(clock, 1);
  for (size_t i = 0; i < RateLimiter::kMaxKeys + 100; ++i) EXPECT_EQ(limiter.Attempt(std::to_string(i)), 0);
}

}  // namespace
}  // namespace gz::identity
