// Test helpers: a real SQLite store in a fresh temporary directory, for any module's tests.
//
// Layer: storage/sqlite, test support (linked into gz_storage_sqlite; never used by the server).
// Use it instead of mocking the Db: the SQL under test then runs on the real engine.
//
//   GZ_ASSIGN_OR_RETURN(auto db, gz::storage::sqlite::OpenTemporarySqliteForTest());
//   ASSERT_TRUE(ApplyMigrations(*db, kAppealMigrations, clock).ok());
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/db.h"
#include "storage/sqlite/sqlite_db.h"

namespace gz::storage::sqlite {

// A new, empty directory under $TMPDIR (default /tmp), removed with everything in it when this
// object is destroyed. Move-only.
class TempDirForTest {
 public:
  // Returns kUnavailable "storage/cannot-open" if the directory cannot be created.
  static Result<TempDirForTest> Create();
  TempDirForTest(TempDirForTest&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDirForTest& operator=(TempDirForTest&&) = delete;
  TempDirForTest(const TempDirForTest&) = delete;
  ~TempDirForTest();

  const std::string& path() const { return path_; }

 private:
  explicit TempDirForTest(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Opens a new store "test.db" in a fresh temporary directory, with the production settings
// (WAL, synchronous = FULL, ...). The directory is removed when the returned Db is destroyed.
// `options.path` is ignored; the other fields are used as given.
Result<std::unique_ptr<Db>> OpenTemporarySqliteForTest(const SqliteOptions& options);
Result<std::unique_ptr<Db>> OpenTemporarySqliteForTest();

}  // namespace gz::storage::sqlite
