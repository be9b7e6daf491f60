// Migrations (storage/migrate.h) against every backend in backends_for_test.h.
#include "storage/migrate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/backends_for_test.h"
#include "storage/postgres/postgres_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace gz::storage {
namespace {

// Two modules; divisions/2 alters what divisions/1 created, residents/1 references it, so a wrong
// order fails loudly.
const Migration kDivisions1{"divisions", 1, "create_divisions",
                            "CREATE TABLE divisions_units (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
                            "CREATE TABLE divisions_units (code TEXT PRIMARY KEY, name TEXT NOT NULL)"};
const Migration kDivisions2{"divisions", 2, "add_level",
                            "ALTER TABLE divisions_units ADD COLUMN level BIGINT NOT NULL DEFAULT 0;"
                            "CREATE INDEX divisions_units_level ON divisions_units (level)",
                            "ALTER TABLE divisions_units ADD COLUMN level BIGINT NOT NULL DEFAULT 0;"
                            "CREATE INDEX divisions_units_level ON divisions_units (level)"};
const Migration kResidents1{"residents", 1, "create_households",
                            "CREATE TABLE residents_households (id BIGINT PRIMARY KEY, "
                            "village TEXT NOT NULL REFERENCES divisions_units (code))",
                            "CREATE TABLE residents_households (id BIGINT PRIMARY KEY, "
                            "village TEXT NOT NULL REFERENCES divisions_units (code))"};

class MigrateTest : public ::testing::TestWithParam<BackendForTest> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Db>> r = GetParam().open();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
  }

  bool TableExists(const std::string& table) {
    return db_->Read([&](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM " + table).status(); }).ok();
  }

  // "module/version name applied_at_ms" for every bookkeeping row, in key order.
  std::vector<std::string> Recorded() {
    std::vector<std::string> out;
    Status s = db_->Read([&](Tx& tx) {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT module, version, name, applied_at_ms FROM schema_migrations "
                                                 "ORDER BY module, version"));
      for (const Row& row : rs.rows)
        out.push_back(row.Text(0) + "/" + std::to_string(row.Int(1)) + " " + row.Text(2) + " " + std::to_string(row.Int(3)));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  FakeClock clock_;  // 2026-01-01T00:00:00Z = 1767225600000 ms
  std::unique_ptr<Db> db_;
};

TEST_P(MigrateTest, AppliesPendingInModuleThenVersionOrderAndRecordsEach) {
  // Listed out of version order on purpose: registration order is by module, then version.
  std::vector<Migration> known = {kDivisions2, kResidents1, kDivisions1};
  int applied = -1;
  Status s = ApplyMigrations(*db_, known, clock_, &applied);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(applied, 3);
  EXPECT_EQ(Recorded(), (std::vector<std::string>{"divisions/1 create_divisions 1767225600000",
                                                  "divisions/2 add_level 1767225600000",
                                                  "residents/1 create_households 1767225600000"}));
  EXPECT_TRUE(db_->Write([](Tx& tx) {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO divisions_units (code, name, level) VALUES ($1, $2, $3)",
                               {std::string("420114"), std::string("蔡甸区"), int64_t{3}}).status());
    return tx.Exec("INSERT INTO residents_households (id, village) VALUES ($1, $2)",
                   {int64_t{1}, std::string("420114")}).status();
  }).ok());
}

TEST_P(MigrateTest, IsIdempotent) {
  std::vector<Migration> known = {kDivisions1, kDivisions2, kResidents1};
  ASSERT_TRUE(ApplyMigrations(*db_, known, clock_).ok());
  clock_.Advance(std::chrono::hours(1));
  int applied = -1;
  Status again = ApplyMigrations(*db_, known, clock_, &applied);
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(Recorded().size(), 3u);
  EXPECT_NE(Recorded()[0].find("1767225600000"), std::string::npos);  // not re-recorded
  Result<MigrationState> state = CheckMigrations(*db_, known);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->pending.empty());
  EXPECT_TRUE(state->unknown.empty());
  EXPECT_EQ(state->applied, 3);
}

TEST_P(MigrateTest, CheckReportsPendingWithoutApplying) {
  ASSERT_TRUE(ApplyMigrations(*db_, {kDivisions1}, clock_).ok());
  const std::vector<Migration> known = {kDivisions1, kDivisions2, kResidents1};  // `pending` points into it
  Result<MigrationState> state = CheckMigrations(*db_, known);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->applied, 1);
  ASSERT_EQ(state->pending.size(), 2u);
  EXPECT_EQ(state->pending[0]->name, "add_level");
  EXPECT_EQ(state->pending[1]->name, "create_households");
  EXPECT_FALSE(TableExists("residents_households"));
}

TEST_P(MigrateTest, LaterMigrationsApplyOnTopOfEarlierOnes) {
  ASSERT_TRUE(ApplyMigrations(*db_, {kDivisions1}, clock_).ok());
  int applied = -1;
  ASSERT_TRUE(ApplyMigrations(*db_, {kDivisions1, kDivisions2}, clock_, &applied).ok());
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(Recorded().size(), 2u);
}

TEST_P(MigrateTest, RefusesAStoreNewerThanTheBinaryWithoutApplyingAnything) {
  ASSERT_TRUE(ApplyMigrations(*db_, {kDivisions1, kDivisions2, kResidents1}, clock_).ok());
  const Migration kPoints1{"points", 1, "create_ledger", "CREATE TABLE points_ledger (id BIGINT PRIMARY KEY)",
                           "CREATE TABLE points_ledger (id BIGINT PRIMARY KEY)"};
  int applied = -1;
  Status s = ApplyMigrations(*db_, {kDivisions1, kPoints1}, clock_, &applied);  // an older binary
  EXPECT_EQ(s.code(), Code::kFailedPrecondition) << s.ToString();
  EXPECT_EQ(s.slug(), "storage/store-newer-than-binary");
  EXPECT_EQ(s.Arg("migrations"), "divisions/2, residents/1");
  EXPECT_EQ(applied, 0);
  EXPECT_FALSE(TableExists("points_ledger"));
  EXPECT_EQ(Recorded().size(), 3u);

  const std::vector<Migration> older = {kDivisions1, kPoints1};
  Result<MigrationState> state = CheckMigrations(*db_, older);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->unknown, (std::vector<std::string>{"divisions/2", "residents/1"}));
  ASSERT_EQ(state->pending.size(), 1u);
  EXPECT_EQ(state->pending[0]->name, "create_ledger");
}

TEST_P(MigrateTest, FailedMigrationRollsBackAndIsNotRecorded) {
  const Migration broken{"divisions", 2, "broken",
                         "CREATE TABLE divisions_extra (x BIGINT); INSERT INTO no_such_table VALUES (1)",
                         "CREATE TABLE divisions_extra (x BIGINT); INSERT INTO no_such_table VALUES (1)"};
  int applied = -1;
  Status s = ApplyMigrations(*db_, {kDivisions1, broken, kResidents1}, clock_, &applied);
  EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
  EXPECT_EQ(s.slug(), "storage/migration-failed");
  EXPECT_EQ(s.Arg("migration"), "divisions/2");
  EXPECT_EQ(applied, 1);                         // divisions/1 went through in its own transaction
  EXPECT_FALSE(TableExists("divisions_extra"));  // the half of the broken one is gone
  EXPECT_FALSE(TableExists("residents_households"));  // and nothing after it ran
  EXPECT_EQ(Recorded(), (std::vector<std::string>{"divisions/1 create_divisions 1767225600000"}));

  // Fixed in the next build: it applies cleanly.
  ASSERT_TRUE(ApplyMigrations(*db_, {kDivisions1, kDivisions2, kResidents1}, clock_, &applied).ok());
  EXPECT_EQ(applied, 2);
}

TEST_P(MigrateTest, RefusesBadMigrationListsBeforeTouchingTheStore) {
  const Migration zero{"divisions", 0, "zero", "SELECT 1", "SELECT 1"};
  const Migration gap{"divisions", 3, "gap", "SELECT 1", "SELECT 1"};
  const Migration no_sql{"residents", 1, "no_sql", "", ""};
  for (const std::vector<Migration>& bad : std::vector<std::vector<Migration>>{
           {kDivisions1, kDivisions1}, {zero}, {kDivisions1, gap}, {kDivisions1, no_sql}}) {
    Status s = ApplyMigrations(*db_, bad, clock_);
    EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
    EXPECT_FALSE(TableExists("divisions_units"));
  }
}

// Several gongzhi nodes started at once against one empty store: each has its own Db (its own
// connections, as a process would), all apply the same list at the same moment. Every one must
// succeed, and each migration must be applied and recorded exactly once.
TEST_P(MigrateTest, SeveralNodesMigratingAnEmptyStoreAtOnceAllSucceedAndApplyEachOnce) {
  constexpr int kNodes = 6;
  std::vector<Migration> known = {kDivisions1, kDivisions2, kResidents1};
  // More tables, so that the nodes overlap for longer than one CREATE.
  std::vector<std::string> extra_sql;
  for (int i = 1; i <= 12; ++i) {
    extra_sql.push_back("CREATE TABLE extra_" + std::to_string(i) + " (id BIGINT PRIMARY KEY, v TEXT);"
                        "CREATE INDEX extra_" + std::to_string(i) + "_v ON extra_" + std::to_string(i) + " (v)");
  }
  for (int i = 0; i < 12; ++i) known.push_back(Migration{"extra", i + 1, "create_extra", extra_sql[i], extra_sql[i]});

  std::optional<sqlite::TempDirForTest> dir;
  std::string schema;
  postgres::TestCluster* cluster = nullptr;
  std::vector<std::unique_ptr<Db>> nodes;
  if (GetParam().name == "postgres") {
    Result<postgres::TestCluster*> c = postgres::SharedTestCluster();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster = *c;
    Result<std::string> name = cluster->CreateSchema();
    ASSERT_TRUE(name.ok()) << name.status().ToString();
    schema = *name;
    for (int i = 0; i < kNodes; ++i) {
      postgres::PostgresOptions options;
      options.conninfo = cluster->ConnInfoForSchema(schema);
      options.pool_size = 2;
      Result<std::unique_ptr<Db>> db = postgres::OpenPostgres(options);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      nodes.push_back(std::move(*db));
    }
  } else {
    Result<sqlite::TempDirForTest> d = sqlite::TempDirForTest::Create();
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    dir.emplace(std::move(*d));
    for (int i = 0; i < kNodes; ++i) {
      sqlite::SqliteOptions options;
      options.path = dir->path() + "/nodes.db";
      Result<std::unique_ptr<Db>> db = sqlite::OpenSqlite(options);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      nodes.push_back(std::move(*db));
    }
  }

  std::atomic<int> ready{0};
  std::vector<Status> results(kNodes);
  std::vector<int> applied(kNodes, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kNodes) std::this_thread::yield();
      results[i] = ApplyMigrations(*nodes[i], known, clock_, &applied[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kNodes; ++i) {
    EXPECT_TRUE(results[i].ok()) << "node " << i << ": " << results[i].ToString();
    total += applied[i];
  }
  EXPECT_EQ(total, static_cast<int>(known.size()));  // each applied by exactly one node

  Status s = nodes[0]->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM schema_migrations"));
    EXPECT_EQ(rs.rows.at(0).Int(0), static_cast<int64_t>(known.size()));
    return tx.Query("SELECT COUNT(*) FROM extra_12").status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  nodes.clear();
  if (cluster) (void)cluster->DropSchema(schema);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrateTest, ::testing::ValuesIn(AllBackendsForTest()),
                         [](const ::testing::TestParamInfo<BackendForTest>& info) { return info.param.name; });

}  // namespace
}  // namespace gz::storage
