// The storage backends the contract tests run against (test-only).
//
// Layer: storage, tests. Every test of the Db contract is value-parameterized over this list, so a
// new backend runs all of them by adding one line here. PostgreSQL runs on a throwaway cluster
// (storage/postgres/testing.h): a test binary that uses this list links
// gz_storage_postgres_testing and says USES_POSTGRES in its gz_test() (cmake/gz.cmake).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/postgres/testing.h"
#include "storage/sqlite/testing.h"

namespace gz::storage {

struct BackendForTest {
  std::string name;  // used in the test names: Backends/DbContractTest.RoundTrip/sqlite
  // Opens a new, empty store that is deleted when the Db is destroyed.
  std::function<Result<std::unique_ptr<Db>>()> open;
};

inline std::vector<BackendForTest> AllBackendsForTest() {
  return {
      {"sqlite", [] { return sqlite::OpenTemporarySqliteForTest(); }},
      {"postgres", [] { return postgres::OpenTemporaryPostgresForTest(); }},
  };
}

inline std::ostream& operator<<(std::ostream& os, const BackendForTest& b) { return os << b.name; }

}  // namespace gz::storage
