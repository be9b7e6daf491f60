// Layer: jobs sql (see job_migrations.h).
#include "modules/jobs/sql/job_migrations.h"

namespace gz::jobs {
namespace {

// One row per job; small and hot, never large: no county code (it is not tenant data).
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE job_leases (
  job            TEXT NOT NULL PRIMARY KEY CHECK (length(job) BETWEEN 1 AND 64),
  holder         TEXT NOT NULL CHECK (length(holder) BETWEEN 1 AND 128),
  expires_at_ms  INTEGER NOT NULL
);
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE job_leases (
  job            TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(job) BETWEEN 1 AND 64),
  holder         TEXT COLLATE "C" NOT NULL CHECK (length(holder) BETWEEN 1 AND 128),
  expires_at_ms  BIGINT NOT NULL
);
)sql";

}  // namespace

const std::vector<storage::Migration>& JobMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"jobs", 1, "create_job_leases", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::jobs
