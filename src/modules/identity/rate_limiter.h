// A per-key sliding-window limit kept in memory (sign-in and invitation attempts per client
// address). Lost on restart, which is acceptable: the per-account lockout is stored.
//
// Layer: identity domain. Thread-safe. Memory is bounded: at most kMaxKeys keys are tracked;
// when full, keys whose window has passed are dropped, and if none has, the oldest key goes.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace gz::identity {

class RateLimiter {
 public:
  static constexpr size_t kMaxKeys = 20000;
  // `limit` attempts per `window` per key. `clock` must outlive the limiter.
  RateLimiter(const Clock& clock, int limit, std::chrono::seconds window = std::chrono::seconds(60));

  // Counts an attempt for `key` and returns 0 if it is allowed, else the whole seconds until one
  // more would be (>= 1). A refused attempt is not counted.
  int64_t Attempt(const std::string& key);

 private:
  void EvictLocked(MonoTime now);
  const Clock& clock_;
  const int limit_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<MonoTime>> attempts_;
};

}  // namespace gz::identity
