// The storage backends the contract tests run against (test-only).
//
// Layer: storage, tests. Every test of the Db contract is value-parameterized over this list, so a
// new backend runs all of them by adding one line here. PostgreSQL runs on a throwaway cluster
// (storage/postgres/testing.h): a test binary that uses this list links
// gz_storage_postgres_testing and says USES_POSTGRES in its gz_test() (cmake/gz.cmake).
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
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

// A store for tests that take one Db (module stores and services), on the backend named by the
// environment variable GZ_TEST_BACKEND: "sqlite" (the default) or "postgres". gz_test(...
// BOTH_BACKENDS) in cmake/gz.cmake registers such a binary twice, the second time with
// GZ_TEST_BACKEND=postgres and ".pg." in its test names, so one test source covers both.
// Unlike OpenTemporary...ForTest(), it can be opened again after the Db is closed (a test that
// restarts the server); it is removed when this object is destroyed. Move-only.
class TestStoreForTest {
 public:
  static Result<TestStoreForTest> Create() {
    const char* env = std::getenv("GZ_TEST_BACKEND");
    std::string backend = env && *env ? env : "sqlite";
    TestStoreForTest store;
    if (backend == "postgres") {
      GZ_ASSIGN_OR_RETURN(postgres::TestCluster * cluster, postgres::SharedTestCluster());
      GZ_ASSIGN_OR_RETURN(store.schema_, cluster->CreateSchema());
      store.cluster_ = cluster;
      return store;
    }
    if (backend != "sqlite") return Internal("GZ_TEST_BACKEND must be sqlite or postgres, not " + backend);
    GZ_ASSIGN_OR_RETURN(sqlite::TempDirForTest dir, sqlite::TempDirForTest::Create());
    store.dir_ = std::make_unique<sqlite::TempDirForTest>(std::move(dir));
    return store;
  }
  TestStoreForTest(TestStoreForTest&& o) noexcept
      : dir_(std::move(o.dir_)), cluster_(std::exchange(o.cluster_, nullptr)), schema_(std::move(o.schema_)) {}
  TestStoreForTest& operator=(TestStoreForTest&&) = delete;
  ~TestStoreForTest() {
    if (cluster_) (void)cluster_->DropSchema(schema_);
  }

  Dialect dialect() const { return cluster_ ? Dialect::kPostgres : Dialect::kSqlite; }
  // The SQLite file (for tests that look into it), or nullopt on PostgreSQL.
  std::optional<std::string> sqlite_path() const {
    if (cluster_) return std::nullopt;
    return dir_->path() + "/test.db";
  }
  // Opens the store (again); the production settings of each backend.
  Result<std::unique_ptr<Db>> Open() const {
    if (cluster_) {
      postgres::PostgresOptions options;
      options.conninfo = cluster_->ConnInfoForSchema(schema_);
      options.pool_size = 4;
      return postgres::OpenPostgres(options);
    }
    sqlite::SqliteOptions options;
    options.path = *sqlite_path();
    return sqlite::OpenSqlite(options);
  }

 private:
  TestStoreForTest() = default;
  std::unique_ptr<sqlite::TempDirForTest> dir_;
  postgres::TestCluster* cluster_ = nullptr;
  std::string schema_;
};

namespace internal {
// Keeps the store alive as long as its Db.
class OwningDb final : public Db {
 public:
  OwningDb(TestStoreForTest store, std::unique_ptr<Db> db) : store_(std::move(store)), db_(std::move(db)) {}
  Dialect dialect() const override { return db_->dialect(); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return db_->Read(fn); }
  Result<ResultSet> ReadStatement(std::string_view sql, const Params& params) override { return db_->ReadStatement(sql, params); }
  Status Write(const std::function<Status(Tx&)>& fn) override { return db_->Write(fn); }
  Status Ping() override { return db_->Ping(); }
  std::string Describe() const override { return db_->Describe(); }
  WriteCounters write_counters() const override { return db_->write_counters(); }
  Status WithStoreLock(std::string_view name, std::chrono::milliseconds wait, const std::function<Status()>& fn) override {
    return db_->WithStoreLock(name, wait, fn);
  }

 private:
  TestStoreForTest store_;  // destroyed after db_
  std::unique_ptr<Db> db_;
};
}  // namespace internal

// A new, empty store on the GZ_TEST_BACKEND backend, removed when the Db is destroyed.
inline Result<std::unique_ptr<Db>> OpenTemporaryStoreForTest() {
  GZ_ASSIGN_OR_RETURN(TestStoreForTest store, TestStoreForTest::Create());
  GZ_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, store.Open());
  return std::unique_ptr<Db>(new internal::OwningDb(std::move(store), std::move(db)));
}

}  // namespace gz::storage
