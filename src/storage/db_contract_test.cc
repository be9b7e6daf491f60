// The Db contract (storage/db.h), run against every backend in backends_for_test.h.
// SQL here is written once for both dialects; only DDL branches on Tx::dialect().
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#include "storage/backends_for_test.h"
#include "storage/db.h"

namespace gz::storage {
namespace {

// A one-shot signal between two threads.
class Latch {
 public:
  void Open() {
    std::lock_guard lk(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Returns false if not opened within 10 s (a test failure, not a hang).
  bool Wait() {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, std::chrono::seconds(10), [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class DbContractTest : public ::testing::TestWithParam<BackendForTest> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Db>> r = GetParam().open();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
  }

  // Runs DDL, choosing the text for the backend's dialect.
  void Ddl(std::string_view sqlite_sql, std::string_view postgres_sql) {
    Status s = db_->Write([&](Tx& tx) {
      return tx.ExecScript(tx.dialect() == Dialect::kSqlite ? sqlite_sql : postgres_sql);
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void CreateItems() {
    Ddl("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty BIGINT CHECK (qty >= 0))",
        "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty BIGINT CHECK (qty >= 0))");
  }

  Status Insert(int64_t id, std::string name, int64_t qty = 1) {
    return db_->Write([&](Tx& tx) {
      return tx.Exec("INSERT INTO items (id, name, qty) VALUES ($1, $2, $3)", {id, std::move(name), qty}).status();
    });
  }

  int64_t Count(std::string_view table) {
    int64_t n = -1;
    Status s = db_->Read([&](Tx& tx) {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM " + std::string(table)));
      n = rs.rows.at(0).Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }

  std::unique_ptr<Db> db_;
};

TEST_P(DbContractTest, DialectIsTheSameOnTheDbAndItsTransactions) {
  Dialect seen = db_->dialect() == Dialect::kSqlite ? Dialect::kPostgres : Dialect::kSqlite;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    seen = tx.dialect();
    return Status::Ok();
  }).ok());
  EXPECT_EQ(seen, db_->dialect());
}

TEST_P(DbContractTest, EveryValueTypeRoundTripsAsItself) {
  Ddl("CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BLOB)",
      "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)");
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
  const std::vector<Params> rows = {
      {int64_t{1}, nullptr, nullptr, nullptr, nullptr},
      {int64_t{2}, std::numeric_limits<int64_t>::max(), 0.1, std::string("村务公开：四议两公开"), Blob{all_bytes}},
      {int64_t{3}, std::numeric_limits<int64_t>::min(), -1e-300, std::string(), Blob{}},
      {int64_t{4}, int64_t{1767225600123}, 1e300, std::string("emoji 🏡 and\ttab"), Blob{std::string("\0\0\xff", 3)}},
  };
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    for (const Params& p : rows)
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO vals (id, i, r, t, b) VALUES ($1, $2, $3, $4, $5)", p).status());
    return Status::Ok();
  }).ok());

  ResultSet rs;
  Status s = db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(rs, tx.Query("SELECT id, i, r, t, b FROM vals ORDER BY id"));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(rs.columns, (std::vector<std::string>{"id", "i", "r", "t", "b"}));
  ASSERT_EQ(rs.rows.size(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      EXPECT_EQ(rs.rows[r].at(c), rows[r][c]) << "row " << r << " column " << rs.columns[c]
                                              << " type index " << rs.rows[r].at(c).index();
    }
  }
  EXPECT_TRUE(rs.rows[0].IsNull(4));
  EXPECT_FALSE(rs.rows[2].IsNull(3));  // empty text is not NULL
  EXPECT_FALSE(rs.rows[2].IsNull(4));  // empty blob is not NULL
}

TEST_P(DbContractTest, ChineseTextMatchesExactlyInWhereClauses) {
  CreateItems();
  ASSERT_TRUE(Insert(1, "张家湾村").ok());
  ASSERT_TRUE(Insert(2, "张家湾").ok());
  int64_t id = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT id FROM items WHERE name = $1", {std::string("张家湾")}));
    if (rs.rows.size() != 1) return Internal("expected one row");
    id = rs.rows[0].Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(id, 2);
}

TEST_P(DbContractTest, TextWithEmbeddedNulIsKeptWhole) {
  Ddl("CREATE TABLE notes (id BIGINT PRIMARY KEY, body BLOB)", "CREATE TABLE notes (id BIGINT PRIMARY KEY, body BYTEA)");
  const Blob sealed{std::string("nonce\0cipher\0\0tag", 17)};
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO notes (id, body) VALUES ($1, $2)", {int64_t{1}, sealed}).status();
  }).ok());
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT body FROM notes WHERE body = $1", {sealed}));
    EXPECT_EQ(rs.rows.size(), 1u);
    if (!rs.empty()) {
      EXPECT_EQ(rs.rows[0].Text(0).size(), 17u);
    }
    return Status::Ok();
  }).ok());
}

TEST_P(DbContractTest, ReturningGivesTheWrittenRows) {
  CreateItems();
  ResultSet rs;
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(rs, tx.Query("INSERT INTO items (id, name, qty) VALUES ($1, $2, $3) RETURNING id, name, qty * 2",
                                     {int64_t{7}, std::string("路灯"), int64_t{21}}));
    return Status::Ok();
  }).ok());
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0].Int(0), 7);
  EXPECT_EQ(rs.rows[0].Text(1), "路灯");
  EXPECT_EQ(rs.rows[0].Int(2), 42);
  EXPECT_EQ(rs.columns.size(), 3u);
}

TEST_P(DbContractTest, ExecCountsChangedRowsOnly) {
  CreateItems();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(Insert(i, "n" + std::to_string(i)).ok());
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(int64_t updated, tx.Exec("UPDATE items SET qty = qty + 1 WHERE id >= $1", {int64_t{2}}));
    EXPECT_EQ(updated, 2);
    GZ_ASSIGN_OR_RETURN(int64_t none, tx.Exec("UPDATE items SET qty = 0 WHERE id > $1", {int64_t{99}}));
    EXPECT_EQ(none, 0);
    GZ_ASSIGN_OR_RETURN(int64_t ddl, tx.Exec("CREATE TABLE other (x BIGINT)"));
    EXPECT_EQ(ddl, 0);  // not the 0 rows of the UPDATE before, nor its 2
    GZ_ASSIGN_OR_RETURN(int64_t deleted, tx.Exec("DELETE FROM items"));
    EXPECT_EQ(deleted, 3);
    return Status::Ok();
  }).ok());
}

TEST_P(DbContractTest, PlaceholdersBindByNumberInAnyOrderAndMayRepeat) {
  CreateItems();
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO items (qty, name, id) VALUES ($3, $2, $1)",
                   {int64_t{5}, std::string("井"), int64_t{9}}).status();
  }).ok());
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT id, name, qty FROM items WHERE id = $1 OR qty = $1", {int64_t{5}}));
    EXPECT_EQ(rs.rows.size(), 1u);
    if (!rs.empty()) {
      EXPECT_EQ(rs.rows[0].Int(0), 5);
      EXPECT_EQ(rs.rows[0].Text(1), "井");
      EXPECT_EQ(rs.rows[0].Int(2), 9);
    }
    return Status::Ok();
  }).ok());
}

TEST_P(DbContractTest, ParameterCountMismatchIsAnInternalError) {
  CreateItems();
  Status too_many = db_->Read([&](Tx& tx) {
    return tx.Query("SELECT id FROM items WHERE id = $1", {int64_t{1}, int64_t{2}}).status();
  });
  EXPECT_EQ(too_many.code(), Code::kInternal) << too_many.ToString();
  Status too_few = db_->Read([&](Tx& tx) {
    return tx.Query("SELECT id FROM items WHERE id = $1 AND qty = $2", {int64_t{1}}).status();
  });
  EXPECT_EQ(too_few.code(), Code::kInternal) << too_few.ToString();
}

TEST_P(DbContractTest, CallbackErrorRollsBackAndIsReturned) {
  CreateItems();
  Status s = db_->Write([&](Tx& tx) {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{1}, std::string("a")}).status());
    return Aborted("test/changed-my-mind");
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(s.slug(), "test/changed-my-mind");
  EXPECT_EQ(Count("items"), 0);
  EXPECT_TRUE(Insert(1, "a").ok());  // the store is usable afterwards
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(DbContractTest, CallbackExceptionRollsBackAndBecomesInternal) {
  CreateItems();
  Status s = db_->Write([&](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{1}, std::string("a")});
    throw std::runtime_error("bug in module code");
  });
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_NE(s.note().find("bug in module code"), std::string::npos);
  EXPECT_EQ(Count("items"), 0);
  Status r = db_->Read([&](Tx&) -> Status { throw 42; });
  EXPECT_EQ(r.code(), Code::kInternal);
  EXPECT_TRUE(Insert(2, "b").ok());
}

TEST_P(DbContractTest, UniqueAndPrimaryKeyViolationsAreConflicts) {
  CreateItems();
  ASSERT_TRUE(Insert(1, "a").ok());
  Status pk = Insert(1, "b");
  EXPECT_EQ(pk.code(), Code::kAlreadyExists) << pk.ToString();
  EXPECT_EQ(pk.slug(), "storage/conflict");
  Status unique = Insert(2, "a");
  EXPECT_EQ(unique.code(), Code::kAlreadyExists) << unique.ToString();
  EXPECT_EQ(unique.slug(), "storage/conflict");
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(DbContractTest, ExpectedConflictsUseOnConflictInsteadOfAnError) {
  CreateItems();
  ASSERT_TRUE(Insert(1, "a").ok());
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
                                               {int64_t{1}, std::string("a")}));
    EXPECT_TRUE(rs.empty());
    return tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{2}, std::string("b")}).status();
  }).ok());
  EXPECT_EQ(Count("items"), 2);
}

TEST_P(DbContractTest, NotNullAndCheckViolationsAreConstraintErrors) {
  CreateItems();
  Status not_null = db_->Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{1}, nullptr}).status();
  });
  EXPECT_EQ(not_null.code(), Code::kFailedPrecondition) << not_null.ToString();
  EXPECT_EQ(not_null.slug(), "storage/constraint");
  Status check = Insert(2, "b", -1);
  EXPECT_EQ(check.code(), Code::kFailedPrecondition) << check.ToString();
  EXPECT_EQ(check.slug(), "storage/constraint");
  EXPECT_EQ(Count("items"), 0);
}

TEST_P(DbContractTest, ForeignKeysAreEnforced) {
  Ddl("CREATE TABLE villages (id BIGINT PRIMARY KEY);"
      "CREATE TABLE households (id BIGINT PRIMARY KEY, village_id BIGINT NOT NULL REFERENCES villages (id))",
      "CREATE TABLE villages (id BIGINT PRIMARY KEY);"
      "CREATE TABLE households (id BIGINT PRIMARY KEY, village_id BIGINT NOT NULL REFERENCES villages (id))");
  Status orphan = db_->Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO households (id, village_id) VALUES ($1, $2)", {int64_t{1}, int64_t{420114}}).status();
  });
  EXPECT_EQ(orphan.code(), Code::kFailedPrecondition) << orphan.ToString();
  EXPECT_EQ(orphan.slug(), "storage/constraint");

  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO villages (id) VALUES ($1)", {int64_t{420114}}).status());
    return tx.Exec("INSERT INTO households (id, village_id) VALUES ($1, $2)", {int64_t{1}, int64_t{420114}}).status();
  }).ok());
  Status parent_in_use = db_->Write([&](Tx& tx) {
    return tx.Exec("DELETE FROM villages WHERE id = $1", {int64_t{420114}}).status();
  });
  EXPECT_EQ(parent_in_use.code(), Code::kFailedPrecondition) << parent_in_use.ToString();
  EXPECT_EQ(Count("villages"), 1);
}

TEST_P(DbContractTest, ExecScriptRunsEveryStatementInOrder) {
  Ddl("CREATE TABLE a (x BIGINT); CREATE TABLE b (y BIGINT);\n"
      "-- a comment between statements\n"
      "INSERT INTO a (x) VALUES (1); INSERT INTO b (y) SELECT x + 1 FROM a;",
      "CREATE TABLE a (x BIGINT); CREATE TABLE b (y BIGINT);\n"
      "-- a comment between statements\n"
      "INSERT INTO a (x) VALUES (1); INSERT INTO b (y) SELECT x + 1 FROM a;");
  EXPECT_EQ(Count("a"), 1);
  EXPECT_EQ(Count("b"), 1);
}

TEST_P(DbContractTest, FailingScriptLeavesNothingBehind) {
  Status s = db_->Write([&](Tx& tx) {
    return tx.ExecScript("CREATE TABLE half (x BIGINT); INSERT INTO half (x) VALUES (1); INSERT INTO missing VALUES (1);");
  });
  EXPECT_FALSE(s.ok());
  Status probe = db_->Read([&](Tx& tx) { return tx.Query("SELECT x FROM half").status(); });
  EXPECT_FALSE(probe.ok()) << "the table of the failed script exists";
}

TEST_P(DbContractTest, WritesInsideReadAreRefused) {
  CreateItems();
  Status s = db_->Read([&](Tx& tx) {
    return tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{1}, std::string("a")}).status();
  });
  EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
  EXPECT_EQ(Count("items"), 0);
}

TEST_P(DbContractTest, ReadStatementRunsOneSelectAndNothingElse) {
  CreateItems();
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO items (id, name) VALUES (1, $1), (2, $2)", {std::string("甲"), std::string("乙")}).status();
  }).ok());
  Result<ResultSet> rows = db_->ReadStatement("SELECT id, name FROM items WHERE id >= $1 ORDER BY id", {int64_t{1}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->rows.size(), 2u);
  EXPECT_EQ(rows->rows[1].Text(1), "乙");
  // Twice on the same pooled connection (the statement is prepared once), then an empty answer.
  EXPECT_EQ(db_->ReadStatement("SELECT id, name FROM items WHERE id >= $1 ORDER BY id", {int64_t{2}})->rows.size(), 1u);
  EXPECT_TRUE(db_->ReadStatement("SELECT id FROM items WHERE id = $1", {int64_t{9}})->empty());
  for (const char* not_a_select :
       {"INSERT INTO items (id, name) VALUES (3, 'x')", "DELETE FROM items", "WITH d AS (DELETE FROM items RETURNING id) SELECT id FROM d",
        "SELECTION", ""}) {
    Result<ResultSet> refused = db_->ReadStatement(not_a_select);
    EXPECT_EQ(refused.status().code(), Code::kInternal) << not_a_select;
  }
  EXPECT_EQ(Count("items"), 2);
  // An error in the statement is the statement's, and the connection goes on serving.
  EXPECT_FALSE(db_->ReadStatement("SELECT no_such_column FROM items").ok());
  EXPECT_EQ(db_->ReadStatement("SELECT COUNT(*) FROM items")->rows.at(0).Int(0), 2);
}

TEST_P(DbContractTest, ReadDoesNotSeeAnUncommittedWriteAndDoesNotWaitForIt) {
  CreateItems();
  Latch inserted, may_commit;
  std::thread writer([&] {
    Status s = db_->Write([&](Tx& tx) {
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {int64_t{1}, std::string("a")}).status());
      inserted.Open();
      may_commit.Wait();
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  ASSERT_TRUE(inserted.Wait());
  EXPECT_EQ(Count("items"), 0);  // runs while the write transaction is open
  may_commit.Open();
  writer.join();
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(DbContractTest, ReadKeepsItsSnapshotWhileOthersCommit) {
  CreateItems();
  ASSERT_TRUE(Insert(1, "a").ok());
  std::vector<int64_t> seen;
  Status s = db_->Read([&](Tx& tx) {
    auto count = [&]() -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM items"));
      seen.push_back(rs.rows[0].Int(0));
      return Status::Ok();
    };
    GZ_RETURN_IF_ERROR(count());
    std::thread other([&] { EXPECT_TRUE(Insert(2, "b").ok()); });  // commits during our Read
    other.join();
    return count();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(Count("items"), 2);
}

TEST_P(DbContractTest, ConcurrentReadersAndWritersKeepExactTotals) {
  Ddl("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);"
      "CREATE TABLE transfers (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL)",
      "CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);"
      "CREATE TABLE transfers (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL)");
  constexpr int kAccounts = 10, kWriters = 4, kPerWriter = 150, kReaders = 3;
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    for (int i = 0; i < kAccounts; ++i)
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO accounts (id, balance) VALUES ($1, 1000)", {int64_t{i}}).status());
    return Status::Ok();
  }).ok());

  std::atomic<bool> done{false};
  std::atomic<int> write_failures{0}, bad_snapshots{0}, reads{0};
  std::atomic<int64_t> next_transfer{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::mt19937 rng(w);
      for (int i = 0; i < kPerWriter; ++i) {
        int64_t from = rng() % kAccounts, to = rng() % kAccounts, amount = rng() % 50 + 1;
        Status s = db_->Write([&](Tx& tx) {
          GZ_RETURN_IF_ERROR(tx.Exec("UPDATE accounts SET balance = balance - $2 WHERE id = $1", {from, amount}).status());
          GZ_RETURN_IF_ERROR(tx.Exec("UPDATE accounts SET balance = balance + $2 WHERE id = $1", {to, amount}).status());
          return tx.Exec("INSERT INTO transfers (id, amount) VALUES ($1, $2)", {next_transfer++, amount}).status();
        });
        if (!s.ok()) ++write_failures;
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      while (!done) {
        Status s = db_->Read([&](Tx& tx) {
          GZ_ASSIGN_OR_RETURN(ResultSet sum, tx.Query("SELECT SUM(balance) FROM accounts"));
          if (sum.rows[0].Int(0) != kAccounts * 1000) ++bad_snapshots;
          return Status::Ok();
        });
        if (!s.ok()) ++bad_snapshots;
        ++reads;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  done = true;
  for (size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(write_failures, 0);
  EXPECT_EQ(bad_snapshots, 0);
  EXPECT_GT(reads, 0);
  EXPECT_EQ(Count("transfers"), kWriters * kPerWriter);
  int64_t total = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT SUM(balance) FROM accounts"));
    total = rs.rows[0].Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(total, kAccounts * 1000);
}

TEST_P(DbContractTest, ConcurrentWritersWhereSomeFailKeepExactlyTheSuccessfulOnes) {
  CreateItems();
  constexpr int kThreads = 6, kPerThread = 60;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t id = t * kPerThread + i;
        bool fail = id % 3 == 0;  // every third callback inserts, then fails
        Status s = db_->Write([&](Tx& tx) {
          GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {id, "n" + std::to_string(id)}).status());
          return fail ? Aborted("test/fail") : Status::Ok();
        });
        if (s.ok() == fail) ++unexpected;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unexpected, 0);
  EXPECT_EQ(Count("items"), kThreads * kPerThread * 2 / 3);
  int64_t failed_present = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM items WHERE id % 3 = 0"));
    failed_present = rs.rows[0].Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(failed_present, 0);
}

// Writes behave as if run one at a time, in some order: every callback sees the changes of every
// write that came before it, so a read-modify-write never loses an update (SQLite's group commit
// runs a batch's callbacks one after another in one transaction; each must still see the ones
// before it).
TEST_P(DbContractTest, ConcurrentReadModifyWritesSeeEveryEarlierWrite) {
  Ddl("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)",
      "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO counter (id, n) VALUES (1, 0)").status(); }).ok());
  constexpr int kThreads = 8, kPerThread = 40;
  std::mutex mu;
  std::vector<int64_t> seen;  // the value each successful callback read
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t mine = -1;
        Status s = db_->Write([&](Tx& tx) -> Status {
          GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT n FROM counter WHERE id = 1"));
          mine = rs.rows.at(0).Int(0);
          return tx.Exec("UPDATE counter SET n = $1 WHERE id = 1", {mine + 1}).status();
        });
        if (!s.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard lk(mu);
        seen.push_back(mine);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  int64_t final_n = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT n FROM counter WHERE id = 1"));
    final_n = rs.rows.at(0).Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(final_n, kThreads * kPerThread);
  // A total order: the values read are exactly 0, 1, ..., n-1, each once.
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], static_cast<int64_t>(i)) << "lost or repeated update";
}

// "Committed durably before Write() returns OK": once a Write() has returned OK, every Read()
// that starts afterwards, on any thread, sees it. A write acknowledged before its commit (say, a
// batch member released before the batch's COMMIT) would be missing from some of these reads.
TEST_P(DbContractTest, AnAcknowledgedWriteIsSeenByEveryReadThatStartsAfterIt) {
  CreateItems();
  constexpr int kWriters = 8, kPerWriter = 40;
  std::mutex mu;
  std::vector<int64_t> acknowledged;
  std::atomic<bool> writing{true};
  std::atomic<int> missing{0}, own_missing{0}, checks{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        int64_t id = w * kPerWriter + i;
        if (!Insert(id, "n" + std::to_string(id)).ok()) continue;
        {
          std::lock_guard lk(mu);
          acknowledged.push_back(id);
        }
        Status s = db_->Read([&](Tx& tx) -> Status {
          GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM items WHERE id = $1", {id}));
          if (rs.rows.at(0).Int(0) != 1) ++own_missing;
          return Status::Ok();
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    });
  }
  std::thread reader([&] {
    while (writing) {
      std::vector<int64_t> before;
      {
        std::lock_guard lk(mu);
        before = acknowledged;
      }
      Status s = db_->Read([&](Tx& tx) -> Status {
        GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT id FROM items"));
        std::vector<int64_t> present;
        for (const Row& r : rs.rows) present.push_back(r.Int(0));
        std::sort(present.begin(), present.end());
        for (int64_t id : before)
          if (!std::binary_search(present.begin(), present.end(), id)) ++missing;
        return Status::Ok();
      });
      EXPECT_TRUE(s.ok()) << s.ToString();
      ++checks;
    }
  });
  for (auto& t : threads) t.join();
  writing = false;
  reader.join();
  EXPECT_EQ(own_missing, 0);
  EXPECT_EQ(missing, 0);
  EXPECT_GT(checks, 0);
  EXPECT_EQ(Count("items"), kWriters * kPerWriter);
}

TEST_P(DbContractTest, ACallbackThatThrowsAmongConcurrentWritersLosesOnlyItsOwnChanges) {
  CreateItems();
  constexpr int kThreads = 6, kPerThread = 40;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t id = t * kPerThread + i;
        bool throws = id % 4 == 0;
        Status s = db_->Write([&](Tx& tx) -> Status {
          GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {id, "n" + std::to_string(id)}).status());
          if (throws) throw std::runtime_error("test: callback throws after its insert");
          return Status::Ok();
        });
        if (throws ? s.code() != Code::kInternal : !s.ok()) ++unexpected;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unexpected, 0);
  EXPECT_EQ(Count("items"), kThreads * kPerThread * 3 / 4);
  int64_t thrown_present = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM items WHERE id % 4 = 0"));
    thrown_present = rs.rows[0].Int(0);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(thrown_present, 0);
}

// db.h: a Write() from inside a Write() callback on the same thread returns kInternal instead of
// deadlocking, also when other writers are queued (a batch is open), and the outer write goes on.
TEST_P(DbContractTest, NestedWriteIsRefusedAndTheOuterWriteGoesOn) {
  CreateItems();
  Latch holding, release;
  std::thread holder([&] {
    EXPECT_TRUE(db_->Write([&](Tx& tx) {
      holding.Open();
      release.Wait();
      return tx.Exec("INSERT INTO items (id, name) VALUES (1, 'holder')").status();
    }).ok());
  });
  ASSERT_TRUE(holding.Wait());
  Status nested, outer;
  std::thread queued([&] {
    outer = db_->Write([&](Tx& tx) {
      nested = db_->Write([](Tx& inner) { return inner.Exec("INSERT INTO items (id, name) VALUES (3, 'nested')").status(); });
      return tx.Exec("INSERT INTO items (id, name) VALUES (2, 'outer')").status();
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let it queue behind the holder
  release.Open();
  holder.join();
  queued.join();
  EXPECT_EQ(nested.code(), Code::kInternal) << nested.ToString();
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(Count("items"), 2);
}

// QueryEach: every row, in order, one at a time, and the same rows as Query().
TEST_P(DbContractTest, QueryEachHandsOverEveryRowInOrder) {
  CreateItems();
  ASSERT_TRUE(db_->Write([](Tx& tx) {
    for (int64_t i = 0; i < 1000; ++i)
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, name, qty) VALUES ($1, $2, $3)", {i, "n" + std::to_string(i), i % 7}).status());
    return Status::Ok();
  }).ok());
  std::vector<std::tuple<int64_t, std::string, int64_t>> streamed, queried;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
    const std::string sql = "SELECT id, name, qty FROM items WHERE qty <> $1 ORDER BY id DESC";
    GZ_RETURN_IF_ERROR(tx.QueryEach(sql, {int64_t{3}}, [&](const Row& r) {
      streamed.emplace_back(r.Int(0), r.Text(1), r.Int(2));
      return Status::Ok();
    }));
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, {int64_t{3}}));
    for (const Row& r : rs.rows) queried.emplace_back(r.Int(0), r.Text(1), r.Int(2));
    return Status::Ok();
  }).ok());
  EXPECT_EQ(streamed.size(), 1000u - 143u);  // ids with i % 7 == 3 left out
  EXPECT_EQ(streamed, queried);
  EXPECT_EQ(std::get<0>(streamed.front()), 999);
}

TEST_P(DbContractTest, QueryEachStopsAtTheCallbacksErrorAndRefusesStatementsInside) {
  CreateItems();
  for (int64_t i = 0; i < 50; ++i) ASSERT_TRUE(Insert(i, "n" + std::to_string(i)).ok());
  int seen = 0;
  Status stopped = db_->Read([&](Tx& tx) -> Status {
    Status s = tx.QueryEach("SELECT id FROM items ORDER BY id", {}, [&](const Row&) {
      return ++seen == 10 ? Aborted("test/enough") : Status::Ok();
    });
    EXPECT_EQ(s.slug(), "test/enough") << s.ToString();
    // The Tx is still usable after the stopped statement, and the same statement runs again.
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT id FROM items ORDER BY id"));
    EXPECT_EQ(rs.rows.size(), 50u);
    return Status::Ok();
  });
  EXPECT_TRUE(stopped.ok()) << stopped.ToString();
  EXPECT_EQ(seen, 10);

  // A statement run from inside the callback is refused (kInternal), in a Write too: nothing of
  // it is kept.
  Status inner;
  Status w = db_->Write([&](Tx& tx) -> Status {
    return tx.QueryEach("SELECT id FROM items WHERE id < 3", {}, [&](const Row& r) {
      inner = tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {r.Int(0) + 1000, std::string("x")}).status();
      return inner;
    });
  });
  EXPECT_EQ(inner.code(), Code::kInternal) << inner.ToString();
  EXPECT_EQ(w.code(), Code::kInternal) << w.ToString();
  EXPECT_EQ(Count("items"), 50);

  // An exception from the callback becomes kInternal, and the store goes on.
  Status thrown = db_->Read([&](Tx& tx) {
    return tx.QueryEach("SELECT id FROM items", {}, [](const Row&) -> Status { throw std::runtime_error("test"); });
  });
  EXPECT_EQ(thrown.code(), Code::kInternal) << thrown.ToString();
  EXPECT_EQ(Count("items"), 50);
}

TEST_P(DbContractTest, PingAnswersAndDescribeShowsNoSecret) {
  EXPECT_TRUE(db_->Ping().ok());
  std::string d = db_->Describe();
  EXPECT_FALSE(d.empty());
  EXPECT_EQ(d.find("password"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbContractTest, ::testing::ValuesIn(AllBackendsForTest()),
                         [](const ::testing::TestParamInfo<BackendForTest>& info) { return info.param.name; });

}  // namespace
}  // namespace gz::storage
