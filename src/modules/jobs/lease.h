// Leases: which serving process runs a background job (the deadline sweep, the question sweep,
// the checkpoint signer) right now, when several `gongzhi serve` processes share one store.
//
// Layer: jobs domain (the port LeaseStore; sql/sql_lease_store.h implements it on storage::Db).
//
// Why a lease and not an in-process mutex or a PostgreSQL advisory lock: a lease is a row with an
// expiry, so a node that dies (SIGKILL, power loss) holds nothing once its lease runs out, and
// the same statement works on SQLite and PostgreSQL. Correctness never rests on the lease alone:
// the jobs are already safe when two runs overlap (conditional updates, the log's own refusal of
// a checkpoint that does not extend the last one). The lease makes them run once, on one node,
// instead of racing and logging refusals.
//
// Time: holders compare wall-clock milliseconds (the store's rows carry them). Nodes' clocks
// must agree to well within the TTL (NTP does); a lease is renewed every run, long before it
// expires.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace gz::jobs {

struct LeaseInfo {
  std::string job;
  std::string holder;
  int64_t expires_at_ms = 0;
};

class LeaseStore {
 public:
  virtual ~LeaseStore() = default;
  // Takes or renews `job` for `holder` until now + ttl if nobody else holds an unexpired lease on
  // it; answers whether `holder` holds it now. Atomic: of several holders trying at once, at most
  // one gets true while the lease lasts.
  virtual Result<bool> TryHold(std::string_view job, std::string_view holder, int64_t now_ms, int64_t ttl_ms) = 0;
  // Gives the lease up (so another node takes over at once); nothing if `holder` does not hold it.
  virtual Status Release(std::string_view job, std::string_view holder) = 0;
  virtual Result<std::optional<LeaseInfo>> Get(std::string_view job) = 0;
};

// A name for this process among the nodes: host name, process id and random bits (a restarted
// process is a new holder and waits for its old lease to expire, or takes it when released).
std::string NewHolderId();

// One job's lease for one process: Hold() before each run of the job. Logs when this process
// starts or stops holding the job ("jobs.lease_acquired" / "jobs.lease_lost"). A store error
// counts as not holding (fail safe: skip the run, try again next time). Thread-safe.
class JobLease {
 public:
  // `store` and `clock` must outlive the lease. `ttl_ms` > 0.
  JobLease(LeaseStore& store, const Clock& clock, std::string job, std::string holder, int64_t ttl_ms);
  bool Hold();
  void Release();
  const std::string& job() const { return job_; }
  const std::string& holder() const { return holder_; }

 private:
  LeaseStore& store_;
  const Clock& clock_;
  const std::string job_;
  const std::string holder_;
  const int64_t ttl_ms_;
  std::mutex mu_;
  bool holding_ = false;
};

}  // namespace gz::jobs
