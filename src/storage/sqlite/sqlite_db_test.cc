// SQLite-specific behaviour of the backend (the shared contract is in storage/db_contract_test.cc).
#include "storage/sqlite/sqlite_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <vector>
#include <thread>

#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::storage::sqlite {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<TempDirForTest> dir = TempDirForTest::Create();
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    dir_.emplace(std::move(*dir));
    path_ = dir_->path() + "/gz.db";
  }

  std::unique_ptr<Db> Open(SqliteOptions options = {}) {
    options.path = path_;
    Result<std::unique_ptr<Db>> db = OpenSqlite(options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

  static Status Exec(Db& db, std::string sql, Params params = {}) {
    return db.Write([&](Tx& tx) { return tx.Exec(sql, params).status(); });
  }

  static std::string Pragma(Tx& tx, const std::string& name) {
    Result<ResultSet> rs = tx.Query("PRAGMA " + name);
    return rs.ok() && !rs->empty() ? rs->rows[0].Text(0) : "error: " + rs.status().ToString();
  }

  static int64_t Count(Db& db, const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db.Read([&](Tx& tx) {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM " + table));
      n = rs.rows[0].Int(0);
      return Status::Ok();
    }).ok());
    return n;
  }

  std::optional<TempDirForTest> dir_;
  std::string path_;
};

TEST_F(SqliteDbTest, EveryConnectionIsWalFullSyncWithForeignKeys) {
  constexpr int kReaders = 3;
  auto db = Open({.path = {}, .readers = kReaders});
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([&](Tx& tx) {
    EXPECT_EQ(Pragma(tx, "journal_mode"), "wal");
    EXPECT_EQ(Pragma(tx, "synchronous"), "2");  // FULL
    EXPECT_EQ(Pragma(tx, "foreign_keys"), "1");
    EXPECT_EQ(Pragma(tx, "query_only"), "0");
    EXPECT_EQ(Pragma(tx, "busy_timeout"), "5000");
    return Status::Ok();
  }).ok());
  // Hold kReaders reads open at once, so that each runs on a different reader connection.
  std::barrier all_in(kReaders);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReaders; ++i) {
    threads.emplace_back([&] {
      EXPECT_TRUE(db->Read([&](Tx& tx) {
        all_in.arrive_and_wait();
        EXPECT_EQ(Pragma(tx, "journal_mode"), "wal");
        EXPECT_EQ(Pragma(tx, "synchronous"), "2");
        EXPECT_EQ(Pragma(tx, "foreign_keys"), "1");
        EXPECT_EQ(Pragma(tx, "query_only"), "1");
        return Status::Ok();
      }).ok());
    });
  }
  for (auto& t : threads) t.join();
}

TEST_F(SqliteDbTest, DataSurvivesCloseAndReopen) {
  {
    auto db = Open();
    ASSERT_TRUE(db);
    ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x TEXT)").ok());
    ASSERT_TRUE(Exec(*db, "INSERT INTO t (x) VALUES ($1)", {std::string("留存")}).ok());
  }
  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(Count(*db, "t"), 1);
}

TEST_F(SqliteDbTest, DescribeIsAnAbsoluteSqliteUrl) {
  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->Describe(), "sqlite://" + path_);
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
}

TEST_F(SqliteDbTest, UnopenableFilesAreUnavailableWithAReason) {
  for (std::string path : {dir_->path() + "/no/such/dir/gz.db", dir_->path()}) {
    Result<std::unique_ptr<Db>> db = OpenSqlite({.path = path});
    ASSERT_FALSE(db.ok()) << path;
    EXPECT_EQ(db.status().code(), Code::kUnavailable);
    EXPECT_EQ(db.status().slug(), "storage/cannot-open");
    EXPECT_FALSE(db.status().Arg("reason").empty());
  }
  std::ofstream(path_) << "this is not an SQLite database, just some text that is long enough";
  Result<std::unique_ptr<Db>> db = OpenSqlite({.path = path_});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().slug(), "storage/cannot-open");
  EXPECT_NE(db.status().Arg("reason").find("not a database"), std::string_view::npos) << db.status().ToString();
}

TEST_F(SqliteDbTest, BadOptionsAreInvalidArguments) {
  for (SqliteOptions o : {SqliteOptions{.path = ""}, SqliteOptions{.path = ":memory:"},
                          SqliteOptions{.path = "file:x.db"}, SqliteOptions{.path = path_, .readers = 0},
                          SqliteOptions{.path = path_, .busy_timeout_ms = -1},
                          SqliteOptions{.path = path_, .group_commit_limit = 0}}) {
    Result<std::unique_ptr<Db>> db = OpenSqlite(o);
    ASSERT_FALSE(db.ok()) << o.path;
    EXPECT_EQ(db.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(db.status().slug(), "storage/bad-options");
  }
}

TEST_F(SqliteDbTest, TransactionControlFromModuleSqlIsRefusedAndAtomicityHolds) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT)").ok());
  Status s = db->Write([&](Tx& tx) {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (x) VALUES (1)").status());
    Status commit = tx.Exec("COMMIT").status();
    EXPECT_EQ(commit.code(), Code::kInternal);
    EXPECT_NE(commit.note().find("BEGIN/COMMIT/ROLLBACK"), std::string::npos) << commit.ToString();
    EXPECT_FALSE(tx.ExecScript("COMMIT; BEGIN;").ok());
    return Aborted("test/undo");
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(Count(*db, "t"), 0);
  // Savepoints are the module's own business and stay allowed.
  EXPECT_TRUE(db->Write([](Tx& tx) { return tx.ExecScript("SAVEPOINT mine; INSERT INTO t (x) VALUES (2); RELEASE mine;"); }).ok());
  EXPECT_EQ(Count(*db, "t"), 1);
}

TEST_F(SqliteDbTest, ProtectedPragmasCannotBeChangedButCanBeRead) {
  auto db = Open();
  ASSERT_TRUE(db);
  for (const char* sql : {"PRAGMA synchronous = OFF", "PRAGMA journal_mode = DELETE", "PRAGMA foreign_keys = 0",
                          "PRAGMA main.synchronous = 0", "PRAGMA writable_schema = 1"}) {
    Status s = Exec(*db, sql);
    EXPECT_EQ(s.code(), Code::kInternal) << sql;
  }
  EXPECT_TRUE(db->Read([&](Tx& tx) {
    EXPECT_EQ(Pragma(tx, "query_only = 0").rfind("error: INTERNAL", 0), 0u);
    EXPECT_EQ(Pragma(tx, "query_only"), "1");
    return Status::Ok();
  }).ok());
  EXPECT_TRUE(db->Write([&](Tx& tx) {
    EXPECT_EQ(Pragma(tx, "synchronous"), "2");
    EXPECT_EQ(Pragma(tx, "journal_mode"), "wal");
    return Status::Ok();
  }).ok());
}

// ALTER TABLE runs internal SQL (and writes sqlite_schema): the authorizer must let it through.
TEST_F(SqliteDbTest, MigrationStyleSchemaChangesAreAllowed) {
  auto db = Open();
  ASSERT_TRUE(db);
  Status s = db->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE a (id BIGINT PRIMARY KEY, old_name TEXT, gone TEXT);"
        "CREATE INDEX a_old ON a (old_name);"
        "ALTER TABLE a RENAME COLUMN old_name TO name;"
        "ALTER TABLE a DROP COLUMN gone;"
        "ALTER TABLE a ADD COLUMN created_at_ms BIGINT NOT NULL DEFAULT 0;"
        "ALTER TABLE a RENAME TO appeals_items;"
        "CREATE VIEW appeals_named AS SELECT id, name FROM appeals_items;"
        "CREATE TABLE appeals_log (id BIGINT);"
        "CREATE TRIGGER appeals_items_log AFTER INSERT ON appeals_items BEGIN "
        "  INSERT INTO appeals_log (id) VALUES (new.id); END;"
        "INSERT INTO appeals_items (id, name) VALUES (1, 'x');"
        "DROP INDEX a_old;");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Count(*db, "appeals_named"), 1);
  EXPECT_EQ(Count(*db, "appeals_log"), 1);
}

TEST_F(SqliteDbTest, AttachIsRefused) {
  auto db = Open();
  ASSERT_TRUE(db);
  Status s = Exec(*db, "ATTACH DATABASE '" + dir_->path() + "/other.db' AS other");
  EXPECT_EQ(s.code(), Code::kInternal);
}

TEST_F(SqliteDbTest, StackedStatementsInQueryOrExecAreRefused) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT)").ok());
  Status s = Exec(*db, "INSERT INTO t (x) VALUES (1); DROP TABLE t");
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_NE(s.note().find("ExecScript"), std::string::npos);
  EXPECT_EQ(Count(*db, "t"), 0);
  // A trailing semicolon or comment is not a second statement.
  EXPECT_TRUE(Exec(*db, "INSERT INTO t (x) VALUES (1); -- done").ok());
  EXPECT_EQ(Count(*db, "t"), 1);
}

TEST_F(SqliteDbTest, OnlyNumberedDollarPlaceholdersAreAccepted) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (a BIGINT, b BIGINT)").ok());
  const std::pair<const char*, Params> cases[] = {
      {"INSERT INTO t (a, b) VALUES (?, ?)", {int64_t{1}, int64_t{2}}},
      {"INSERT INTO t (a, b) VALUES (:a, :b)", {int64_t{1}, int64_t{2}}},
      {"INSERT INTO t (a, b) VALUES ($1, $3)", {int64_t{1}, int64_t{2}}},  // gap
      {"INSERT INTO t (a, b) VALUES ($1, $01)", {int64_t{1}, int64_t{2}}},
      {"INSERT INTO t (a, b) VALUES ($a, $b)", {int64_t{1}, int64_t{2}}},
  };
  for (const auto& [sql, params] : cases) {
    Status s = Exec(*db, sql, params);
    EXPECT_EQ(s.code(), Code::kInternal) << sql;
    EXPECT_EQ(s.note().find("Params"), std::string::npos);
  }
  EXPECT_EQ(Count(*db, "t"), 0);
  Status s = db->Write([](Tx& tx) { return tx.ExecScript("INSERT INTO t (a, b) VALUES ($1, $2)"); });
  EXPECT_EQ(s.code(), Code::kInternal);
}

TEST_F(SqliteDbTest, NestedWriteOnTheSameThreadIsRefusedInsteadOfDeadlocking) {
  auto db = Open();
  ASSERT_TRUE(db);
  Status inner;
  Status outer = db->Write([&](Tx&) {
    inner = db->Write([](Tx&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), Code::kInternal);
  // Another store's Write inside, then a nested one on the outer store: still refused.
  auto other = OpenTemporarySqliteForTest();
  ASSERT_TRUE(other.ok());
  Status inner_after_other;
  EXPECT_TRUE(db->Write([&](Tx&) {
    EXPECT_TRUE((*other)->Write([](Tx&) { return Status::Ok(); }).ok());
    inner_after_other = db->Write([](Tx&) { return Status::Ok(); });
    return Status::Ok();
  }).ok());
  EXPECT_EQ(inner_after_other.code(), Code::kInternal);
  // A Read inside a Write is fine (it sees the last commit, not the open transaction).
  EXPECT_TRUE(db->Write([&](Tx&) { return db->Read([](Tx& tx) { return tx.Query("SELECT 1").status(); }); }).ok());
}

TEST_F(SqliteDbTest, ReadWaitsForAFreeReaderThenReportsBusy) {
  auto db = Open({.path = {}, .readers = 1, .busy_timeout_ms = 100});
  ASSERT_TRUE(db);
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    EXPECT_TRUE(db->Read([&](Tx&) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return Status::Ok();
    }).ok());
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto start = std::chrono::steady_clock::now();
  Status s = db->Read([](Tx&) { return Status::Ok(); });
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.slug(), "storage/busy");
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  release = true;
  holder.join();
  EXPECT_TRUE(db->Read([](Tx&) { return Status::Ok(); }).ok());
}

TEST_F(SqliteDbTest, WriteLockHeldByAnotherProcessIsBusyAfterTheTimeout) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT)").ok());
  auto other = Open({.path = {}, .busy_timeout_ms = 50});  // another process, as far as SQLite can tell
  ASSERT_TRUE(other);
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    EXPECT_TRUE(db->Write([&](Tx& tx) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Exec("INSERT INTO t (x) VALUES (1)").status();
    }).ok());
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Status s = Exec(*other, "INSERT INTO t (x) VALUES (2)");
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  EXPECT_EQ(s.slug(), "storage/busy");
  release = true;
  holder.join();
  EXPECT_TRUE(Exec(*other, "INSERT INTO t (x) VALUES (3)").ok());
  EXPECT_EQ(Count(*db, "t"), 2);
}

TEST_F(SqliteDbTest, DiskFullIsUnavailableAndTheStoreRecovers) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (b BLOB)").ok());
  // max_page_count makes SQLite report SQLITE_FULL exactly as a full disk does.
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 20").ok());
  Status s = db->Write([](Tx& tx) {
    for (int i = 0; i < 100; ++i)
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (b) VALUES ($1)", {Blob{std::string(4000, 'x')}}).status());
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  EXPECT_EQ(s.slug(), "storage/disk-full");
  EXPECT_EQ(Count(*db, "t"), 0);
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 1000000").ok());  // space freed
  EXPECT_TRUE(Exec(*db, "INSERT INTO t (b) VALUES ($1)", {Blob{"ok"}}).ok());
  EXPECT_EQ(Count(*db, "t"), 1);
}

// SQLITE_FULL (as from max_page_count) makes SQLite roll the whole transaction back by itself.
// A callback that ignores the error must not go on writing in autocommit mode.
TEST_F(SqliteDbTest, AfterSqliteEndsTheTransactionEveryLaterStatementFails) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (b BLOB); CREATE TABLE marker (x BIGINT)"); }).ok());
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 20").ok());
  Status later;
  Status s = db->Write([&](Tx& tx) {
    for (int i = 0; i < 100; ++i) {
      if (!tx.Exec("INSERT INTO t (b) VALUES ($1)", {Blob{std::string(4000, 'x')}}).ok()) break;
    }
    later = tx.Exec("INSERT INTO marker (x) VALUES (1)").status();  // would autocommit if allowed
    return Status::Ok();                                             // the bug: error ignored
  });
  EXPECT_EQ(later.slug(), "storage/disk-full") << later.ToString();
  EXPECT_EQ(s.slug(), "storage/disk-full") << s.ToString();
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 1000000").ok());
  EXPECT_EQ(Count(*db, "marker"), 0);
  EXPECT_EQ(Count(*db, "t"), 0);
}

TEST_F(SqliteDbTest, WritersBatchedWithOneThatEndsTheTransactionAllFail) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (b BLOB); CREATE TABLE small (x BIGINT)"); }).ok());
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 20").ok());
  std::atomic<bool> holding{false}, release{false};
  Status first, filler;
  std::thread a([&] {
    first = db->Write([&](Tx& tx) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Exec("INSERT INTO small (x) VALUES (1)").status();  // succeeds, waits for the batch
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread b([&] {
    filler = db->Write([](Tx& tx) {
      for (int i = 0; i < 100; ++i)
        GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (b) VALUES ($1)", {Blob{std::string(4000, 'x')}}).status());
      return Status::Ok();
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let b queue behind a
  release = true;
  a.join();
  b.join();
  EXPECT_EQ(filler.slug(), "storage/disk-full") << filler.ToString();
  EXPECT_EQ(first.slug(), "storage/disk-full") << "a's row went down with the batch: " << first.ToString();
  ASSERT_TRUE(Exec(*db, "PRAGMA max_page_count = 1000000").ok());
  EXPECT_EQ(Count(*db, "small"), 0);
  EXPECT_TRUE(Exec(*db, "INSERT INTO small (x) VALUES (2)").ok());
}

TEST_F(SqliteDbTest, ManyDistinctStatementsOutgrowTheCacheSafely) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT)").ok());
  ASSERT_TRUE(db->Write([](Tx& tx) {
    for (int i = 0; i < 1200; ++i)
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (x) VALUES (" + std::to_string(i) + ")").status());
    return Status::Ok();
  }).ok());
  EXPECT_EQ(Count(*db, "t"), 1200);
}

// Size of the WAL file. It only grows until a checkpoint lets SQLite restart it, which happens
// after 1000 pages here, so its growth counts the frames appended by commits.
int64_t WalBytes(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path + "-wal", ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

// Runs one blocking Write, queues `queued` more behind it, releases it, and returns the number of
// WAL frames the writes produced: one small commit appends at least one frame.
int FramesForQueuedWrites(Db& db, const std::string& path, int queued) {
  EXPECT_TRUE(db.Write([](Tx& tx) { return tx.Exec("CREATE TABLE t (x BIGINT)").status(); }).ok());
  int64_t before = WalBytes(path);
  std::atomic<bool> holding{false}, release{false};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    EXPECT_TRUE(db.Write([&](Tx& tx) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Exec("INSERT INTO t (x) VALUES (0)").status();
    }).ok());
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 1; i <= queued; ++i) {
    threads.emplace_back([&db, i] {
      EXPECT_TRUE(db.Write([i](Tx& tx) { return tx.Exec("INSERT INTO t (x) VALUES ($1)", {int64_t{i}}).status(); }).ok());
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them all queue
  release = true;
  for (auto& t : threads) t.join();
  constexpr int64_t kFrameBytes = 24 + 4096;  // frame header + default page size
  return static_cast<int>((WalBytes(path) - before) / kFrameBytes);
}

TEST_F(SqliteDbTest, QueuedWritesShareOneCommit) {
  auto db = Open();
  ASSERT_TRUE(db);
  int frames = FramesForQueuedWrites(*db, path_, 20);
  RecordProperty("wal_frames", frames);
  EXPECT_LE(frames, 6) << "21 writes should go out in one or two commits";
  EXPECT_EQ(Count(*db, "t"), 21);
}

TEST_F(SqliteDbTest, GroupCommitLimitOfOneCommitsEachWriteAlone) {
  auto db = Open({.path = {}, .group_commit_limit = 1});
  ASSERT_TRUE(db);
  int frames = FramesForQueuedWrites(*db, path_, 20);
  RecordProperty("wal_frames", frames);
  EXPECT_GE(frames, 21);
  EXPECT_EQ(Count(*db, "t"), 21);
}

// Starts `fn` on a thread that calls Write() and waits until it is about to: the thread is then
// queued on the writer baton within a few milliseconds (QueueBehind sleeps that long).
struct QueuedWriter {
  std::atomic<bool> calling{false};
  Status result;
  std::thread thread;
};

void QueueBehind(Db& db, std::vector<std::unique_ptr<QueuedWriter>>& out, std::function<Status(Tx&)> fn) {
  auto w = std::make_unique<QueuedWriter>();
  QueuedWriter* raw = w.get();
  w->thread = std::thread([&db, raw, fn = std::move(fn)] {
    raw->calling = true;
    raw->result = db.Write(fn);
  });
  while (!raw->calling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  out.push_back(std::move(w));
}

// Five writers queued behind a sixth share ONE commit; each callback ran in its own savepoint, so
// the one that failed, the one that threw and a nested Write() attempt undo only their own work.
TEST_F(SqliteDbTest, OneBatchCommitsOnceAndEachFailureUndoesOnlyItsOwnChanges) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT PRIMARY KEY)").ok());
  const WriteCounters before = db->write_counters();
  std::atomic<bool> holding{false}, release{false};
  Status first;
  std::thread holder([&] {
    first = db->Write([&](Tx& tx) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Exec("INSERT INTO t (x) VALUES (1)").status();
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Status nested;
  std::vector<std::unique_ptr<QueuedWriter>> queued;
  QueueBehind(*db, queued, [](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (x) VALUES (2)").status());
    return Aborted("test/fails-after-insert");
  });
  QueueBehind(*db, queued, [](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (x) VALUES (3)").status());
    throw std::runtime_error("test: throws after insert");
  });
  QueueBehind(*db, queued, [&](Tx& tx) -> Status {
    nested = db->Write([](Tx& inner) { return inner.Exec("INSERT INTO t (x) VALUES (40)").status(); });
    return tx.Exec("INSERT INTO t (x) VALUES (4)").status();
  });
  QueueBehind(*db, queued, [](Tx& tx) { return tx.Exec("INSERT INTO t (x) VALUES (5)").status(); });
  // A conflict on a row an earlier member of the batch wrote: the member before it is kept.
  QueueBehind(*db, queued, [](Tx& tx) { return tx.Exec("INSERT INTO t (x) VALUES (1)").status(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // from "about to call" to queued
  release = true;
  holder.join();
  for (auto& w : queued) w->thread.join();

  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(queued[0]->result.slug(), "test/fails-after-insert");
  EXPECT_EQ(queued[1]->result.code(), Code::kInternal) << queued[1]->result.ToString();
  EXPECT_TRUE(queued[2]->result.ok()) << queued[2]->result.ToString();
  EXPECT_EQ(nested.code(), Code::kInternal) << nested.ToString();
  EXPECT_TRUE(queued[3]->result.ok()) << queued[3]->result.ToString();
  EXPECT_EQ(queued[4]->result.slug(), "storage/conflict") << queued[4]->result.ToString();
  std::vector<int64_t> rows;
  ASSERT_TRUE(db->Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT x FROM t ORDER BY x"));
    for (const Row& r : rs.rows) rows.push_back(r.Int(0));
    return Status::Ok();
  }).ok());
  EXPECT_EQ(rows, (std::vector<int64_t>{1, 4, 5}));
  const WriteCounters after = db->write_counters();
  EXPECT_EQ(after.writes - before.writes, 6);
  EXPECT_EQ(after.committed_writes - before.committed_writes, 3);
  EXPECT_EQ(after.commits - before.commits, 1) << "the batch should have gone out in one commit";
}

// No member of a batch returns before the batch's COMMIT: while a later member runs, an earlier
// member's callback has finished but its Write() has not returned, and no reader sees its row.
TEST_F(SqliteDbTest, ABatchMemberReturnsOnlyAfterTheCommitThatCoversIt) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT PRIMARY KEY)").ok());
  std::atomic<bool> holding{false}, release{false}, first_returned{false};
  Status first;
  std::thread holder([&] {
    first = db->Write([&](Tx& tx) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Exec("INSERT INTO t (x) VALUES (1)").status();
    });
    first_returned = true;
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  bool returned_early = true;
  int64_t visible_early = -1;
  std::vector<std::unique_ptr<QueuedWriter>> queued;
  QueueBehind(*db, queued, [&](Tx& tx) -> Status {
    returned_early = first_returned;
    visible_early = Count(*db, "t");  // a reader connection: sees committed data only
    return tx.Exec("INSERT INTO t (x) VALUES (2)").status();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  release = true;
  holder.join();
  queued[0]->thread.join();
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_TRUE(queued[0]->result.ok()) << queued[0]->result.ToString();
  EXPECT_FALSE(returned_early) << "the first writer returned before the commit of its batch";
  EXPECT_EQ(visible_early, 0) << "a reader saw a batch member's row before the batch committed";
  EXPECT_EQ(Count(*db, "t"), 2);
}

TEST_F(SqliteDbTest, WriteCountersCountWritesAndCommits) {
  auto db = Open({.path = {}, .group_commit_limit = 1});
  ASSERT_TRUE(db);
  const WriteCounters before = db->write_counters();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x BIGINT)").ok());
  ASSERT_TRUE(Exec(*db, "INSERT INTO t (x) VALUES (1)").ok());
  EXPECT_EQ(db->Write([](Tx&) { return Aborted("test/no"); }).slug(), "test/no");
  const WriteCounters after = db->write_counters();
  EXPECT_EQ(after.writes - before.writes, 3);
  EXPECT_EQ(after.committed_writes - before.committed_writes, 2);
  EXPECT_EQ(after.commits - before.commits, 2);
}

TEST_F(SqliteDbTest, TwoProcessesMigratingAtOnceApplyEachMigrationOnce) {
  auto a = Open();
  auto b = Open();  // a second process, as far as SQLite can tell
  ASSERT_TRUE(a && b);
  std::vector<Migration> known;
  std::vector<std::string> sql;
  for (int v = 1; v <= 20; ++v) sql.push_back("CREATE TABLE m" + std::to_string(v) + " (x BIGINT)");
  for (int v = 1; v <= 20; ++v) known.push_back({"m", v, "create", sql[v - 1], sql[v - 1]});
  FakeClock clock;
  int applied_a = 0, applied_b = 0;
  Status sa, sb;
  std::thread ta([&] { sa = ApplyMigrations(*a, known, clock, &applied_a); });
  std::thread tb([&] { sb = ApplyMigrations(*b, known, clock, &applied_b); });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(applied_a + applied_b, 20);
  EXPECT_EQ(Count(*a, "schema_migrations"), 20);
}

TEST(SqliteTemporaryTest, TemporaryStoreIsRemovedWithTheDb) {
  std::string describe;
  {
    Result<std::unique_ptr<Db>> db = OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Ping().ok());
    describe = (*db)->Describe();
    ASSERT_EQ(describe.rfind("sqlite:///", 0), 0u);
    ASSERT_TRUE(std::filesystem::exists(describe.substr(9)));
  }
  std::string file = describe.substr(9);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(file).parent_path()));
}

}  // namespace
}  // namespace gz::storage::sqlite
