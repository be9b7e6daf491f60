#include "crypto/crypto.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>

#include "crypto/problems.h"

namespace gz::crypto {

Status Initialize() {
  static std::once_flag once;
  static int result = -1;
  std::call_once(once, [] { result = sodium_init(); });
  // 1 means "already initialized" (e.g. by another library in the process): fine.
  if (result < 0) return Status(Code::kInternal, std::string(problems::kInitFailed), "sodium_init failed");
  return Status::Ok();
}

int64_t NewRowId(int64_t unix_ms) {
  static std::mutex mu;
  static int64_t last = 0;
  constexpr int64_t kEpochMs = 1704067200000;  // 2024-01-01T00:00:00Z
  constexpr int64_t kMaxMs = (int64_t{1} << 41) - 1;
  const int64_t ms = std::clamp<int64_t>(unix_ms - kEpochMs, 0, kMaxMs);
  uint32_t r = 0;
  randombytes_buf(&r, sizeof r);
  int64_t id = (ms << 22) | static_cast<int64_t>(r & 0x3fffff);
  std::lock_guard lock(mu);
  if (id <= last) id = last + 1 + static_cast<int64_t>(r >> 24);  // never repeats, never goes back
  last = id;
  return id;
}

}  // namespace gz::crypto
