// Migrations of the jobs module (job_leases). Layer: jobs sql.
#pragma once

#include <vector>

#include "storage/migrate.h"

namespace gz::jobs {

const std::vector<storage::Migration>& JobMigrations();

}  // namespace gz::jobs
