// Clock: the only way domain code learns the time, so that tests can control it (FakeClock)
// and so that durations use the monotonic clock while stored instants use UTC wall time.
// Layer: core.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace gz {

using WallTime = std::chrono::system_clock::time_point;
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC wall time, for timestamps that are stored or shown.
  virtual WallTime Now() const = 0;
  // Monotonic time, for durations and timeouts. Never goes back.
  virtual MonoTime Monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  MonoTime Monotonic() const override { return std::chrono::steady_clock::now(); }
  // A process-wide instance; stateless, so sharing it is safe.
  static const SystemClock& Instance();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime(std::chrono::seconds(1767225600)))  // 2026-01-01Z
      : wall_ns_(start.time_since_epoch().count()) {}
  WallTime Now() const override { return WallTime(WallTime::duration(wall_ns_.load())); }
  MonoTime Monotonic() const override { return MonoTime(MonoTime::duration(mono_ns_.load())); }
  void Advance(std::chrono::nanoseconds d) {
    wall_ns_ += std::chrono::duration_cast<WallTime::duration>(d).count();
    mono_ns_ += std::chrono::duration_cast<MonoTime::duration>(d).count();
  }
  // Moves wall time only (a clock step), as NTP corrections do.
  void StepWallForTest(std::chrono::nanoseconds d) {
    wall_ns_ += std::chrono::duration_cast<WallTime::duration>(d).count();
  }

 private:
  std::atomic<int64_t> wall_ns_;
  std::atomic<int64_t> mono_ns_{0};
};

// RFC 3339 UTC with milliseconds: "2026-11-28T18:30:00.123Z".
std::string FormatRfc3339(WallTime t);

}  // namespace gz
