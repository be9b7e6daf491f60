// Layer: jobs domain (see lease.h).
#include "modules/jobs/lease.h"

#include <unistd.h>

#include <chrono>

#include "core/log.h"
#include "crypto/secrets.h"

namespace gz::jobs {
namespace {

}  // namespace

std::string NewHolderId() {
  char host[64] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string name(host);
  if (name.size() > 40) name.resize(40);
  return (name.empty() ? std::string("node") : name) + "-" + std::to_string(getpid()) + "-" + crypto::RandomHex(6);
}

JobLease::JobLease(LeaseStore& store, const Clock& clock, std::string job, std::string holder, int64_t ttl_ms)
    : store_(store), clock_(clock), job_(std::move(job)), holder_(std::move(holder)), ttl_ms_(ttl_ms) {}

bool JobLease::Hold() {
  std::lock_guard lock(mu_);
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  Result<bool> held = store_.TryHold(job_, holder_, now, ttl_ms_);
  const bool holding = held.ok() && *held;
  if (!held.ok()) log::Warn("jobs.lease_failed", {{"job", job_}, {"status", held.status().ToString()}});
  if (holding && !holding_) log::Info("jobs.lease_acquired", {{"job", job_}, {"holder", holder_}});
  if (!holding && holding_) log::Warn("jobs.lease_lost", {{"job", job_}, {"holder", holder_}});
  holding_ = holding;
  return holding;
}

void JobLease::Release() {
  std::lock_guard lock(mu_);
  if (!holding_) return;
  Status s = store_.Release(job_, holder_);
  if (!s.ok()) log::Warn("jobs.lease_release_failed", {{"job", job_}, {"status", s.ToString()}});
  holding_ = false;
}

}  // namespace gz::jobs
