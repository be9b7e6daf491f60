// LeaseStore on storage::Db: one upsert decides, so it holds across processes on SQLite (one
// writer at a time) and PostgreSQL (the row lock of ON CONFLICT DO UPDATE). Layer: jobs sql.
#pragma once

#include "modules/jobs/lease.h"
#include "storage/db.h"

namespace gz::jobs {

class SqlLeaseStore final : public LeaseStore {
 public:
  explicit SqlLeaseStore(storage::Db& db) : db_(db) {}
  Result<bool> TryHold(std::string_view job, std::string_view holder, int64_t now_ms, int64_t ttl_ms) override;
  Status Release(std::string_view job, std::string_view holder) override;
  Result<std::optional<LeaseInfo>> Get(std::string_view job) override;

 private:
  storage::Db& db_;
};

}  // namespace gz::jobs
