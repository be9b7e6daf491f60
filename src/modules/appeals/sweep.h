// The deadline sweep (超期督办): a background job that escalates overdue appeals and tells the
// supervisors when an answer went unrated, EXACTLY ONCE per deadline.
//
// Layer: appeals domain.
//
// How "exactly once" holds:
//   - every deadline has a key (appeal, kind, round) (lifecycle.h); the store writes the key in
//     the same transaction as the escalation, its timeline entry, inbox entries and audit event,
//     and the key is unique, so a second sweep (another thread, another process, the same one
//     after a restart) that acts on the same deadline fails as a whole and changes nothing;
//   - the appeal's version is checked too: a handler accepting the appeal while the sweep plans
//     its escalation makes one of the two fail (the handler then sees the escalation, or the
//     sweep finds the deadline no longer running and leaves it).
// Time: deadlines are UTC milliseconds and the sweep compares them with the Clock's wall time.
// A clock stepped back only delays escalations until wall time reaches the deadline again; a
// clock stepped forward escalates what is then due. Neither can escalate a deadline twice: that
// guarantee comes from the store, not from the clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "modules/appeals/appeal_store.h"
#include "modules/appeals/deadlines.h"

namespace gz::appeals {

struct SweepReport {
  int64_t escalated = 0;        // escalations written by this run
  int64_t follow_ups = 0;       // rating windows reported to the supervisors
  int64_t already_handled = 0;  // lost to another sweep or a concurrent change (no harm done)
  int64_t skipped = 0;          // no longer due when re-read (the appeal moved on)
  int64_t failed = 0;           // other errors (logged; retried by the next run)
};

class DeadlineSweeper {
 public:
  // `store` and `clock` must outlive the sweeper. Thread-safe (runs may overlap; see above).
  DeadlineSweeper(AppealStore& store, const Clock& clock, AppealSettings settings = {});

  // Acts on every deadline due now, in batches of `batch` (1..1000), until none is left or a
  // batch makes no progress. Returns the store's error only if the due deadlines cannot be listed.
  Result<SweepReport> RunOnce(int batch = 200);

 private:
  Status ActOn(const DeadlineKey& key, int64_t now_ms, SweepReport& report,
               std::map<std::string, DeadlineDurations>& durations_cache);

  AppealStore& store_;
  const Clock& clock_;
  AppealSettings settings_;
};

// Runs a sweeper every `interval` on its own thread until Stop() (or destruction). The first
// run happens at Start(). Errors are logged ("appeals.sweep_failed"), never thrown. `may_run`,
// asked before each run, lets one of several serving processes run it (a lease, jobs/lease.h);
// empty: always.
class PeriodicSweep {
 public:
  PeriodicSweep(DeadlineSweeper& sweeper, std::chrono::milliseconds interval, std::function<bool()> may_run = {});
  ~PeriodicSweep();
  PeriodicSweep(const PeriodicSweep&) = delete;
  PeriodicSweep& operator=(const PeriodicSweep&) = delete;

  void Start();
  // Waits for a running sweep to finish. Idempotent.
  void Stop();
  int64_t runs() const;

 private:
  void Loop();

  DeadlineSweeper& sweeper_;
  std::chrono::milliseconds interval_;
  std::function<bool()> may_run_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t runs_ = 0;
  std::thread thread_;
};

}  // namespace gz::appeals
