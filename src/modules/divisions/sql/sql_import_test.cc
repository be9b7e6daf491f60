// The schema and the importer on a real SQLite store: migrations, constraints, counts and
// idempotence on the mini-dist fixture. The whole country: whole_country_import_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "core/clock.h"
#include "modules/divisions/importer.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "modules/divisions/testing/division_fixtures.h"
#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::divisions {
namespace {

class SqlImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::Db>> db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Status migrated = storage::ApplyMigrations(*db_, DivisionMigrations(), clock_);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    store_ = std::make_unique<SqlDivisionStore>(*db_);
  }

  ImportOptions MiniDist() {
    ImportOptions o;
    o.source_dir = DivisionFixtureDir() / "mini-dist";
    return o;
  }

  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<SqlDivisionStore> store_;
};

TEST_F(SqlImportTest, MigrationIsAppliedOnce) {
  Result<storage::MigrationState> state = storage::CheckMigrations(*db_, DivisionMigrations());
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_TRUE(state->pending.empty());
  EXPECT_EQ(state->applied, static_cast<int>(DivisionMigrations().size()));
  int applied = -1;
  ASSERT_TRUE(storage::ApplyMigrations(*db_, DivisionMigrations(), clock_, &applied).ok());
  EXPECT_EQ(applied, 0);
}

TEST_F(SqlImportTest, SchemaRejectsMalformedRows) {
  auto insert = [&](storage::Params params) {
    return db_->Write([&](storage::Tx& tx) -> Status {
      return tx.Exec("INSERT INTO divisions_divisions (code, name, short_name, level, parent_code) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     params)
          .status();
    });
  };
  EXPECT_TRUE(insert({"420000000000", "湖北省", "湖北省", int64_t{1}, nullptr}).ok());
  EXPECT_EQ(insert({"4201", "武汉市", "武汉市", int64_t{2}, "420000000000"}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(insert({"420100000000", "武汉市", "武汉市", int64_t{6}, "420000000000"}).code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(insert({"420100000000", "", "", int64_t{2}, "420000000000"}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(insert({"430000000000", "湖南省", "湖南省", int64_t{1}, "420000000000"}).code(),
            Code::kFailedPrecondition);  // a province with a parent
  EXPECT_EQ(insert({"420100000000", "武汉市", "武汉市", int64_t{2}, "410000000000"}).code(),
            Code::kFailedPrecondition);  // parent not stored
  EXPECT_EQ(insert({"420000000000", "湖北省", "湖北省", int64_t{1}, nullptr}).code(), Code::kAlreadyExists);
}

TEST_F(SqlImportTest, ImportsMiniDistAndReimportChangesNothing) {
  Result<ImportReport> first = ImportDivisions(*store_, MiniDist());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted(), 488);
  EXPECT_EQ(first->bad(), 0);
  EXPECT_EQ(*store_->CountByLevel(std::nullopt), (LevelCounts{3, 3, 2, 19, 461}));

  Result<ImportReport> again = ImportDivisions(*store_, MiniDist());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->inserted(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), 488);
}

TEST_F(SqlImportTest, CountyThenWholeSourceAddsOnlyTheRest) {
  ImportOptions county = MiniDist();
  county.scope = *DivisionCode::Parse("420114");
  Result<ImportReport> r = ImportDivisions(*store_, county);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted(), 437);
  Result<ImportReport> rest = ImportDivisions(*store_, MiniDist());
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->inserted(), 488 - 437);
  EXPECT_EQ(rest->unchanged(), 437);
}

}  // namespace
}  // namespace gz::divisions
