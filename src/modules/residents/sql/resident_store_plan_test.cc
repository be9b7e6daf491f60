// Query plans of the residents store on PostgreSQL where the planner's choice decides whether a
// statement stays fast as a county grows. The SQLite plans are checked in sql_resident_store_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/migrate.h"
#include "storage/postgres/testing.h"

namespace gz::residents {
namespace {

// 34 bytes as the store keeps a blind index; `n` makes it unique.
std::string IndexOf(int n) {
  std::string out(34, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<size_t>(30 + i)] = static_cast<char>((n >> (8 * (3 - i))) & 0xff);
  out[0] = 'x';
  return out;
}

// A county whose residents arrived after the last ANALYZE (a seed or an import in progress): the
// planner believes it empty. The existence check must still probe the index for each number, not
// walk the county in the index with the numbers as a filter (what `county_code = $1 AND
// id_number_index IN (...)` got: 300 ms a statement at 280,000 residents, growing with the county).
TEST(ResidentStorePlan, ExistingIdNumbersProbeTheIndexEvenWhenStatisticsMissTheCounty) {
  auto db = storage::postgres::OpenTemporaryPostgresForTest();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  FakeClock clock{WallTime(std::chrono::milliseconds(1767225600000))};
  ASSERT_TRUE(storage::ApplyMigrations(**db, ResidentMigrations(), clock).ok());
  const std::string sealed = "'\\x" + std::string(84, 'a') + "'::bytea";
  Status filled = (*db)->Write([&](storage::Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO residents_households (id, county_code, village_code, address_sealed, created_at_ms) "
                               "VALUES (1, '420114', '420114001001', " + sealed + ", 0)").status());
    GZ_RETURN_IF_ERROR(tx.Exec("ANALYZE residents_residents").status());
    // 20,000 residents of another county, after the ANALYZE.
    return tx.Exec("INSERT INTO residents_residents (id, household_id, county_code, village_code, name_sealed, id_number_sealed, "
                   "id_number_index, gender, birth_year, relation, created_at_ms) "
                   "SELECT g, 1, '420114', '420114001001', " + sealed + ", " + sealed + ", "
                   "'x'::bytea || decode(repeat('00', 29), 'hex') || int4send(g), 1, 1980, 'child', 0 "
                   "FROM generate_series(1, 20000) AS g").status();
  });
  ASSERT_TRUE(filled.ok()) << filled.ToString();

  std::vector<std::string> asked;
  storage::Params params{std::string("420114")};
  for (int i = 0; i < 500; ++i) {
    asked.push_back(IndexOf(i % 5 == 0 ? i + 1 : 100'000 + i));  // every fifth one is registered
    params.push_back(storage::Blob{asked.back()});
  }
  std::string plan;
  Status explained = (*db)->Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("EXPLAIN " + SqlResidentStore::ExistingIdNumberIndexesSql(tx.dialect(), 500), params));
    for (const storage::Row& row : rs.rows) plan += row.Text(0) + "\n";
    return Status::Ok();
  });
  ASSERT_TRUE(explained.ok()) << explained.ToString();
  EXPECT_NE(plan.find("residents_residents_by_id_number"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Index Cond: ((county_code = '420114'::text) AND (id_number_index = "), std::string::npos)
      << "each asked number must be an index condition, not a filter:\n" << plan;
  EXPECT_EQ(plan.find("Filter"), std::string::npos) << plan;

  SqlResidentStore store(**db, [](storage::Tx&, const access::AuditEvent&, int64_t) { return Status::Ok(); });
  Result<std::vector<std::string>> found = store.ExistingIdNumberIndexes("420114", asked);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->size(), 100u);
}

}  // namespace
}  // namespace gz::residents
