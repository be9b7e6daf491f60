// Layer: jobs sql (see sql_lease_store.h).
#include "modules/jobs/sql/sql_lease_store.h"

namespace gz::jobs {

using storage::Params;

Result<bool> SqlLeaseStore::TryHold(std::string_view job, std::string_view holder, int64_t now_ms, int64_t ttl_ms) {
  if (job.empty() || job.size() > 64 || holder.empty() || holder.size() > 128 || ttl_ms <= 0)
    return InvalidArgument("jobs/bad-lease");
  bool held = false;
  GZ_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    // Insert, or take over when the holder is us (renewal) or the lease has run out; otherwise
    // the WHERE leaves the row alone and nothing is returned.
    GZ_ASSIGN_OR_RETURN(
        storage::ResultSet rs,
        tx.Query("INSERT INTO job_leases (job, holder, expires_at_ms) VALUES ($1, $2, $3) "
                 "ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms "
                 "WHERE job_leases.holder = excluded.holder OR job_leases.expires_at_ms <= $4 "
                 "RETURNING holder",
                 Params{std::string(job), std::string(holder), now_ms + ttl_ms, now_ms}));
    held = !rs.empty() && rs.rows[0].Text(0) == holder;
    return Status::Ok();
  }));
  return held;
}

Status SqlLeaseStore::Release(std::string_view job, std::string_view holder) {
  return db_.Write([&](storage::Tx& tx) -> Status {
    return tx.Exec("DELETE FROM job_leases WHERE job = $1 AND holder = $2", Params{std::string(job), std::string(holder)})
        .status();
  });
}

Result<std::optional<LeaseInfo>> SqlLeaseStore::Get(std::string_view job) {
  std::optional<LeaseInfo> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT job, holder, expires_at_ms FROM job_leases WHERE job = $1", Params{std::string(job)}));
    if (!rs.empty()) out = LeaseInfo{rs.rows[0].Text(0), rs.rows[0].Text(1), rs.rows[0].Int(2)};
    return Status::Ok();
  }));
  return out;
}

}  // namespace gz::jobs
