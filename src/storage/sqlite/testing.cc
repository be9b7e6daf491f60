// Temporary stores for tests (storage/sqlite/testing.h).
#include "storage/sqlite/testing.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "storage/problems.h"

namespace gz::storage::sqlite {
namespace {

// Forwards to the real store and removes its directory after closing it.
class TemporaryDb final : public Db {
 public:
  TemporaryDb(TempDirForTest dir, std::unique_ptr<Db> db) : dir_(std::move(dir)), db_(std::move(db)) {}
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
  TempDirForTest dir_;       // destroyed after db_ (members go in reverse order)
  std::unique_ptr<Db> db_;
};

}  // namespace

Result<TempDirForTest> TempDirForTest::Create() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gz-test-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    return Unavailable(std::string(problems::kCannotOpen), "mkdtemp " + pattern)
        .With("reason", std::strerror(errno));
  }
  return TempDirForTest(std::string(buf.data()));
}

TempDirForTest::~TempDirForTest() {
  if (path_.empty()) return;
  std::error_code ec;  // best effort; a test must not fail in a destructor
  std::filesystem::remove_all(path_, ec);
}

Result<std::unique_ptr<Db>> OpenTemporarySqliteForTest(const SqliteOptions& options) {
  GZ_ASSIGN_OR_RETURN(TempDirForTest dir, TempDirForTest::Create());
  SqliteOptions o = options;
  o.path = dir.path() + "/test.db";
  GZ_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, OpenSqlite(o));
  return std::unique_ptr<Db>(new TemporaryDb(std::move(dir), std::move(db)));
}

Result<std::unique_ptr<Db>> OpenTemporarySqliteForTest() { return OpenTemporarySqliteForTest(SqliteOptions{}); }

}  // namespace gz::storage::sqlite
