// What the PostgreSQL backend adds to the Db contract (db_contract_test.cc runs that on both):
// outages and recovery, several processes writing at once, timeouts, PostgreSQL's type mapping.
#include "storage/postgres/postgres_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "storage/postgres/testing.h"
#include "storage/problems.h"

namespace gz::storage::postgres {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::unique_ptr<Db> OpenOrDie(PostgresOptions options = {}) {
  options.pool_size = 4;
  Result<std::unique_ptr<Db>> db = OpenTemporaryPostgresForTest(options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(*db) : nullptr;
}

Status Script(Db& db, std::string_view sql) {
  return db.Write([&](Tx& tx) { return tx.ExecScript(sql); });
}

TEST(PostgresDb, NumbersFromAggregatesAndBooleansReadAsIntegers) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (x BIGINT, y INTEGER, z SMALLINT); INSERT INTO t VALUES (9007199254740993, 2, 3), (1, 2, 3)").ok());
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT SUM(x), COUNT(*), SUM(y), MAX(z), 1 = 1, AVG(y), 7::numeric / 2 FROM t"));
    const Row& r = rs.rows.at(0);
    EXPECT_EQ(r.at(0), Value(int64_t{9007199254740994}));  // numeric, exact beyond 2^53
    EXPECT_EQ(r.at(1), Value(int64_t{2}));
    EXPECT_EQ(r.at(2), Value(int64_t{4}));
    EXPECT_EQ(r.at(3), Value(int64_t{3}));
    EXPECT_EQ(r.at(4), Value(int64_t{1}));
    EXPECT_EQ(r.Real(5), 2.0);
    EXPECT_EQ(r.at(6), Value(3.5));
    return Status::Ok();
  }).ok());
}

// A string parameter is text, as on SQLite: it is not turned into bytes where a BYTEA column
// (sealed personal data) expects them, nor into a number.
TEST(PostgresDb, TextParametersStayText) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (code BIGINT, name TEXT, sealed BYTEA)").ok());
  Status into_bytea = db->Write([](Tx& tx) {
    return tx.Exec("INSERT INTO t (sealed) VALUES ($1)", {std::string("plaintext where an envelope belongs")}).status();
  });
  EXPECT_FALSE(into_bytea.ok());
  Status into_bigint = db->Write([](Tx& tx) {
    return tx.Exec("INSERT INTO t (code) VALUES ($1)", {std::string("420100000000")}).status();
  });
  EXPECT_FALSE(into_bigint.ok());
  ASSERT_TRUE(db->Write([](Tx& tx) {
    return tx.Exec("INSERT INTO t (code, name, sealed) VALUES ($1, $2, $3)",
                   {int64_t{420100000000}, std::string("武汉"), Blob{"\\x00"}}).status();
  }).ok());
  Status s = db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT code, sealed FROM t WHERE name = $1 AND name LIKE $2 || '%'",
                                               {std::string("武汉"), std::string("武")}));
    EXPECT_EQ(rs.rows.at(0).at(0), Value(int64_t{420100000000}));
    EXPECT_EQ(rs.rows.at(0).at(1), Value(Blob{"\\x00"}));  // the four bytes as given, not decoded
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(PostgresDb, TextWithANulByteIsRefusedNotTruncated) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (name TEXT)").ok());
  Status s = db->Write([](Tx& tx) {
    return tx.Exec("INSERT INTO t (name) VALUES ($1)", {std::string("a\0b", 3)}).status();
  });
  EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
}

TEST(PostgresDb, TransactionControlInACallbackIsRefusedBeforeItIsSent) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (x BIGINT)").ok());
  for (std::string_view sql : {"COMMIT", "ROLLBACK", "BEGIN", "END", "INSERT INTO t VALUES (1); COMMIT"}) {
    Status s = db->Write([&](Tx& tx) -> Status {
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (2)").status());
      return tx.ExecScript(sql);
    });
    EXPECT_EQ(s.code(), Code::kInternal) << sql << ": " << s.ToString();
  }
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM t"));
    EXPECT_EQ(rs.rows.at(0).Int(0), 0);
    return Status::Ok();
  }).ok());
}

// PostgreSQL aborts a transaction at its first error; a callback that ignores the error and
// returns OK must not get a silent ROLLBACK reported as a commit.
TEST(PostgresDb, ACallbackThatIgnoresAnErrorGetsItAndNothingIsKept) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (x BIGINT PRIMARY KEY); INSERT INTO t VALUES (1)").ok());
  Status later;
  Status s = db->Write([&](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO t VALUES (2)");
    (void)tx.Exec("INSERT INTO t VALUES (1)");  // conflict, ignored
    later = tx.Exec("INSERT INTO t VALUES (3)").status();
    return Status::Ok();
  });
  EXPECT_EQ(later.code(), Code::kInternal) << later.ToString();
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.ToString();
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM t"));
    EXPECT_EQ(rs.rows.at(0).Int(0), 1);
    return Status::Ok();
  }).ok());
}

TEST(PostgresDb, StatementTimeoutIsBusyAndQuick) {
  PostgresOptions options;
  options.statement_timeout_ms = 200;
  auto db = OpenOrDie(options);
  ASSERT_TRUE(db);
  auto start = SteadyClock::now();
  Status s = db->Read([](Tx& tx) { return tx.Query("SELECT pg_sleep(5)").status(); });
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  EXPECT_EQ(s.slug(), problems::kBusy);
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
  EXPECT_TRUE(db->Ping().ok());
}

TEST(PostgresDb, DescribeNamesTheServerButNeverThePassword) {
  Result<TestCluster*> cluster = SharedTestCluster();
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  PostgresOptions options;
  options.conninfo = (*cluster)->ConnInfo("postgres") + " password=pw-canary-9931";
  Result<std::unique_ptr<Db>> db = OpenPostgres(options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  std::string d = (*db)->Describe();
  EXPECT_EQ(d, "postgresql://gongzhi@127.0.0.1:" + std::to_string((*cluster)->port()) + "/postgres");
  EXPECT_EQ(d.find("pw-canary"), std::string::npos);
}

TEST(PostgresDb, OpeningAServerThatIsNotThereFailsQuickly) {
  PostgresOptions options;
  options.conninfo = "host=127.0.0.1 port=1 user=gongzhi dbname=postgres";
  auto start = SteadyClock::now();
  Result<std::unique_ptr<Db>> db = OpenPostgres(options);
  EXPECT_EQ(db.status().code(), Code::kUnavailable);
  EXPECT_EQ(db.status().slug(), problems::kCannotOpen);
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
  options.pool_size = 0;
  EXPECT_EQ(OpenPostgres(options).status().slug(), problems::kBadOptions);
}

// Two processes (two Db objects, as two gongzhi nodes would be) increment one counter at once:
// SERIALIZABLE turns the lost update into a serialization failure, and Write() runs the loser's
// callback again, so every increment lands exactly once.
TEST(PostgresDb, TwoNodesWritingTheSameRowLoseNoUpdate) {
  Result<TestCluster*> cluster = SharedTestCluster();
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  Result<std::string> schema = (*cluster)->CreateSchema();
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  PostgresOptions options;
  options.conninfo = (*cluster)->ConnInfoForSchema(*schema);
  options.pool_size = 4;
  Result<std::unique_ptr<Db>> first = OpenPostgres(options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<std::unique_ptr<Db>> second = OpenPostgres(options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Db* db = first->get();
  ASSERT_TRUE(Script(*db, "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0)").ok());

  constexpr int kThreadsPerNode = 3, kPerThread = 30;
  std::atomic<int> failures{0}, runs{0};
  std::vector<std::thread> threads;
  for (Db* node : {db, second->get()}) {
    for (int t = 0; t < kThreadsPerNode; ++t) {
      threads.emplace_back([&, node] {
        for (int i = 0; i < kPerThread; ++i) {
          Status s = node->Write([&](Tx& tx) -> Status {
            ++runs;
            GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT n FROM counter WHERE id = 1"));
            return tx.Exec("UPDATE counter SET n = $1 WHERE id = 1", {rs.rows.at(0).Int(0) + 1}).status();
          });
          if (!s.ok()) ++failures;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT n FROM counter WHERE id = 1"));
    EXPECT_EQ(rs.rows.at(0).Int(0), 2 * kThreadsPerNode * kPerThread);
    return Status::Ok();
  }).ok());
  EXPECT_GT(runs, 2 * kThreadsPerNode * kPerThread) << "no serialization failure was retried: the test proves nothing";
}

// The server restarts under a live Db: while it is down every call fails within 2 seconds with
// kUnavailable (503 at the HTTP layer), and once it is back the same Db serves again by itself.
TEST(PostgresDb, ServerRestartFailsFastThenRecoversByItself) {
  Result<std::unique_ptr<TestCluster>> cluster = TestCluster::Start();  // its own: it is stopped
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  TestCluster& c = **cluster;
  Result<std::string> name = c.CreateDatabase();
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  PostgresOptions options;
  options.conninfo = c.ConnInfo(*name);
  options.pool_size = 4;
  Result<std::unique_ptr<Db>> opened = OpenPostgres(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Db& db = **opened;
  ASSERT_TRUE(Script(db, "CREATE TABLE t (x BIGINT)").ok());
  // Fill the pool with several connections, so that all of them die with the server.
  std::vector<std::thread> warm;
  for (int i = 0; i < 4; ++i)
    warm.emplace_back([&] { EXPECT_TRUE(db.Read([](Tx& tx) { return tx.Query("SELECT pg_sleep(0.05)").status(); }).ok()); });
  for (auto& t : warm) t.join();

  ASSERT_TRUE(c.StopServer().ok());
  for (int i = 0; i < 6; ++i) {
    auto start = SteadyClock::now();
    Status r = db.Read([](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM t").status(); });
    Status w = db.Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (1)").status(); });
    EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
    EXPECT_EQ(r.code(), Code::kUnavailable) << r.ToString();
    EXPECT_EQ(r.slug(), problems::kUnavailable) << r.ToString();
    EXPECT_EQ(w.code(), Code::kUnavailable) << w.ToString();
    EXPECT_FALSE(db.Ping().ok());
    std::this_thread::sleep_for(milliseconds(100));
  }

  ASSERT_TRUE(c.StartServer().ok());
  Status back;
  auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  do {
    back = db.Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (2)").status(); });
    if (!back.ok()) std::this_thread::sleep_for(milliseconds(50));
  } while (!back.ok() && SteadyClock::now() < deadline);
  EXPECT_TRUE(back.ok()) << back.ToString();
  ASSERT_TRUE(db.Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT x FROM t"));
    EXPECT_EQ(rs.rows.size(), 1u);  // nothing from the outage was half-written
    return Status::Ok();
  }).ok());
  opened->reset();
}

// A Read() leaves its COMMIT in flight (its answer is not waited for); the connection's next
// user, a Read (which enters libpq's pipeline mode, refused on a busy connection) or a Write,
// reads that answer first. One connection, so every call reuses the previous one's.
TEST(PostgresDb, ACommitLeftInFlightIsReadByTheNextUser) {
  PostgresOptions options;
  options.pool_size = 1;
  Result<std::unique_ptr<Db>> opened = OpenTemporaryPostgresForTest(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Db& db = **opened;
  ASSERT_TRUE(Script(db, "CREATE TABLE t (x BIGINT PRIMARY KEY)").ok());
  auto pid_and_count = [&](int64_t& pid, int64_t& count) {
    return db.Read([&](Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT pg_backend_pid(), (SELECT COUNT(*) FROM t)"));
      pid = rs.rows.at(0).Int(0);
      count = rs.rows.at(0).Int(1);
      return Status::Ok();
    });
  };
  int64_t first_pid = 0, pid = 0, count = -1;
  for (int i = 0; i < 5; ++i) {
    Status r = pid_and_count(i == 0 ? first_pid : pid, count);
    ASSERT_TRUE(r.ok()) << r.ToString();
    EXPECT_EQ(count, i);
    Status w = db.Write([&](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ($1)", {int64_t{i}}).status(); });
    ASSERT_TRUE(w.ok()) << w.ToString();
    Status each = db.Read([](Tx& tx) { return tx.QueryEach("SELECT x FROM t", {}, [](const Row&) { return Status::Ok(); }); });
    ASSERT_TRUE(each.ok()) << each.ToString();
  }
  EXPECT_EQ(pid, first_pid) << "the connection was not reused, so nothing was drained: the test proves nothing";
}

// The snapshot of a Read() is taken by its first statement (sent together with the BEGIN) and
// holds for the rest: a write committed between two of its statements is not seen.
TEST(PostgresDb, OneSnapshotAcrossTheStatementsOfARead) {
  auto db = OpenOrDie();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Script(*db, "CREATE TABLE t (x BIGINT); INSERT INTO t VALUES (1)").ok());
  int64_t before = -1, after = -1, streamed = 0;
  Status s = db->Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet a, tx.Query("SELECT COUNT(*) FROM t"));
    before = a.rows.at(0).Int(0);
    Status w = db->Write([](Tx& wtx) { return wtx.Exec("INSERT INTO t VALUES (2)").status(); });
    EXPECT_TRUE(w.ok()) << w.ToString();
    GZ_ASSIGN_OR_RETURN(ResultSet b, tx.Query("SELECT COUNT(*) FROM t WHERE x > $1", {int64_t{0}}));
    after = b.rows.at(0).Int(0);
    return tx.QueryEach("SELECT x FROM t", {}, [&](const Row&) {
      ++streamed;
      return Status::Ok();
    });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(streamed, 1);
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT COUNT(*) FROM t"));
    EXPECT_EQ(rs.rows.at(0).Int(0), 2);  // the write did happen
    return Status::Ok();
  }).ok());
}

// A pooled connection killed by the server: the pipelined BEGIN + first statement finds it dead,
// and since nothing ran yet the Read() goes on, once, on a fresh connection. When the fresh one
// cannot be had either (the server is gone), the Read() is storage/unavailable, not an internal
// error, and the pool recovers once the server is back.
TEST(PostgresDb, ADeadConnectionUnderAPipelinedBeginIsReplacedOrUnavailable) {
  Result<std::unique_ptr<TestCluster>> cluster = TestCluster::Start();  // its own: it is stopped
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  TestCluster& c = **cluster;
  Result<std::string> name = c.CreateDatabase();
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  PostgresOptions options;
  options.conninfo = c.ConnInfo(*name);
  options.pool_size = 1;
  Result<std::unique_ptr<Db>> opened = OpenPostgres(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Result<std::unique_ptr<Db>> other = OpenPostgres(options);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  Db& db = **opened;
  auto backend_pid = [&](Db& on) -> int64_t {
    int64_t pid = 0;
    Status s = on.Read([&](Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT pg_backend_pid()"));
      pid = rs.rows.at(0).Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return pid;
  };
  int64_t pid = backend_pid(db);
  ASSERT_GT(pid, 0);
  // A statement that is prepared already on the pooled connection, and one that is not.
  for (const char* sql : {"SELECT pg_backend_pid()", "SELECT pg_backend_pid() + $1"}) {
    ASSERT_TRUE((*other)->Read([&](Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT pg_terminate_backend($1::int)", {pid}));
      EXPECT_EQ(rs.rows.at(0).Int(0), 1);
      return Status::Ok();
    }).ok());
    std::this_thread::sleep_for(milliseconds(50));  // the backend exits
    int64_t now = 0;
    Status s = db.Read([&](Tx& tx) -> Status {
      Params params;
      if (std::string_view(sql).find('$') != std::string_view::npos) params.push_back(int64_t{0});
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, params));
      now = rs.rows.at(0).Int(0);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
    EXPECT_NE(now, pid) << sql;
    pid = now;
  }

  // ReadStatement() (no transaction) on a pooled connection whose backend died: replaced as well.
  ASSERT_TRUE((*other)->Read([&](Tx& tx) {
    return tx.Query("SELECT pg_terminate_backend($1::int)", {pid}).status();
  }).ok());
  std::this_thread::sleep_for(milliseconds(50));
  Result<ResultSet> alone = db.ReadStatement("SELECT pg_backend_pid()");
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  EXPECT_NE(alone->rows.at(0).Int(0), pid);

  ASSERT_TRUE(c.StopServer().ok());
  auto start = SteadyClock::now();
  Result<ResultSet> down = db.ReadStatement("SELECT 1");
  EXPECT_EQ(down.status().code(), Code::kUnavailable) << down.status().ToString();
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
  start = SteadyClock::now();
  int64_t ran = 0;
  Status r = db.Read([&](Tx& tx) {
    ++ran;
    return tx.Query("SELECT 1").status();
  });
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
  EXPECT_LE(ran, 1);  // never run again: the connection is switched under it
  EXPECT_EQ(r.code(), Code::kUnavailable) << r.ToString();
  EXPECT_EQ(r.slug(), problems::kUnavailable) << r.ToString();

  ASSERT_TRUE(c.StartServer().ok());
  Status back;
  auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  do {
    back = db.Read([](Tx& tx) { return tx.Query("SELECT 1").status(); });
    if (!back.ok()) std::this_thread::sleep_for(milliseconds(50));
  } while (!back.ok() && SteadyClock::now() < deadline);
  EXPECT_TRUE(back.ok()) << back.ToString();
  other->reset();
  opened->reset();
}

}  // namespace
}  // namespace gz::storage::postgres
