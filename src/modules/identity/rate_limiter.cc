#include "modules/identity/rate_limiter.h"

namespace gz::identity {

RateLimiter::RateLimiter(const Clock& clock, int limit, std::chrono::seconds window)
    : clock_(clock), limit_(limit < 1 ? 1 : limit), window_(window) {}

int64_t RateLimiter::Attempt(const std::string& key) {
  const MonoTime now = clock_.Monotonic();
  std::lock_guard lock(mu_);
  if (attempts_.size() >= kMaxKeys && attempts_.find(key) == attempts_.end()) EvictLocked(now);
  auto& times = attempts_[key];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (static_cast<int>(times.size()) >= limit_) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(times.front() + window_ - now).count();
    return wait <= 0 ? 1 : (wait + 999) / 1000;
  }
  times.push_back(now);
  return 0;
}

void RateLimiter::EvictLocked(MonoTime now) {
  for (auto it = attempts_.begin(); it != attempts_.end();) {
    if (it->second.empty() || now - it->second.back() >= window_) it = attempts_.erase(it);
    else ++it;
  }
  if (attempts_.size() < kMaxKeys) return;
  auto oldest = attempts_.begin();
  for (auto it = attempts_.begin(); it != attempts_.end(); ++it)
    if (it->second.back() < oldest->second.back()) oldest = it;
  attempts_.erase(oldest);
}

}  // namespace gz::identity
